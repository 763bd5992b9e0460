import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudFormationClient, CreateChangeSetCommand, CreateStackCommand, ExecuteChangeSetCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBackupCommand, CreateTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { SECRETS_KEY_FILE } from '../../src/emulator/state-secrets.ts';
import { StackpilotError } from '../../src/errors.ts';
import { StackStore } from '../../src/engine/stack-store.ts';
import type { ChangeSetRecord, StackRecord } from '../../src/engine/state.ts';
import { temporaryFolder } from '../helpers.ts';

// Files must come out owner-only whatever the umask: test with the usual, looser one.
process.umask(0o022);

// Distinctive values, with characters JSON escapes, so that an escaped copy is caught too.
const NOECHO_VALUE = 'noecho-"Tr0ub4dor\\3"-9f1c';
const CHANGE_SET_VALUE = 'changeset-"c0rrect\\horse"-77aa';
const SECURE_V1 = 'securestring-"first\\one"-1b2e';
const SECURE_V2 = 'securestring-"second\\one"-3d4f';
const SECRET_STRING = 'secretstring-"hunter\\2"-5e6a';
const SECRET_BINARY = Buffer.from('secretbinary-\u0000\u00ff-8c9d');

const SECRETS = [NOECHO_VALUE, CHANGE_SET_VALUE, SECURE_V1, SECURE_V2, SECRET_STRING];

const appTemplate = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Parameters: { DbPassword: { Type: 'String', NoEcho: true } },
    Resources: {
      AppSecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'app-secret', SecretString: { 'Fn::Sub': '{"password":"${DbPassword}"}' } } },
      ...extra,
    },
    Outputs: { Dsn: { Value: { 'Fn::Sub': 'postgres://app:${DbPassword}@db' } } },
  });

const copyTemplate = JSON.stringify({
  Parameters: { DbPassword: { Type: 'String', NoEcho: true } },
  Resources: { Copy: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'copy-secret', SecretString: { Ref: 'DbPassword' } } } },
});

function newDataDir(): { stackpilot: string; dataDir: string } {
  const stackpilot = join(temporaryFolder('secrets'), '.stackpilot');
  return { stackpilot, dataDir: join(stackpilot, 'local') };
}

/** Every file and folder under `root`, itself included. */
function entriesUnder(root: string): { path: string; folder: boolean; mode: number }[] {
  const stat = lstatSync(root);
  const entry = { path: root, folder: stat.isDirectory(), mode: stat.mode & 0o777 };
  if (!entry.folder) return [entry];
  return [entry, ...readdirSync(root).flatMap((name) => entriesUnder(join(root, name)))];
}

/** Fails naming the file (and the form) of any secret found in the clear under `root`. */
function assertNoSecretInTheClear(root: string, secrets: string[] = SECRETS): void {
  const forms = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]).map((text) => Buffer.from(text));
  forms.push(SECRET_BINARY, Buffer.from(SECRET_BINARY.toString('base64')));
  const files = entriesUnder(root).filter((entry) => !entry.folder);
  assert.ok(files.length > 0, `no file under ${root}: nothing to search`);
  for (const entry of files) {
    const content = readFileSync(entry.path);
    for (const form of forms) assert.ok(!content.includes(form), `${entry.path} holds ${JSON.stringify(form.toString())} in the clear`);
  }
}

function assertOwnerOnly(root: string): void {
  const loose = entriesUnder(root).filter((entry) => entry.mode !== (entry.folder ? 0o700 : 0o600));
  assert.deepEqual(loose.map((entry) => `${entry.path} ${entry.mode.toString(8)}`), [], 'every folder is 0700 and every file 0600');
}

/** Local state holding each kind of secret value, plus data of every other service (so that their files are checked too). */
async function stateWithSecrets(dataDir: string): Promise<void> {
  const local = await LocalAws.open({ dataDir });
  try {
    const cloudformation = new CloudFormationClient(local.clientConfig());
    await cloudformation.send(new CreateStackCommand({ StackName: 'app', TemplateBody: appTemplate(), Parameters: [{ ParameterKey: 'DbPassword', ParameterValue: NOECHO_VALUE }] }));
    await cloudformation.send(new CreateChangeSetCommand({ StackName: 'copy', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: copyTemplate, Parameters: [{ ParameterKey: 'DbPassword', ParameterValue: CHANGE_SET_VALUE }] }));
    const ssm = new SSMClient(local.clientConfig());
    await ssm.send(new PutParameterCommand({ Name: '/app/password', Type: 'SecureString', Value: SECURE_V1 }));
    await ssm.send(new PutParameterCommand({ Name: '/app/password', Type: 'SecureString', Value: SECURE_V2, Overwrite: true }));
    const secretsManager = new SecretsManagerClient(local.clientConfig());
    await secretsManager.send(new CreateSecretCommand({ Name: 'api-key', SecretString: SECRET_STRING }));
    await secretsManager.send(new PutSecretValueCommand({ SecretId: 'api-key', SecretBinary: SECRET_BINARY }));
    const s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'bodies' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bodies', Key: 'a.txt', Body: 'body' }));
    const dynamodb = new DynamoDBClient(local.clientConfig());
    await dynamodb.send(new CreateTableCommand({ TableName: 'items', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 5, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'items' });
    await dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'k1' } } }));
    await dynamodb.send(new CreateBackupCommand({ TableName: 'items', BackupName: 'nightly' }));
    await local.settled();
  } finally {
    await local.close();
  }
}

async function secretValue(local: LocalAws, input: { SecretId: string; VersionStage?: string }) {
  return new SecretsManagerClient(local.clientConfig()).send(new GetSecretValueCommand(input));
}

describe('secrets at rest in the local state', () => {
  it('keeps NoEcho values, SecureStrings and secret values out of the clear, in owner-only files, and reads them back', async () => {
    const { stackpilot, dataDir } = newDataDir();
    await stateWithSecrets(dataDir);
    assertNoSecretInTheClear(stackpilot);
    assertOwnerOnly(stackpilot);
    assert.ok(existsSync(join(dataDir, SECRETS_KEY_FILE)));

    const local = await LocalAws.open({ dataDir });
    try {
      const ssm = new SSMClient(local.clientConfig());
      assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/password:1', WithDecryption: true }))).Parameter?.Value, SECURE_V1);
      assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/password', WithDecryption: true }))).Parameter?.Value, SECURE_V2);
      assert.equal((await secretValue(local, { SecretId: 'api-key', VersionStage: 'AWSPREVIOUS' })).SecretString, SECRET_STRING);
      assert.deepEqual(Buffer.from((await secretValue(local, { SecretId: 'api-key' })).SecretBinary!), SECRET_BINARY);
      assert.equal((await secretValue(local, { SecretId: 'app-secret' })).SecretString, `{"password":"${NOECHO_VALUE}"}`);

      // The engine reads the NoEcho value back from its stack record (UsePreviousValue), and the change set's from change-sets.json.
      const cloudformation = new CloudFormationClient(local.clientConfig());
      const echo = { Echo: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'echo-secret', SecretString: { Ref: 'DbPassword' } } } };
      await cloudformation.send(new UpdateStackCommand({ StackName: 'app', TemplateBody: appTemplate(echo), Parameters: [{ ParameterKey: 'DbPassword', UsePreviousValue: true }] }));
      await cloudformation.send(new ExecuteChangeSetCommand({ StackName: 'copy', ChangeSetName: 'first' }));
      await local.settled();
      assert.equal((await secretValue(local, { SecretId: 'echo-secret' })).SecretString, NOECHO_VALUE);
      assert.equal((await secretValue(local, { SecretId: 'copy-secret' })).SecretString, CHANGE_SET_VALUE);
    } finally {
      await local.close();
    }
    assertNoSecretInTheClear(stackpilot);
    assertOwnerOnly(stackpilot);
  });

  it('tightens the modes of state written with looser ones when it is opened', async () => {
    const { stackpilot, dataDir } = newDataDir();
    await stateWithSecrets(dataDir);
    // What earlier versions left: files 0644 in folders 0755.
    for (const entry of entriesUnder(dataDir)) chmodSync(entry.path, entry.folder ? 0o755 : 0o644);
    const local = await LocalAws.open({ dataDir });
    try {
      assertOwnerOnly(stackpilot); // the lock and LevelDB's files included
    } finally {
      await local.close();
    }
    assertOwnerOnly(stackpilot);
  });

  it('reads the plaintext SSM and Secrets Manager documents of earlier versions, and seals their values when it writes them again', async () => {
    const { dataDir } = newDataDir();
    const parameters = join(dataDir, 'ssm', 'us-east-1.json');
    const secrets = join(dataDir, 'secretsmanager', 'us-east-1.json');
    mkdirSync(join(dataDir, 'ssm'), { recursive: true });
    mkdirSync(join(dataDir, 'secretsmanager'), { recursive: true });
    writeFileSync(parameters, JSON.stringify({ '/old': { name: '/old', tags: [], versions: [{ version: 1, value: SECURE_V1, type: 'SecureString', keyId: 'alias/aws/ssm', dataType: 'text', tier: 'Standard', lastModifiedDate: 1 }] } }));
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:old-AbCdEf';
    writeFileSync(secrets, JSON.stringify({ old: { arn, name: 'old', tags: [], createdDate: 1, lastChangedDate: 1, versions: { v1: { secretString: SECRET_STRING, createdDate: 1, stages: ['AWSCURRENT'] } } } }));

    const local = await LocalAws.open({ dataDir });
    try {
      const ssm = new SSMClient(local.clientConfig());
      assert.equal((await ssm.send(new GetParameterCommand({ Name: '/old', WithDecryption: true }))).Parameter?.Value, SECURE_V1);
      assert.equal((await secretValue(local, { SecretId: 'old' })).SecretString, SECRET_STRING);
      await ssm.send(new PutParameterCommand({ Name: '/new', Type: 'String', Value: 'plain' }));
      await new SecretsManagerClient(local.clientConfig()).send(new CreateSecretCommand({ Name: 'new', SecretString: 'x' }));
      assertNoSecretInTheClear(join(dataDir, 'ssm'));
      assertNoSecretInTheClear(join(dataDir, 'secretsmanager'));
    } finally {
      await local.close();
    }
    const reopened = await LocalAws.open({ dataDir });
    try {
      assert.equal((await new SSMClient(reopened.clientConfig()).send(new GetParameterCommand({ Name: '/old', WithDecryption: true }))).Parameter?.Value, SECURE_V1);
      assert.equal((await secretValue(reopened, { SecretId: 'old' })).SecretString, SECRET_STRING);
    } finally {
      await reopened.close();
    }
  });
});

describe('StackStore: NoEcho values at rest', () => {
  const parameters = [
    { key: 'Password', value: NOECHO_VALUE, noEcho: true },
    { key: 'FromSsm', value: '/app/password', resolvedValue: SECURE_V2, noEcho: true },
    { key: 'Visible', value: 'shown-in-the-clear', noEcho: false },
  ];
  const stack: StackRecord = {
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/0b6a3f3e-0000-4000-8000-000000000001',
    stackName: 'app',
    status: 'UPDATE_IN_PROGRESS',
    creationTime: '2024-01-01T00:00:00.000Z',
    templateBody: '{}',
    parameters,
    capabilities: [],
    notificationARNs: [],
    tags: [],
    disableRollback: false,
    terminationProtection: false,
    outputs: [{ key: 'Dsn', value: `postgres://app:${NOECHO_VALUE}@db` }],
    imports: [],
    resources: {
      Secret: { logicalId: 'Secret', type: 'AWS::SecretsManager::Secret', status: 'UPDATE_IN_PROGRESS', updatedAt: '2024-01-01T00:00:00.000Z', properties: { SecretString: SECURE_V2, Tags: [{ Key: 'k', Value: `x${NOECHO_VALUE}` }] }, attributes: {}, deletionPolicy: 'Delete', updateReplacePolicy: 'Delete', dependsOn: [] },
    },
    events: [{ eventId: 'e1', logicalId: 'app', type: 'AWS::CloudFormation::Stack', timestamp: '2024-01-01T00:00:00.000Z', status: 'UPDATE_IN_PROGRESS', reason: `failed near ${NOECHO_VALUE}` }],
    journal: {
      previousTemplateBody: '{}',
      previousParameters: [{ key: 'Password', value: SECURE_V1, noEcho: true }],
      previousOutputs: [],
      previousImports: [],
      previousCapabilities: [],
      previousTags: [],
      before: { Secret: null },
      replaced: {},
      removed: {},
      discard: [],
    },
  };
  const changeSet: ChangeSetRecord = {
    changeSetId: 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/next/0b6a3f3e-0000-4000-8000-000000000002',
    changeSetName: 'next',
    stackId: stack.stackId,
    stackName: 'app',
    changeSetType: 'UPDATE',
    status: 'CREATE_COMPLETE',
    executionStatus: 'AVAILABLE',
    creationTime: '2024-01-01T00:00:00.000Z',
    templateBody: '{}',
    parameters: [{ key: 'Password', value: CHANGE_SET_VALUE, noEcho: true }],
    capabilities: [],
    notificationARNs: [],
    tags: [],
    changes: [],
    includeNestedStacks: false,
  };

  function storeWithRecords(): string {
    const stateDir = join(newDataDir().dataDir, 'cloudformation', 'us-east-1');
    const store = new StackStore(stateDir);
    store.add(structuredClone(stack));
    store.changeSets.set(changeSet.changeSetId, structuredClone(changeSet));
    store.changed();
    store.flush();
    return stateDir;
  }

  it('seals every NoEcho value (given, resolved, previous, and where the stack used them) and reads the records back as they were', () => {
    const stateDir = storeWithRecords();
    assertNoSecretInTheClear(stateDir);
    const record = readFileSync(join(stateDir, 'stacks', readdirSync(join(stateDir, 'stacks')).find((f) => f.endsWith('.json'))!), 'utf8');
    assert.ok(record.includes('shown-in-the-clear'), 'what is not secret stays readable');

    const reloaded = new StackStore(stateDir);
    reloaded.load();
    assert.deepEqual(reloaded.find('app'), stack);
    assert.deepEqual(reloaded.changeSets.get(changeSet.changeSetId), changeSet);
  });

  it('names a stack record whose sealed values the key cannot open, with the repair that keeps the rest', () => {
    const stateDir = storeWithRecords();
    writeFileSync(join(stateDir, SECRETS_KEY_FILE), `${randomBytes(32).toString('base64')}\n`);
    assert.throws(
      () => new StackStore(stateDir).load(),
      (error: unknown) => {
        assert.ok(error instanceof StackpilotError, String(error));
        assert.equal(error.code, 'LocalStateDamaged');
        assert.match(error.message, /stacks\/app-[0-9a-f-]+\.json has a sealed secret value that the key in .*secrets\.key cannot open/);
        assert.match(error.hint ?? '', /losing this stack/);
        return true;
      },
    );
  });

  it('reads the plaintext records of earlier versions, and seals them when it writes them again', () => {
    const stateDir = storeWithRecords();
    const folder = join(stateDir, 'stacks');
    const file = join(folder, readdirSync(folder).find((f) => f.endsWith('.json'))!);
    writeFileSync(file, JSON.stringify({ ...stack, events: undefined }));
    writeFileSync(join(stateDir, 'change-sets.json'), JSON.stringify([changeSet]));
    const reloaded = new StackStore(stateDir);
    reloaded.load();
    assert.deepEqual(reloaded.find('app')?.parameters, parameters);
    assert.deepEqual(reloaded.changeSets.get(changeSet.changeSetId), changeSet);
    reloaded.changed(reloaded.find('app'));
    reloaded.changed();
    reloaded.flush();
    assertNoSecretInTheClear(stateDir);
  });
});
