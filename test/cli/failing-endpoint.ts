import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUDFORMATION_NAMESPACE } from '../../src/emulator/cloudformation/xml-encoder.ts';
import { serveLocalAws } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { decodeQueryParameters, queryErrorReply } from '../../src/emulator/query-protocol.ts';
import { s3ErrorReply } from '../../src/emulator/s3/s3-protocol.ts';
import { ServiceError, type LocalReply, type LocalRequest } from '../../src/emulator/wire.ts';
import { writeProject } from '../helpers.ts';

/**
 * A CloudFormation endpoint that is not stackpilot's own: the local emulator served over HTTP,
 * as `--target aws` with AWS_ENDPOINT_URL reaches it, except that one chosen call is answered
 * with a chosen AWS error, in that service's own error shape. A fixture for the client side:
 * stackpilot itself runs unchanged, in its own process, through the AWS SDK.
 */

export interface InjectedFailure {
  /** A CloudFormation or STS action (`CreateChangeSet`) or an S3 operation (`PutObject`, `CreateBucket`, `HeadBucket`, `HeadObject`). */
  call: string;
  /** Fail the call only for this stack (CloudFormation calls that name one, by name or ARN). */
  stackName?: string;
  code: string;
  message: string;
  /** HTTP status; 400 unless given. */
  status?: number;
}

export interface FailingEndpoint {
  url: string;
  /** The environment the CLI needs to reach the endpoint as AWS (`--target aws`). */
  env: Record<string, string>;
  /** Fails this call from now on; undefined fails nothing. */
  fail(failure: InjectedFailure | undefined): void;
  /** How many calls were answered with the injected error. */
  failed(): number;
  close(): Promise<void>;
}

/** The S3 REST operation a request is (the SDK names most in `x-id`; the bucket calls stackpilot makes otherwise). */
function s3Operation(request: LocalRequest): string {
  if (request.query['x-id']) return request.query['x-id'];
  const hasKey = request.path.indexOf('/', 1) > 0;
  if (request.method === 'HEAD') return hasKey ? 'HeadObject' : 'HeadBucket';
  if (request.method === 'PUT' && !hasKey && Object.keys(request.query).length === 0) return 'CreateBucket';
  return `${request.method} ${request.path}`;
}

function injected(request: LocalRequest, failure: InjectedFailure): LocalReply | undefined {
  const status = failure.status ?? 400;
  if (request.service === 's3') {
    return s3Operation(request) === failure.call ? s3ErrorReply(new ServiceError(failure.code, failure.message, status), request.path) : undefined;
  }
  const parameters = decodeQueryParameters(request);
  // A stack is named by its name or its ARN (`arn:aws:cloudformation:...:stack/NAME/id`).
  const stackName = parameters.StackName?.replace(/^arn:.*:stack\/([^/]+)\/.*$/, '$1');
  if (parameters.Action !== failure.call || (failure.stackName !== undefined && stackName !== failure.stackName)) return undefined;
  return queryErrorReply(CLOUDFORMATION_NAMESPACE, failure.code, failure.message, status, status >= 500 ? 'Receiver' : 'Sender');
}

export async function openFailingEndpoint(failure?: InjectedFailure): Promise<FailingEndpoint> {
  const local = await LocalAws.open({ dataDir: writeProject({}) });
  let current = failure;
  let failed = 0;
  const server = await serveLocalAws({
    region: local.region,
    dispatch: async (request) => {
      const reply = current && injected(request, current);
      if (!reply) return local.dispatch(request);
      failed++;
      return reply;
    },
  });
  return {
    url: server.url,
    env: {
      AWS_ENDPOINT_URL: server.url,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      // Nothing from this machine's own AWS setup.
      AWS_CONFIG_FILE: join(tmpdir(), 'stackpilot-no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'stackpilot-no-aws-credentials'),
      CI: 'true',
    },
    fail: (next) => {
      current = next;
    },
    failed: () => failed,
    close: async () => {
      await server.close();
      await local.close();
    },
  };
}
