import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { itemDigest } from './checksum.ts';
import { forEachConcurrently } from './concurrency.ts';

export type Item = Record<string, AttributeValue>;

/** Scan segments read at once: a table is read in parallel, as AWS recommends for large tables. */
const SCAN_SEGMENTS = 4;
/** BatchWriteItem's limit per call. */
const BATCH_SIZE = 25;
/** Batches in flight at once. */
const WRITE_CONCURRENCY = 8;
/** UnprocessedItems are retried this many times, with growing waits, before the write fails. */
const MAX_RETRIES = 10;

/**
 * Reads every item of a table (every page of every segment), handing each page to `onPage`.
 * Pages come as Scan answers them: the caller must not depend on their order.
 */
export async function scanTable(dynamodb: DynamoDBClient, tableName: string, onPage: (items: Item[]) => void): Promise<void> {
  const segment = async (index: number) => {
    let startKey: Item | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: tableName, Segment: index, TotalSegments: SCAN_SEGMENTS, ExclusiveStartKey: startKey, ConsistentRead: true }));
      onPage(page.Items ?? []);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(Array.from({ length: SCAN_SEGMENTS }, (_, index) => segment(index)));
}

/** A table's item count and the per-item hashes its checksum is made of. */
export async function tableDigests(dynamodb: DynamoDBClient, tableName: string): Promise<string[]> {
  const digests: string[] = [];
  await scanTable(dynamodb, tableName, (items) => {
    for (const item of items) digests.push(itemDigest(item));
  });
  return digests;
}

export interface WriteResult {
  written: number;
  /** Items DynamoDB left unprocessed at first and that were sent again. */
  retried: number;
}

/**
 * Writes (puts or deletes) in batches of 25, several batches at once; UnprocessedItems are sent
 * again after a growing wait, so throttling slows the write down instead of losing items.
 */
export async function writeRequests(dynamodb: DynamoDBClient, tableName: string, requests: WriteRequest[], sleep = defaultSleep): Promise<WriteResult> {
  let retried = 0;
  const writeBatch = async (batch: WriteRequest[]) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_RETRIES) throw new Error(`DynamoDB left ${pending.length} writes to ${tableName} unprocessed after ${MAX_RETRIES} retries`);
      if (attempt > 0) {
        retried += pending.length;
        await sleep(Math.min(50 * 2 ** attempt, 5000));
      }
      const reply = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = reply.UnprocessedItems?.[tableName] ?? [];
    }
  };
  const batches = Array.from({ length: Math.ceil(requests.length / BATCH_SIZE) }, (_, i) => requests.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE));
  await forEachConcurrently(batches, writeBatch, WRITE_CONCURRENCY);
  return { written: requests.length, retried };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
