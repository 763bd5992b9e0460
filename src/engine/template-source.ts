import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TEMPLATE_BODY_LIMIT_BYTES, TEMPLATE_URL_LIMIT_BYTES } from '../template/limits.ts';
import { EngineError } from './api.ts';

const validation = (message: string) => new EngineError('ValidationError', message);
const urlTemplateTooLarge = () => validation(`Template may not exceed ${TEMPLATE_URL_LIMIT_BYTES} bytes in size.`);

/**
 * The template of a call that takes TemplateBody or TemplateURL, with CloudFormation's limits:
 * 51,200 bytes for a body (checked by the API before anything else), 1 MB from S3.
 */
export async function templateText(input: { TemplateBody?: string; TemplateURL?: string }, s3: S3Client): Promise<string> {
  if (input.TemplateBody !== undefined && input.TemplateURL !== undefined) throw validation('Specify either TemplateBody or TemplateURL, not both.');
  if (input.TemplateBody !== undefined) {
    if (Buffer.byteLength(input.TemplateBody, 'utf8') > TEMPLATE_BODY_LIMIT_BYTES) {
      throw validation(`1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${TEMPLATE_BODY_LIMIT_BYTES}`);
    }
    return input.TemplateBody;
  }
  if (input.TemplateURL !== undefined) return readTemplateUrl(input.TemplateURL, s3);
  throw validation('Either Template URL or Template Body must be specified.');
}

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
  // CloudFormation reads templates over https only: an s3:// URL's "domain" is its bucket.
  const s3Scheme = /^s3:\/\/([^/]*)/.exec(url);
  if (s3Scheme) throw validation(`S3 error: Domain name specified in ${s3Scheme[1]} is not a valid S3 domain`);
  const location = parseS3Url(url);
  if (!location) throw new EngineError('ValidationError', `TemplateURL must be a supported URL.`);
  try {
    const reply = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    // An object over the limit is refused before its body is read.
    if ((reply.ContentLength ?? 0) > TEMPLATE_URL_LIMIT_BYTES) {
      (reply.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw urlTemplateTooLarge();
    }
    const text = (await reply.Body?.transformToString('utf8')) ?? '';
    if (Buffer.byteLength(text, 'utf8') > TEMPLATE_URL_LIMIT_BYTES) throw urlTemplateTooLarge();
    return text;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('ValidationError', `S3 error: Access Denied or not found: unable to read ${url} (${(error as Error).name ?? 'Error'})`);
  }
}
