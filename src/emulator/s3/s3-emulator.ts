import { join } from 'node:path';
import { ServiceError, type LocalReply, type LocalRequest, type ServiceEmulator } from '../wire.ts';
import { BucketOperations } from './bucket-operations.ts';
import { ObjectListing } from './object-listing.ts';
import { ObjectOperations } from './object-operations.ts';
import { S3Error, notImplemented, s3ErrorReply, type S3Request } from './s3-protocol.ts';
import { S3Store } from './s3-store.ts';

/**
 * S3 over its REST protocol, path-style (`/bucket/key`) and virtual-host-style
 * (`bucket.<endpoint host>/key`). Buckets are account-wide, as in AWS; each remembers its region.
 */
export class S3Emulator implements ServiceEmulator {
  private readonly buckets: BucketOperations;
  private readonly objects: ObjectOperations;
  private readonly listing: ObjectListing;

  constructor(
    dataDir: string | undefined,
    /** Host names whose subdomains are bucket names (virtual-host-style requests). */
    private readonly virtualHostSuffixes: string[],
  ) {
    const store = new S3Store(dataDir && join(dataDir, 's3'));
    this.buckets = new BucketOperations(store);
    this.objects = new ObjectOperations(store, this.buckets);
    this.listing = new ObjectListing(store);
  }

  async handle(request: LocalRequest): Promise<LocalReply> {
    const s3 = this.locate(request);
    try {
      checkPresignedLifetime(request.query, new Date());
      const reply = this.route(s3);
      if (reply) return reply;
      throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: request.method });
    } catch (error) {
      if (error instanceof ServiceError) return s3ErrorReply(error, `/${s3.bucket}${s3.key ? `/${s3.key}` : ''}`);
      throw error;
    }
  }

  private route(s3: S3Request): LocalReply | undefined {
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
    for (const [name, value] of Object.entries(request.query)) if (name !== 'x-id' && !name.startsWith('X-Amz-')) query[name] = value;
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
    const suffix = this.virtualHostSuffixes.find((s) => hostname.endsWith(`.${s}`));
    return suffix ? hostname.slice(0, -suffix.length - 1) : undefined;
  }
}

/** SigV4 lets a presigned URL live at most seven days. */
const MAX_PRESIGNED_SECONDS = 604_800;

/**
 * A query-string-signed (presigned) request is honoured only within its lifetime, as AWS
 * honours it: `X-Amz-Date` plus `X-Amz-Expires` seconds. Signatures are not verified locally.
 */
function checkPresignedLifetime(query: Record<string, string>, now: Date): void {
  const signedAt = query['X-Amz-Date'];
  const lifetime = query['X-Amz-Expires'];
  if (signedAt === undefined || lifetime === undefined) return;
  if (!/^\d+$/.test(lifetime)) throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires should be a number', 400);
  if (Number(lifetime) > MAX_PRESIGNED_SECONDS) throw new S3Error('AuthorizationQueryParametersError', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`, 400);
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(signedAt);
  if (!date) throw new S3Error('AuthorizationQueryParametersError', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`, 400);
  const [, year, month, day, hours, minutes, seconds] = date.map(Number);
  const expires = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds) + Number(lifetime) * 1000);
  if (now > expires) {
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    throw new S3Error('AccessDenied', 'Request has expired', 403, { 'X-Amz-Expires': lifetime, Expires: iso(expires), ServerTime: iso(now) });
  }
}
