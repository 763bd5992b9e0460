import { decodeQueryParameters, queryErrorReply } from './query-protocol.ts';
import { newRequestId, xmlReply, type LocalReply, type LocalRequest, type ServiceEmulator } from './wire.ts';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS over awsQuery: who the local caller is, so tools that check identity first work unchanged. */
export class StsEmulator implements ServiceEmulator {
  constructor(private readonly accountId: string) {}

  async handle(request: LocalRequest): Promise<LocalReply> {
    const action = decodeQueryParameters(request).Action;
    if (action !== 'GetCallerIdentity') {
      return queryErrorReply(STS_NAMESPACE, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service.`, 400);
    }
    const result =
      `<Arn>arn:aws:iam::${this.accountId}:user/stackpilot-local</Arn>` +
      `<UserId>AIDASTACKPILOTLOCAL</UserId>` +
      `<Account>${this.accountId}</Account>`;
    const requestId = newRequestId();
    return xmlReply(
      200,
      `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}"><GetCallerIdentityResult>${result}</GetCallerIdentityResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      { 'x-amzn-requestid': requestId },
    );
  }
}
