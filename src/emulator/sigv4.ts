import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The one signing algorithm AWS accepts today. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** The query parameters of a presigned (query-string-signed) SigV4 request, all required. */
export const PRESIGNED_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'] as const;

/** Who signed a request, for what, and the signature to check: from its Authorization header or its presigned query. */
export interface SigV4Signature {
  via: 'header' | 'query';
  accessKeyId: string;
  /** `yyyyMMdd`, the day of the signing key. */
  scopeDate: string;
  region: string;
  service: string;
  /** Lower-case names, in the order signed. */
  signedHeaders: string[];
  /** Hex. */
  signature: string;
  /** `X-Amz-Date` as sent (`yyyyMMdd'T'HHmmss'Z'`), from the header (or the query, presigned). */
  amzDate: string | undefined;
}

/** The parts of a request as it came off the wire that its signature covers. */
export interface SignedRequest {
  method: string;
  /** The path as sent, percent-encoded. */
  rawPath: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  /** Lower-case names. */
  headers: Record<string, string>;
}

// `Credential=AKID/20240101/us-east-1/s3/aws4_request`
const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

/** A malformed signature (a part missing or unreadable): what is wrong, in words. */
export class MalformedSignature extends Error {}

/** Reads an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header. */
export function headerSignature(authorization: string, amzDate: string | undefined): SigV4Signature {
  const fields: Record<string, string> = {};
  for (const part of authorization.slice(SIGV4_ALGORITHM.length).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields[part.slice(0, equals).trim()] = part.slice(equals + 1).trim();
  }
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields[name]) throw new MalformedSignature(`Authorization header requires '${name}' parameter.`);
  }
  return { via: 'header', ...credentialScope(fields.Credential), signedHeaders: fields.SignedHeaders.split(';'), signature: fields.Signature, amzDate };
}

/** Reads the SigV4 parameters of a presigned query (all of PRESIGNED_PARAMETERS are there). */
export function querySignature(query: Record<string, string>): SigV4Signature {
  return {
    via: 'query',
    ...credentialScope(query['X-Amz-Credential']),
    signedHeaders: query['X-Amz-SignedHeaders'].split(';'),
    signature: query['X-Amz-Signature'],
    amzDate: query['X-Amz-Date'],
  };
}

function credentialScope(credential: string): Pick<SigV4Signature, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> {
  const match = CREDENTIAL.exec(credential);
  if (!match) throw new MalformedSignature(`Credential should be scoped to a valid date, region and service: ${credential}`);
  return { accessKeyId: match[1], scopeDate: match[2], region: match[3], service: match[4] };
}

/**
 * Whether `signature` is the one `secretAccessKey` makes for this request, computed as every
 * SigV4 signer does: the canonical request (S3 paths as sent, other services' paths encoded
 * once more), hashed into the string to sign, signed with the key derived for the scope.
 */
export function signatureMatches(signature: SigV4Signature, request: SignedRequest, payloadHash: string, secretAccessKey: string): boolean {
  const canonical = [
    request.method,
    canonicalPath(request.rawPath, signature.service),
    canonicalQuery(request.rawQuery, signature.via === 'query'),
    ...signature.signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    signature.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${signature.scopeDate}/${signature.region}/${signature.service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, signature.amzDate ?? '', scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, signature.scopeDate);
  for (const part of [signature.region, signature.service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const given = Buffer.from(signature.signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

// S3 signs its paths as sent; the other services sign them normalized and encoded once more.
function canonicalPath(rawPath: string, service: string): string {
  if (service === 's3') return rawPath || '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized).replace(/%2F/g, '/');
}

// Every parameter decoded, then encoded the one way SigV4 encodes, sorted by name then value.
function canonicalQuery(rawQuery: string, presigned: boolean): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const [name, value] = equals < 0 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)];
    const decodedName = uriDecode(name);
    if (presigned && decodedName === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(decodedName), uriEncode(uriDecode(value))]);
  }
  pairs.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 3986 encoding: everything but unreserved characters. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function uriDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Not URL-encoding: signed as it is, so it will not match.
    return text;
  }
}
