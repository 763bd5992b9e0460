import { CreateBackupCommand, DescribeBackupCommand } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { ensureArtifactsBucket } from '../deploy/upload.ts';
import type { Target } from '../deploy/target.ts';
import { StackpilotError } from '../errors.ts';
import { copyObject, listObjects, OBJECT_CONCURRENCY, readObject, type ReadObject } from './bucket-data.ts';
import { BACKUPS_PREFIX, clearStarted, itemsPrefix, objectsPrefix, writeCatalogEntry, writeStarted } from './catalog.ts';
import { bucketChecksum, canonicalItemDigest, canonicalJson, combinedChecksum } from './checksum.ts';
import { forEachConcurrently } from './concurrency.ts';
import { ItemExportWriter } from './item-export.ts';
import { scanTable } from './table-data.ts';

export type BackupKind = 'dynamodb-table' | 's3-bucket';

/** Where backups are kept and what they belong to. */
export interface BackupScope {
  project: string;
  environment: string;
  region: string;
  artifactsBucket: string;
}

/** The resource to back up: a stack's resource as ListStackResources names it. */
export interface BackupSubject {
  stackName: string;
  logicalId: string;
  physicalId: string;
  resourceType: string;
}

/** A complete backup, as its catalog entry holds it. */
export interface BackupEntry {
  id: string;
  /** When it was taken, ISO 8601. */
  time: string;
  project: string;
  environment: string;
  region: string;
  stack: string;
  logicalId: string;
  physicalId: string;
  kind: BackupKind;
  /** Items (table) or objects (bucket) backed up. */
  count: number;
  /** `sha256:<hex>`, order-independent, over content (see checksum.ts). */
  checksum: string;
  /** DynamoDB: the on-demand backup. */
  backupArn?: string;
  /** Where the copies are in the artifacts bucket: the objects (S3), the items as JSON Lines (DynamoDB). */
  prefix?: string;
  /** S3: the bytes copied. */
  bytes?: number;
}

const KINDS = new Map<string, BackupKind>([
  ['AWS::DynamoDB::Table', 'dynamodb-table'],
  ['AWS::DynamoDB::GlobalTable', 'dynamodb-table'],
  ['AWS::S3::Bucket', 's3-bucket'],
]);

/**
 * Stateful resource types stackpilot does not back up: their own snapshots are the mechanism,
 * taken by CloudFormation when their DeletionPolicy / UpdateReplacePolicy is Snapshot.
 */
export const snapshotPolicyTypes: readonly string[] = [
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::Redshift::Cluster',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::EFS::FileSystem',
  'AWS::Neptune::DBCluster',
  'AWS::DocDB::DBCluster',
];

/** Which resource types can be backed up by stackpilot (others: CloudFormation's Snapshot policy is the mechanism, see snapshotPolicyTypes). */
export function backupKindOf(resourceType: string): BackupKind | undefined {
  return KINDS.get(resourceType);
}

/** `20261130t121500z-<stack>-<logical>-<4 hex>`: sorts by time, unique, safe in an S3 key. */
export function backupId(time: Date, stackName: string, logicalId: string, suffix = randomBytes(2).toString('hex')): string {
  const stamp = time.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  const part = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';
  return `${stamp}-${part(stackName)}-${part(logicalId)}-${suffix}`.toLowerCase();
}

/** How long to wait between DescribeBackup calls, and how long in all, before a backup that stays CREATING fails. */
const BACKUP_POLL_MS = 1000;
const BACKUP_WAIT_MS = 30 * 60 * 1000;

/** Backs one resource up and waits until complete; the catalog entry is written last. */
export async function backUp(target: Target, scope: BackupScope, subject: BackupSubject, progress: (message: string) => void = () => {}): Promise<BackupEntry> {
  const kind = backupKindOf(subject.resourceType);
  if (!kind) {
    const hint = snapshotPolicyTypes.includes(subject.resourceType)
      ? 'Give it DeletionPolicy and UpdateReplacePolicy Snapshot: CloudFormation then snapshots it before deleting or replacing it.'
      : 'stackpilot backs up DynamoDB tables and S3 buckets.';
    throw new StackpilotError('BackupUnsupported', `${subject.stackName}/${subject.logicalId} is a ${subject.resourceType}, which stackpilot does not back up`, hint);
  }
  const time = new Date();
  const id = backupId(time, subject.stackName, subject.logicalId);
  const base = { id, time: time.toISOString(), project: scope.project, environment: scope.environment, region: scope.region, stack: subject.stackName, logicalId: subject.logicalId, physicalId: subject.physicalId, kind };
  await ensureArtifactsBucket(target.s3, scope.artifactsBucket, scope.region);
  // First: a backup killed midway is then found (`stackpilot backups` reports it).
  await writeStarted(target.s3, scope.artifactsBucket, { id, what: `${subject.stackName}/${subject.logicalId} (${subject.physicalId})`, time: base.time, prefix: `${BACKUPS_PREFIX}${id}/` });
  const entry: BackupEntry = kind === 'dynamodb-table' ? { ...base, ...(await backUpTable(target, scope.artifactsBucket, id, subject.physicalId, progress)) } : { ...base, ...(await backUpBucket(target, scope.artifactsBucket, id, subject.physicalId, progress)) };
  // Last: only a complete backup is ever listed.
  await writeCatalogEntry(target.s3, scope.artifactsBucket, entry);
  await clearStarted(target.s3, scope.artifactsBucket, id);
  // The entry is the result: the caller reports it (a line of `stackpilot backup`, deploy's backup-done event).
  return entry;
}

async function backUpTable(target: Target, artifactsBucket: string, id: string, tableName: string, progress: (message: string) => void) {
  progress(`backing up table ${tableName}`);
  const created = await target.dynamodb.send(new CreateBackupCommand({ TableName: tableName, BackupName: id.slice(0, 255) }));
  const backupArn = created.BackupDetails!.BackupArn!;
  // While DynamoDB makes its copy, one Scan gives the checksum and the items' export.
  const prefix = itemsPrefix(id);
  const exported = new ItemExportWriter(target.s3, artifactsBucket, prefix);
  const digests: string[] = [];
  const scan = scanTable(target.dynamodb, tableName, async (items, segment) => {
    // Each item's canonical JSON is both what its hash is taken of and its exported line.
    const lines = items.map(canonicalJson);
    for (const line of lines) digests.push(canonicalItemDigest(line));
    await exported.add(segment, lines);
  });
  await Promise.all([scan, waitUntilAvailable(target, backupArn, created.BackupDetails?.BackupStatus)]);
  await exported.finish();
  return { count: digests.length, checksum: combinedChecksum(digests), backupArn, prefix };
}

async function waitUntilAvailable(target: Target, backupArn: string, status: string | undefined): Promise<void> {
  const deadline = Date.now() + BACKUP_WAIT_MS;
  while (status !== 'AVAILABLE') {
    if (status === 'DELETED') throw new StackpilotError('BackupFailed', `the DynamoDB backup ${backupArn} was deleted before it became AVAILABLE`, 'Run the backup again.');
    if (Date.now() > deadline) throw new StackpilotError('BackupFailed', `the DynamoDB backup ${backupArn} is still ${status ?? 'CREATING'} after ${BACKUP_WAIT_MS / 60000} minutes`, 'Check it with `aws dynamodb describe-backup`, and run the backup again once it is AVAILABLE.');
    await new Promise((resolve) => setTimeout(resolve, target.kind === 'local' ? 5 : BACKUP_POLL_MS));
    status = (await target.dynamodb.send(new DescribeBackupCommand({ BackupArn: backupArn }))).BackupDescription?.BackupDetails?.BackupStatus;
  }
}

async function backUpBucket(target: Target, artifactsBucket: string, id: string, bucket: string, progress: (message: string) => void) {
  progress(`backing up bucket ${bucket}`);
  const prefix = objectsPrefix(id);
  const objects = await listObjects(target.s3, bucket);
  const copied: ReadObject[] = [];
  await forEachConcurrently(
    objects,
    async ({ key }) => {
      const object = await readObject(target.s3, bucket, key);
      await copyObject(target.s3, { bucket, ...object }, { bucket: artifactsBucket, key: `${prefix}${key}` });
      copied.push(object);
    },
    OBJECT_CONCURRENCY,
  );
  return { count: copied.length, checksum: bucketChecksum(copied), prefix, bytes: copied.reduce((sum, o) => sum + o.size, 0) };
}
