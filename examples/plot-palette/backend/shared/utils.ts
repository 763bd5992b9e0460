/** Small helpers the Lambda functions and workers share. */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** A new job id: a random (version 4) UUID. */
export function generateJobId(): string {
  return randomUUID();
}

/**
 * The value at a dotted path (`author.biography`, `chapters.0.title`) in a seed record, or
 * undefined if any step is missing. Only the record's own fields are followed, so a path
 * such as `constructor.name` finds nothing rather than JavaScript internals.
 */
export function getNestedField(data: unknown, path: string): unknown {
  if (path === '' || path.split('.').includes('')) throw new RangeError(`"${path}" is not a field path; write it as dotted names, such as author.biography`);
  let value = data;
  for (const name of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/**
 * An ETag as S3 reports it, without its quotes or weak-validator prefix: `"9b2cf5..."` and
 * `W/"9b2cf5..."` become `9b2cf5...`. A multipart ETag keeps its part count (`...-3`).
 */
export function parseEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** SigV4 caps a presigned URL's life at seven days. */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
let defaultS3: S3Client | undefined;

/**
 * A URL through which anyone holding it can GET `bucket`/`key` for `expiresIn` seconds,
 * signed by the SDK's presigner with the client's credentials (by default, the function's
 * or task's own role).
 */
export async function createPresignedUrl(bucket: string, key: string, expiresIn = 3600, client: S3Client = (defaultS3 ??= new S3Client({}))): Promise<string> {
  if (!bucket || !key) throw new RangeError('a presigned URL needs both a bucket and a key');
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGNED_SECONDS) {
    throw new RangeError(`expiresIn must be a whole number of seconds from 1 to ${MAX_PRESIGNED_SECONDS} (seven days), got ${expiresIn}`);
  }
  return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}
