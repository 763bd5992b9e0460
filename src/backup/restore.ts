import { DeleteTableCommand, DescribeTableCommand, RestoreTableFromBackupCommand, ScanCommand, waitUntilTableExists, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteObjectsCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../deploy/target.ts';
import { StackpilotError } from '../errors.ts';
import type { BackupEntry } from './backup.ts';
import { copyObject, listObjects, OBJECT_CONCURRENCY, readObject, type ReadObject } from './bucket-data.ts';
import { bucketChecksum, canonicalJson, combinedChecksum } from './checksum.ts';
import { readItemExport } from './item-export.ts';
import { forEachConcurrently } from './concurrency.ts';
import { putRequest, scanTable, tableDigests, writeRequests, type Item } from './table-data.ts';

export interface RestoreOptions {
  /** Restore into this table or bucket (created when missing). */
  to?: string;
  /** The table or bucket to restore into when `to` is not given: the one the stack owns now (`--into-current`). */
  current?: string;
  /** Replace what a non-empty target holds without asking. */
  overwrite: boolean;
  /** Asked before a non-empty target is overwritten (a person at a terminal); no answer means no. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface Verification {
  expectedCount: number;
  count: number;
  checksumOk: boolean;
  ok: boolean;
}

export interface RestoreResult {
  /** The table or bucket restored into. */
  into: string;
  /** Items or objects written. */
  written: number;
  /** DynamoDB: writes sent again after DynamoDB left them unprocessed. */
  retried: number;
  /** Items or objects of the target that the backup did not hold, removed. */
  removed: number;
  verification: Verification;
}

/** The error of a restore refused because its target holds data: the CLI exits 1 with it. */
export const RESTORE_REFUSED = 'RestoreRefused';

/** The name a table restored beside the original gets: `<original>-restored-<the backup id's last part>`. */
export function defaultRestoreName(entry: BackupEntry): string {
  return `${entry.physicalId.slice(0, 200)}-restored-${entry.id.slice(entry.id.lastIndexOf('-') + 1)}`;
}

/**
 * Restores a backup and verifies the result by counting and checksumming what the target holds
 * afterwards. A target that holds data is replaced (made to hold exactly what the backup held)
 * only with `overwrite` or a yes from `confirm`; else a StackpilotError RestoreRefused.
 */
export async function restoreBackup(target: Target, artifactsBucket: string, entry: BackupEntry, options: RestoreOptions, progress: (message: string) => void = () => {}): Promise<RestoreResult> {
  const into = options.to ?? options.current ?? (entry.kind === 'dynamodb-table' ? defaultRestoreName(entry) : undefined);
  if (!into) throw new StackpilotError('RestoreTargetMissing', `say where to restore backup ${entry.id}`, 'Pass --into-current (the bucket the stack owns now) or --to BUCKET.');
  const mayOverwrite = async (what: string) => {
    if (options.overwrite || (options.confirm && (await options.confirm(`${what} will be replaced by backup ${entry.id} (${entry.count} ${entry.kind === 'dynamodb-table' ? 'items' : 'objects'}, ${entry.time}). Go ahead?`)))) return;
    throw new StackpilotError(RESTORE_REFUSED, `${what} is not empty: restoring backup ${entry.id} would replace what it holds`, 'Pass --yes to replace its contents, or restore into a new one with --to NAME.');
  };
  const result = entry.kind === 'dynamodb-table' ? await restoreTable(target, artifactsBucket, entry, into, mayOverwrite, progress) : await restoreBucket(target.s3, artifactsBucket, entry, into, mayOverwrite, progress);
  progress(`verifying ${into}`);
  const found = entry.kind === 'dynamodb-table' ? await tableContent(target, into) : await bucketContent(target.s3, into);
  const checksumOk = found.checksum === entry.checksum;
  return { into, ...result, verification: { expectedCount: entry.count, count: found.count, checksumOk, ok: checksumOk && found.count === entry.count } };
}

type Overwrite = (what: string) => Promise<void>;
type Written = Omit<RestoreResult, 'into' | 'verification'>;

async function restoreTable(target: Target, artifactsBucket: string, entry: BackupEntry, tableName: string, mayOverwrite: Overwrite, progress: (message: string) => void): Promise<Written> {
  const { dynamodb } = target;
  const keySchema = await keyAttributes(target, tableName);
  if (!keySchema) {
    // No such table: DynamoDB makes it from the backup, schema and items.
    progress(`restoring ${entry.backupArn} as table ${tableName}`);
    await dynamodb.send(new RestoreTableFromBackupCommand({ BackupArn: entry.backupArn, TargetTableName: tableName }));
    await waitForTable(target, tableName);
    return { written: entry.count, retried: 0, removed: 0 };
  }
  const held = await tableKeys(target, tableName, keySchema);
  if (held.size > 0) await mayOverwrite(`table ${tableName} (${held.size} items)`);
  const exported = entry.prefix === undefined ? undefined : await readItemExport(target.s3, artifactsBucket, entry.prefix);
  // The export is used only if it is exactly what was backed up (its lines hash to the checksum).
  if (exported && exported.lines.length === entry.count && combinedChecksum(exported.digests) === entry.checksum) {
    progress(`writing ${exported.lines.length} items into ${tableName}`);
    return replaceItems(target, tableName, exported.lines, (line) => JSON.parse(line) as Item, held, keySchema);
  }
  // Else from DynamoDB's backup: its items can only be read from a table restored from it, a
  // staging table removed after. Its name is the same for the same backup and table, so that a
  // restore run again after a kill removes the one left behind.
  const staging = `${tableName.slice(0, 220)}-staging-${entry.id.slice(entry.id.lastIndexOf('-') + 1)}`;
  if (await keyAttributes(target, staging)) {
    progress(`removing staging table ${staging}, left by a restore cut short`);
    await dynamodb.send(new DeleteTableCommand({ TableName: staging }));
    await waitUntilTableNotExists({ client: dynamodb, maxWaitTime: 60 * 60, minDelay: target.kind === 'local' ? 0.01 : 5, maxDelay: target.kind === 'local' ? 0.05 : 30 }, { TableName: staging });
  }
  progress(`restoring ${entry.backupArn} into staging table ${staging}`);
  await dynamodb.send(new RestoreTableFromBackupCommand({ BackupArn: entry.backupArn, TargetTableName: staging }));
  try {
    await waitForTable(target, staging);
    const items: Item[] = [];
    await scanTable(dynamodb, staging, (page) => void items.push(...page));
    progress(`writing ${items.length} items into ${tableName}`);
    return await replaceItems(target, tableName, items, (item) => item, held, keySchema);
  } finally {
    await dynamodb.send(new DeleteTableCommand({ TableName: staging }));
  }
}

/** Puts the items into the table and deletes those of its items (`held`, by key) that are not among them. */
async function replaceItems<T>(target: Target, tableName: string, sources: T[], itemOf: (source: T) => Item, held: Map<string, Item>, keySchema: string[]): Promise<Written> {
  if (held.size > 0) for (const source of sources) held.delete(keyOf(itemOf(source), keySchema));
  const written = await writeRequests(target.dynamodb, tableName, sources, (source) => putRequest(itemOf(source)));
  const removed = await writeRequests(target.dynamodb, tableName, [...held.values()], (Key) => ({ DeleteRequest: { Key } }));
  return { written: written.written, retried: written.retried + removed.retried, removed: removed.written };
}

/** The key attribute names of a table, or undefined when there is no such table. */
async function keyAttributes(target: Target, tableName: string): Promise<string[] | undefined> {
  try {
    const { Table } = await target.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    return (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** The keys of every item of a table, by their canonical text. */
async function tableKeys(target: Target, tableName: string, keySchema: string[]): Promise<Map<string, Item>> {
  const keys = new Map<string, Item>();
  let startKey: Item | undefined;
  do {
    const page = await target.dynamodb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ProjectionExpression: keySchema.map((_, i) => `#k${i}`).join(','), ExpressionAttributeNames: Object.fromEntries(keySchema.map((name, i) => [`#k${i}`, name])) }));
    for (const item of page.Items ?? []) keys.set(keyOf(item, keySchema), item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return keys;
}

const keyOf = (item: Item, keySchema: string[]) => canonicalJson(keySchema.map((name) => item[name]));

async function waitForTable(target: Target, tableName: string): Promise<void> {
  const local = target.kind === 'local';
  await waitUntilTableExists({ client: target.dynamodb, maxWaitTime: 60 * 60, minDelay: local ? 0.01 : 5, maxDelay: local ? 0.05 : 30 }, { TableName: tableName });
}

async function tableContent(target: Target, tableName: string) {
  const digests = await tableDigests(target.dynamodb, tableName);
  return { count: digests.length, checksum: combinedChecksum(digests) };
}

async function restoreBucket(s3: S3Client, artifactsBucket: string, entry: BackupEntry, bucket: string, mayOverwrite: Overwrite, progress: (message: string) => void): Promise<Written> {
  const prefix = entry.prefix!;
  const copies = await listObjects(s3, artifactsBucket, prefix);
  if (copies.length !== entry.count) throw new StackpilotError('BackupIncomplete', `backup ${entry.id} should hold ${entry.count} objects under s3://${artifactsBucket}/${prefix}, and ${copies.length} are there`, 'The copies were changed or removed since the backup: choose another backup (stackpilot backups).');
  const held = (await bucketExists(s3, bucket)) ? await listObjects(s3, bucket) : await createBucket(s3, bucket);
  if (held.length > 0) await mayOverwrite(`bucket ${bucket} (${held.length} objects)`);
  progress(`copying ${copies.length} objects into ${bucket}`);
  await forEachConcurrently(
    copies,
    ({ key }) => copyObject(s3, { bucket: artifactsBucket, key }, { bucket, key: key.slice(prefix.length) }),
    OBJECT_CONCURRENCY,
  );
  const restoredKeys = new Set(copies.map((c) => c.key.slice(prefix.length)));
  const extra = held.filter((o) => !restoredKeys.has(o.key)).map((o) => ({ Key: o.key }));
  for (let start = 0; start < extra.length; start += 1000) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: extra.slice(start, start + 1000), Quiet: true } }));
  return { written: copies.length, retried: 0, removed: extra.length };
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

async function createBucket(s3: S3Client, bucket: string): Promise<[]> {
  const region = await s3.config.region();
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }));
  return [];
}

async function bucketContent(s3: S3Client, bucket: string) {
  const objects: ReadObject[] = [];
  await forEachConcurrently(await listObjects(s3, bucket), async ({ key }) => void objects.push(await readObject(s3, bucket, key)), OBJECT_CONCURRENCY);
  return { count: objects.length, checksum: bucketChecksum(objects) };
}
