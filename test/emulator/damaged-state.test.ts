import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { StackpilotError } from '../../src/errors.ts';
import { itemFileName } from '../../src/emulator/item-files.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { SECRETS_KEY_FILE } from '../../src/emulator/state-secrets.ts';
import { LOCK_FILE } from '../../src/emulator/state-lock.ts';
import { runCli } from '../helpers.ts';
import { BUCKET, KEY, TABLE, projectWithLocalState } from './local-state.ts';

const keyFolder = (dataDir: string) => join(dataDir, 's3', BUCKET, 'objects', createHash('sha256').update(KEY).digest('hex'));
const parameterFile = (dataDir: string) => join(dataDir, 'ssm', 'us-east-1', itemFileName('/state/param'));
const secretFile = (dataDir: string) => join(dataDir, 'secretsmanager', 'us-east-1', itemFileName('state-secret'));
const tablesFolder = (dataDir: string) => join(dataDir, 'dynamodb', 'us-east-1', 'tables');

/** Asserts that opening the state fails with LocalStateDamaged naming `file`, and returns the error. */
async function assertDamagedAtOpen(dataDir: string, file: string, problem: RegExp): Promise<StackpilotError> {
  let caught: unknown;
  await LocalAws.open({ dataDir }).then(
    (local) => local.close(),
    (error: unknown) => (caught = error),
  );
  assert.ok(caught instanceof StackpilotError, `expected a StackpilotError, got ${String(caught)}`);
  assert.equal(caught.code, 'LocalStateDamaged');
  assert.ok(caught.message.includes(file), `the message names ${file}: ${caught.message}`);
  assert.match(caught.message, problem);
  assert.ok(caught.hint?.includes(`stackpilot local reset ${join(dataDir, '..', '..')}`), `the hint offers the reset: ${caught.hint}`);
  // The lock is released: the state can be opened again once repaired.
  assert.ok(!readdirSync(dataDir).includes(LOCK_FILE), 'a failed open releases the lock');
  return caught;
}

/** Asserts that `stackpilot status` names the damage and exits 3, with no stack trace. */
function assertDamagedInCli(project: string, file: string, problem: RegExp): void {
  const run = runCli(['status', project]);
  assert.equal(run.code, 3, run.stderr);
  assert.ok(run.stderr.startsWith('error: '), run.stderr);
  assert.ok(run.stderr.includes(file), run.stderr);
  assert.match(run.stderr, problem);
  assert.match(run.stderr, /stackpilot local reset /);
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
}

describe('damaged local state: S3', () => {
  it('names a truncated bucket.json, and the repair that keeps the other buckets', async () => {
    const { project, dataDir } = await projectWithLocalState();
    const file = join(dataDir, 's3', BUCKET, 'bucket.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 20));
    const error = await assertDamagedAtOpen(dataDir, file, /is not valid JSON: /);
    assert.ok(error.hint?.includes(`remove the folder ${join(dataDir, 's3', BUCKET)}`), error.hint);
    assertDamagedInCli(project, file, /is not valid JSON/);
  });

  it('names a bucket.json that holds {}', async () => {
    const { project, dataDir } = await projectWithLocalState();
    const file = join(dataDir, 's3', BUCKET, 'bucket.json');
    writeFileSync(file, '{}');
    await assertDamagedAtOpen(dataDir, file, /has no bucket name/);
    assertDamagedInCli(project, file, /has no bucket name/);
  });

  it('names a truncated versions.json, and the repair that loses only that key', async () => {
    const { project, dataDir } = await projectWithLocalState();
    const file = join(keyFolder(dataDir), 'versions.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 30));
    const error = await assertDamagedAtOpen(dataDir, file, /is not valid JSON: /);
    assert.ok(error.hint?.includes(`remove the folder ${keyFolder(dataDir)}`), error.hint);
    assertDamagedInCli(project, file, /is not valid JSON/);
  });

  it('names a versions.json that holds {}, or versions the store cannot use', async () => {
    const { dataDir } = await projectWithLocalState();
    const file = join(keyFolder(dataDir), 'versions.json');
    writeFileSync(file, '{}');
    await assertDamagedAtOpen(dataDir, file, /has no key/);
    writeFileSync(file, JSON.stringify({ key: KEY, versions: [{ key: KEY, versionId: 'null' }] }));
    await assertDamagedAtOpen(dataDir, file, /has version null, which has no etag/);
    writeFileSync(file, JSON.stringify({ key: 'another/key', versions: [] }));
    await assertDamagedAtOpen(dataDir, file, /is in the folder of another key/);
  });

  it('names a missing object body in the error reply of the request that needs it', async () => {
    const { dataDir } = await projectWithLocalState();
    const body = join(keyFolder(dataDir), 'null.body');
    rmSync(body);
    const local = await LocalAws.open({ dataDir });
    try {
      const s3 = new S3Client({ ...local.clientConfig(), maxAttempts: 1 });
      await assert.rejects(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY })), (error: Error) => {
        assert.ok(error.message.includes(`${body}, cannot be read: ENOENT`), error.message);
        assert.ok(error.message.includes(`remove the folder ${keyFolder(dataDir)}`), error.message);
        return true;
      });
    } finally {
      await local.close();
    }
  });

  it('ignores stray files beside the buckets and their keys', async () => {
    const { dataDir } = await projectWithLocalState();
    writeFileSync(join(dataDir, 's3', '.DS_Store'), 'finder');
    writeFileSync(join(dataDir, 's3', BUCKET, 'objects', 'notes.txt'), 'mine');
    const local = await LocalAws.open({ dataDir });
    try {
      const s3 = new S3Client(local.clientConfig());
      assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), [BUCKET]);
      assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents?.map((o) => o.Key), [KEY]);
      assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))).Body?.transformToString(), '{}');
    } finally {
      await local.close();
    }
  });
});

describe('damaged local state: SSM, Secrets Manager and DynamoDB documents', () => {
  const documents = [
    { name: 'SSM parameter', file: parameterFile, wrongShape: '{"name": "/state/param"}', wrongShapeProblem: /has no versions/, losing: 'this SSM parameter' },
    { name: 'Secrets Manager secret', file: secretFile, wrongShape: '{"name": "state-secret"}', wrongShapeProblem: /has no ARN/, losing: 'this secret' },
    // Each table's settings are a file of their own.
    { name: 'DynamoDB table settings', file: (dataDir: string) => join(dataDir, 'dynamodb', 'us-east-1', 'settings', `${TABLE}.json`), wrongShape: '"on"', wrongShapeProblem: /is not a JSON object/, losing: 'the encryption' },
  ];
  for (const document of documents) {
    it(`names a truncated ${document.name} document`, async () => {
      const { project, dataDir } = await projectWithLocalState();
      const file = document.file(dataDir);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.slice(0, Math.min(10, text.length - 1)));
      const error = await assertDamagedAtOpen(dataDir, file, /is not valid JSON: /);
      assert.ok(error.hint?.includes(`remove ${file} (losing ${document.losing}`), error.hint);
      assertDamagedInCli(project, file, /is not valid JSON/);
    });

    it(`names a ${document.name} document of the wrong shape`, async () => {
      const { dataDir } = await projectWithLocalState();
      const file = document.file(dataDir);
      writeFileSync(file, document.wrongShape);
      await assertDamagedAtOpen(dataDir, file, document.wrongShapeProblem);
      writeFileSync(file, '[]');
      await assertDamagedAtOpen(dataDir, file, /is not a JSON object/);
    });
  }

  it('reads the documents of every region with state on disk at open', async () => {
    const { dataDir } = await projectWithLocalState();
    mkdirSync(join(dataDir, 'ssm'), { recursive: true });
    const file = join(dataDir, 'ssm', 'eu-west-1.json');
    writeFileSync(file, '{"truncated');
    const local = await LocalAws.open({ dataDir, region: 'us-east-1' }).catch((error: unknown) => error);
    // Every region with state on disk is read at open.
    assert.ok(local instanceof StackpilotError && local.message.includes(file), String(local));
  });

  it('keeps keys such as __proto__ as plain names, in files and in requests', async () => {
    const { dataDir } = await projectWithLocalState();
    writeFileSync(join(dataDir, 'ssm', 'us-east-1', itemFileName('__proto__')), '{"name": "__proto__", "tags": [], "versions": [{"version": 1, "value": "v", "type": "String", "dataType": "text", "tier": "Standard", "lastModifiedDate": 0}]}');
    const local = await LocalAws.open({ dataDir });
    try {
      const ssm = new SSMClient(local.clientConfig());
      assert.equal((await ssm.send(new GetParameterCommand({ Name: '__proto__' }))).Parameter?.Value, 'v');
      await assert.rejects(ssm.send(new GetParameterCommand({ Name: 'constructor' })), { name: 'ParameterNotFound' });
      const dynamodb = new DynamoDBClient(local.clientConfig());
      await dynamodb.send(
        new CreateTableCommand({ TableName: '__proto__', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', SSESpecification: { Enabled: true } }),
      );
      assert.equal(({} as Record<string, unknown>).sse, undefined, 'nothing reaches Object.prototype');
      assert.equal((await dynamodb.send(new DescribeTableCommand({ TableName: '__proto__' }))).Table?.SSEDescription?.Status, 'ENABLED');
    } finally {
      await local.close();
    }
  });
});

describe('damaged local state: DynamoDB tables (LevelDB)', () => {
  it('answers as DynamoDB does after random bytes replace the LevelDB log: the damaged records are dropped by LevelDB', async () => {
    const { dataDir } = await projectWithLocalState();
    const log = readdirSync(tablesFolder(dataDir)).find((name) => name.endsWith('.log'));
    assert.ok(log, 'the items are in the LevelDB log');
    writeFileSync(join(tablesFolder(dataDir), log), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await assertAnswersNormallyWithoutTheTable(dataDir);
  });

  it('answers as DynamoDB does after the dynamodb folder is deleted', async () => {
    const { dataDir } = await projectWithLocalState();
    rmSync(join(dataDir, 'dynamodb'), { recursive: true });
    await assertAnswersNormallyWithoutTheTable(dataDir);
  });

  it('names a LevelDB folder that cannot be opened, and the repair that keeps the other data', async () => {
    const { project, dataDir } = await projectWithLocalState();
    writeFileSync(join(tablesFolder(dataDir), 'CURRENT'), 'not a manifest name');
    const error = await assertDamagedAtOpen(dataDir, tablesFolder(dataDir), /cannot be opened: Corruption: /);
    assert.ok(error.hint?.includes(`remove the folder ${join(dataDir, 'dynamodb', 'us-east-1')}`), error.hint);
    assertDamagedInCli(project, tablesFolder(dataDir), /cannot be opened: Corruption: /);
  });

  it('names a damaged LevelDB table file at open instead of crashing on the first scan', async () => {
    const { dataDir } = await projectWithLocalState();
    // A second open compacts the log into a table file (.ldb).
    const again = await LocalAws.open({ dataDir });
    await new DynamoDBClient(again.clientConfig()).send(new ListTablesCommand({}));
    await again.close();
    const table = readdirSync(tablesFolder(dataDir)).find((name) => name.endsWith('.ldb'));
    assert.ok(table, 'a LevelDB table file');
    writeFileSync(join(tablesFolder(dataDir), table), Buffer.alloc(readFileSync(join(tablesFolder(dataDir), table)).length, 0x5a));
    await assertDamagedAtOpen(dataDir, tablesFolder(dataDir), /cannot be read: Corruption: /);
  });
});

async function assertAnswersNormallyWithoutTheTable(dataDir: string): Promise<void> {
  const local = await LocalAws.open({ dataDir });
  try {
    const dynamodb = new DynamoDBClient(local.clientConfig());
    assert.deepEqual((await dynamodb.send(new ListTablesCommand({}))).TableNames, []);
    await assert.rejects(dynamodb.send(new DescribeTableCommand({ TableName: TABLE })), { name: 'ResourceNotFoundException' });
    await assert.rejects(dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'k1' } } })), { name: 'ResourceNotFoundException' });
  } finally {
    await local.close();
  }
}

describe('damaged local state: the lock', () => {
  it('names a local.lock that is a folder, and how to fix it', async () => {
    const { project, dataDir } = await projectWithLocalState();
    const lock = join(dataDir, LOCK_FILE);
    mkdirSync(lock);
    const error = await LocalAws.open({ dataDir }).catch((caught: unknown) => caught);
    assert.ok(error instanceof StackpilotError, String(error));
    assert.equal(error.code, 'LocalStateDamaged');
    assert.equal(error.message, `The lock ${lock} is a folder, not a lock file`);
    assert.match(error.hint ?? '', new RegExp(`Remove the folder ${lock.replace(/[.]/g, '\\.')}`));
    const run = runCli(['status', project]);
    assert.equal(run.code, 3, run.stderr);
    assert.ok(run.stderr.startsWith(`error: The lock ${lock} is a folder`), run.stderr);
  });
});

describe('damaged local state: the key of the secret values', () => {

  it('names a document whose sealed values the key cannot open (another key), with the ways out', async () => {
    const { project, dataDir } = await projectWithLocalState();
    writeFileSync(join(dataDir, SECRETS_KEY_FILE), `${randomBytes(32).toString('base64')}\n`);
    const error = await assertDamagedAtOpen(dataDir, secretFile(dataDir), /has a sealed secret value that the key in .*secrets\.key cannot open/);
    assert.ok(error.hint?.includes(`remove ${secretFile(dataDir)} (losing this secret)`), error.hint);
    assertDamagedInCli(project, secretFile(dataDir), /cannot open/);
  });

  it('names a document with sealed values when the key file is missing', async () => {
    const { project, dataDir } = await projectWithLocalState();
    rmSync(join(dataDir, SECRETS_KEY_FILE));
    await assertDamagedAtOpen(dataDir, secretFile(dataDir), /has sealed secret values, but their key file .*secrets\.key is missing/);
    assertDamagedInCli(project, secretFile(dataDir), /is missing/);
  });

  it('names a key file that holds no key', async () => {
    const { project, dataDir } = await projectWithLocalState();
    const key = join(dataDir, SECRETS_KEY_FILE);
    writeFileSync(key, 'not a key');
    await assertDamagedAtOpen(dataDir, key, /is not a key/);
    assertDamagedInCli(project, key, /is not a key/);
  });
});
