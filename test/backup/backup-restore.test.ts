import { CreateTableCommand, DeleteItemCommand, ListTablesCommand, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { backUp, type BackupEntry, type BackupScope } from '../../src/backup/backup.ts';
import { listObjects } from '../../src/backup/bucket-data.ts';
import { tableChecksum } from '../../src/backup/checksum.ts';
import { restoreBackup } from '../../src/backup/restore.ts';
import { putRequest, scanTable, writeRequests, type Item } from '../../src/backup/table-data.ts';
import { catalogKey } from '../../src/backup/catalog.ts';
import { artifactsBucketName } from '../../src/deploy/package.ts';
import { ensureArtifactsBucket } from '../../src/deploy/upload.ts';
import { openTarget, type Target } from '../../src/deploy/target.ts';
import { killHard, runCli, spawnCli, temporaryFolder, writeProject } from '../helpers.ts';

const TEMPLATE = `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: shop-orders
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{ AttributeName: id, KeyType: HASH }, { AttributeName: line, KeyType: RANGE }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }, { AttributeName: line, AttributeType: N }]
  Files:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: shop-files
`;

/** A deployed project with a table and a bucket, in the local engine. */
function deployedShop(): string {
  const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  data: { template: data.yaml, name: shop-data }\nenvironments:\n  dev: {}\n', 'data.yaml': TEMPLATE });
  const deploy = runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } });
  assert.equal(deploy.code, 0, deploy.stderr);
  return dir;
}

/** Works on the project's local target; closed after, so that the CLI can open it. */
async function withTarget<T>(dir: string, work: (target: Target, scope: BackupScope) => Promise<T>): Promise<T> {
  const target = await openTarget({ target: 'local', region: 'us-east-1', projectRoot: dir });
  try {
    return await work(target, { project: 'shop', environment: 'dev', region: 'us-east-1', artifactsBucket: artifactsBucketName('shop', target.accountId, 'us-east-1') });
  } finally {
    await target.close();
  }
}

function order(i: number): Item {
  return { id: { S: `order-${i % 250}` }, line: { N: String(Math.floor(i / 250)) }, total: { N: `${i}.5` }, customer: { M: { name: { S: `customer ${i}` }, tags: { SS: ['a', `t${i % 7}`] } } }, paid: { BOOL: i % 2 === 0 } };
}

const keyText = (item: Item) => `${item.id.S}#${item.line.N}`;

async function tableItems(target: Target, tableName: string): Promise<Map<string, Item>> {
  const items = new Map<string, Item>();
  await scanTable(target.dynamodb, tableName, (page) => page.forEach((item) => items.set(keyText(item), item)));
  return items;
}

function assertSameItems(actual: Map<string, Item>, expected: Item[]) {
  assert.equal(actual.size, expected.length);
  for (const item of expected) assert.deepEqual(actual.get(keyText(item)), item, `item ${keyText(item)}`);
}

const SUMMARY = /count (\d+)\/(\d+), checksum (ok|MISMATCH)/;

describe('backup and restore of a table', () => {
  it('backs up 1,000 items with their checksum, and restores all of them, identical, into the current table and into a new one', async () => {
    const dir = deployedShop();
    const written = Array.from({ length: 1000 }, (_, i) => order(i));
    const entry = await withTarget(dir, async (target, scope) => {
      await writeRequests(target.dynamodb, 'shop-orders', written, putRequest);
      const backedUp = await backUp(target, scope, { stackName: 'shop-data', logicalId: 'Orders', physicalId: 'shop-orders', resourceType: 'AWS::DynamoDB::Table' });
      assert.equal(backedUp.count, 1000);
      assert.equal(backedUp.checksum, tableChecksum(written));
      // The data goes wrong: items lost, one changed, one that was never there.
      for (let i = 0; i < 600; i++) await target.dynamodb.send(new DeleteItemCommand({ TableName: 'shop-orders', Key: { id: written[i].id, line: written[i].line } }));
      await target.dynamodb.send(new PutItemCommand({ TableName: 'shop-orders', Item: { ...written[700], total: { N: '0' } } }));
      await target.dynamodb.send(new PutItemCommand({ TableName: 'shop-orders', Item: { id: { S: 'stray' }, line: { N: '0' } } }));
      return backedUp;
    });

    const listed = runCli(['backups', dir, '--format', 'json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as BackupEntry[]).map((e) => e.id), [entry.id]);

    const refused = runCli(['restore', entry.id, dir, '--into-current']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /table shop-orders \(401 items\) is not empty/);
    assert.match(refused.stderr, /--yes/);
    await withTarget(dir, async (target) => assert.equal((await tableItems(target, 'shop-orders')).size, 401, 'a refused restore changes nothing'));

    const restored = runCli(['restore', entry.id, dir, '--into-current', '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(SUMMARY.exec(restored.stdout)?.slice(1), ['1000', '1000', 'ok']);

    const copy = runCli(['restore', entry.id, dir, '--to', 'shop-orders-copy']);
    assert.equal(copy.code, 0, copy.stderr);
    assert.deepEqual(SUMMARY.exec(copy.stdout)?.slice(1), ['1000', '1000', 'ok']);

    await withTarget(dir, async (target) => {
      assertSameItems(await tableItems(target, 'shop-orders'), written);
      assertSameItems(await tableItems(target, 'shop-orders-copy'), written);
    });
  });
});

describe('backup and restore of a bucket', () => {
  it('backs up 200 objects through the CLI and restores them into the bucket, content checksums equal', async () => {
    const dir = deployedShop();
    const bodies = new Map(Array.from({ length: 200 }, (_, i) => [`reports/${i % 10}/report ${i}.csv`, `id,total\n${i},${i * 3}\n${'x'.repeat(i)}`]));
    await withTarget(dir, async (target) => {
      for (const [Key, Body] of bodies) await target.s3.send(new PutObjectCommand({ Bucket: 'shop-files', Key, Body }));
    });

    const backup = runCli(['backup', dir, '--resource', 'Files', '--json']);
    assert.equal(backup.code, 0, backup.stderr);
    const entry = JSON.parse(backup.stdout) as BackupEntry;
    assert.equal(entry.kind, 's3-bucket');
    assert.equal(entry.count, 200);

    await withTarget(dir, async (target) => {
      for (const key of [...bodies.keys()].slice(0, 50)) await target.s3.send(new DeleteObjectCommand({ Bucket: 'shop-files', Key: key }));
      await target.s3.send(new PutObjectCommand({ Bucket: 'shop-files', Key: 'reports/0/report 100.csv', Body: 'overwritten' }));
    });
    const restored = runCli(['restore', entry.id, dir, '--into-current', '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(SUMMARY.exec(restored.stdout)?.slice(1), ['200', '200', 'ok']);

    await withTarget(dir, async (target) => {
      const keys = (await listObjects(target.s3, 'shop-files')).map((o) => o.key);
      assert.deepEqual(keys.sort(), [...bodies.keys()].sort());
      for (const [Key, body] of bodies) assert.equal(await (await target.s3.send(new GetObjectCommand({ Bucket: 'shop-files', Key }))).Body?.transformToString(), body, Key);
    });
  });
});

describe('restore verification', () => {
  it('reports a checksum MISMATCH and exits 1 when a backup copy was changed since the backup', async () => {
    const dir = deployedShop();
    const entry = await withTarget(dir, async (target, scope) => {
      for (const key of ['a.txt', 'b.txt', 'c.txt']) await target.s3.send(new PutObjectCommand({ Bucket: 'shop-files', Key: key, Body: `content of ${key}` }));
      const backedUp = await backUp(target, scope, { stackName: 'shop-data', logicalId: 'Files', physicalId: 'shop-files', resourceType: 'AWS::S3::Bucket' });
      await target.s3.send(new PutObjectCommand({ Bucket: scope.artifactsBucket, Key: `${backedUp.prefix}b.txt`, Body: 'tampered' }));
      return backedUp;
    });
    const restored = runCli(['restore', entry.id, dir, '--to', 'shop-files-copy']);
    assert.equal(restored.code, 1, restored.stderr);
    assert.deepEqual(SUMMARY.exec(restored.stdout)?.slice(1), ['3', '3', 'MISMATCH']);
  });
});

describe('backup of nested stacks', () => {
  it('backs up the tables and buckets of nested stacks too, and restores into the table the nested stack owns', async () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\ntemplates: templates\nstacks:\n  main: { template: templates/main.yaml, name: shop-main }\nenvironments:\n  dev: {}\n',
      'templates/main.yaml': 'Resources:\n  Data:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://bucket.s3.amazonaws.com/data.yaml\n  Uploads:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: shop-uploads\n',
      'templates/data.yaml': TEMPLATE.slice(0, TEMPLATE.indexOf('  Files:')),
    });
    assert.equal(runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } }).code, 0);
    const items = Array.from({ length: 30 }, (_, i) => order(i));
    await withTarget(dir, (target) => writeRequests(target.dynamodb, 'shop-orders', items, putRequest));

    const backup = runCli(['backup', dir, '--json']);
    assert.equal(backup.code, 0, backup.stderr);
    const entries = backup.stdout.trim().split('\n').map((line) => JSON.parse(line) as BackupEntry);
    assert.deepEqual(entries.map((e) => [e.logicalId, e.physicalId, e.kind, e.count]).sort(), [['Orders', 'shop-orders', 'dynamodb-table', 30], ['Uploads', 'shop-uploads', 's3-bucket', 0]]);
    const table = entries.find((e) => e.logicalId === 'Orders')!;
    assert.match(table.stack, /^shop-main-Data-/);

    await withTarget(dir, (target) => writeRequests(target.dynamodb, 'shop-orders', items.slice(0, 5), (item) => ({ DeleteRequest: { Key: { id: item.id, line: item.line } } })));
    const restored = runCli(['restore', table.id, dir, '--into-current', '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(SUMMARY.exec(restored.stdout)?.slice(1), ['30', '30', 'ok']);
    await withTarget(dir, async (target) => assertSameItems(await tableItems(target, 'shop-orders'), items));
  });
});

describe('restore into an existing table', () => {
  it('never writes an export that is not what was backed up: it goes through DynamoDB\'s backup instead, and leaves no staging table (nor one an earlier restore left)', async () => {
    const dir = temporaryFolder();
    await withTarget(dir, async (target, scope) => {
      const items = Array.from({ length: 120 }, (_, i) => order(i));
      await target.dynamodb.send(new CreateTableCommand({ TableName: 'orders', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'line', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'line', AttributeType: 'N' }] }));
      await waitUntilTableExists({ client: target.dynamodb, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'orders' });
      await writeRequests(target.dynamodb, 'orders', items, putRequest);
      const entry = await backUp(target, scope, { stackName: 'shop-data', logicalId: 'Orders', physicalId: 'orders', resourceType: 'AWS::DynamoDB::Table' });
      // Someone edits the export: one item's paid flag changed.
      const [part] = await listObjects(target.s3, scope.artifactsBucket, entry.prefix);
      const text = (await (await target.s3.send(new GetObjectCommand({ Bucket: scope.artifactsBucket, Key: part.key }))).Body?.transformToString()) ?? '';
      const edited = text.replace('{"BOOL":true}', '{"BOOL":false}');
      assert.notEqual(edited, text);
      await target.s3.send(new PutObjectCommand({ Bucket: scope.artifactsBucket, Key: part.key, Body: edited }));
      await writeRequests(target.dynamodb, 'orders', items.slice(0, 10), (item) => ({ DeleteRequest: { Key: { id: item.id, line: item.line } } }));

      // What a restore killed midway leaves: its staging table.
      const leftover = `orders-staging-${entry.id.slice(-4)}`;
      await target.dynamodb.send(new CreateTableCommand({ TableName: leftover, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));

      const progress: string[] = [];
      const result = await restoreBackup(target, scope.artifactsBucket, entry, { current: 'orders', overwrite: true }, (message) => progress.push(message));
      assert.ok(progress.includes(`removing staging table ${leftover}, left by a restore cut short`), progress.join('\n'));
      assert.deepEqual(result.verification, { expectedCount: 120, count: 120, checksumOk: true, ok: true });
      assert.ok(progress.some((message) => /staging table/.test(message)), progress.join('\n'));
      assertSameItems(await tableItems(target, 'orders'), items);
      assert.deepEqual((await target.dynamodb.send(new ListTablesCommand({}))).TableNames, ['orders']);
    });
  });
});

describe('restore refusals and the catalog', () => {
  it('names an unknown backup id and the command that lists them, exit code 3', () => {
    const dir = deployedShop();
    const result = runCli(['restore', '20261130t000000z-shop-data-orders-beef', dir, '--into-current']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /no backup "20261130t000000z-shop-data-orders-beef"/);
    assert.match(result.stderr, /stackpilot backups/);
  });

  it('names a damaged catalog entry and what to do with it, exit code 3', async () => {
    const dir = deployedShop();
    const key = await withTarget(dir, async (target, scope) => {
      await ensureArtifactsBucket(target.s3, scope.artifactsBucket, scope.region);
      const damaged = catalogKey('20261130t000000z-shop-data-orders-beef');
      await target.s3.send(new PutObjectCommand({ Bucket: scope.artifactsBucket, Key: damaged, Body: '{"id": "20261130t000000z-shop-data-orders-beef", "kind": "dynamodb-table"' }));
      return damaged;
    });
    const result = runCli(['backups', dir]);
    assert.equal(result.code, 3);
    assert.ok(result.stderr.includes(`${key} is not a JSON object`), result.stderr);
    assert.match(result.stderr, /Delete that object/);
  });

  it('never lists a backup killed midway as restorable, and names it as unfinished with where its copies are', async () => {
    const dir = deployedShop();
    const complete = await withTarget(dir, async (target, scope) => {
      await target.s3.send(new PutObjectCommand({ Bucket: 'shop-files', Key: 'first.txt', Body: 'first' }));
      const entry = await backUp(target, scope, { stackName: 'shop-data', logicalId: 'Files', physicalId: 'shop-files', resourceType: 'AWS::S3::Bucket' });
      for (let i = 0; i < 300; i++) await target.s3.send(new PutObjectCommand({ Bucket: 'shop-files', Key: `many/${i}.txt`, Body: `object ${i}` }));
      return entry;
    });
    // Killed as soon as it says it copies: the copies of 301 objects are then under way.
    const backup = spawnCli(['backup', dir, '--resource', 'Files']);
    let stderr = '';
    await new Promise<void>((resolve) => backup.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), /backing up bucket/.test(stderr) && resolve())));
    await killHard(backup);

    const listed = runCli(['backups', dir, '--format', 'json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as BackupEntry[]).map((e) => e.id), [complete.id]);
    const unfinished = /unfinished backup (\S+) of shop-data\/Files \(shop-files\).*not restorable\. Its partial copies are under stackpilot-backups\/\1\//.exec(listed.stderr);
    assert.ok(unfinished, listed.stderr);
    const restore = runCli(['restore', unfinished[1], dir, '--to', 'shop-files-copy']);
    assert.equal(restore.code, 3);
    assert.match(restore.stderr, /no backup ".*" in the catalog/);
  });
});


describe('a deploy that replaces a table holding data', () => {
  const jobs = (key: string) => `Resources:
  Jobs:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]
`;
  const job = (i: number): Item => ({ id: { S: `job-${i}` }, job_id: { S: `j${String(i).padStart(4, '0')}` }, state: { S: i % 3 === 0 ? 'done' : 'queued' }, cost: { N: `${i}.25` } });
  const byJobId = async (target: Target, tableName: string) => {
    const items = new Map<string, Item>();
    await scanTable(target.dynamodb, tableName, (page) => page.forEach((item) => items.set(item.job_id.S!, item)));
    return items;
  };

  it('backs the 1,000 items up before the KeySchema change replaces the table, and restore --into-current brings every one back', async () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: jobs\nstacks:\n  data: { template: data.yaml, name: jobs-data }\nenvironments:\n  dev: {}\n', 'data.yaml': jobs('id') });
    assert.equal(runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } }).code, 0);
    const written = Array.from({ length: 1000 }, (_, i) => job(i));
    const before = await withTarget(dir, async (target) => {
      const [{ PhysicalResourceId }] = (await target.cloudformation.send(new DescribeStackResourcesCommand({ StackName: 'jobs-data' }))).StackResources!;
      await writeRequests(target.dynamodb, PhysicalResourceId!, written, putRequest);
      return PhysicalResourceId!;
    });

    writeFileSync(join(dir, 'data.yaml'), jobs('job_id'));
    const deploy = runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } });
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stdout, /backed up Jobs: 1,?000 items \(backup \S+\)/);
    const [entry] = JSON.parse(runCli(['backups', dir, '--format', 'json']).stdout) as BackupEntry[];
    assert.deepEqual([entry.physicalId, entry.count], [before, 1000], 'the backup is of the table the deploy replaced');

    const after = await withTarget(dir, async (target) => {
      const [{ PhysicalResourceId }] = (await target.cloudformation.send(new DescribeStackResourcesCommand({ StackName: 'jobs-data' }))).StackResources!;
      assert.notEqual(PhysicalResourceId, before, 'the table was replaced');
      assert.equal((await byJobId(target, PhysicalResourceId!)).size, 0, 'the new table starts empty');
      return PhysicalResourceId!;
    });

    const restored = runCli(['restore', entry.id, dir, '--into-current']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(SUMMARY.exec(restored.stdout)?.slice(1), ['1000', '1000', 'ok']);
    await withTarget(dir, async (target) => {
      const items = await byJobId(target, after);
      assert.equal(items.size, 1000);
      for (const item of written) assert.deepEqual(items.get(item.job_id.S!), item, `item ${item.job_id.S}`);
    });
  });
});
