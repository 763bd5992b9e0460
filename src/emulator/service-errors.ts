import { CLOUDFORMATION_NAMESPACE } from './cloudformation/xml-encoder.ts';
import { queryErrorReply } from './query-protocol.ts';
import { s3ErrorReply } from './s3/s3-protocol.ts';
import { STS_NAMESPACE } from './sts.ts';
import { jsonErrorReply, type LocalReply, type LocalRequest, type ServiceError } from './wire.ts';

/** How a service's requests and errors are written: S3's REST XML, awsQuery (form in, XML out), awsJson. */
export type WireProtocol = 'rest-xml' | 'query' | 'json';

export function wireProtocol(service: string): WireProtocol {
  if (service === 's3') return 'rest-xml';
  if (service === 'cloudformation' || service === 'sts') return 'query';
  return 'json';
}

/** An error answered in the protocol of the service the request is for, as that service writes its own. */
export function serviceErrorReply(request: Pick<LocalRequest, 'service' | 'path'>, error: ServiceError): LocalReply {
  switch (request.service) {
    case 's3':
      return s3ErrorReply(error, request.path);
    case 'cloudformation':
    case 'sts':
      return queryErrorReply(request.service === 'sts' ? STS_NAMESPACE : CLOUDFORMATION_NAMESPACE, error.code, error.message, error.status, error.status >= 500 ? 'Receiver' : 'Sender');
    case 'dynamodb':
      return jsonErrorReply(error.code, error.message, error.status, 'application/x-amz-json-1.0');
    default:
      return jsonErrorReply(error.code, error.message, error.status);
  }
}
