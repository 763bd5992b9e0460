import { CreateTableCommand, DynamoDBClient, waitUntilTableExists, type WriteRequest } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { putRequest, scanTable, writeRequests, type Item } from '../../src/backup/table-data.ts';
import { serveLocalAws } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import type { LocalReply, LocalRequest } from '../../src/emulator/wire.ts';
import { temporaryFolder } from '../helpers.ts';

/**
 * DynamoDB under throttling: the local engine served over HTTP, except that the first
 * `throttledCalls` BatchWriteItem calls write only their first 10 requests and answer the rest
 * as UnprocessedItems, as DynamoDB does when a table's capacity is exceeded.
 */
async function throttlingDynamoDb(throttledCalls: number) {
  const local = await LocalAws.open({ dataDir: temporaryFolder('local') });
  let throttled = 0;
  const partly = async (request: LocalRequest): Promise<LocalReply> => {
    const { RequestItems } = JSON.parse(request.body.toString()) as { RequestItems: Record<string, WriteRequest[]> };
    const [[table, writes]] = Object.entries(RequestItems);
    const reply = await local.dispatch({ ...request, body: Buffer.from(JSON.stringify({ RequestItems: { [table]: writes.slice(0, 10) } })) });
    assert.equal(reply.status, 200);
    const left = writes.slice(10);
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ UnprocessedItems: left.length > 0 ? { [table]: left } : {} }) };
  };
  const server = await serveLocalAws({
    region: local.region,
    dispatch: (request) => (request.headers['x-amz-target'] === 'DynamoDB_20120810.BatchWriteItem' && throttled++ < throttledCalls ? partly(request) : local.dispatch(request)),
  });
  const dynamodb = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    dynamodb,
    close: async () => {
      dynamodb.destroy();
      await server.close();
      await local.close();
    },
  };
}

describe('writing items back', () => {
  it('sends again what DynamoDB leaves unprocessed, after growing waits, until every item is written, and counts it', async () => {
    const { dynamodb, close } = await throttlingDynamoDb(6);
    try {
      await dynamodb.send(new CreateTableCommand({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'orders' });
      const items: Item[] = Array.from({ length: 100 }, (_, i) => ({ id: { S: `order-${i}` }, total: { N: String(i) } }));
      const waits: number[] = [];
      const result = await writeRequests(dynamodb, 'orders', items, putRequest, async (ms) => void waits.push(ms));

      const stored = new Map<string, Item>();
      await scanTable(dynamodb, 'orders', (page) => page.forEach((item) => stored.set(item.id.S!, item)));
      assert.equal(stored.size, 100);
      for (const item of items) assert.deepEqual(stored.get(item.id.S!), item);
      assert.equal(result.written, 100);
      // The 4 batches of 25 each left 15 unprocessed; sent again, 2 of them left 5 once more.
      assert.equal(result.retried, 4 * 15 + 2 * 5);
      assert.deepEqual(waits.sort((a, b) => a - b), [100, 100, 100, 100, 200, 200]);
    } finally {
      await close();
    }
  });
});
