import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { bodyDigest } from './checksum.ts';

/** Objects read or copied at once. */
export const OBJECT_CONCURRENCY = 16;

export interface ListedObject {
  key: string;
  size: number;
}

/** Every current object under `prefix` (every page of the listing). */
export async function listObjects(s3: S3Client, bucket: string, prefix = ''): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    for (const o of page.Contents ?? []) objects.push({ key: o.Key!, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

export interface ReadObject {
  key: string;
  bodySha256: string;
  size: number;
  /** The version read (versioned buckets), so that a copy takes exactly the bytes hashed. */
  versionId?: string;
  etag?: string;
}

/** Reads an object and hashes its body. */
export async function readObject(s3: S3Client, bucket: string, key: string): Promise<ReadObject> {
  const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = (await reply.Body?.transformToByteArray()) ?? new Uint8Array();
  return { key, bodySha256: bodyDigest(body), size: body.byteLength, versionId: reply.VersionId, etag: reply.ETag };
}

/**
 * Copies an object: the version given (as read), or else the current one while its ETag is still
 * the one given, so that a backup never holds other bytes than those it hashed.
 */
export async function copyObject(s3: S3Client, from: { bucket: string; key: string; versionId?: string; etag?: string }, to: { bucket: string; key: string }): Promise<void> {
  const versioned = from.versionId !== undefined && from.versionId !== 'null';
  const source = `${from.bucket}/${encodeKey(from.key)}${versioned ? `?versionId=${encodeURIComponent(from.versionId!)}` : ''}`;
  await s3.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source, CopySourceIfMatch: versioned ? undefined : from.etag }));
}

// CopySource is a URL path: each key segment encoded, slashes kept.
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');
