import type { LocalReply } from '../wire.ts';
import { childText, escapeXml, parseXml } from '../xml.ts';
import { checkLifecycleConfiguration } from './lifecycle.ts';
import { OWNER, S3Error, emptyReply, isoDate, malformedXml, noSuchBucket, s3DocumentReply, s3XmlReply, type S3Request } from './s3-protocol.ts';
import type { BucketRecord, S3Store } from './s3-store.ts';

/** A bucket subresource kept as the document PUT, and what GET answers when there is none. */
interface ConfigurationKind {
  missing: { code: string; message: string } | { document: string };
  /** The root element a valid document must have (JSON documents have none). */
  root?: string;
}

const DEFAULT_ENCRYPTION =
  '<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>';

const CONFIGURATIONS: Record<string, ConfigurationKind> = {
  publicAccessBlock: { root: 'PublicAccessBlockConfiguration', missing: { code: 'NoSuchPublicAccessBlockConfiguration', message: 'The public access block configuration was not found' } },
  lifecycle: { root: 'LifecycleConfiguration', missing: { code: 'NoSuchLifecycleConfiguration', message: 'The lifecycle configuration does not exist' } },
  cors: { root: 'CORSConfiguration', missing: { code: 'NoSuchCORSConfiguration', message: 'The CORS configuration does not exist' } },
  tagging: { root: 'Tagging', missing: { code: 'NoSuchTagSet', message: 'The TagSet does not exist' } },
  policy: { missing: { code: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist' } },
  ownershipControls: { root: 'OwnershipControls', missing: { code: 'OwnershipControlsNotFoundError', message: 'The bucket ownership controls were not found' } },
  website: { root: 'WebsiteConfiguration', missing: { code: 'NoSuchWebsiteConfiguration', message: 'The specified bucket does not have a website configuration' } },
  // Since January 2023 every bucket is encrypted with SSE-S3 unless configured otherwise.
  encryption: { root: 'ServerSideEncryptionConfiguration', missing: { document: DEFAULT_ENCRYPTION } },
  notification: { root: 'NotificationConfiguration', missing: { document: '<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>' } },
  logging: { root: 'BucketLoggingStatus', missing: { document: '<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>' } },
};

const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class BucketOperations {
  constructor(private readonly store: S3Store) {}

  /** The bucket-level operation a request names (by method and subresource), or undefined. */
  handle({ request, bucket }: S3Request): LocalReply | undefined {
    const subresource = Object.keys(CONFIGURATIONS).find((name) => name in request.query);
    if (subresource) return this.configuration(bucket, subresource, request.method, request.body);
    switch (request.method) {
      case 'PUT':
        if ('versioning' in request.query) return this.putVersioning(bucket, request.body);
        return Object.keys(request.query).length === 0 ? this.createBucket(bucket, request.region, request.body) : undefined;
      case 'GET':
        if ('versioning' in request.query) return this.getVersioning(bucket);
        if ('location' in request.query) return s3XmlReply('LocationConstraint', escapeXml(this.requireBucket(bucket).region === 'us-east-1' ? '' : this.requireBucket(bucket).region));
        return undefined;
      case 'HEAD':
        return emptyReply(200, { 'x-amz-bucket-region': this.requireBucket(bucket).region, 'x-amz-access-point-alias': 'false' });
      case 'DELETE':
        return Object.keys(request.query).length === 0 ? this.deleteBucket(bucket) : undefined;
      default:
        return undefined;
    }
  }

  listBuckets(): LocalReply {
    const buckets = this.store
      .bucketNames()
      .map((name) => this.store.bucket(name)!)
      .map((b) => `<Bucket><Name>${b.name}</Name><CreationDate>${isoDate(b.creationDate)}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`)
      .join('');
    return s3XmlReply('ListAllMyBucketsResult', `${OWNER}<Buckets>${buckets}</Buckets>`);
  }

  requireBucket(name: string): BucketRecord {
    const bucket = this.store.bucket(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  private createBucket(name: string, requestRegion: string, body: Buffer): LocalReply {
    if (!BUCKET_NAME.test(name)) throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
    const constraint = body.length > 0 ? childText(parseXml(body.toString('utf8')), 'LocationConstraint') || undefined : undefined;
    // us-east-1 is the region without a constraint: S3 refuses one that names it.
    if (constraint === 'us-east-1') throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
    if (constraint === undefined && requestRegion !== 'us-east-1') {
      throw new S3Error('IllegalLocationConstraintException', `The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
    }
    if (constraint !== undefined && constraint !== requestRegion) {
      throw new S3Error('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
    }
    if (this.store.bucket(name)) {
      throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: name });
    }
    this.store.createBucket({ name, region: constraint ?? 'us-east-1', creationDate: new Date().toISOString(), configurations: {} });
    return emptyReply(200, { location: `/${name}` });
  }

  private deleteBucket(name: string): LocalReply {
    this.requireBucket(name);
    if (this.store.hasAnyVersion(name)) {
      throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.', 409, { BucketName: name });
    }
    this.store.deleteBucket(name);
    return emptyReply(204);
  }

  private putVersioning(name: string, body: Buffer): LocalReply {
    const bucket = this.requireBucket(name);
    const status = childText(parseXml(body.toString('utf8')), 'Status');
    if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    bucket.versioning = status;
    this.store.saveBucket(bucket);
    return emptyReply(200);
  }

  private getVersioning(name: string): LocalReply {
    const bucket = this.requireBucket(name);
    return s3XmlReply('VersioningConfiguration', bucket.versioning ? `<Status>${bucket.versioning}</Status>` : '');
  }

  private configuration(name: string, subresource: string, method: string, body: Buffer): LocalReply | undefined {
    const bucket = this.requireBucket(name);
    const kind = CONFIGURATIONS[subresource];
    switch (method) {
      case 'PUT': {
        const document = body.toString('utf8');
        if (kind.root) {
          const root = parseXml(document);
          if (root.name !== kind.root) throw malformedXml();
          if (subresource === 'lifecycle') checkLifecycleConfiguration(root);
        } else {
          try {
            JSON.parse(document);
          } catch {
            throw new S3Error('MalformedPolicy', 'Policies must be valid JSON and the first byte must be \'{\'', 400);
          }
        }
        bucket.configurations[subresource] = document;
        this.store.saveBucket(bucket);
        return emptyReply(subresource === 'tagging' ? 204 : 200);
      }
      case 'GET': {
        const document = bucket.configurations[subresource];
        if (document !== undefined) return s3DocumentReply(document);
        if ('document' in kind.missing) return s3DocumentReply(kind.missing.document);
        throw new S3Error(kind.missing.code, kind.missing.message, 404, { BucketName: name });
      }
      case 'DELETE':
        delete bucket.configurations[subresource];
        this.store.saveBucket(bucket);
        return emptyReply(204);
      default:
        return undefined;
    }
  }
}
