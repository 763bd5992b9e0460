import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { StackpilotError } from '../../src/errors.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { S3Store } from '../../src/emulator/s3/s3-store.ts';
import { temporaryFolder } from '../helpers.ts';

const BUCKET = 'reports';
const KEY = 'daily/2026-11-30.csv';
const bucketFolder = (root: string) => join(root, BUCKET);
const keyFolder = (root: string) => join(root, BUCKET, 'objects', createHash('sha256').update(KEY).digest('hex'));
const RECORD = { name: BUCKET, region: 'eu-west-1', creationDate: '2026-11-30T08:00:00.000Z', configurations: { tagging: '<Tagging/>' } };
const VERSION = { key: KEY, versionId: 'null', etag: '"900150983cd24fb0d6963f7d28e17f72"', size: 3, lastModified: '2026-11-30T08:00:00.000Z', headers: { 'content-type': 'text/csv' }, metadata: { team: 'data' } };

/** An S3 state folder whose bucket.json (and KEY's versions.json, when given) hold these documents. */
function s3Folder(bucket: unknown, versions?: unknown): string {
  const root = temporaryFolder('s3-store');
  mkdirSync(bucketFolder(root), { recursive: true });
  writeFileSync(join(bucketFolder(root), 'bucket.json'), JSON.stringify(bucket));
  if (versions !== undefined) {
    mkdirSync(keyFolder(root), { recursive: true });
    writeFileSync(join(keyFolder(root), 'versions.json'), JSON.stringify(versions));
  }
  return root;
}

/** What opening the folder is refused for: the file's problem and the hint, or undefined when it opens. */
function refusal(root: string): { file: string; problem: string; hint: string } | undefined {
  try {
    new S3Store(root);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof StackpilotError && error.code === 'LocalStateDamaged', String(error));
    const [, file, problem] = /^The local state file (\S+) (.*)$/.exec(error.message) ?? [];
    return { file, problem, hint: error.hint ?? '' };
  }
}

describe('the S3 state on disk, read at open', () => {
  it('names what a bucket.json lacks, and the repair that loses that bucket only', () => {
    const problems = [
      [[], 'is not a JSON object'],
      [{ ...RECORD, name: '' }, 'has no bucket name'],
      [{ ...RECORD, name: 7 }, 'has no bucket name'],
      [{ ...RECORD, name: 'invoices' }, 'names bucket invoices, but is in the folder of bucket reports'],
      [{ ...RECORD, region: undefined }, 'has no region'],
      [{ ...RECORD, creationDate: 1 }, 'has no creation date'],
      [{ ...RECORD, configurations: undefined }, 'has no configurations record'],
      [{ ...RECORD, configurations: { cors: 5 } }, 'has no configurations record'],
    ] as const;
    for (const [bucket, problem] of problems) {
      const root = s3Folder(bucket);
      const refused = refusal(root);
      assert.deepEqual([refused?.file, refused?.problem], [join(bucketFolder(root), 'bucket.json'), problem], JSON.stringify(bucket));
      assert.ok(refused?.hint.startsWith(`To keep the rest of the local state, remove the folder ${bucketFolder(root)} (losing bucket reports and its objects).`), refused?.hint);
    }
  });

  it('names what a key\'s versions.json lacks, and the repair that loses that key\'s versions only', () => {
    const problems = [
      ['text', 'is not a JSON object'],
      [{ versions: [] }, 'has no key'],
      [{ key: 'weekly.csv', versions: [] }, 'is in the folder of another key than its own (weekly.csv)'],
      [{ key: KEY }, 'has no versions list'],
      [{ key: KEY, versions: ['null'] }, 'has a version without a version id'],
      [{ key: KEY, versions: [{ ...VERSION, versionId: 1 }] }, 'has a version without a version id'],
      [{ key: KEY, versions: [{ ...VERSION, key: 'weekly.csv' }] }, 'has version null, which is of another key'],
      [{ key: KEY, versions: [{ ...VERSION, etag: undefined }] }, 'has version null, which has no etag'],
      [{ key: KEY, versions: [{ ...VERSION, size: '3' }] }, 'has version null, which has no size'],
      [{ key: KEY, versions: [{ ...VERSION, lastModified: undefined }] }, 'has version null, which has no modification date'],
      [{ key: KEY, versions: [{ ...VERSION, headers: { 'content-length': 3 } }] }, 'has version null, which has no headers record'],
      [{ key: KEY, versions: [VERSION, { ...VERSION, versionId: 'v2', metadata: null }] }, 'has version v2, which has no metadata record'],
    ] as const;
    for (const [versions, problem] of problems) {
      const root = s3Folder(RECORD, versions);
      const refused = refusal(root);
      assert.deepEqual([refused?.file, refused?.problem], [join(keyFolder(root), 'versions.json'), problem], JSON.stringify(versions));
      assert.ok(refused?.hint.startsWith(`To keep the rest of the local state, remove the folder ${keyFolder(root)} (losing the versions of one key of bucket reports).`), refused?.hint);
    }
  });

  it('opens a folder whose documents are whole: the bucket, its key and versions as written', () => {
    const root = s3Folder(RECORD, { key: KEY, versions: [VERSION] });
    const store = new S3Store(root);
    assert.deepEqual([store.bucketNames(), store.bucket(BUCKET), store.sortedKeys(BUCKET), store.version(BUCKET, KEY)], [[BUCKET], RECORD, [KEY], VERSION]);
  });

  it('lists no key whose versions.json holds no version', () => {
    const store = new S3Store(s3Folder(RECORD, { key: KEY, versions: [] }));
    assert.deepEqual([store.sortedKeys(BUCKET), store.hasAnyVersion(BUCKET)], [[], false]);
  });

  it('finishes removing a bucket deleted before a kill: gone from the list, its folder removed', async () => {
    const root = s3Folder(RECORD, { key: KEY, versions: [VERSION] });
    const aside = join(root, '.deleted', 'invoices.5f0c');
    mkdirSync(join(aside, 'objects'), { recursive: true });
    writeFileSync(join(aside, 'bucket.json'), JSON.stringify({ ...RECORD, name: 'invoices' }));
    const store = new S3Store(root);
    await store.settled();
    assert.deepEqual(store.bucketNames(), [BUCKET]);
    assert.equal(existsSync(aside), false);
  });
});

/** Runs `work` with an S3 client on the local state in `dataDir`, closing it after. */
async function withS3<T>(dataDir: string, work: (s3: S3Client) => Promise<T>): Promise<T> {
  const local = await LocalAws.open({ dataDir });
  try {
    return await work(new S3Client(local.clientConfig()));
  } finally {
    await local.close();
  }
}

const text = async (s3: S3Client, Key: string, Range?: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key, Range }))).Body?.transformToString();

describe('objects on disk, across close and reopen', () => {
  it('keeps the last write of a key, its ranges, empty and copied objects, and nothing of what was overwritten or deleted', async () => {
    const dataDir = join(temporaryFolder('s3-disk'), '.stackpilot', 'local');
    await withS3(dataDir, async (s3) => {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: 'draft, to be replaced' }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: 'id,total\n1,42\n' }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'empty.csv', Body: '' }));
      await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.csv', CopySource: `${BUCKET}/${KEY}` }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone.csv', Body: 'deleted' }));
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.csv' }));
    });
    await withS3(dataDir, async (s3) => {
      assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents?.map((o) => [o.Key, o.Size]), [['copy.csv', 14], [KEY, 14], ['empty.csv', 0]]);
      assert.deepEqual([await text(s3, KEY), await text(s3, KEY, 'bytes=9-12'), await text(s3, 'empty.csv'), await text(s3, 'copy.csv')], ['id,total\n1,42\n', '1,42', '', 'id,total\n1,42\n']);
    });
    // The replaced draft and the deleted object are gone from the disk, not only from the listings.
    const s3Folder = join(dataDir, 's3', BUCKET, 'objects');
    const bodies = readdirSync(s3Folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.body'));
    assert.deepEqual(bodies.map((name) => readFileSync(join(s3Folder, name), 'utf8')).sort(), ['', 'id,total\n1,42\n', 'id,total\n1,42\n']);
  });

  it('keeps each version of a versioned key, and drops only the one deleted by its id', async () => {
    const dataDir = join(temporaryFolder('s3-disk'), '.stackpilot', 'local');
    const ids = await withS3(dataDir, async (s3) => {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
      const put = async (Body: string) => (await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body }))).VersionId!;
      const [v1, v2, v3] = [await put('one'), await put('two'), await put('three')];
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY, VersionId: v2 }));
      const marker = (await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }))).VersionId!;
      return { v1, v3, marker };
    });
    await withS3(dataDir, async (s3) => {
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
      assert.deepEqual(listed.Versions?.map((v) => v.VersionId), [ids.v3, ids.v1]);
      assert.deepEqual(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [[ids.marker, true]]);
      const read = async (VersionId: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, VersionId }))).Body?.transformToString();
      assert.deepEqual([await read(ids.v1), await read(ids.v3)], ['one', 'three']);
      for (const VersionId of [ids.v1, ids.v3, ids.marker]) await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY, VersionId }));
    });
    await withS3(dataDir, async (s3) => {
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
      assert.deepEqual([listed.Versions ?? [], listed.DeleteMarkers ?? []], [[], []], 'every version deleted: the key is gone after reopen');
    });
    assert.deepEqual(readdirSync(join(dataDir, 's3', BUCKET, 'objects')), [], 'and so is its folder');
  });
});
