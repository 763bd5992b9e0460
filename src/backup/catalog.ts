import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StackpilotError } from '../errors.ts';
import type { BackupEntry } from './backup.ts';

/**
 * The backup catalog: one object per backup in the artifacts bucket,
 * `stackpilot-backups/catalog/<id>.json`, written once the backup is complete. No shared
 * object is ever rewritten, so a killed backup or two backups at once cannot damage it, and a
 * backup without its entry (killed midway) is never offered for restore.
 */

export const BACKUPS_PREFIX = 'stackpilot-backups/';
const CATALOG_PREFIX = `${BACKUPS_PREFIX}catalog/`;
/** One object per backup under way, written before its first copy and removed after its entry: what a killed backup leaves is found by these. */
const STARTED_PREFIX = `${BACKUPS_PREFIX}started/`;
/** Catalog entries read at once: enough to hide the latency of a listing page, few enough to stay polite. */
const READ_CONCURRENCY = 16;

/** Backup ids are made by `backupId`: lower-case letters, digits and dashes. */
const ID_PATTERN = /^[0-9]{8}t[0-9]{6}z-[a-z0-9-]{1,180}$/;

export interface BackupFilter {
  project?: string;
  environment?: string;
  stack?: string;
  logicalId?: string;
}

export function catalogKey(id: string): string {
  return `${CATALOG_PREFIX}${id}.json`;
}

/** Where the objects of an S3 backup are kept in the artifacts bucket. */
export function objectsPrefix(id: string): string {
  return `${BACKUPS_PREFIX}${id}/objects/`;
}

/** Where the items of a table backup are exported in the artifacts bucket (see item-export.ts). */
export function itemsPrefix(id: string): string {
  return `${BACKUPS_PREFIX}${id}/items/`;
}

/** A backup begun and not (yet) complete: killed midway, or still under way. */
export interface UnfinishedBackup {
  id: string;
  /** What it was backing up, and when it began. */
  what: string;
  time: string;
  /** Where its partial copies are, in the artifacts bucket. */
  prefix: string;
}

/** Records that a backup begins, before anything is copied. */
export async function writeStarted(s3: S3Client, artifactsBucket: string, started: UnfinishedBackup): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: artifactsBucket, Key: `${STARTED_PREFIX}${started.id}.json`, Body: JSON.stringify(started), ContentType: 'application/json' }));
}

/** Ends what writeStarted began: after the catalog entry. */
export async function clearStarted(s3: S3Client, artifactsBucket: string, id: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: artifactsBucket, Key: `${STARTED_PREFIX}${id}.json` }));
}

/** Backups begun and never completed (no catalog entry), oldest first. */
export async function listUnfinished(s3: S3Client, artifactsBucket: string): Promise<UnfinishedBackup[]> {
  const unfinished: UnfinishedBackup[] = [];
  for (const key of await listKeys(s3, artifactsBucket, STARTED_PREFIX)) {
    const id = key.slice(STARTED_PREFIX.length, -'.json'.length);
    if (!ID_PATTERN.test(id)) continue;
    try {
      await readEntry(s3, artifactsBucket, catalogKey(id));
      // Complete: killed between its entry and the clearing of its start.
      continue;
    } catch (error) {
      if ((error as { name?: string }).name !== 'NoSuchKey') throw error;
    }
    const text = (await (await s3.send(new GetObjectCommand({ Bucket: artifactsBucket, Key: key }))).Body?.transformToString('utf8')) ?? '';
    let started: Partial<UnfinishedBackup> = {};
    try {
      started = JSON.parse(text) as Partial<UnfinishedBackup>;
    } catch {
      // Its id is enough to report it.
    }
    unfinished.push({ id, what: String(started.what ?? 'unknown'), time: String(started.time ?? ''), prefix: `${BACKUPS_PREFIX}${id}/` });
  }
  return unfinished.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Writes the entry of a complete backup: the last step of a backup. */
export async function writeCatalogEntry(s3: S3Client, artifactsBucket: string, entry: BackupEntry): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: artifactsBucket, Key: catalogKey(entry.id), Body: `${JSON.stringify(entry, null, 2)}\n`, ContentType: 'application/json' }));
}

/** The complete backups in the catalog, oldest first, those matching `filter` only. */
export async function listBackups(s3: S3Client, artifactsBucket: string, filter: BackupFilter = {}): Promise<BackupEntry[]> {
  const keys = await listKeys(s3, artifactsBucket, CATALOG_PREFIX);
  const entries: BackupEntry[] = [];
  for (let start = 0; start < keys.length; start += READ_CONCURRENCY) {
    const batch = keys.slice(start, start + READ_CONCURRENCY).map((key) => readEntry(s3, artifactsBucket, key));
    entries.push(...(await Promise.all(batch)));
  }
  const order = (a: BackupEntry) => `${a.time} ${a.id}`;
  return entries.filter((e) => matches(e, filter)).sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** The `.json` keys under a prefix (every page); none when there is no artifacts bucket (nothing was ever backed up). */
async function listKeys(s3: S3Client, artifactsBucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(new ListObjectsV2Command({ Bucket: artifactsBucket, Prefix: prefix, ContinuationToken: token }));
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchBucket') return [];
      throw error;
    }
    for (const object of page.Contents ?? []) if (object.Key?.endsWith('.json')) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** One backup's entry; a StackpilotError naming the id when there is none. */
export async function readBackup(s3: S3Client, artifactsBucket: string, id: string): Promise<BackupEntry> {
  const missing = () => new StackpilotError('BackupNotFound', `no backup ${JSON.stringify(id.slice(0, 200))} in the catalog of ${artifactsBucket}`, 'List the backups with `stackpilot backups` (same --env, --target and --region) and pass one of their ids.');
  if (!ID_PATTERN.test(id)) throw missing();
  try {
    return await readEntry(s3, artifactsBucket, catalogKey(id));
  } catch (error) {
    if (['NoSuchKey', 'NoSuchBucket', 'NotFound'].includes((error as { name?: string }).name ?? '')) throw missing();
    throw error;
  }
}

/** A catalog entry is a few hundred bytes: anything far larger is not one, and is not read. */
const MAX_ENTRY_BYTES = 64 * 1024;

async function readEntry(s3: S3Client, artifactsBucket: string, key: string): Promise<BackupEntry> {
  const reply = await s3.send(new GetObjectCommand({ Bucket: artifactsBucket, Key: key }));
  if ((reply.ContentLength ?? 0) > MAX_ENTRY_BYTES) {
    // Not read: the stream is let go.
    (reply.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw new StackpilotError('BackupCatalogDamaged', `the backup catalog entry s3://${artifactsBucket}/${key} is ${reply.ContentLength} bytes, too large to be one`, 'Delete that object: stackpilot did not write it.');
  }
  const text = (await reply.Body?.transformToString('utf8')) ?? '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const problem = entryProblem(value);
  if (problem) throw new StackpilotError('BackupCatalogDamaged', `the backup catalog entry s3://${artifactsBucket}/${key} ${problem}`, 'Delete that object (the backup it describes can then no longer be restored with stackpilot), or restore it from an earlier version of the object: the artifacts bucket is versioned.');
  return value as BackupEntry;
}

const STRING_FIELDS = ['id', 'time', 'project', 'environment', 'region', 'stack', 'logicalId', 'physicalId', 'checksum'] as const;

/** What makes a catalog entry unusable; undefined when it is whole. */
export function entryProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a JSON object';
  const entry = value as Record<string, unknown>;
  const missing = STRING_FIELDS.find((field) => typeof entry[field] !== 'string');
  if (missing) return `has no ${missing}`;
  if (!ID_PATTERN.test(entry.id as string)) return 'has an id stackpilot does not make';
  if (entry.kind !== 'dynamodb-table' && entry.kind !== 's3-bucket') return 'has an unknown kind';
  if (typeof entry.count !== 'number' || !Number.isInteger(entry.count) || entry.count < 0) return 'has no count';
  if (entry.kind === 'dynamodb-table' && typeof entry.backupArn !== 'string') return 'has no DynamoDB backup ARN';
  if (entry.kind === 's3-bucket' && typeof entry.prefix !== 'string') return 'has no object prefix';
  return undefined;
}

function matches(entry: BackupEntry, filter: BackupFilter): boolean {
  return (
    (filter.project === undefined || entry.project === filter.project) &&
    (filter.environment === undefined || entry.environment === filter.environment) &&
    (filter.stack === undefined || entry.stack === filter.stack) &&
    (filter.logicalId === undefined || entry.logicalId === filter.logicalId)
  );
}
