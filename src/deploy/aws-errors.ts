import { StackpilotError } from '../errors.ts';

/**
 * AWS errors in words for people. Every client a target opens carries a middleware that marks
 * an error with the call it came from (the SDK's own errors do not say), so that a failure can
 * be reported as "CloudFormation CreateChangeSet failed: ValidationError: ..." with what to do.
 */

const FAILED_CALL = Symbol('stackpilot.failedCall');

/**
 * An SDK middleware (for the initialize step, outermost: it sees the error the caller gets, after
 * retries) that marks every error a client's call ends with by the call: `S3 PutObject`.
 */
export function nameFailedCalls<Input, Output>(next: (args: Input) => Promise<Output>, context: { clientName?: string; commandName?: string }): (args: Input) => Promise<Output> {
  return async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (error !== null && typeof error === 'object' && !(FAILED_CALL in error)) {
        const service = (context.clientName ?? '').replace(/Client$/, '');
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        Object.defineProperty(error, FAILED_CALL, { value: [service, operation].filter(Boolean).join(' ') });
      }
      throw error;
    }
  };
}

interface SdkError {
  name?: string;
  /** A Node system error's code (ECONNREFUSED), when no answer came. */
  code?: string;
  message?: string;
  /** Node's AggregateError (a refused connection on every address) keeps the messages here. */
  errors?: { message?: string }[];
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIALS = 'The credentials are missing, invalid or expired: refresh them (for SSO: aws sso login), or name another profile with --profile, and run again.';

/** What to do, by error code; the first match wins. */
const HINTS: [RegExp, string][] = [
  [/^(AccessDenied(Exception)?|UnauthorizedOperation|AuthorizationError|Forbidden|403)$/, 'The credentials in use are not allowed this call: grant the permission (IAM), or use a profile that has it (--profile).'],
  [/^(ExpiredToken(Exception)?|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidAccessKeyId|RequestExpired|CredentialsProviderError)$/, CREDENTIALS],
  [/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/, 'AWS is limiting the rate of calls: wait a minute and run again, with a lower --concurrency.'],
  [/^InsufficientCapabilities/, 'Add the capability the message names to the stack\'s `capabilities` in stackpilot.yaml.'],
  [/^LimitExceeded/, 'An account quota is reached: raise it (Service Quotas) or remove what is no longer used, and run again.'],
  [/^(BucketAlreadyExists|BucketAlreadyOwnedByYou)$/, 'The bucket name is taken: S3 bucket names are global across all accounts.'],
  [/^TokenAlreadyExists|^AlreadyExists/, 'Something of that name exists already: wait for the operation that made it to end, or remove it, and run again.'],
];

/** An error the SDK met before any answer: no connection, a timeout. */
const unreachable = (e: SdkError) => e.$metadata?.httpStatusCode === undefined && e.$fault === undefined;

function hintFor(code: string, e: SdkError): string {
  const known = HINTS.find(([pattern]) => pattern.test(code));
  if (known) return known[1];
  if (unreachable(e)) return 'The endpoint could not be reached: check the network, the region and AWS_ENDPOINT_URL (when set), and run again.';
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) return 'AWS failed to answer: run again (what is done stays done).';
  return 'AWS refused the call: correct what the message names and run again.';
}

/** An AWS error in words: the call that failed, the error's code and message, and what to do. Undefined for any other error. */
export function awsErrorInWords(error: unknown): { message: string; hint: string } | undefined {
  if (error === null || typeof error !== 'object' || !(FAILED_CALL in error)) return undefined;
  const e = error as SdkError & { [FAILED_CALL]: string };
  const status = e.$metadata?.httpStatusCode;
  const code = (unreachable(e) ? e.code : undefined) ?? e.name ?? 'Error';
  // Replies without a body (S3's HEAD) leave the SDK only the status to go on.
  const message = e.message === 'UnknownError' ? `HTTP ${status}` : e.message || e.errors?.[0]?.message || code;
  return { message: `${e[FAILED_CALL]} failed: ${code}: ${message}`, hint: hintFor(code, e) };
}

/** A failure that can be told to a person (an AWS error, or stackpilot's own); undefined for a bug. */
export function failureInWords(error: unknown): { message: string; hint?: string } | undefined {
  if (error instanceof StackpilotError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  return awsErrorInWords(error);
}

/**
 * Runs AWS calls that are no one stack's operation (preparing the artifacts bucket, reading the
 * stacks' state): an AWS error becomes a StackpilotError that says what could not be done
 * (`what`, as in "could not <what>") and why.
 */
export async function awsStep<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const failure = awsErrorInWords(error);
    if (!failure) throw error;
    throw new StackpilotError('AwsCallFailed', `could not ${what}: ${failure.message}`, failure.hint);
  }
}
