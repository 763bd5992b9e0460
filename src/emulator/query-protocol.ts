import { newRequestId, xmlReply, type LocalReply, type LocalRequest } from './wire.ts';
import { escapeXml } from './xml.ts';

/**
 * The flat parameters of an awsQuery request (`Action=...&Parameters.member.1.ParameterKey=...`),
 * from the form body and the query string alike.
 */
export function decodeQueryParameters(request: LocalRequest): Record<string, string> {
  const parameters: Record<string, string> = { ...request.query };
  if (request.body.length > 0) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) parameters[name] = value;
  }
  return parameters;
}

/** The awsQuery error document CloudFormation and STS both answer with. */
export function queryErrorReply(namespace: string, code: string, message: string, status: number, type: 'Sender' | 'Receiver' = 'Sender'): LocalReply {
  const requestId = newRequestId();
  return xmlReply(
    status,
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    { 'x-amzn-requestid': requestId },
  );
}
