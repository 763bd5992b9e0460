import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { EngineError } from './api.ts';

/**
 * The bucket and key of an S3 object URL in any form CloudFormation accepts:
 * virtual-hosted (`https://bucket.s3.amazonaws.com/key`, `https://bucket.s3.REGION.amazonaws.com/key`,
 * `https://bucket.s3-REGION.amazonaws.com/key`) and path style (`https://s3.amazonaws.com/bucket/key`,
 * `https://s3.REGION.amazonaws.com/bucket/key`, `https://s3-REGION.amazonaws.com/bucket/key`),
 * plus `s3://bucket/key`.
 */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const s3Scheme = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (s3Scheme) return { bucket: s3Scheme[1], key: s3Scheme[2] };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname;
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const service = /^(?:(.+)\.)?s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (!service) return undefined;
  if (service[1] !== undefined) return path ? { bucket: service[1], key: path } : undefined;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** A template's text read from S3 through the S3 client, as CloudFormation reads TemplateURL. */
export async function readTemplateUrl(url: string, s3: S3Client): Promise<string> {
  const location = parseS3Url(url);
  if (!location) throw new EngineError('ValidationError', `TemplateURL must be a supported URL.`);
  try {
    const reply = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return (await reply.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('ValidationError', `S3 error: Access Denied or not found: unable to read ${url} (${(error as Error).name ?? 'Error'})`);
  }
}
