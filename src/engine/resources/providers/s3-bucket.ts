import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type CORSRule,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { synthesizeAttributes } from '../attributes.ts';
import { physicalIdFor } from '../physical-ids.ts';
import { errorName, found, namingOf, NameTakenError, ProviderError, type ResourceProvider } from '../provider.ts';

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Props) : {});
const list = (v: unknown): Props[] => (Array.isArray(v) ? v.map(obj) : []);
const num = (v: unknown) => (v === undefined ? undefined : Number(v));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `AWS::S3::Bucket`: a real bucket in the S3 data plane, configured as its properties say. */
export const s3BucketProvider: ResourceProvider = {
  async create(request) {
    const at = namingOf(request);
    const bucket = physicalIdFor(request.type, request.facts, request.properties, at);
    const s3 = request.clients.s3;
    if (await bucketExists(s3, bucket)) throw new NameTakenError(`${bucket} already exists`);
    request.claim(bucket);
    try {
      await s3.send(new CreateBucketCommand({
        Bucket: bucket,
        ...(request.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: request.region as BucketLocationConstraint } }),
      }));
    } catch (error) {
      if (errorName(error) === 'BucketAlreadyOwnedByYou' || errorName(error) === 'BucketAlreadyExists') throw new NameTakenError(`${bucket} already exists`);
      throw error;
    }
    await configure(s3, bucket, {}, request.resolved);
    return { physicalId: bucket, attributes: synthesizeAttributes(request.type, request.facts, bucket, request.properties, at) };
  },
  async update(request) {
    await configure(request.clients.s3, request.physicalId, request.previousResolved, request.resolved);
    return request.attributes;
  },
  exists: (bucket, clients) => bucketExists(clients.s3, bucket),
  async delete(request) {
    try {
      await request.clients.s3.send(new DeleteBucketCommand({ Bucket: request.physicalId }));
    } catch (error) {
      if (errorName(error) === 'NoSuchBucket') return;
      if (errorName(error) === 'BucketNotEmpty') throw new ProviderError('The bucket you tried to delete is not empty');
      throw error;
    }
  },
};

const bucketExists = (s3: S3Client, bucket: string) => found(() => s3.send(new HeadBucketCommand({ Bucket: bucket })), ['NotFound', 'NoSuchBucket']);

/** Applies each configuration whose property changed from `before` to `after` (set or removed). */
async function configure(s3: S3Client, bucket: string, before: Props, after: Props): Promise<void> {
  const changed = (name: string) => !same(before[name], after[name]);
  if (changed('VersioningConfiguration') && (after.VersioningConfiguration || before.VersioningConfiguration)) {
    // A bucket that has had versioning can only suspend it, never go back to unversioned.
    const status = String(obj(after.VersioningConfiguration).Status ?? 'Suspended') as 'Enabled' | 'Suspended';
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
  }
  if (changed('PublicAccessBlockConfiguration')) {
    const block = obj(after.PublicAccessBlockConfiguration);
    if (after.PublicAccessBlockConfiguration === undefined) await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    else {
      await s3.send(new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: block.BlockPublicAcls === true || block.BlockPublicAcls === 'true',
          BlockPublicPolicy: block.BlockPublicPolicy === true || block.BlockPublicPolicy === 'true',
          IgnorePublicAcls: block.IgnorePublicAcls === true || block.IgnorePublicAcls === 'true',
          RestrictPublicBuckets: block.RestrictPublicBuckets === true || block.RestrictPublicBuckets === 'true',
        },
      }));
    }
  }
  if (changed('LifecycleConfiguration')) {
    const rules = list(obj(after.LifecycleConfiguration).Rules);
    if (rules.length === 0) await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    else await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules.map(lifecycleRule) } }));
  }
  if (changed('CorsConfiguration')) {
    const rules = list(obj(after.CorsConfiguration).CorsRules);
    if (rules.length === 0) await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    else await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules.map(corsRule) } }));
  }
  if (changed('BucketEncryption')) {
    const rules = list(obj(after.BucketEncryption).ServerSideEncryptionConfiguration);
    if (rules.length === 0) await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    else {
      await s3.send(new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: rules.map((rule) => {
            const byDefault = obj(rule.ServerSideEncryptionByDefault);
            return {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: String(byDefault.SSEAlgorithm ?? 'AES256') as 'AES256', ...(byDefault.KMSMasterKeyID ? { KMSMasterKeyID: String(byDefault.KMSMasterKeyID) } : {}) },
              ...(rule.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: rule.BucketKeyEnabled === true || rule.BucketKeyEnabled === 'true' } : {}),
            };
          }),
        },
      }));
    }
  }
  if (changed('Tags')) {
    const tags = list(after.Tags).map((t) => ({ Key: String(t.Key), Value: String(t.Value) }));
    if (tags.length === 0) await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    else await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags } }));
  }
}

/** CloudFormation's lifecycle rule shape -> the S3 API's. */
function lifecycleRule(rule: Props): LifecycleRule {
  const transitions = [...list(rule.Transitions), ...(rule.Transition ? [obj(rule.Transition)] : [])];
  const noncurrent = obj(rule.NoncurrentVersionExpiration);
  const expiration = {
    ...(rule.ExpirationInDays !== undefined ? { Days: num(rule.ExpirationInDays) } : {}),
    ...(rule.ExpirationDate !== undefined ? { Date: new Date(String(rule.ExpirationDate)) } : {}),
    ...(rule.ExpiredObjectDeleteMarker !== undefined ? { ExpiredObjectDeleteMarker: rule.ExpiredObjectDeleteMarker === true || rule.ExpiredObjectDeleteMarker === 'true' } : {}),
  };
  const tags = list(rule.TagFilters).map((t) => ({ Key: String(t.Key), Value: String(t.Value) }));
  const noncurrentTransitions = [...list(rule.NoncurrentVersionTransitions), ...(rule.NoncurrentVersionTransition ? [obj(rule.NoncurrentVersionTransition)] : [])];
  return {
    ...(rule.Id !== undefined ? { ID: String(rule.Id) } : {}),
    Status: String(rule.Status ?? 'Enabled') as 'Enabled' | 'Disabled',
    Filter: tags.length > 0 ? { And: { Prefix: String(rule.Prefix ?? ''), Tags: tags } } : { Prefix: String(rule.Prefix ?? '') },
    ...(Object.keys(expiration).length > 0 ? { Expiration: expiration } : {}),
    ...(transitions.length > 0 ? { Transitions: transitions.map((t) => ({ Days: num(t.TransitionInDays), ...(t.TransitionDate !== undefined ? { Date: new Date(String(t.TransitionDate)) } : {}), StorageClass: String(t.StorageClass) as 'GLACIER' })) } : {}),
    ...(noncurrentTransitions.length > 0
      ? { NoncurrentVersionTransitions: noncurrentTransitions.map((t) => ({ NoncurrentDays: num(t.TransitionInDays), StorageClass: String(t.StorageClass) as 'GLACIER', ...(t.NewerNoncurrentVersions !== undefined ? { NewerNoncurrentVersions: num(t.NewerNoncurrentVersions) } : {}) })) }
      : {}),
    ...(rule.NoncurrentVersionExpirationInDays !== undefined || noncurrent.NoncurrentDays !== undefined
      ? { NoncurrentVersionExpiration: { NoncurrentDays: num(rule.NoncurrentVersionExpirationInDays ?? noncurrent.NoncurrentDays) } }
      : {}),
    ...(rule.AbortIncompleteMultipartUpload ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: num(obj(rule.AbortIncompleteMultipartUpload).DaysAfterInitiation) } } : {}),
  };
}

function corsRule(rule: Props): CORSRule {
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
  return {
    ...(rule.Id !== undefined ? { ID: String(rule.Id) } : {}),
    AllowedMethods: strings(rule.AllowedMethods) ?? [],
    AllowedOrigins: strings(rule.AllowedOrigins) ?? [],
    ...(rule.AllowedHeaders ? { AllowedHeaders: strings(rule.AllowedHeaders) } : {}),
    ...(rule.ExposedHeaders ? { ExposeHeaders: strings(rule.ExposedHeaders) } : {}),
    ...(rule.MaxAge !== undefined ? { MaxAgeSeconds: num(rule.MaxAge) } : {}),
  };
}
