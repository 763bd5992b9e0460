import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateBackupCommand, CreateTableCommand, DynamoDBClient, GetItemCommand, ListBackupsCommand, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetBucketVersioningCommand, GetObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { StackpilotError } from '../../src/errors.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { LOCK_FILE } from '../../src/emulator/state-lock.ts';
import { holdLocalState, killHard, temporaryFolder } from '../helpers.ts';

function lockOwner(dir: string): { pid: number; hostname: string; since: string } {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; hostname: string; since: string };
}

/** Opens a folder whose lock names a gone process: the lock now names this process, and a second open is refused until close. */
async function assertTakenOverByThisProcess(dir: string): Promise<void> {
  const local = await LocalAws.open({ dataDir: dir });
  try {
    const owner = lockOwner(dir);
    assert.equal(owner.pid, process.pid);
    assert.equal(owner.hostname, hostname());
    assert.ok(Date.now() - Date.parse(owner.since) < 60_000, `the lock is dated now: ${owner.since}`);
    await assert.rejects(LocalAws.open({ dataDir: dir }), { code: 'LocalStateLocked', message: new RegExp(`in use by process ${process.pid}\\b`) });
  } finally {
    await local.close();
  }
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'close releases the lock taken over');
}

function dataDir(): string {
  return join(temporaryFolder('local'), '.stackpilot', 'local');
}

describe('local state on disk', () => {
  it('keeps objects, items, backups, parameters, secrets and stacks across close and reopen', async () => {
    const dir = dataDir();
    const first = await LocalAws.open({ dataDir: dir });
    const s3 = new S3Client(first.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'durable-bucket' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'durable-bucket', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'durable-bucket', Key: 'templates/network.yaml', Body: 'Resources: {}' }));
    await s3.send(new PutObjectCommand({ Bucket: 'durable-bucket', Key: 'templates/network.yaml', Body: 'Resources: {Vpc: {}}' }));
    const dynamodb = new DynamoDBClient(first.clientConfig());
    await dynamodb.send(
      new CreateTableCommand({ TableName: 'durable', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 5, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'durable' });
    await dynamodb.send(new PutItemCommand({ TableName: 'durable', Item: { id: { S: 'k1' }, value: { S: 'kept' } } }));
    await dynamodb.send(new CreateBackupCommand({ TableName: 'durable', BackupName: 'nightly' }));
    await new SSMClient(first.clientConfig()).send(new PutParameterCommand({ Name: '/durable/param', Value: 'p', Type: 'String' }));
    await new SecretsManagerClient(first.clientConfig()).send(new CreateSecretCommand({ Name: 'durable-secret', SecretString: 's' }));
    const stackTemplate = JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/durable/flag', Type: 'String', Value: 'on' } } } });
    await new CloudFormationClient(first.clientConfig('eu-west-1')).send(new CreateStackCommand({ StackName: 'durable-stack', TemplateBody: stackTemplate }));
    await first.close();
    assert.ok(!existsSync(join(dir, LOCK_FILE)), 'close releases the lock');

    const second = await LocalAws.open({ dataDir: dir });
    try {
      const s3Again = new S3Client(second.clientConfig());
      const object = await s3Again.send(new GetObjectCommand({ Bucket: 'durable-bucket', Key: 'templates/network.yaml' }));
      assert.equal(await object.Body?.transformToString(), 'Resources: {Vpc: {}}');
      assert.equal((await s3Again.send(new GetBucketVersioningCommand({ Bucket: 'durable-bucket' }))).Status, 'Enabled');
      assert.equal((await s3Again.send(new ListObjectVersionsCommand({ Bucket: 'durable-bucket' }))).Versions?.length, 2);
      const dynamodbAgain = new DynamoDBClient(second.clientConfig());
      const item = await dynamodbAgain.send(new GetItemCommand({ TableName: 'durable', Key: { id: { S: 'k1' } } }));
      assert.equal(item.Item?.value.S, 'kept');
      assert.deepEqual((await dynamodbAgain.send(new ListBackupsCommand({}))).BackupSummaries?.map((b) => b.BackupName), ['nightly']);
      assert.equal((await new SSMClient(second.clientConfig()).send(new GetParameterCommand({ Name: '/durable/param' }))).Parameter?.Value, 'p');
      assert.equal((await new SecretsManagerClient(second.clientConfig()).send(new GetSecretValueCommand({ SecretId: 'durable-secret' }))).SecretString, 's');
      const [stack] = (await new CloudFormationClient(second.clientConfig('eu-west-1')).send(new DescribeStacksCommand({ StackName: 'durable-stack' }))).Stacks ?? [];
      assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
      assert.equal((await new SSMClient(second.clientConfig('eu-west-1')).send(new GetParameterCommand({ Name: '/durable/flag' }))).Parameter?.Value, 'on');
    } finally {
      await second.close();
    }
  });

  it('refuses a second open of the same folder while the first is open', async () => {
    const dir = dataDir();
    const local = await LocalAws.open({ dataDir: dir });
    try {
      await assert.rejects(LocalAws.open({ dataDir: dir }), (error: unknown) => {
        assert.ok(error instanceof StackpilotError);
        assert.equal(error.code, 'LocalStateLocked');
        assert.match(error.message, new RegExp(`in use by process ${process.pid}\\b`));
        assert.match(error.hint ?? '', /Stop process/);
        return true;
      });
    } finally {
      await local.close();
    }
    const reopened = await LocalAws.open({ dataDir: dir });
    await reopened.close();
  });

  it('names the other process that holds the folder, and takes over its lock once it is gone', async () => {
    const dir = dataDir();
    const holder = await holdLocalState(dir);
    try {
      await assert.rejects(LocalAws.open({ dataDir: dir }), { code: 'LocalStateLocked', message: new RegExp(`in use by process ${holder.pid}\\b`) });
    } finally {
      await killHard(holder);
    }
    // Killed without cleanup: its lock file stays, naming a dead process.
    assert.equal(lockOwner(dir).pid, holder.pid);
    await assertTakenOverByThisProcess(dir);
  });

  it('takes over a lock file left by a process that no longer exists', async () => {
    const dir = dataDir();
    await (await LocalAws.open({ dataDir: dir })).close();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' }));
    await assertTakenOverByThisProcess(dir);
  });

  it('keeps a lock whose process is alive, even when it is old', async () => {
    const dir = dataDir();
    await (await LocalAws.open({ dataDir: dir })).close();
    // The test runner that started this file: alive, and not this process.
    const lock = JSON.stringify({ pid: process.ppid, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' });
    writeFileSync(join(dir, LOCK_FILE), lock);
    await assert.rejects(LocalAws.open({ dataDir: dir }), { code: 'LocalStateLocked', message: new RegExp(`in use by process ${process.ppid} \\(on ${hostname()} since 2020-01-01T00:00:00.000Z\\)`) });
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), lock, 'a refused open leaves the holder\'s lock as it was');
  });

  it('takes over a lock file that names no process: empty, not JSON, or a pid that is not a number', async () => {
    const dir = dataDir();
    await (await LocalAws.open({ dataDir: dir })).close();
    for (const content of ['', 'not json', JSON.stringify({ pid: String(process.ppid), hostname: hostname(), since: '2020-01-01T00:00:00.000Z' })]) {
      writeFileSync(join(dir, LOCK_FILE), content);
      await assertTakenOverByThisProcess(dir);
    }
  });

  it('takes over a lock naming this process that this process does not hold (left by an earlier run with the same pid)', async () => {
    const dir = dataDir();
    await (await LocalAws.open({ dataDir: dir })).close();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' }));
    await assertTakenOverByThisProcess(dir);
  });

  it('close leaves a lock that another process has taken since', async () => {
    const dir = dataDir();
    const local = await LocalAws.open({ dataDir: dir });
    const theirs = JSON.stringify({ pid: process.ppid, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' });
    writeFileSync(join(dir, LOCK_FILE), theirs);
    await local.close();
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), theirs);
  });

  it('writes the lock readable by its owner only, and leaves no draft beside it', async () => {
    const dir = dataDir();
    const local = await LocalAws.open({ dataDir: dir });
    try {
      assert.equal(statSync(join(dir, LOCK_FILE)).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(dir).filter((name) => name.includes(LOCK_FILE)), [LOCK_FILE]);
    } finally {
      await local.close();
    }
  });

  it('keeps a lock taken on another host, whose processes it cannot see', async () => {
    const dir = dataDir();
    await (await LocalAws.open({ dataDir: dir })).close();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, hostname: `not-${hostname()}`, since: '2020-01-01T00:00:00.000Z' }));
    await assert.rejects(LocalAws.open({ dataDir: dir }), { code: 'LocalStateLocked', message: new RegExp(`in use by process ${2 ** 22 + 12345} \\(on not-`) });
  });
});
