import { S3Error } from './s3/s3-protocol.ts';
import { wireProtocol, type WireProtocol } from './service-errors.ts';
import { SIGV2_QUERY_PARAMETERS, sigV2Matches, sigV2QuerySignature, type SigV2QuerySignature } from './sigv2.ts';
import { MalformedSignature, PRESIGNED_PARAMETERS, SIGV4_ALGORITHM, headerSignature, querySignature, sha256Hex, signatureMatches, type SigV4Signature, type SignedRequest } from './sigv4.ts';
import { ServiceError, type LocalRequest } from './wire.ts';

/** The one key pair `local serve --credentials` accepts. */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** SigV4 lets a presigned URL live at most seven days. */
const MAX_PRESIGNED_SECONDS = 604_800;
/** How far a signature's time may be from the server's, as AWS allows. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The signature a request carries: SigV4 (header or presigned query), or an S3 SigV2 presigned query. */
export type RequestSignature = SigV4Signature | SigV2QuerySignature;

type Refusal = 'missing' | 'malformed' | 'unknownKey' | 'badSignature' | 'skewed';

const BAD_SIGNATURE = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

// AWS's own answers, by protocol: S3's, the awsQuery services' (CloudFormation, STS), the awsJson services' (DynamoDB, SSM, Secrets Manager).
const REFUSALS: Record<Refusal, Record<WireProtocol, [code: string, status: number, message: string]>> = {
  missing: {
    'rest-xml': ['AccessDenied', 403, 'Access Denied'],
    query: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
    json: ['MissingAuthenticationTokenException', 400, 'Missing Authentication Token'],
  },
  malformed: {
    'rest-xml': ['AuthorizationHeaderMalformed', 400, 'The authorization header is malformed'],
    query: ['IncompleteSignature', 400, 'The request signature does not conform to AWS standards'],
    json: ['IncompleteSignatureException', 400, 'The request signature does not conform to AWS standards'],
  },
  unknownKey: {
    'rest-xml': ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
    query: ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
    json: ['UnrecognizedClientException', 400, 'The security token included in the request is invalid.'],
  },
  badSignature: {
    'rest-xml': ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
    query: ['SignatureDoesNotMatch', 403, BAD_SIGNATURE],
    json: ['InvalidSignatureException', 400, BAD_SIGNATURE],
  },
  skewed: {
    'rest-xml': ['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.'],
    query: ['SignatureDoesNotMatch', 403, 'Signature expired: the request time is more than 15 minutes from the current time'],
    json: ['InvalidSignatureException', 400, 'Signature expired: the request time is more than 15 minutes from the current time'],
  },
};

function refusal(kind: Refusal, service: string, detail?: string): ServiceError {
  const [code, status, message] = REFUSALS[kind][wireProtocol(service)];
  return new ServiceError(code, detail ? `${message}: ${detail}` : message, status);
}

/**
 * The SigV4 signature a request carries, as AWS requires one: an `Authorization:
 * AWS4-HMAC-SHA256 ...` header, or for S3 a presigned query (then within its lifetime). Throws
 * the service's own error for a request without one, with a malformed one, or with an expired
 * presigned URL. Needs no body: refused requests are refused before it is read.
 */
export function requireSignature(request: LocalRequest, now: Date): RequestSignature {
  const authorization = request.headers.authorization;
  const presigned = PRESIGNED_PARAMETERS.some((name) => name in request.query);
  const presignedV2 = request.service === 's3' && SIGV2_QUERY_PARAMETERS.some((name) => name in request.query);
  try {
    if (authorization !== undefined && presigned && request.service === 's3') {
      throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', 400);
    }
    if (authorization !== undefined) {
      if (!authorization.startsWith(`${SIGV4_ALGORITHM} `)) {
        if (request.service === 's3') throw new S3Error('InvalidRequest', `The authorization mechanism you have provided is not supported. Please use ${SIGV4_ALGORITHM}.`, 400);
        throw refusal('malformed', request.service, `only ${SIGV4_ALGORITHM} is supported`);
      }
      return headerSignature(authorization, request.headers['x-amz-date']);
    }
    // Query-string signing is S3's: other services' actions in a link would be one click from a cross-site request.
    if (presigned && request.service === 's3') return presignedSignature(request.query, now);
    if (presignedV2) return presignedV2Signature(request.query, now);
  } catch (error) {
    if (error instanceof MalformedSignature) throw refusal('malformed', request.service, error.message);
    throw error;
  }
  throw refusal('missing', request.service);
}

/**
 * A presigned URL is honoured only when complete and within its lifetime: `X-Amz-Date` (a real
 * date and time, not to come) plus `X-Amz-Expires` seconds, at most a week, as S3 honours it.
 */
function presignedSignature(query: Record<string, string>, now: Date): SigV4Signature {
  if (PRESIGNED_PARAMETERS.some((name) => !query[name])) {
    throw new S3Error('AuthorizationQueryParametersError', `Query-string authentication version 4 requires the ${PRESIGNED_PARAMETERS.slice(0, -1).join(', ')}, and X-Amz-Expires parameters.`, 400);
  }
  if (query['X-Amz-Algorithm'] !== SIGV4_ALGORITHM) throw new S3Error('AuthorizationQueryParametersError', `X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`, 400);
  const lifetime = query['X-Amz-Expires'];
  if (!/^\d+$/.test(lifetime)) throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires should be a number', 400);
  if (Number(lifetime) > MAX_PRESIGNED_SECONDS) throw new S3Error('AuthorizationQueryParametersError', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`, 400);
  const signedAt = amzDateTime(query['X-Amz-Date']);
  if (signedAt === undefined) throw new S3Error('AuthorizationQueryParametersError', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`, 400);
  if (signedAt.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) throw new S3Error('AccessDenied', 'Request is not valid yet', 403);
  const expires = new Date(signedAt.getTime() + Number(lifetime) * 1000);
  if (now > expires) throw new S3Error('AccessDenied', 'Request has expired', 403, { 'X-Amz-Expires': lifetime, Expires: isoSeconds(expires), ServerTime: isoSeconds(now) });
  return querySignature(query);
}

function presignedV2Signature(query: Record<string, string>, now: Date): SigV2QuerySignature {
  if (SIGV2_QUERY_PARAMETERS.some((name) => !query[name])) throw new S3Error('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters', 403);
  if (!/^\d+$/.test(query.Expires)) throw new S3Error('AccessDenied', 'Invalid date (should be seconds since epoch): ' + query.Expires, 403);
  const expires = new Date(Number(query.Expires) * 1000);
  if (now > expires) throw new S3Error('AccessDenied', 'Request has expired', 403, { Expires: isoSeconds(expires), ServerTime: isoSeconds(now) });
  return sigV2QuerySignature(query);
}

/**
 * With `--credentials`: the signature must be by that key, of this very request (method, path,
 * query, signed headers and, for services other than S3, the body), made within 15 minutes of
 * now. S3 signs the payload hash it declares in `x-amz-content-sha256`, so that an upload can
 * be checked before its body is read.
 */
export function verifySignature(signature: RequestSignature, request: LocalRequest, wire: SignedRequest, credentials: LocalCredentials, now: Date): void {
  if (signature.accessKeyId !== credentials.accessKeyId) throw refusal('unknownKey', request.service);
  if (signature.via === 'sigv2-query') {
    if (!sigV2Matches(signature, wire, credentials.secretAccessKey)) throw refusal('badSignature', request.service);
    return;
  }
  const signedAt = signature.amzDate === undefined ? undefined : amzDateTime(signature.amzDate);
  if (signedAt === undefined) {
    if (request.service === 's3') throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403);
    throw refusal('malformed', request.service, 'the request has no valid X-Amz-Date');
  }
  if (signature.via === 'header' && Math.abs(signedAt.getTime() - now.getTime()) > MAX_CLOCK_SKEW_MS) throw refusal('skewed', request.service);
  if (!signatureMatches(signature, wire, payloadHash(signature, request), credentials.secretAccessKey)) throw refusal('badSignature', request.service);
}

function payloadHash(signature: SigV4Signature, request: LocalRequest): string {
  if (signature.via === 'query') return request.query['X-Amz-Content-Sha256'] ?? 'UNSIGNED-PAYLOAD';
  const declared = request.headers['x-amz-content-sha256'];
  if (declared !== undefined) return declared;
  if (request.service === 's3') throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  return sha256Hex(request.body);
}

/** `yyyyMMdd'T'HHmmss'Z'` as a Date, or undefined when it is not a real date and time. */
function amzDateTime(text: string): Date | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!parts) return undefined;
  const [year, month, day, hours, minutes, seconds] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  // Date.UTC rolls month 13 or day 32 over into the next year or month; a real date comes back as given.
  return isoSeconds(date) === `${parts[1]}-${parts[2]}-${parts[3]}T${parts[4]}:${parts[5]}:${parts[6]}Z` ? date : undefined;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
