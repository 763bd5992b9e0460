import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

describe('S3 buckets on disk', () => {
  it('a deleted bucket is gone at once, its name free again with nothing of the old bucket, its folder removed by close', async () => {
    const root = temporaryFolder('s3');
    const dataDir = join(root, '.stackpilot', 'local');
    const opened: LocalAws[] = [];
    const open = async () => {
      const local = await LocalAws.open({ dataDir });
      opened.push(local);
      return new S3Client(local.clientConfig());
    };
    try {
      const s3 = await open();
      await s3.send(new CreateBucketCommand({ Bucket: 'reused' }));
      await s3.send(new CreateBucketCommand({ Bucket: 'gone-for-good' }));
      await s3.send(new PutObjectCommand({ Bucket: 'reused', Key: 'old.txt', Body: 'old' }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'reused', Key: 'old.txt' }));
      await s3.send(new DeleteBucketCommand({ Bucket: 'reused' }));
      await s3.send(new DeleteBucketCommand({ Bucket: 'gone-for-good' }));
      await s3.send(new CreateBucketCommand({ Bucket: 'reused' }));
      assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: 'reused' }))).Contents ?? [], []);
      await s3.send(new PutObjectCommand({ Bucket: 'reused', Key: 'new.txt', Body: 'new' }));
      await opened.pop()!.close();
      assert.ok(!existsSync(join(dataDir, 's3', 'gone-for-good')), 'the folder is removed by the time the state is closed');

      const again = await open();
      assert.deepEqual((await again.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['reused']);
      assert.deepEqual((await again.send(new ListObjectsV2Command({ Bucket: 'reused' }))).Contents?.map((o) => o.Key), ['new.txt']);
    } finally {
      for (const local of opened) await local.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
