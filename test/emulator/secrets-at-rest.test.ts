import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudFormationClient, CreateChangeSetCommand, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBackupCommand, CreateTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';

// Files must come out owner-only whatever the umask: test with the usual, looser one.
process.umask(0o022);

// Distinctive values, with characters JSON escapes, so that an escaped copy is caught too.
const NOECHO_VALUE = 'noecho-"Tr0ub4dor\\3"-9f1c';
const CHANGE_SET_VALUE = 'changeset-"c0rrect\\horse"-77aa';
const SECURE_V1 = 'securestring-"first\\one"-1b2e';
const SECURE_V2 = 'securestring-"second\\one"-3d4f';
const SECRET_STRING = 'secretstring-"hunter\\2"-5e6a';
const SECRET_BINARY = Buffer.from('secretbinary-\u0000\u00ff-8c9d');

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
  const stackpilot = join(mkdtempSync(join(tmpdir(), 'stackpilot-secrets-')), '.stackpilot');
  return { stackpilot, dataDir: join(stackpilot, 'local') };
}

/** Every file and folder under `root`, itself included. */
function entriesUnder(root: string): { path: string; folder: boolean; mode: number }[] {
  const stat = lstatSync(root);
  const entry = { path: root, folder: stat.isDirectory(), mode: stat.mode & 0o777 };
  if (!entry.folder) return [entry];
  return [entry, ...readdirSync(root).flatMap((name) => entriesUnder(join(root, name)))];
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

describe('local state at rest', () => {
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
});
