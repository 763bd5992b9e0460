import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  PutItemCommand,
  ScanCommand,
  TagResourceCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

const waiting = (client: DynamoDBClient) => ({ client, maxWaitTime: 5, minDelay: 0.01, maxDelay: 0.05 });
const table = (TableName: string) => ({ TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const });

describe('DynamoDB tables on disk', () => {
  it('a deleted table takes its items and tags with it, and nothing of the tables beside it; settings survive a restart', async () => {
    const root = temporaryFolder('dynamodb');
    const opened: LocalAws[] = [];
    const open = async () => {
      const local = await LocalAws.open({ dataDir: join(root, '.stackpilot', 'local') });
      opened.push(local);
      return new DynamoDBClient(local.clientConfig());
    };
    try {
      const dynamodb = await open();
      // `drop-more` begins with `drop`: its items must not be taken for those of `drop`.
      for (const name of ['drop', 'drop-more', 'keep']) {
        await dynamodb.send(new CreateTableCommand(table(name)));
        await waitUntilTableExists(waiting(dynamodb), { TableName: name });
        for (const id of ['a', 'b']) await dynamodb.send(new PutItemCommand({ TableName: name, Item: { id: { S: id } } }));
      }
      const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/drop';
      await dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'core' }] }));
      await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: 'keep', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
      await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: 'drop', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
      await dynamodb.send(new DeleteTableCommand({ TableName: 'drop' }));
      await waitUntilTableNotExists(waiting(dynamodb), { TableName: 'drop' });
      await dynamodb.send(new CreateTableCommand(table('drop')));
      await waitUntilTableExists(waiting(dynamodb), { TableName: 'drop' });
      assert.deepEqual((await dynamodb.send(new ScanCommand({ TableName: 'drop' }))).Items, []);
      assert.deepEqual((await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? [], []);
      assert.equal((await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'drop' }))).TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED');
      for (const name of ['drop-more', 'keep']) assert.equal((await dynamodb.send(new ScanCommand({ TableName: name }))).Count, 2, name);
      await opened.pop()!.close();

      const again = await open();
      assert.equal((await again.send(new DescribeTimeToLiveCommand({ TableName: 'keep' }))).TimeToLiveDescription?.TimeToLiveStatus, 'ENABLED');
      assert.equal((await again.send(new DescribeTimeToLiveCommand({ TableName: 'drop' }))).TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED');
      assert.equal((await again.send(new ScanCommand({ TableName: 'keep' }))).Count, 2);
    } finally {
      for (const local of opened) await local.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
