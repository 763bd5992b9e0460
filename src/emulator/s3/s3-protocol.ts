import { ServiceError, newRequestId, xmlReply, type LocalReply, type LocalRequest } from '../wire.ts';
import { escapeXml } from '../xml.ts';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The one local account's canonical owner, as listings show it. */
export const OWNER = '<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>stackpilot-local</DisplayName></Owner>';

/** An S3 request with its bucket and key found (from the path or a virtual host). */
export interface S3Request {
  request: LocalRequest;
  bucket: string;
  key: string;
}

/** An S3 error: Code, Message and the extra elements S3 adds (BucketName, Key...). */
export class S3Error extends ServiceError {
  /** Headers the error reply carries (a delete marker's `x-amz-delete-marker`...). */
  replyHeaders: Record<string, string> = {};

  constructor(
    code: string,
    message: string,
    status: number,
    readonly details: Record<string, string> = {},
  ) {
    super(code, message, status);
  }

  withHeaders(headers: Record<string, string>): this {
    this.replyHeaders = { ...this.replyHeaders, ...headers };
    return this;
  }
}

export const noSuchBucket = (bucket: string) => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
export const malformedXml = () => new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
export const noSuchKey = (key: string) => new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
export const noSuchVersion = (key: string, versionId: string) =>
  new S3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
export const notImplemented = (what: string) => new S3Error('NotImplemented', `${what} is not implemented by the local S3 emulator`, 501);

export function s3ErrorReply(error: ServiceError, resource: string): LocalReply {
  const requestId = newRequestId();
  const details = error instanceof S3Error ? Object.entries(error.details).map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('') : '';
  return xmlReply(
    error.status,
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${details}<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`,
    { ...s3Headers(requestId), ...(error instanceof S3Error ? error.replyHeaders : {}) },
  );
}

export function s3Headers(requestId = newRequestId()): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') };
}

/** A 200 reply with an S3 XML document whose root carries S3's namespace. */
export function s3XmlReply(root: string, inner: string, headers: Record<string, string> = {}): LocalReply {
  return xmlReply(200, `<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`, { ...s3Headers(), ...headers });
}

/** A stored document returned as is (configurations are kept as the XML that was PUT). */
export function s3DocumentReply(document: string): LocalReply {
  const isJson = document.trimStart().startsWith('{');
  return {
    status: 200,
    headers: { 'content-type': isJson ? 'application/json' : 'application/xml', ...s3Headers() },
    body: isJson || document.startsWith('<?xml') ? document : `<?xml version="1.0" encoding="UTF-8"?>\n${document}`,
  };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): LocalReply {
  return { status, headers: { ...s3Headers(), ...headers }, body: '' };
}

/** S3 timestamps in XML: ISO 8601 with milliseconds. */
export function isoDate(date: string | Date): string {
  return new Date(date).toISOString();
}

/** Percent-encodes a listed key when the client asked for `encoding-type=url` (the aws CLI always does). */
export function listedName(value: string, encodingType: string | undefined): string {
  return encodingType === 'url' ? encodeURIComponent(value).replace(/%2F/g, '/') : value;
}
