import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { StackpilotError } from '../errors.ts';
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
 * Reads every item of a table (every page of every segment, segments in parallel), handing each
 * page to `onPage` with its segment's number. Pages come as Scan answers them: the caller must
 * not depend on their order.
 */
export async function scanTable(dynamodb: DynamoDBClient, tableName: string, onPage: (items: Item[], segment: number) => void | Promise<void>): Promise<void> {
  const segment = async (index: number) => {
    let startKey: Item | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: tableName, Segment: index, TotalSegments: SCAN_SEGMENTS, ExclusiveStartKey: startKey, ConsistentRead: true }));
      await onPage(page.Items ?? [], index);
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
 * again after a growing wait, so throttling slows the write down instead of losing items. Each
 * request is made from its source as its batch goes (a line of JSON parsed then, say), so that
 * a large restore never holds all its requests at once.
 */
export async function writeRequests<T>(dynamodb: DynamoDBClient, tableName: string, sources: readonly T[], toRequest: (source: T) => WriteRequest, sleep = defaultSleep): Promise<WriteResult> {
  let retried = 0;
  const writeBatch = async (start: number) => {
    let pending = sources.slice(start, start + BATCH_SIZE).map(toRequest);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_RETRIES) throw new StackpilotError('WritesUnprocessed', `DynamoDB left ${pending.length} writes to ${tableName} unprocessed after ${MAX_RETRIES} retries`, 'The table is throttled: run again later, or raise its write capacity (running again is safe: it writes the same items).');
      if (attempt > 0) {
        retried += pending.length;
        await sleep(Math.min(50 * 2 ** attempt, 5000));
      }
      const reply = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      const unprocessed = reply.UnprocessedItems;
      pending = unprocessed && Object.hasOwn(unprocessed, tableName) ? (unprocessed[tableName] ?? []) : [];
    }
  };
  const starts = Array.from({ length: Math.ceil(sources.length / BATCH_SIZE) }, (_, i) => i * BATCH_SIZE);
  await forEachConcurrently(starts, writeBatch, WRITE_CONCURRENCY);
  return { written: sources.length, retried };
}

/** A put of an item, for writeRequests. */
export const putRequest = (Item: Item): WriteRequest => ({ PutRequest: { Item } });

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
