import { join } from 'node:path';
import { BodyTooLarge, MAX_BUFFERED_BODY_BYTES, declaredLength, readBoundedBody } from '../request-body.ts';
import { SIGV2_QUERY_PARAMETERS } from '../sigv2.ts';
import { ServiceError, type LocalReply, type LocalRequest, type ServiceEmulator } from '../wire.ts';
import { BucketOperations } from './bucket-operations.ts';
import { corsForbidden, corsHeaders, corsRules, matchingCorsRule, preflightQuestion, type CorsQuestion } from './cors.ts';
import { ObjectListing } from './object-listing.ts';
import { MAX_OBJECT_BYTES, ObjectOperations, isPutObject } from './object-operations.ts';
import { S3Error, emptyReply, notImplemented, s3ErrorReply, type S3Request } from './s3-protocol.ts';
import { S3Store } from './s3-store.ts';

/**
 * S3 over its REST protocol, path-style (`/bucket/key`) and virtual-host-style
 * (`bucket.<endpoint host>/key`). Buckets are account-wide, as in AWS; each remembers its region.
 */
export class S3Emulator implements ServiceEmulator {
  private readonly buckets: BucketOperations;
  private readonly objects: ObjectOperations;
  private readonly listing: ObjectListing;
  private readonly store: S3Store;

  constructor(
    dataDir: string | undefined,
    /** Host names whose subdomains are bucket names (virtual-host-style requests). */
    private readonly virtualHostSuffixes: string[],
    /** The largest object one PUT may upload: S3's 5 GiB unless told otherwise. */
    maxObjectBytes = MAX_OBJECT_BYTES,
  ) {
    this.store = new S3Store(dataDir && join(dataDir, 's3'));
    this.buckets = new BucketOperations(this.store);
    this.objects = new ObjectOperations(this.store, this.buckets, maxObjectBytes);
    this.listing = new ObjectListing(this.store);
  }

  async handle(request: LocalRequest): Promise<LocalReply> {
    const s3 = this.locate(request);
    let reply: LocalReply;
    try {
      if (request.method === 'OPTIONS') return this.preflight(s3);
      // Only an object's content is streamed; the documents other PUTs send are read whole.
      if (request.bodyStream && !isPutObject(s3)) s3.request = { ...s3.request, body: await readDocumentBody(request.bodyStream, request.headers), bodyStream: undefined };
      const routed = await this.route(s3);
      if (!routed) throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: request.method });
      reply = routed;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      reply = s3ErrorReply(error, `/${s3.bucket}${s3.key ? `/${s3.key}` : ''}`);
    }
    // A browser request a CORS rule allows is told so, whatever the answer, as S3 tells it.
    const origin = request.headers.origin;
    const question = origin === undefined ? undefined : { origin, method: request.method, headers: [] };
    const rule = question && this.corsRule(s3.bucket, question);
    return rule && question ? { ...reply, headers: { ...reply.headers, ...corsHeaders(rule, question) } } : reply;
  }

  /** Whether the CORS configuration of the bucket a browser request is for allows it: its origin and method. */
  /** Resolves once the folders of deleted buckets are removed. */
  settled(): Promise<void> {
    return this.store.settled();
  }

  allowsCrossOrigin(request: LocalRequest): boolean {
    const origin = request.headers.origin;
    return origin !== undefined && this.corsRule(this.locate(request).bucket, { origin, method: request.method, headers: [] }) !== undefined;
  }

  /** A CORS preflight (`OPTIONS`), answered by the bucket's CORS configuration; it needs no signature. */
  private preflight({ request, bucket, key }: S3Request): LocalReply {
    const question = preflightQuestion(request.headers);
    const record = bucket ? this.store.bucket(bucket) : undefined;
    if (!record) throw corsForbidden('Bucket not found', question.method, key !== '');
    const rules = corsRules(record.configurations.cors);
    if (rules.length === 0) throw corsForbidden('CORS is not enabled for this bucket.', question.method, key !== '');
    const rule = matchingCorsRule(rules, question);
    if (!rule) {
      throw corsForbidden(
        "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        question.method,
        key !== '',
      );
    }
    return emptyReply(200, corsHeaders(rule, question));
  }

  private corsRule(bucket: string, question: CorsQuestion) {
    const document = bucket ? this.store.bucket(bucket)?.configurations.cors : undefined;
    return matchingCorsRule(corsRules(document), question);
  }

  private async route(s3: S3Request): Promise<LocalReply | undefined> {
    const { request, bucket, key } = s3;
    if (!bucket) {
      if (request.method === 'GET') return this.buckets.listBuckets();
      return undefined;
    }
    if (key) return this.objects.handle(s3);
    if (request.method === 'GET' && 'versions' in request.query) {
      this.buckets.requireBucket(bucket);
      return this.listing.listObjectVersions(bucket, request);
    }
    if (request.method === 'POST' && 'delete' in request.query) return this.objects.deleteObjects(bucket, request);
    const reply = this.buckets.handle(s3);
    if (reply || request.method !== 'GET') return reply;
    if ('uploads' in request.query) throw notImplemented('Listing multipart uploads');
    this.buckets.requireBucket(bucket);
    return request.query['list-type'] === '2' ? this.listing.listObjectsV2(bucket, request) : this.listing.listObjectsV1(bucket, request);
  }

  /** The bucket and key a request addresses; SDK bookkeeping (`x-id`) and presigning parameters are not subresources. */
  private locate(request: LocalRequest): S3Request {
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.query)) if (name !== 'x-id' && !name.startsWith('X-Amz-') && !SIGV2_QUERY_PARAMETERS.includes(name)) query[name] = value;
    const scoped = { ...request, query };
    const virtualBucket = this.virtualHostBucket(request.hostname);
    if (virtualBucket) return { request: scoped, bucket: virtualBucket, key: request.path.slice(1) };
    const slash = request.path.indexOf('/', 1);
    if (slash < 0) return { request: scoped, bucket: request.path.slice(1), key: '' };
    return { request: scoped, bucket: request.path.slice(1, slash), key: request.path.slice(slash + 1) };
  }

  private virtualHostBucket(hostname: string): string | undefined {
    const aws = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(hostname);
    if (aws) return aws[1];
    // The first suffix the name is or ends with: `s3.localhost` itself is path-style, `b.s3.localhost` is bucket b.
    for (const suffix of this.virtualHostSuffixes) {
      if (hostname === suffix) return undefined;
      if (hostname.endsWith(`.${suffix}`)) return hostname.slice(0, -suffix.length - 1);
    }
    return undefined;
  }
}

/** The body of an S3 request that is not an object upload: an XML or JSON document, read within the bound of any body read whole. */
async function readDocumentBody(body: AsyncIterable<Buffer>, headers: Record<string, string>): Promise<Buffer> {
  try {
    return await readBoundedBody(body, MAX_BUFFERED_BODY_BYTES, declaredLength(headers));
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new S3Error('MaxMessageLengthExceeded', 'Your request was too big.', 400);
    throw error;
  }
}
