import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignedRequest } from './sigv4.ts';

/**
 * S3's legacy query-string authentication (`?AWSAccessKeyId=...&Expires=...&Signature=...`),
 * which S3 still honours in us-east-1 and `aws s3 presign` (aws CLI v1) still makes.
 */
export interface SigV2QuerySignature {
  via: 'sigv2-query';
  accessKeyId: string;
  /** Seconds since the epoch, as sent. */
  expires: string;
  /** Base64. */
  signature: string;
}

export const SIGV2_QUERY_PARAMETERS: readonly string[] = ['AWSAccessKeyId', 'Signature', 'Expires'];

// The query parameters the signature covers (as botocore's HmacV1 signer lists them); others are not signed.
const SIGNED_SUBRESOURCES = new Set([
  'accelerate', 'acl', 'cors', 'defaultObjectAcl', 'location', 'logging', 'partNumber', 'policy', 'requestPayment', 'torrent', 'versioning', 'versionId', 'versions',
  'website', 'uploads', 'uploadId', 'response-content-type', 'response-content-language', 'response-expires', 'response-cache-control', 'response-content-disposition',
  'response-content-encoding', 'delete', 'lifecycle', 'tagging', 'restore', 'storageClass', 'notification', 'replication', 'analytics', 'metrics', 'inventory', 'select',
  'select-type', 'object-lock',
]);

export function sigV2QuerySignature(query: Record<string, string>): SigV2QuerySignature {
  return { via: 'sigv2-query', accessKeyId: query.AWSAccessKeyId, expires: query.Expires, signature: query.Signature };
}

/** Whether the signature is the one `secretAccessKey` makes for this (path-style) request: HMAC-SHA1 of S3's string to sign. */
export function sigV2Matches(signature: SigV2QuerySignature, request: SignedRequest, secretAccessKey: string): boolean {
  const amzHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith('x-amz-'))
    .sort()
    .map((name) => `${name}:${request.headers[name].trim()}\n`)
    .join('');
  const stringToSign = `${request.method}\n${request.headers['content-md5'] ?? ''}\n${request.headers['content-type'] ?? ''}\n${signature.expires}\n${amzHeaders}${canonicalResource(request)}`;
  const expected = createHmac('sha1', secretAccessKey).update(stringToSign).digest();
  const given = Buffer.from(signature.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function canonicalResource(request: SignedRequest): string {
  const subresources = request.rawQuery
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      return equals < 0 ? [part] : [part.slice(0, equals), decode(part.slice(equals + 1))];
    })
    .filter(([name]) => SIGNED_SUBRESOURCES.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map((pair) => pair.join('='));
  return subresources.length > 0 ? `${request.rawPath}?${subresources.join('&')}` : request.rawPath;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
