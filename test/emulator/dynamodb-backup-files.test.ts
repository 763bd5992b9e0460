import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateBackupCommand, CreateTableCommand, DynamoDBClient, ListTablesCommand, RestoreTableFromBackupCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { tableChecksum } from '../../src/backup/checksum.ts';
import { putRequest, scanTable, writeRequests, type Item } from '../../src/backup/table-data.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

const ITEMS: Item[] = Array.from({ length: 300 }, (_, i) => ({ id: { S: `k${i}` }, body: { M: { n: { N: String(i) }, text: { S: `line\n${i}` } } } }));

async function withDynamoDb<T>(dataDir: string, work: (dynamodb: DynamoDBClient) => Promise<T>): Promise<T> {
  const local = await LocalAws.open({ dataDir });
  try {
    return await work(new DynamoDBClient(local.clientConfig()));
  } finally {
    await local.close();
  }
}

async function restoredChecksum(dynamodb: DynamoDBClient, backupArn: string, tableName: string): Promise<string> {
  await dynamodb.send(new RestoreTableFromBackupCommand({ BackupArn: backupArn, TargetTableName: tableName }));
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.05 }, { TableName: tableName });
  const items: Item[] = [];
  await scanTable(dynamodb, tableName, (page) => void items.push(...page));
  return tableChecksum(items);
}

describe('local DynamoDB backups on disk', () => {
  it('keep a backup\'s items in a file of its own, one line each, that restores every item after a restart', async () => {
    const dataDir = join(temporaryFolder('local'), '.stackpilot', 'local');
    const backupArn = await withDynamoDb(dataDir, async (dynamodb) => {
      await dynamodb.send(new CreateTableCommand({ TableName: 'ledger', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'ledger' });
      await writeRequests(dynamodb, 'ledger', ITEMS, putRequest);
      return (await dynamodb.send(new CreateBackupCommand({ TableName: 'ledger', BackupName: 'nightly' }))).BackupDetails!.BackupArn!;
    });
    const folder = join(dataDir, 'dynamodb', 'us-east-1', 'backups');
    const files = readdirSync(folder);
    assert.equal(files.length, 1, `no draft left beside the backup: ${files.join(', ')}`);
    assert.match(files[0], /\.jsonl$/);
    const lines = readFileSync(join(folder, files[0]), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, ITEMS.length);

    // The draft of a backup file a kill interrupted goes when the state is next opened.
    const draft = join(folder, `${files[0]}.4242.1.tmp`);
    writeFileSync(draft, lines.slice(0, 10).join('\n'));
    assert.equal(await withDynamoDb(dataDir, (dynamodb) => restoredChecksum(dynamodb, backupArn, 'ledger-restored')), tableChecksum(ITEMS));
    assert.deepEqual(readdirSync(folder), files);

    // A backup taken by an earlier version: every item in one JSON list.
    rmSync(join(folder, files[0]));
    writeFileSync(join(folder, files[0].replace(/\.jsonl$/, '.json')), JSON.stringify(lines.map((line) => JSON.parse(line) as unknown)));
    assert.equal(await withDynamoDb(dataDir, (dynamodb) => restoredChecksum(dynamodb, backupArn, 'ledger-restored-again')), tableChecksum(ITEMS));
  });

  it('name the damaged line of a backup file, and the way to keep the rest of the state', async () => {
    const dataDir = join(temporaryFolder('local'), '.stackpilot', 'local');
    const backupArn = await withDynamoDb(dataDir, async (dynamodb) => {
      await dynamodb.send(new CreateTableCommand({ TableName: 'ledger', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'ledger' });
      await writeRequests(dynamodb, 'ledger', ITEMS.slice(0, 3), putRequest);
      return (await dynamodb.send(new CreateBackupCommand({ TableName: 'ledger', BackupName: 'nightly' }))).BackupDetails!.BackupArn!;
    });
    const folder = join(dataDir, 'dynamodb', 'us-east-1', 'backups');
    const file = join(folder, readdirSync(folder)[0]);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = '{"id": {"S": "k1"';
    writeFileSync(file, lines.join('\n'));
    await withDynamoDb(dataDir, async (dynamodb) => {
      await assert.rejects(dynamodb.send(new RestoreTableFromBackupCommand({ BackupArn: backupArn, TargetTableName: 'ledger-restored' })), (error: Error) => {
        assert.match(error.message, /backups\/[^ ]+\.jsonl has a damaged item on line 2\. To keep the rest of the local state, remove /);
        return true;
      });
      assert.deepEqual((await dynamodb.send(new ListTablesCommand({}))).TableNames, ['ledger'], 'no half-restored table is left');
    });
  });
});
