import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
  waitUntilTableExists,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

const waiting = (client: DynamoDBClient) => ({ client, maxWaitTime: 5, minDelay: 0.01, maxDelay: 0.05 });

/** A users table keyed by id, with `count` users of two teams. */
async function usersTable(dynamodb: DynamoDBClient, TableName: string, count: number, billing: 'PAY_PER_REQUEST' | 'PROVISIONED' = 'PAY_PER_REQUEST') {
  await dynamodb.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: billing,
      ...(billing === 'PROVISIONED' ? { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } : {}),
    }),
  );
  await waitUntilTableExists(waiting(dynamodb), { TableName });
  const puts = Array.from({ length: count }, (_, i) => ({ PutRequest: { Item: { id: { S: `u${i}` }, team: { S: i % 2 === 0 ? 'red' : 'blue' }, name: { S: `user ${i}` } } } }));
  for (let i = 0; i < puts.length; i += 25) await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: puts.slice(i, i + 25) } }));
}

const byTeam = (TableName: string, extra: object = {}): UpdateTableCommandInput => ({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'team', AttributeType: 'S' }],
  GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-team', KeySchema: [{ AttributeName: 'team', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ...extra } }],
});

const teamIds = async (dynamodb: DynamoDBClient, TableName: string, team: string) =>
  ((await dynamodb.send(new QueryCommand({ TableName, IndexName: 'by-team', KeyConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': { S: team } } }))).Items ?? [])
    .map((item) => item.id.S)
    .sort();

describe('DynamoDB global secondary indexes added and removed by UpdateTable', () => {
  let local: LocalAws;
  let dynamodb: DynamoDBClient;

  before(async () => {
    local = await LocalAws.open();
    dynamodb = new DynamoDBClient(local.clientConfig());
  });
  after(() => local.close());

  it('a new index holds the items already in the table and those written after; a removed one is gone', async () => {
    await usersTable(dynamodb, 'users', 130);
    const created = await dynamodb.send(new UpdateTableCommand(byTeam('users')));
    assert.deepEqual(created.TableDescription?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]), [['by-team', 'ACTIVE']]);
    const table = (await dynamodb.send(new DescribeTableCommand({ TableName: 'users' }))).Table!;
    assert.equal(table.GlobalSecondaryIndexes?.[0].IndexArn, `${table.TableArn}/index/by-team`);
    assert.deepEqual(table.AttributeDefinitions?.map((definition) => definition.AttributeName).sort(), ['id', 'team']);
    const red = await teamIds(dynamodb, 'users', 'red');
    assert.equal(red.length, 65, 'every item written before the index is in it');
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'late' }, team: { S: 'red' } } }));
    assert.ok((await teamIds(dynamodb, 'users', 'red')).includes('late'), 'an item written after is in it too');

    const removed = await dynamodb.send(new UpdateTableCommand({ TableName: 'users', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-team' } }] }));
    assert.equal(removed.TableDescription?.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(removed.TableDescription?.AttributeDefinitions?.map((definition) => definition.AttributeName), ['id'], 'only key attributes stay defined');
    await assert.rejects(teamIds(dynamodb, 'users', 'red'), { name: 'ValidationException', message: /does not have the specified index/ });

    // Made again under the same name, it holds the items as they are now, nothing of the old one.
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'late' }, team: { S: 'green' } } }));
    await dynamodb.send(new UpdateTableCommand(byTeam('users')));
    assert.deepEqual(await teamIds(dynamodb, 'users', 'green'), ['late']);
    assert.equal((await teamIds(dynamodb, 'users', 'red')).length, 65);
  });

  it('refuses an index change that does not fit the table, and changes nothing else of that request', async () => {
    await usersTable(dynamodb, 'teams', 3, 'PROVISIONED');
    const refusals: [UpdateTableCommandInput, string, RegExp][] = [
      [byTeam('teams'), 'ValidationException', /ProvisionedThroughput must be specified for index: by-team/],
      [{ ...byTeam('teams', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }), AttributeDefinitions: [] }, 'ValidationException', /index key attributes are not defined in AttributeDefinitions. Keys: \[team\]/],
      [{ ...byTeam('teams', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }), AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }, { AttributeName: 'team', AttributeType: 'S' }] }, 'ValidationException', /Cannot change the type of key attribute id from S to N/],
      [{ TableName: 'teams', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-nothing' } }] }, 'ResourceNotFoundException', /Index: by-nothing/],
      [{ TableName: 'teams', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'a' } }] }, 'ValidationException', /index name must be 3 to 255/],
      [
        { TableName: 'teams', GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-team', KeySchema: [{ AttributeName: 'team', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] },
        'ValidationException',
        /KeySchema must be one HASH key/,
      ],
      [
        { ...byTeam('teams', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }), GlobalSecondaryIndexUpdates: [...byTeam('teams').GlobalSecondaryIndexUpdates!, { Delete: { IndexName: 'other' } }] },
        'LimitExceededException',
        /Only 1 online index can be created or deleted/,
      ],
      // Switching to on demand in the same request: the index must then not name throughput.
      [{ ...byTeam('teams', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }), BillingMode: 'PAY_PER_REQUEST' }, 'ValidationException', /should not be specified for index: by-team when BillingMode is PAY_PER_REQUEST/],
    ];
    for (const [input, name, message] of refusals) await assert.rejects(dynamodb.send(new UpdateTableCommand(input)), { name, message }, JSON.stringify(input));
    const table = (await dynamodb.send(new DescribeTableCommand({ TableName: 'teams' }))).Table!;
    assert.equal(table.GlobalSecondaryIndexes, undefined);
    assert.equal(table.BillingModeSummary?.BillingMode ?? 'PROVISIONED', 'PROVISIONED', 'the billing change of a refused request is not applied');

    const withThroughput = byTeam('teams', { ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } });
    const created = await dynamodb.send(new UpdateTableCommand(withThroughput));
    const throughput = created.TableDescription?.GlobalSecondaryIndexes?.[0].ProvisionedThroughput;
    assert.deepEqual([throughput?.ReadCapacityUnits, throughput?.WriteCapacityUnits], [2, 3]);
    await assert.rejects(dynamodb.send(new UpdateTableCommand(withThroughput)), { name: 'ValidationException', message: /index which already exists: by-team/ });
  });
});

describe('DynamoDB index fill interrupted by a kill', () => {
  it('an index left CREATING is filled again when the store next opens', async () => {
    const dataDir = join(temporaryFolder('dynamodb-index'), '.stackpilot', 'local');
    let local = await LocalAws.open({ dataDir });
    let dynamodb = new DynamoDBClient(local.clientConfig());
    await usersTable(dynamodb, 'crew', 40);
    await dynamodb.send(new UpdateTableCommand(byTeam('crew')));
    await local.close();

    // What a kill in the middle of the fill leaves: the index recorded CREATING and only part of it written.
    const require = createRequire(import.meta.url);
    const { ClassicLevel } = require('classic-level') as typeof import('classic-level');
    const level = new ClassicLevel<string, string>(join(dataDir, 'dynamodb', 'us-east-1', 'tables'), { valueEncoding: 'utf8' });
    const stored = await level.get('table~crew');
    assert.ok(stored, 'the table record is where dynalite keeps it');
    const record = JSON.parse(stored) as { GlobalSecondaryIndexes: { IndexStatus: string }[] };
    record.GlobalSecondaryIndexes[0].IndexStatus = 'CREATING';
    await level.put('table~crew', JSON.stringify(record));
    const indexKeys: string[] = [];
    for await (const key of level.keys({ gte: 'index-global~crew~by-team~', lt: 'index-global~crew~by-team~\u{10FFFF}' })) indexKeys.push(key);
    assert.equal(indexKeys.length, 40);
    await level.batch(indexKeys.slice(0, 25).map((key) => ({ type: 'del' as const, key })));
    await level.close();

    local = await LocalAws.open({ dataDir });
    try {
      dynamodb = new DynamoDBClient(local.clientConfig());
      const table = (await dynamodb.send(new DescribeTableCommand({ TableName: 'crew' }))).Table!;
      assert.equal(table.GlobalSecondaryIndexes?.[0].IndexStatus, 'ACTIVE');
      assert.equal((await teamIds(dynamodb, 'crew', 'red')).length + (await teamIds(dynamodb, 'crew', 'blue')).length, 40);
      await dynamodb.send(new UpdateTableCommand({ TableName: 'crew', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-team' } }] }));
    } finally {
      await local.close();
    }
    const reopened = new ClassicLevel<string, string>(join(dataDir, 'dynamodb', 'us-east-1', 'tables'), { valueEncoding: 'utf8' });
    const left: string[] = [];
    for await (const key of reopened.keys({ gte: 'index-global~crew~', lt: 'index-global~crew~\u{10FFFF}' })) left.push(key);
    await reopened.close();
    assert.deepEqual(left, [], 'a removed index leaves nothing on disk');
  });
});
