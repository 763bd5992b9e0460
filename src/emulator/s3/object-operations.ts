import { createHash, type Hash } from 'node:crypto';
import type { LocalReply, LocalRequest } from '../wire.ts';
import { childElements, childText, escapeXml, parseXml, xmlText } from '../xml.ts';
import { decodeAwsChunked, isAwsChunked, storedContentEncoding } from './aws-chunked.ts';
import type { BucketOperations } from './bucket-operations.ts';
import { S3Error, emptyReply, isoDate, noSuchKey, noSuchVersion, notImplemented, s3Headers, s3XmlReply, type S3Request } from './s3-protocol.ts';
import { newVersionId, type BucketRecord, type ObjectVersion, type S3Store } from './s3-store.ts';

const STORED_HEADERS = ['content-type', 'cache-control', 'content-disposition', 'content-language', 'expires', 'x-amz-storage-class', 'x-amz-server-side-encryption', 'x-amz-website-redirect-location'];
// Presigned GETs may override the reply's headers through these query parameters.
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

interface DeleteOutcome {
  versionId?: string;
  deleteMarker: boolean;
}

/** S3's limit for one PUT. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;

/** PutObject: the one S3 request whose body is an object's content, of any size: it is streamed to the store, never held. */
export function isPutObject({ request, key }: S3Request): boolean {
  return request.method === 'PUT' && key !== '' && !request.headers['x-amz-copy-source'] && !['uploads', 'uploadId', 'tagging'].some((name) => name in request.query);
}

export class ObjectOperations {
  constructor(
    private readonly store: S3Store,
    private readonly buckets: BucketOperations,
    private readonly maxObjectBytes: number,
  ) {}

  async handle(s3: S3Request): Promise<LocalReply | undefined> {
    const { request } = s3;
    const bucket = this.buckets.requireBucket(s3.bucket);
    if (isPutObject(s3)) return this.putObject(bucket, s3.key, request);
    if ('uploads' in request.query || 'uploadId' in request.query) throw notImplemented('Multipart upload');
    if ('tagging' in request.query) return this.tagging(bucket, s3.key, request);
    switch (request.method) {
      case 'PUT':
        return this.copyObject(bucket, s3.key, request);
      case 'GET':
      case 'HEAD':
        return this.getObject(bucket, s3.key, request);
      case 'DELETE': {
        const outcome = this.deleteObject(bucket, s3.key, request.query.versionId);
        return emptyReply(204, deleteHeaders(outcome));
      }
      default:
        return undefined;
    }
  }

  /** POST ?delete: many keys (and versions) at once, each reported. */
  deleteObjects(bucketName: string, request: LocalRequest): LocalReply {
    const bucket = this.buckets.requireBucket(bucketName);
    const document = parseXml(request.body.toString('utf8'));
    const quiet = childText(document, 'Quiet') === 'true';
    const results = childElements(document, 'Object').map((object) => {
      const key = childText(object, 'Key') ?? '';
      const versionId = childText(object, 'VersionId');
      const outcome = this.deleteObject(bucket, key, versionId);
      if (quiet) return '';
      const markerId = outcome.deleteMarker && versionId === undefined ? xmlText('DeleteMarkerVersionId', outcome.versionId) : '';
      return `<Deleted>${xmlText('Key', key)}${xmlText('VersionId', versionId)}${outcome.deleteMarker ? '<DeleteMarker>true</DeleteMarker>' : ''}${markerId}</Deleted>`;
    });
    return s3XmlReply('DeleteResult', results.join(''));
  }

  /**
   * The body is staged as it arrives (decoded from aws-chunked, hashed, counted against S3's
   * limit), then added as the new version: a body refused on the way leaves nothing.
   */
  private async putObject(bucket: BucketRecord, key: string, request: LocalRequest): Promise<LocalReply> {
    const chunked = isAwsChunked(request.headers);
    const declared = chunked ? request.headers['x-amz-decoded-content-length'] : request.headers['content-length'];
    if (declared !== undefined && Number(declared) > this.maxObjectBytes) throw entityTooLarge(Number(declared), this.maxObjectBytes);
    const received = request.bodyStream ?? [request.body];
    const md5 = createHash('md5');
    const staged = await this.store.stageBody(bucket.name, measured(chunked ? decodeAwsChunked(received) : received, md5, this.maxObjectBytes));
    try {
      if (chunked && declared !== undefined && Number(declared) !== staged.size) {
        throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);
      }
      const contentMd5 = request.headers['content-md5'];
      if (contentMd5 && contentMd5 !== md5.copy().digest('base64')) throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
      // The bucket may have gone while the body came.
      const current = this.buckets.requireBucket(bucket.name);
      const version = this.newVersion(current, key, staged.size, `"${md5.digest('hex')}"`, objectHeaders(request.headers), userMetadata(request.headers));
      const tagging = request.headers['x-amz-tagging'];
      if (tagging) version.tags = [...new URLSearchParams(tagging)].map(([Key, Value]) => ({ Key, Value }));
      this.store.addVersion(current.name, version, staged);
      return emptyReply(200, { etag: version.etag, ...versionHeader(current, version), 'x-amz-server-side-encryption': version.headers['x-amz-server-side-encryption'] ?? 'AES256', ...echoedChecksums(request.headers) });
    } catch (error) {
      this.store.discardStaged(staged);
      throw error;
    }
  }

  private copyObject(bucket: BucketRecord, key: string, request: LocalRequest): LocalReply {
    const { sourceBucket, sourceKey, sourceVersionId } = parseCopySource(request.headers['x-amz-copy-source']);
    this.buckets.requireBucket(sourceBucket);
    const source = this.store.version(sourceBucket, sourceKey, sourceVersionId);
    if (!source || (source.deleteMarker && sourceVersionId === undefined)) throw sourceVersionId ? noSuchVersion(sourceKey, sourceVersionId) : noSuchKey(sourceKey);
    if (source.deleteMarker) throw new S3Error('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.', 400);
    // A copy of the version the caller read, or none (backups copy exactly the bytes they hashed).
    const ifMatch = request.headers['x-amz-copy-source-if-match'];
    if (ifMatch && !ifMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim() === source.etag || `"${tag.trim()}"` === source.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
    const replace = request.headers['x-amz-metadata-directive'] === 'REPLACE';
    if (sourceBucket === bucket.name && sourceKey === key && !replace && sourceVersionId === undefined && !request.headers['x-amz-storage-class']) {
      throw new S3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.", 400);
    }
    const headers = replace ? objectHeaders(request.headers) : { ...source.headers };
    const metadata = replace ? userMetadata(request.headers) : { ...source.metadata };
    const version = this.newVersion(bucket, key, source.size, source.etag, headers, metadata);
    version.tags = request.headers['x-amz-tagging-directive'] === 'REPLACE' ? [...new URLSearchParams(request.headers['x-amz-tagging'] ?? '')].map(([Key, Value]) => ({ Key, Value })) : source.tags;
    this.store.addVersion(bucket.name, version, this.store.readBody(sourceBucket, source));
    const sourceVersionHeader: Record<string, string> = source.versionId !== 'null' ? { 'x-amz-copy-source-version-id': source.versionId } : {};
    return s3XmlReply('CopyObjectResult', `<LastModified>${isoDate(version.lastModified)}</LastModified><ETag>${escapeXml(version.etag)}</ETag>`, {
      ...versionHeader(bucket, version),
      ...sourceVersionHeader,
    });
  }

  private getObject(bucket: BucketRecord, key: string, request: LocalRequest): LocalReply {
    const versionId = request.query.versionId;
    const version = this.store.version(bucket.name, key, versionId);
    if (!version) throw versionId ? noSuchVersion(key, versionId) : noSuchKey(key);
    if (version.deleteMarker) {
      const markerHeaders = { 'x-amz-delete-marker': 'true', ...versionHeader(bucket, version) };
      if (versionId) throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: request.method, ResourceType: 'DeleteMarker' }).withHeaders(markerHeaders);
      throw noSuchKey(key).withHeaders(markerHeaders);
    }
    const headers: Record<string, string> = {
      ...s3Headers(),
      'content-type': 'binary/octet-stream',
      ...version.headers,
      etag: version.etag,
      'last-modified': new Date(version.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
      ...versionHeader(bucket, version),
    };
    headers['x-amz-server-side-encryption'] ??= 'AES256';
    for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
    if (version.tags?.length) headers['x-amz-tagging-count'] = String(version.tags.length);
    for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) if (request.query[parameter] !== undefined) headers[header] = request.query[parameter];
    if (isNotModified(request.headers, version)) return { status: 304, headers, body: '' };
    const range = request.headers.range ? parseRange(request.headers.range, version.size) : undefined;
    // Sent as it is read from the store: an object is never held whole.
    const body = (selected?: [number, number]) => (request.method === 'HEAD' ? {} : { bodyStream: this.store.openBody(bucket.name, version, selected) });
    if (!range) return { status: 200, headers: { ...headers, 'content-length': String(version.size) }, body: '', ...body() };
    const [start, end] = range;
    return { status: 206, headers: { ...headers, 'content-range': `bytes ${start}-${end}/${version.size}`, 'content-length': String(end - start + 1) }, body: '', ...body(range) };
  }

  private deleteObject(bucket: BucketRecord, key: string, versionId: string | undefined): DeleteOutcome {
    if (versionId !== undefined) {
      const removed = this.store.removeVersion(bucket.name, key, versionId);
      return { versionId, deleteMarker: removed?.deleteMarker === true };
    }
    if (!bucket.versioning) {
      this.store.removeVersion(bucket.name, key, 'null');
      return { deleteMarker: false };
    }
    const marker = this.newVersion(bucket, key, 0, '', {}, {});
    marker.deleteMarker = true;
    this.store.addVersion(bucket.name, marker, undefined);
    return { versionId: marker.versionId, deleteMarker: true };
  }

  private tagging(bucket: BucketRecord, key: string, request: LocalRequest): LocalReply | undefined {
    const version = this.store.version(bucket.name, key, request.query.versionId);
    if (!version || version.deleteMarker) throw noSuchKey(key);
    const versionHeaders = versionHeader(bucket, version);
    switch (request.method) {
      case 'GET': {
        const tags = (version.tags ?? []).map((t) => `<Tag>${xmlText('Key', t.Key)}${xmlText('Value', t.Value)}</Tag>`).join('');
        return s3XmlReply('Tagging', `<TagSet>${tags}</TagSet>`, versionHeaders);
      }
      case 'PUT': {
        const tagSet = childElements(parseXml(request.body.toString('utf8')), 'TagSet')[0];
        version.tags = tagSet ? childElements(tagSet, 'Tag').map((t) => ({ Key: childText(t, 'Key') ?? '', Value: childText(t, 'Value') ?? '' })) : [];
        this.store.updateVersion(bucket.name, version);
        return emptyReply(200, versionHeaders);
      }
      case 'DELETE':
        version.tags = [];
        this.store.updateVersion(bucket.name, version);
        return emptyReply(204, versionHeaders);
      default:
        return undefined;
    }
  }

  private newVersion(bucket: BucketRecord, key: string, size: number, etag: string, headers: Record<string, string>, metadata: Record<string, string>): ObjectVersion {
    const versionId = bucket.versioning === 'Enabled' ? newVersionId() : 'null';
    return { key, versionId, etag, size, lastModified: new Date().toISOString(), headers, metadata };
  }
}

function entityTooLarge(size: number, limit: number): S3Error {
  return new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: String(size), MaxSizeAllowed: String(limit) });
}

/** The object's bytes as they pass, hashed and counted: refused once past S3's limit, before they reach the disk. */
async function* measured(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, md5: Hash, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > limit) throw entityTooLarge(size, limit);
    md5.update(chunk);
    yield chunk;
  }
}

function objectHeaders(headers: Record<string, string>): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) if (headers[name] !== undefined) stored[name] = headers[name];
  const encoding = storedContentEncoding(headers);
  if (encoding) stored['content-encoding'] = encoding;
  return stored;
}

function userMetadata(headers: Record<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  return metadata;
}

// The integrity checksums the client sent come back on the reply, as S3 does.
function echoedChecksums(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/.test(name)));
}

function versionHeader(bucket: BucketRecord, version: ObjectVersion): Record<string, string> {
  return bucket.versioning || version.versionId !== 'null' ? { 'x-amz-version-id': version.versionId } : {};
}

function deleteHeaders(outcome: DeleteOutcome): Record<string, string> {
  const headers: Record<string, string> = {};
  if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (outcome.versionId) headers['x-amz-version-id'] = outcome.versionId;
  return headers;
}

/** `x-amz-copy-source: [/]bucket/key[?versionId=...]`, URL-encoded. */
function parseCopySource(header: string): { sourceBucket: string; sourceKey: string; sourceVersionId?: string } {
  const [path, query] = header.split('?', 2);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).replace(/^\//, '');
  } catch {
    throw new S3Error('InvalidArgument', 'Invalid copy source encoding', 400, { ArgumentName: 'x-amz-copy-source', ArgumentValue: header });
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0) throw new S3Error('InvalidArgument', 'Invalid copy source object key', 400);
  const versionId = query ? (new URLSearchParams(query).get('versionId') ?? undefined) : undefined;
  return { sourceBucket: decoded.slice(0, slash), sourceKey: decoded.slice(slash + 1), sourceVersionId: versionId };
}

/** The inclusive byte range a `Range: bytes=...` header selects; undefined when it selects the whole object. */
function parseRange(header: string, size: number): [number, number] | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: header, ActualObjectSize: String(size) });
  }
  return [start, end];
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
}

/** 304 when a conditional GET finds the client's copy current; PreconditionFailed when a condition fails. */
function isNotModified(headers: Record<string, string>, version: ObjectVersion): boolean {
  const matches = (list: string) => list.split(',').some((tag) => tag.trim() === '*' || tag.trim() === version.etag || `"${tag.trim()}"` === version.etag);
  const modified = Date.parse(version.lastModified);
  if (headers['if-match'] && !matches(headers['if-match'])) throw preconditionFailed('If-Match');
  if (headers['if-unmodified-since'] && modified > Date.parse(headers['if-unmodified-since']) + 999) throw preconditionFailed('If-Unmodified-Since');
  if (headers['if-none-match']) return matches(headers['if-none-match']);
  return headers['if-modified-since'] !== undefined && modified <= Date.parse(headers['if-modified-since']) + 999;
}
