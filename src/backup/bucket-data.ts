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
 * Copies the version of an object that was read (by version id, or else only while its ETag is
 * still the one read: a copy never holds other bytes than those hashed).
 */
export async function copyObject(s3: S3Client, from: { bucket: string; object: ReadObject }, to: { bucket: string; key: string }): Promise<void> {
  const { object } = from;
  const source = `${from.bucket}/${encodeKey(object.key)}${object.versionId && object.versionId !== 'null' ? `?versionId=${encodeURIComponent(object.versionId)}` : ''}`;
  await s3.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source, CopySourceIfMatch: object.versionId ? undefined : object.etag }));
}

// CopySource is a URL path: each key segment encoded, slashes kept.
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');
