export interface RequestTarget {
  /** The SigV4 signing name: cloudformation, s3, dynamodb, sts, ssm, secretsmanager. */
  service: string;
  region?: string;
}

// `Credential=AKID/20240101/us-east-1/s3/aws4_request`, in a header or (presigned) in the query.
const CREDENTIAL_SCOPE = /Credential=[^/,\s]*\/\d{8}\/([a-z0-9-]+)\/([^/,\s]+)\/aws4_request/;
const STS_ACTIONS = new Set(['GetCallerIdentity', 'AssumeRole', 'GetSessionToken', 'GetAccessKeyInfo']);

/**
 * Which service and region a request is for, the way AWS's front door decides: the signature's
 * credential scope first; for unsigned requests the awsJson target, the query Action or the
 * host name; anything else is S3, whose REST paths have no other mark.
 */
export function identifyTarget(headers: Record<string, string>, query: Record<string, string>, hostname: string, body: Buffer): RequestTarget {
  const scope = CREDENTIAL_SCOPE.exec(headers.authorization ?? '') ?? (query['X-Amz-Credential'] ? CREDENTIAL_SCOPE.exec(`Credential=${query['X-Amz-Credential']}`) : null);
  if (scope) return { service: scope[2], region: scope[1] };
  const fromHost = targetFromHost(hostname);
  const target = headers['x-amz-target'] ?? '';
  if (target.startsWith('DynamoDB_')) return { service: 'dynamodb', region: fromHost?.region };
  if (target.startsWith('AmazonSSM.')) return { service: 'ssm', region: fromHost?.region };
  if (target.startsWith('secretsmanager.')) return { service: 'secretsmanager', region: fromHost?.region };
  const action = formAction(headers, body) ?? query.Action;
  if (action) return { service: STS_ACTIONS.has(action) ? 'sts' : 'cloudformation', region: fromHost?.region };
  // A form whose Action is not known yet (its body unread) is an awsQuery request all the same.
  if (isForm(headers) && !fromHost) return { service: 'cloudformation' };
  return fromHost ?? { service: 's3' };
}

function isForm(headers: Record<string, string>): boolean {
  return (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function formAction(headers: Record<string, string>, body: Buffer): string | undefined {
  if (!isForm(headers)) return undefined;
  const match = /(?:^|&)Action=([^&]*)/.exec(body.toString('latin1'));
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1].replace(/\+/g, ' '));
  } catch {
    // Not URL-encoding: no action this emulator knows.
    return match[1];
  }
}

// `cloudformation.eu-west-1.amazonaws.com`, `s3.us-east-2.amazonaws.com`.
function targetFromHost(hostname: string): RequestTarget | undefined {
  const match = /(?:^|\.)(cloudformation|s3|dynamodb|sts|ssm|secretsmanager)[.-]([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/.exec(hostname);
  return match ? { service: match[1], region: match[2] } : undefined;
}
