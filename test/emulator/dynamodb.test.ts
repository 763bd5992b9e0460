import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand,
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListBackupsCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  RestoreTableFromBackupCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { LocalAws } from '../../src/emulator/local-aws.ts';

function ordersTable(TableName: string): CreateTableCommandInput {
  return {
    TableName,
    KeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'orderId', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'orderId', AttributeType: 'N' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

describe('DynamoDB emulator through the SDK', () => {
  let local: LocalAws;
  let dynamodb: DynamoDBClient;

  before(async () => {
    local = await LocalAws.open();
    dynamodb = new DynamoDBClient(local.clientConfig());
  });
  after(() => local.close());

  async function createTable(input: CreateTableCommandInput) {
    const created = await dynamodb.send(new CreateTableCommand(input));
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 5, minDelay: 0.01, maxDelay: 0.05 }, { TableName: input.TableName });
    return created;
  }

  it('puts, gets and queries items through dynalite', async () => {
    await createTable(ordersTable('orders'));
    for (let orderId = 1; orderId <= 5; orderId++) {
      await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ada' }, orderId: { N: String(orderId) }, total: { N: String(orderId * 10) } } }));
    }
    await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'bob' }, orderId: { N: '1' } } }));
    const item = await dynamodb.send(new GetItemCommand({ TableName: 'orders', Key: { customer: { S: 'ada' }, orderId: { N: '3' } } }));
    assert.deepEqual(item.Item, { customer: { S: 'ada' }, orderId: { N: '3' }, total: { N: '30' } });
    const query = await dynamodb.send(
      new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c AND orderId > :min', ExpressionAttributeValues: { ':c': { S: 'ada' }, ':min': { N: '2' } } }),
    );
    assert.deepEqual(query.Items?.map((i) => i.orderId.N), ['3', '4', '5']);
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
    assert.equal(described.Table?.TableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/orders');
    assert.equal(described.Table?.DeletionProtectionEnabled, false);
    await assert.rejects(dynamodb.send(new GetItemCommand({ TableName: 'nope-table', Key: { id: { S: 'x' } } })), { name: 'ResourceNotFoundException' });
  });

  it('records encryption, streams, tags and deletion protection from CreateTable', async () => {
    const created = await createTable({
      ...ordersTable('secured'),
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/orders' },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      DeletionProtectionEnabled: true,
      Tags: [{ Key: 'team', Value: 'orders' }],
    });
    assert.equal(created.TableDescription?.SSEDescription?.Status, 'ENABLED');
    const table = (await dynamodb.send(new DescribeTableCommand({ TableName: 'secured' }))).Table!;
    assert.deepEqual(table.SSEDescription, { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/orders' });
    assert.equal(table.StreamSpecification?.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.match(table.LatestStreamArn ?? '', /^arn:aws:dynamodb:us-east-1:123456789012:table\/secured\/stream\//);
    const tags = await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'orders' }]);

    await assert.rejects(dynamodb.send(new DeleteTableCommand({ TableName: 'secured' })), { name: 'ValidationException', message: /protected against deletion/ });
    const updated = await dynamodb.send(new UpdateTableCommand({ TableName: 'secured', DeletionProtectionEnabled: false }));
    assert.equal(updated.TableDescription?.DeletionProtectionEnabled, false);
    await dynamodb.send(new DeleteTableCommand({ TableName: 'secured' }));
    await waitUntilTableNotExists({ client: dynamodb, maxWaitTime: 5, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'secured' });
    assert.ok(!(await dynamodb.send(new ListTablesCommand({}))).TableNames?.includes('secured'));
  });

  it('backs up the items and restores them into a new table', async () => {
    await createTable(ordersTable('ledger'));
    const requests = Array.from({ length: 60 }, (_, i) => ({ PutRequest: { Item: { customer: { S: `c${i % 3}` }, orderId: { N: String(i) }, note: { S: `entry ${i}` } } } }));
    for (let i = 0; i < requests.length; i += 25) await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { ledger: requests.slice(i, i + 25) } }));

    const backup = await dynamodb.send(new CreateBackupCommand({ TableName: 'ledger', BackupName: 'before-migration' }));
    const arn = backup.BackupDetails?.BackupArn;
    assert.match(arn ?? '', /^arn:aws:dynamodb:us-east-1:123456789012:table\/ledger\/backup\/\d{17}-[0-9a-f]{8}$/);
    assert.equal(backup.BackupDetails?.BackupStatus, 'AVAILABLE');
    const described = await dynamodb.send(new DescribeBackupCommand({ BackupArn: arn }));
    assert.equal(described.BackupDescription?.SourceTableDetails?.ItemCount, 60);
    assert.equal(described.BackupDescription?.SourceTableDetails?.BillingMode, 'PAY_PER_REQUEST');
    for (const BackupName of ['x', 'b'.repeat(256), 'before migration']) {
      await assert.rejects(dynamodb.send(new CreateBackupCommand({ TableName: 'ledger', BackupName })), { name: 'ValidationException' }, BackupName);
    }
    const listed = await dynamodb.send(new ListBackupsCommand({ TableName: 'ledger' }));
    assert.deepEqual(listed.BackupSummaries?.map((b) => b.BackupName), ['before-migration'], 'a name DynamoDB refuses makes no backup');

    // Later writes are not in the backup.
    await dynamodb.send(new PutItemCommand({ TableName: 'ledger', Item: { customer: { S: 'late' }, orderId: { N: '999' } } }));
    const restored = await dynamodb.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'ledger-restored' }));
    assert.equal(restored.TableDescription?.RestoreSummary?.SourceBackupArn, arn);
    const scan = await dynamodb.send(new ScanCommand({ TableName: 'ledger-restored' }));
    assert.equal(scan.Count, 60);
    const one = await dynamodb.send(new GetItemCommand({ TableName: 'ledger-restored', Key: { customer: { S: 'c1' }, orderId: { N: '7' } } }));
    assert.equal(one.Item?.note.S, 'entry 7');
    await assert.rejects(dynamodb.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'ledger' })), { name: 'TableAlreadyExistsException' });

    await dynamodb.send(new DeleteBackupCommand({ BackupArn: arn }));
    await assert.rejects(dynamodb.send(new DescribeBackupCommand({ BackupArn: arn })), { name: 'BackupNotFoundException' });
    await assert.rejects(dynamodb.send(new CreateBackupCommand({ TableName: 'missing-table', BackupName: 'nightly' })), { name: 'TableNotFoundException' });
  });

  it('records point-in-time recovery and time to live per table', async () => {
    await createTable(ordersTable('sessions'));
    const initial = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'sessions' }));
    assert.equal(initial.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED');
    const enabled = await dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: 'sessions', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    const pitr = enabled.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    assert.equal(pitr?.PointInTimeRecoveryStatus, 'ENABLED');
    assert.ok(pitr?.EarliestRestorableDateTime instanceof Date);
    const again = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'sessions' }));
    assert.equal(again.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED');
    await assert.rejects(dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'missing-table' })), { name: 'TableNotFoundException' });

    assert.deepEqual((await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'sessions' }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    assert.deepEqual((await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'sessions' }))).TimeToLiveDescription, {
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
    await assert.rejects(
      dynamodb.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } })),
      { name: 'ValidationException', message: 'TimeToLive is already enabled' },
    );
  });

  it('keeps each region apart', async () => {
    const europe = new DynamoDBClient(local.clientConfig('eu-central-1'));
    await europe.send(new CreateTableCommand(ordersTable('regional')));
    assert.ok((await europe.send(new ListTablesCommand({}))).TableNames?.includes('regional'));
    assert.ok(!(await dynamodb.send(new ListTablesCommand({}))).TableNames?.includes('regional'));
    const table = (await europe.send(new DescribeTableCommand({ TableName: 'regional' }))).Table;
    assert.equal(table?.TableArn, 'arn:aws:dynamodb:eu-central-1:123456789012:table/regional');
  });
});
