import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteBucketCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { deploy, eventLines, openEngine, update, type Harness } from './engine-harness.ts';

// AWS::S3::Bucket's configuration properties, each "Update requires: No interruption":
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html
const bucket = (properties: Record<string, unknown>) => ({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'configured-archive', ...properties } } } });

const lifecycle = {
  Rules: [
    {
      Id: 'archive',
      Status: 'Enabled',
      Prefix: 'logs/',
      TagFilters: [{ Key: 'class', Value: 'cold' }],
      ExpirationInDays: '365',
      Transitions: [{ TransitionInDays: 30, StorageClass: 'STANDARD_IA' }],
      Transition: { TransitionInDays: 90, StorageClass: 'GLACIER' },
      NoncurrentVersionTransitions: [{ TransitionInDays: 10, StorageClass: 'STANDARD_IA', NewerNoncurrentVersions: 2 }],
      NoncurrentVersionTransition: { TransitionInDays: 60, StorageClass: 'GLACIER' },
      NoncurrentVersionExpirationInDays: 120,
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
    },
    { Status: 'Disabled', ExpirationDate: '2030-01-01T00:00:00.000Z', NoncurrentVersionExpiration: { NoncurrentDays: 7 } },
    { Id: 'markers', ExpiredObjectDeleteMarker: 'true' },
    // No expiration at all, a transition by date, a tag filter without a prefix.
    { Id: 'tiering', Status: 'Enabled', TagFilters: [{ Key: 'class', Value: 'warm' }], Transition: { TransitionDate: '2031-01-01T00:00:00.000Z', StorageClass: 'GLACIER' } },
    { Id: 'keep-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: false, NoncurrentVersionExpirationInDays: 30 },
  ],
};

describe('a bucket configured by its properties', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const s3 = () => h.aws.clients.s3;
  const missing = (send: Promise<unknown>, name: string) => assert.rejects(send, { name });

  it('creates the bucket with every lifecycle rule, CORS rule, encryption rule and tag as given', async () => {
    const properties = {
      LifecycleConfiguration: lifecycle,
      CorsConfiguration: { CorsRules: [{ Id: 'web', AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: '600' }, { AllowedMethods: ['HEAD'], AllowedOrigins: ['*'] }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/archive' }, BucketKeyEnabled: 'true' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: 'true', BlockPublicPolicy: true, IgnorePublicAcls: false },
      Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'tier', Value: 3 }],
    };
    assert.equal(await deploy(h.engine, 'archive', bucket(properties)), 'CREATE_COMPLETE');
    const Bucket = 'configured-archive';
    assert.deepEqual((await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules, [
      {
        ID: 'archive',
        Status: 'Enabled',
        Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'class', Value: 'cold' }] } },
        Expiration: { Days: 365 },
        Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'GLACIER' }],
        NoncurrentVersionTransitions: [{ NoncurrentDays: 10, StorageClass: 'STANDARD_IA', NewerNoncurrentVersions: 2 }, { NoncurrentDays: 60, StorageClass: 'GLACIER' }],
        NoncurrentVersionExpiration: { NoncurrentDays: 120 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
      },
      { Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Date: new Date('2030-01-01T00:00:00.000Z') }, NoncurrentVersionExpiration: { NoncurrentDays: 7 } },
      { ID: 'markers', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { ExpiredObjectDeleteMarker: true } },
      { ID: 'tiering', Status: 'Enabled', Filter: { And: { Prefix: '', Tags: [{ Key: 'class', Value: 'warm' }] } }, Transitions: [{ Date: new Date('2031-01-01T00:00:00.000Z'), StorageClass: 'GLACIER' }] },
      { ID: 'keep-markers', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { ExpiredObjectDeleteMarker: false }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
    ]);
    assert.deepEqual((await s3().send(new GetBucketCorsCommand({ Bucket }))).CORSRules, [
      { ID: 'web', AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
      { AllowedMethods: ['HEAD'], AllowedOrigins: ['*'] },
    ]);
    assert.deepEqual((await s3().send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration!.Rules, [
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/archive' }, BucketKeyEnabled: true },
    ]);
    assert.deepEqual((await s3().send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: false, RestrictPublicBuckets: false });
    assert.deepEqual((await s3().send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'team', Value: 'orders' }, { Key: 'tier', Value: '3' }]);
    assert.equal((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined, 'no VersioningConfiguration: never versioned');
  });

  it('updates each configuration in place, keeping the objects, and removes those the template drops', async () => {
    const Bucket = 'configured-archive';
    await s3().send(new PutObjectCommand({ Bucket, Key: 'logs/a.txt', Body: 'kept' }));
    const changed = {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [{ Id: 'short', Status: 'Enabled', ExpirationInDays: 1 }] },
      CorsConfiguration: { CorsRules: [{ AllowedMethods: ['POST'], AllowedOrigins: ['*'] }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: {}, BucketKeyEnabled: false }] },
      PublicAccessBlockConfiguration: { RestrictPublicBuckets: 'true' },
      Tags: [{ Key: 'team', Value: 'billing' }],
    };
    assert.equal(await update(h.engine, 'archive', bucket(changed)), 'UPDATE_COMPLETE');
    assert.equal((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
    assert.deepEqual((await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules, [{ ID: 'short', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }]);
    assert.deepEqual((await s3().send(new GetBucketCorsCommand({ Bucket }))).CORSRules, [{ AllowedMethods: ['POST'], AllowedOrigins: ['*'] }]);
    assert.deepEqual((await s3().send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration!.Rules, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    assert.deepEqual((await s3().send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration, { BlockPublicAcls: false, BlockPublicPolicy: false, IgnorePublicAcls: false, RestrictPublicBuckets: true });
    assert.deepEqual((await s3().send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'team', Value: 'billing' }]);

    assert.equal(await update(h.engine, 'archive', bucket({ LifecycleConfiguration: { Rules: [] }, CorsConfiguration: {}, BucketEncryption: { ServerSideEncryptionConfiguration: [] }, Tags: [] })), 'UPDATE_COMPLETE');
    assert.equal((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Suspended', 'a versioned bucket can only suspend versioning');
    await missing(s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket })), 'NoSuchLifecycleConfiguration');
    await missing(s3().send(new GetBucketCorsCommand({ Bucket })), 'NoSuchCORSConfiguration');
    await missing(s3().send(new GetPublicAccessBlockCommand({ Bucket })), 'NoSuchPublicAccessBlockConfiguration');
    await missing(s3().send(new GetBucketTaggingCommand({ Bucket })), 'NoSuchTagSet');
    assert.deepEqual((await s3().send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration!.Rules![0].ApplyServerSideEncryptionByDefault, { SSEAlgorithm: 'AES256' }, 'S3\'s default encryption again');
    assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'logs/a.txt' }))).Body!.transformToString(), 'kept');
    const events = await eventLines(h.engine, 'archive');
    assert.equal(events.filter((l) => l === 'Bucket UPDATE_COMPLETE').length, 2);
  });

  it('reads a setting given as true or as "true" alike: public access blocked, bucket key on, delete markers expired', async () => {
    const settings = (value: true | 'true') => ({
      PublicAccessBlockConfiguration: { BlockPublicAcls: value, BlockPublicPolicy: value, IgnorePublicAcls: value, RestrictPublicBuckets: value },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: value }] },
      LifecycleConfiguration: { Rules: [{ Id: 'markers', Status: 'Enabled', ExpiredObjectDeleteMarker: value }] },
    });
    for (const value of [true, 'true'] as const) {
      const Bucket = `strict-${String(typeof value)}`;
      assert.equal(await deploy(h.engine, Bucket, bucket({ BucketName: Bucket, ...settings(value) })), 'CREATE_COMPLETE', Bucket);
      assert.deepEqual((await s3().send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }, Bucket);
      assert.equal((await s3().send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration!.Rules![0].BucketKeyEnabled, true, Bucket);
      assert.deepEqual((await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules![0].Expiration, { ExpiredObjectDeleteMarker: true }, Bucket);
    }
  });

  it('makes a bucket in the region of its stack', async () => {
    const cfn = new CloudFormationClient(h.aws.clientConfig('eu-west-1'));
    try {
      await cfn.send(new CreateStackCommand({ StackName: 'european', TemplateBody: JSON.stringify(bucket({ BucketName: 'european-bucket' })) }));
      await h.aws.settled();
      assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'european' }))).Stacks![0].StackStatus, 'CREATE_COMPLETE');
      assert.equal((await s3().send(new GetBucketLocationCommand({ Bucket: 'european-bucket' }))).LocationConstraint, 'eu-west-1');
    } finally {
      cfn.destroy();
    }
  });

  it('refuses a bucket name that is taken, leaving the existing bucket and its objects', async () => {
    assert.equal(await deploy(h.engine, 'archive-copy', bucket({})), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'archive-copy', true);
    assert.ok(lines.includes('Bucket CREATE_FAILED configured-archive already exists'), lines.join('\n'));
    assert.equal(await (await s3().send(new GetObjectCommand({ Bucket: 'configured-archive', Key: 'logs/a.txt' }))).Body!.transformToString(), 'kept');
  });

  it('deletes an empty bucket with its stack, and one already deleted by hand does not fail the delete', async () => {
    for (const [stack, name, byHand] of [['empty', 'empty-bucket', false], ['by-hand', 'by-hand-bucket', true]] as const) {
      assert.equal(await deploy(h.engine, stack, { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: name } } } }), 'CREATE_COMPLETE');
      if (byHand) await s3().send(new DeleteBucketCommand({ Bucket: name }));
      const { StackId } = (await h.engine.describeStacks({ StackName: stack })).Stacks![0];
      await h.engine.deleteStack({ StackName: stack });
      await h.engine.settled();
      assert.equal((await h.engine.describeStacks({ StackName: StackId })).Stacks![0].StackStatus, 'DELETE_COMPLETE', stack);
      await missing(s3().send(new HeadBucketCommand({ Bucket: name })), 'NotFound');
    }
  });
});
