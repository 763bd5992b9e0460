import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  ListBackupsCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, stackOf, update, type Harness } from './engine-harness.ts';

// AWS::DynamoDB::Table: indexes, streams, encryption, TTL, recovery and tags as its properties say:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
const attributes = [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'email', AttributeType: 'S' }];
const table = (properties: Record<string, unknown>, policies: Record<string, string> = {}) => ({
  Resources: { Table: { Type: 'AWS::DynamoDB::Table', ...policies, Properties: { AttributeDefinitions: attributes, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], ...properties } } },
  Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Table', 'Arn'] } }, ...(properties.StreamSpecification ? { StreamArn: { Value: { 'Fn::GetAtt': ['Table', 'StreamArn'] } } } : {}) },
});
const byEmail = (projection: Record<string, unknown>, throughput?: number) => ({
  IndexName: 'by-email',
  KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
  Projection: projection,
  ...(throughput ? { ProvisionedThroughput: { ReadCapacityUnits: throughput, WriteCapacityUnits: throughput * 2 } } : {}),
});

describe('a table configured by its properties', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const ddb = () => h.aws.clients.dynamodb;
  const describeTable = async (name: string): Promise<TableDescription> => (await ddb().send(new DescribeTableCommand({ TableName: name }))).Table!;
  const tags = async (name: string) => ((await ddb().send(new ListTagsOfResourceCommand({ ResourceArn: (await describeTable(name)).TableArn! }))).Tags ?? []).sort((a, b) => a.Key!.localeCompare(b.Key!));
  const ttl = async (name: string) => (await ddb().send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
  const recovery = async (name: string) => (await ddb().send(new DescribeContinuousBackupsCommand({ TableName: name }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
  const indexes = (description: TableDescription) => (description.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.Projection?.ProjectionType, g.Projection?.NonKeyAttributes, g.ProvisionedThroughput?.ReadCapacityUnits, g.ProvisionedThroughput?.WriteCapacityUnits]);

  it('creates the table with its indexes, stream, encryption, TTL, recovery and tags', async () => {
    const properties = {
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['name'] }, 4)],
      LocalSecondaryIndexes: [{ IndexName: 'by-email-local', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'email', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      SSESpecification: { SSEEnabled: 'true', SSEType: 'KMS', KMSMasterKeyId: 'alias/orders' },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'tier', Value: 1 }],
    };
    assert.equal(await deploy(h.engine, 'orders', table(properties)), 'CREATE_COMPLETE');
    const name = (await physicalIds(h.engine, 'orders')).Table;
    const described = await describeTable(name);
    assert.deepEqual([described.ProvisionedThroughput?.ReadCapacityUnits, described.ProvisionedThroughput?.WriteCapacityUnits], [2, 3]);
    assert.deepEqual(described.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    assert.deepEqual(indexes(described), [['by-email', 'INCLUDE', ['name'], 4, 8]]);
    assert.deepEqual(described.LocalSecondaryIndexes?.map((l) => [l.IndexName, l.KeySchema?.[1].AttributeName, l.Projection?.ProjectionType]), [['by-email-local', 'email', 'KEYS_ONLY']]);
    assert.deepEqual(described.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    assert.equal(described.SSEDescription?.Status, 'ENABLED');
    assert.match(described.SSEDescription?.KMSMasterKeyArn ?? '', /alias\/orders$/);
    assert.deepEqual(await ttl(name), { AttributeName: 'expires', TimeToLiveStatus: 'ENABLED' });
    assert.equal(await recovery(name), 'ENABLED');
    assert.deepEqual(await tags(name), [{ Key: 'team', Value: 'orders' }, { Key: 'tier', Value: '1' }]);
    const outputs = await outputsOf(h.engine, 'orders');
    assert.deepEqual(outputs, { Arn: described.TableArn, StreamArn: described.LatestStreamArn }, 'Fn::GetAtt Arn and StreamArn are the table\'s');
  });

  it('updates stream, TTL, recovery and tags in place, keeping the items', async () => {
    const name = (await physicalIds(h.engine, 'orders')).Table;
    await ddb().send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'o-1' }, sk: { S: 'a' }, email: { S: 'ana@example.com' } } }));
    const base = {
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['name'] }, 4)],
      LocalSecondaryIndexes: [{ IndexName: 'by-email-local', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'email', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      SSESpecification: { SSEEnabled: 'true', SSEType: 'KMS', KMSMasterKeyId: 'alias/orders' },
    };
    const next = {
      ...base,
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: false },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'false' },
      Tags: [{ Key: 'team', Value: 'billing' }, { Key: 'owner', Value: 'ana' }],
    };
    assert.equal(await update(h.engine, 'orders', table(next)), 'UPDATE_COMPLETE');
    assert.equal((await physicalIds(h.engine, 'orders')).Table, name, 'the same table');
    assert.deepEqual(indexes(await describeTable(name)), [['by-email', 'INCLUDE', ['name'], 4, 8]], 'the index the update leaves alone stays');
    assert.deepEqual((await describeTable(name)).StreamSpecification, { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    assert.equal((await ttl(name))?.TimeToLiveStatus, 'DISABLED');
    assert.equal(await recovery(name), 'DISABLED');
    assert.deepEqual(await tags(name), [{ Key: 'owner', Value: 'ana' }, { Key: 'team', Value: 'billing' }]);
    assert.equal((await ddb().send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'o-1' }, sk: { S: 'a' } } }))).Item?.email.S, 'ana@example.com');

    assert.equal(await update(h.engine, 'orders', table({ ...base, ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 7 }, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: 'true' } })), 'UPDATE_COMPLETE');
    const throughput = (await describeTable(name)).ProvisionedThroughput;
    assert.deepEqual([throughput?.ReadCapacityUnits, throughput?.WriteCapacityUnits], [6, 7], 'a throughput change alone reaches the table');
    assert.equal((await describeTable(name)).StreamSpecification, undefined, 'a dropped StreamSpecification turns the stream off');
    assert.deepEqual(await ttl(name), { AttributeName: 'expires', TimeToLiveStatus: 'ENABLED' });
    assert.deepEqual(await tags(name), []);
    assert.equal((await ddb().send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'o-1' }, sk: { S: 'a' } } }))).Item?.email.S, 'ana@example.com');
  });

  it('an on-demand table\'s indexes take no throughput, and a dropped TTL turns it off', async () => {
    const onDemand = { BillingMode: 'PAY_PER_REQUEST', TimeToLiveSpecification: { AttributeName: 'gone-at', Enabled: true } };
    assert.equal(await deploy(h.engine, 'events', table({ ...onDemand, GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'KEYS_ONLY' })] })), 'CREATE_COMPLETE');
    const name = (await physicalIds(h.engine, 'events')).Table;
    const described = await describeTable(name);
    assert.equal(described.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(indexes(described), [['by-email', 'KEYS_ONLY', undefined, 0, 0]]);
    assert.equal(await update(h.engine, 'events', table({ BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'KEYS_ONLY' })] })), 'UPDATE_COMPLETE');
    assert.equal((await ttl(name))?.TimeToLiveStatus, 'DISABLED');
  });

  it('leaves TTL alone when an update does not turn it on or off, as DynamoDB refuses to repeat a TTL setting', async () => {
    const sessions = (ttlSpec: Record<string, unknown>, tagList: Record<string, string>[] = []) => table({ BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: attributes.slice(0, 2), TimeToLiveSpecification: ttlSpec, Tags: tagList });
    assert.equal(await deploy(h.engine, 'sessions', sessions({ AttributeName: 'expires', Enabled: true })), 'CREATE_COMPLETE');
    const name = (await physicalIds(h.engine, 'sessions')).Table;
    assert.equal(await update(h.engine, 'sessions', sessions({ AttributeName: 'expires', Enabled: true }, [{ Key: 'team', Value: 'web' }])), 'UPDATE_COMPLETE');
    assert.deepEqual([await ttl(name), await tags(name)], [{ AttributeName: 'expires', TimeToLiveStatus: 'ENABLED' }, [{ Key: 'team', Value: 'web' }]]);

    assert.equal(await deploy(h.engine, 'drafts', sessions({ AttributeName: 'expires', Enabled: false })), 'CREATE_COMPLETE');
    const drafts = (await physicalIds(h.engine, 'drafts')).Table;
    assert.equal(await update(h.engine, 'drafts', sessions({ AttributeName: 'discard-at', Enabled: false })), 'UPDATE_COMPLETE', 'a TTL that stays off is not turned off again');
    assert.equal((await ttl(drafts))?.TimeToLiveStatus, 'DISABLED');
  });

  it('adds, changes and removes a global index in place: the same table, its items in the index', async () => {
    const onDemand = { TableName: 'catalog', BillingMode: 'PAY_PER_REQUEST' };
    // Without the index, `email` is no key attribute: DynamoDB refuses its definition.
    const keysOnly = { ...onDemand, AttributeDefinitions: attributes.slice(0, 2) };
    assert.equal(await deploy(h.engine, 'catalog', table(keysOnly)), 'CREATE_COMPLETE');
    for (const [pk, email] of [['c-1', 'ana@example.com'], ['c-2', 'bo@example.com']]) {
      await ddb().send(new PutItemCommand({ TableName: 'catalog', Item: { pk: { S: pk }, sk: { S: 'profile' }, email: { S: email }, name: { S: pk.toUpperCase() } } }));
    }
    const byAddress = async (email: string) =>
      (await ddb().send(new QueryCommand({ TableName: 'catalog', IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': { S: email } } }))).Items ?? [];

    assert.equal(await update(h.engine, 'catalog', table({ ...onDemand, GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'KEYS_ONLY' })] })), 'UPDATE_COMPLETE');
    assert.deepEqual(indexes(await describeTable('catalog')), [['by-email', 'KEYS_ONLY', undefined, 0, 0]]);
    assert.deepEqual((await byAddress('bo@example.com')).map((item) => [item.pk.S, item.name?.S]), [['c-2', undefined]], 'the index holds the items the table had');

    assert.equal(await update(h.engine, 'catalog', table({ ...onDemand, GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'ALL' })] })), 'UPDATE_COMPLETE');
    assert.deepEqual((await byAddress('bo@example.com')).map((item) => [item.pk.S, item.name?.S]), [['c-2', 'C-2']], 'a changed projection rebuilds the index');

    assert.equal(await update(h.engine, 'catalog', table(keysOnly)), 'UPDATE_COMPLETE');
    assert.deepEqual(indexes(await describeTable('catalog')), []);
    await assert.rejects(byAddress('bo@example.com'), { name: 'ValidationException' });
    assert.equal((await ddb().send(new GetItemCommand({ TableName: 'catalog', Key: { pk: { S: 'c-1' }, sk: { S: 'profile' } } }))).Item?.email.S, 'ana@example.com');
  });

  it('deletes a table without a backup unless its policy is Snapshot, and keeps one its owner protected against deletion', async () => {
    assert.equal(await deploy(h.engine, 'plain', table({ TableName: 'plain', BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'KEYS_ONLY' })] })), 'CREATE_COMPLETE');
    await h.engine.deleteStack({ StackName: 'plain' });
    await h.engine.settled();
    await assert.rejects(describeTable('plain'), { name: 'ResourceNotFoundException' });
    assert.deepEqual((await ddb().send(new ListBackupsCommand({ TableName: 'plain' }))).BackupSummaries ?? [], [], 'DeletionPolicy Delete makes no backup');

    assert.equal(await deploy(h.engine, 'guarded', table({ TableName: 'guarded', BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'KEYS_ONLY' })] })), 'CREATE_COMPLETE');
    await ddb().send(new PutItemCommand({ TableName: 'guarded', Item: { pk: { S: 'keep' }, sk: { S: '1' } } }));
    await ddb().send(new UpdateTableCommand({ TableName: 'guarded', DeletionProtectionEnabled: true }));
    await h.engine.deleteStack({ StackName: 'guarded' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, 'guarded')).StackStatus, 'DELETE_FAILED');
    const lines = await eventLines(h.engine, 'guarded', true);
    assert.ok(lines.some((l) => l.startsWith('Table DELETE_FAILED') && l.includes('protected against deletion')), lines.join('\n'));
    assert.ok((await ddb().send(new GetItemCommand({ TableName: 'guarded', Key: { pk: { S: 'keep' }, sk: { S: '1' } } }))).Item, 'the protected table keeps its items');
  });

  it('rolls back a Snapshot table whose create failed: there is no table to back up', async () => {
    const unusedAttribute = table({ TableName: 'never-made', BillingMode: 'PAY_PER_REQUEST' }, { DeletionPolicy: 'Snapshot' });
    assert.equal(await deploy(h.engine, 'never', unusedAttribute), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'never', true);
    assert.ok(lines.includes('Table DELETE_COMPLETE'), lines.join('\n'));
    assert.deepEqual((await ddb().send(new ListBackupsCommand({ TableName: 'never-made' }))).BackupSummaries ?? [], []);
  });

  it('refuses a table name that is taken, and backs a Snapshot table up under a name that tells whose it was', async () => {
    const ledger = (stack: string) => table({ TableName: 'ledger', BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [byEmail({ ProjectionType: 'KEYS_ONLY' })] }, stack === 'named' ? { DeletionPolicy: 'Snapshot' } : {});
    assert.equal(await deploy(h.engine, 'named', ledger('named')), 'CREATE_COMPLETE');
    await ddb().send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'entry' }, sk: { S: '1' } } }));
    assert.equal(await deploy(h.engine, 'named-again', ledger('named-again')), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'named-again', true);
    assert.ok(lines.includes("Table CREATE_FAILED Resource of type 'AWS::DynamoDB::Table' with identifier 'ledger' already exists."), lines.join('\n'));
    assert.ok((await ddb().send(new GetItemCommand({ TableName: 'ledger', Key: { pk: { S: 'entry' }, sk: { S: '1' } } }))).Item, 'the existing table keeps its items');

    await h.engine.deleteStack({ StackName: 'named' });
    await h.engine.settled();
    const backups = (await ddb().send(new ListBackupsCommand({ TableName: 'ledger' }))).BackupSummaries ?? [];
    assert.deepEqual(backups.map((b) => b.BackupName), ['ledger-Table-snapshot']);
    await assert.rejects(describeTable('ledger'), { name: 'ResourceNotFoundException' });
  });

  it('backs up a Snapshot table with the longest name DynamoDB allows, under a backup name cut to its 255 characters', async () => {
    const TableName = `long-${'n'.repeat(250)}`;
    assert.equal(await deploy(h.engine, 'long-name', table({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: attributes.slice(0, 2) }, { DeletionPolicy: 'Snapshot' })), 'CREATE_COMPLETE');
    const { StackId } = await stackOf(h.engine, 'long-name');
    await h.engine.deleteStack({ StackName: 'long-name' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, StackId!)).StackStatus, 'DELETE_COMPLETE');
    const backups = (await ddb().send(new ListBackupsCommand({ TableName }))).BackupSummaries ?? [];
    assert.deepEqual(backups.map((b) => b.BackupName), [TableName]);
  });
});
