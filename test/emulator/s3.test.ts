import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
  type BucketLocationConstraint,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { LocalAws } from '../../src/emulator/local-aws.ts';

describe('S3 emulator through the SDK', () => {
  let local: LocalAws;
  let s3: S3Client;

  before(async () => {
    local = await LocalAws.open();
    s3 = new S3Client(local.clientConfig());
  });
  after(() => local.close());

  it('creates, heads, lists, locates and deletes buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    const europe = new S3Client(local.clientConfig('eu-west-1'));
    await europe.send(new CreateBucketCommand({ Bucket: 'beta-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'beta-bucket' }));
    assert.equal(head.BucketRegion, 'eu-west-1');
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'beta-bucket' }))).LocationConstraint, 'eu-west-1');
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha-bucket' }))).LocationConstraint, undefined);
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    assert.deepEqual(names, ['alpha-bucket', 'beta-bucket']);
    await assert.rejects(s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' })), { name: 'BucketAlreadyOwnedByYou' });
    await assert.rejects(europe.send(new CreateBucketCommand({ Bucket: 'gamma-bucket', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })), {
      name: 'IllegalLocationConstraintException',
    });
    await assert.rejects(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), { name: 'InvalidBucketName' });
    await s3.send(new DeleteBucketCommand({ Bucket: 'beta-bucket' }));
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: 'beta-bucket' })), { name: 'NotFound' });
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'beta-bucket' })), { name: 'NoSuchBucket', message: 'The specified bucket does not exist' });
  });

  it('round-trips bucket configurations and reports missing ones with their own errors', async () => {
    const Bucket = 'config-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await assert.rejects(s3.send(new GetPublicAccessBlockCommand({ Bucket })), { name: 'NoSuchPublicAccessBlockConfiguration' });
    await assert.rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), { name: 'NoSuchLifecycleConfiguration' });
    await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket })), { name: 'NoSuchCORSConfiguration' });
    await assert.rejects(s3.send(new GetBucketTaggingCommand({ Bucket })), { name: 'NoSuchTagSet' });
    const defaultEncryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    assert.equal(defaultEncryption.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');

    const block = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: block }));
    assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration, block);

    const rules = [
      { ID: 'expire-logs', Status: 'Enabled' as const, Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
      { ID: 'old-versions', Status: 'Enabled' as const, Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 7 } },
    ];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: rules } }));
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules, rules);

    const kms = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'alias/data' }, BucketKeyEnabled: true }] };
    await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: kms }));
    assert.deepEqual((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration, kms);

    const cors = [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://app.example.com'], AllowedHeaders: ['*'], MaxAgeSeconds: 300 }];
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: cors } }));
    assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules, cors);

    const tags = [{ Key: 'team', Value: 'data' }, { Key: 'env', Value: 'dev & test' }];
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tags } }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, tags);

    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
    await s3.send(new DeleteBucketCorsCommand({ Bucket }));
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket }));
    await assert.rejects(s3.send(new GetPublicAccessBlockCommand({ Bucket })), { name: 'NoSuchPublicAccessBlockConfiguration' });
    await assert.rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), { name: 'NoSuchLifecycleConfiguration' });
    await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket })), { name: 'NoSuchCORSConfiguration' });
    const reset = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    assert.equal(reset.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
  });

  it('refuses us-east-1 named as a location constraint, as S3 does, and makes no bucket', async () => {
    const Bucket = 'virginia-bucket';
    const refusal = await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint } })).then(
      () => assert.fail('created'),
      (error: S3ServiceException) => error,
    );
    assert.deepEqual([refusal.name, refusal.message, refusal.$metadata.httpStatusCode], ['InvalidLocationConstraint', 'The specified location-constraint is not valid', 400]);
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket })), { name: 'NotFound' });
  });

  it('refuses a lifecycle rule that does nothing, or an action without its days or date, keeping the rules in place', async () => {
    const Bucket = 'lifecycle-checks';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const kept = [{ ID: 'kept', Status: 'Enabled' as const, Filter: { Prefix: '' }, Transitions: [{ Days: 30, StorageClass: 'GLACIER' as const }] }];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: kept } }));
    const malformed: LifecycleRule[] = [
      { Status: 'Enabled', Filter: { Prefix: '' } },
      { Status: 'Enabled', Filter: { Prefix: '' }, Expiration: {} },
      { Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ StorageClass: 'GLACIER' }] },
      { Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER' }] },
      { Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: {} },
      { Status: 'Paused' as 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
    ];
    for (const rule of malformed) {
      await assert.rejects(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [...kept, rule] } })), { name: 'MalformedXML' }, JSON.stringify(rule));
    }
    await assert.rejects(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [] } })), { name: 'MalformedXML' });
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules, kept);
  });

  it('stores objects with metadata, MD5 ETags, ranges and copies', async () => {
    const Bucket = 'objects-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'docs/readme.txt', Body: 'hello world', ContentType: 'text/plain', Metadata: { owner: 'ops' } }));
    assert.equal(put.ETag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    assert.equal(put.VersionId, undefined);

    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'docs/readme.txt' }));
    assert.equal(await got.Body?.transformToString(), 'hello world');
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLength, 11);
    assert.deepEqual(got.Metadata, { owner: 'ops' });

    const range = await s3.send(new GetObjectCommand({ Bucket, Key: 'docs/readme.txt', Range: 'bytes=6-' }));
    assert.equal(await range.Body?.transformToString(), 'world');
    assert.equal(range.ContentRange, 'bytes 6-10/11');
    const suffix = await s3.send(new GetObjectCommand({ Bucket, Key: 'docs/readme.txt', Range: 'bytes=-5' }));
    assert.equal(await suffix.Body?.transformToString(), 'world');
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'docs/readme.txt', Range: 'bytes=50-60' })), { name: 'InvalidRange' });

    const binary = Buffer.from([0, 1, 2, 250, 255]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'bin/data with spaces+plus.bin', Body: binary }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'bin/data with spaces+plus.bin' }));
    assert.equal(head.ContentLength, 5);
    const bytes = await (await s3.send(new GetObjectCommand({ Bucket, Key: 'bin/data with spaces+plus.bin' }))).Body?.transformToByteArray();
    assert.deepEqual(Buffer.from(bytes!), binary);

    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'copies/readme.txt', CopySource: `${Bucket}/docs/readme.txt` }));
    assert.equal(copy.CopyObjectResult?.ETag, put.ETag);
    const copied = await s3.send(new GetObjectCommand({ Bucket, Key: 'copies/readme.txt' }));
    assert.deepEqual(copied.Metadata, { owner: 'ops' });
    assert.equal(await copied.Body?.transformToString(), 'hello world');
    await assert.rejects(s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/missing` })), { name: 'NoSuchKey' });

    await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'missing.txt' })), { name: 'NoSuchKey', message: 'The specified key does not exist.' });
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket, Key: 'missing.txt' })), { name: 'NotFound' });
  });

  it('keeps versions and delete markers in a versioned bucket', async () => {
    const Bucket = 'versioned-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined);
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');

    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'state.json', Body: '{"v":1}' }));
    const second = await s3.send(new PutObjectCommand({ Bucket, Key: 'state.json', Body: '{"v":2}' }));
    assert.ok(first.VersionId && second.VersionId && first.VersionId !== second.VersionId);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'state.json' }))).Body?.transformToString(), '{"v":2}');
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: 'state.json', VersionId: first.VersionId }));
    assert.equal(await old.Body?.transformToString(), '{"v":1}');
    assert.equal(old.VersionId, first.VersionId);

    const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'state.json' }));
    assert.equal(deleted.DeleteMarker, true);
    assert.ok(deleted.VersionId);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'state.json' })), { name: 'NoSuchKey' });
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount, 0);

    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(
      versions.Versions?.map((v) => [v.VersionId, v.IsLatest]),
      [
        [second.VersionId, false],
        [first.VersionId, false],
      ],
    );
    assert.deepEqual(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [[deleted.VersionId, true]]);

    await assert.rejects(s3.send(new DeleteBucketCommand({ Bucket })), { name: 'BucketNotEmpty' });
    // Removing the marker brings the object back.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'state.json', VersionId: deleted.VersionId }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'state.json' }))).Body?.transformToString(), '{"v":2}');

    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'state.json', VersionId: first.VersionId }, { Key: 'state.json', VersionId: second.VersionId }] } }),
    );
    assert.deepEqual(result.Deleted?.map((d) => d.VersionId), [first.VersionId, second.VersionId]);
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });

  it('pages ListObjectsV2 with prefixes, delimiters and continuation tokens', async () => {
    const Bucket = 'listing-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const keys = ['a.txt', 'logs/2024/01.log', 'logs/2024/02.log', 'logs/2025/01.log', 'photos/cat.png', 'z.txt'];
    for (let i = 0; i < 25; i++) keys.push(`many/item-${String(i).padStart(2, '0')}`);
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));

    const top = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
    assert.deepEqual(top.Contents?.map((c) => c.Key), ['a.txt', 'z.txt']);
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['logs/', 'many/', 'photos/']);

    const logs = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'logs/', Delimiter: '/' }));
    assert.deepEqual(logs.CommonPrefixes?.map((p) => p.Prefix), ['logs/2024/', 'logs/2025/']);
    assert.equal(logs.KeyCount, 2);

    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 10 }, { Bucket, Prefix: 'many/' })) pages.push((page.Contents ?? []).map((c) => c.Key!));
    assert.deepEqual(pages.map((p) => p.length), [10, 10, 5]);
    assert.deepEqual(pages.flat(), keys.filter((k) => k.startsWith('many/')));

    const afterKey = await s3.send(new ListObjectsV2Command({ Bucket, StartAfter: 'photos/cat.png' }));
    assert.deepEqual(afterKey.Contents?.map((c) => c.Key), ['z.txt']);
    const firstTwo = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2 }));
    assert.equal(firstTwo.IsTruncated, true);
    assert.ok(firstTwo.NextContinuationToken);
  });

  it('pages ListObjectVersions by key and version markers', async () => {
    const Bucket = 'version-pages';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const written: string[] = [];
    for (const Key of ['a', 'a', 'a', 'b', 'b']) written.push(`${Key}:${(await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))).VersionId}`);
    const seen: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let page = 0; page < 5; page++) {
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2, ...markers }));
      seen.push(...(listed.Versions ?? []).map((v) => `${v.Key}:${v.VersionId}`));
      if (!listed.IsTruncated) break;
      markers = { KeyMarker: listed.NextKeyMarker, VersionIdMarker: listed.NextVersionIdMarker };
    }
    // Newest first within each key.
    assert.deepEqual(seen, [written[2], written[1], written[0], written[4], written[3]]);
  });

  it('refuses to delete a bucket that still has objects', async () => {
    const Bucket = 'full-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'keep.txt', Body: 'x' }));
    await assert.rejects(s3.send(new DeleteBucketCommand({ Bucket })), {
      name: 'BucketNotEmpty',
      message: 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.',
    });
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'keep.txt' }));
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });

  it('accepts streamed uploads (aws-chunked with a trailing checksum)', async () => {
    const Bucket = 'stream-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const { Readable } = await import('node:stream');
    const body = Readable.from([Buffer.from('first chunk, '), Buffer.from('second chunk')]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'streamed.txt', Body: body, ContentLength: 25 }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed.txt' }));
    assert.equal(await got.Body?.transformToString(), 'first chunk, second chunk');
    assert.equal(got.ContentEncoding, undefined);
  });
});
