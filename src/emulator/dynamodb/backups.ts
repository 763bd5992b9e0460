import { randomBytes } from 'node:crypto';
import { ServiceError } from '../wire.ts';
import type { BackupRecord, DynamoRegion, Item } from './dynamodb-region.ts';
import { describeTableSettings } from './table-settings.ts';

type Input = Record<string, unknown>;

const BATCH_WRITE_LIMIT = 25;
const SCHEMA_FIELDS = ['AttributeDefinitions', 'KeySchema', 'LocalSecondaryIndexes', 'GlobalSecondaryIndexes'];

/** CreateBackup: a real copy of the table's items (every Scan page), kept beside its schema. */
export async function createBackup(region: DynamoRegion, input: Input) {
  const tableName = String(input.TableName ?? '');
  checkBackupName(String(input.BackupName ?? ''));
  const table = await region.describeTable(tableName, 'TableNotFoundException');
  const itemLines = await region.tables.tableItemLines(tableName);
  const createdAt = Date.now() / 1000;
  const id = `${Date.now().toString().padStart(17, '0')}-${randomBytes(4).toString('hex')}`;
  const record: BackupRecord = {
    backupArn: `${String(table.TableArn)}/backup/${id}`,
    backupName: String(input.BackupName ?? ''),
    createdAt,
    sizeBytes: itemLines.reduce((sum, line) => sum + Buffer.byteLength(line), 0),
    itemCount: itemLines.length,
    table,
    settings: structuredClone(region.settings(tableName)),
  };
  region.addBackup(record, itemLines);
  return { BackupDetails: backupDetails(record) };
}

/** DynamoDB's BackupName: 3 to 255 of letters, digits, `_`, `-` and `.`, checked before the table is looked up. */
function checkBackupName(name: string): void {
  const broken = (constraint: string) => new ServiceError('ValidationException', `1 validation error detected: Value '${name}' at 'backupName' failed to satisfy constraint: ${constraint}`);
  if (name.length < 3) throw broken('Member must have length greater than or equal to 3');
  if (name.length > 255) throw broken('Member must have length less than or equal to 255');
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) throw broken('Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
}

export function describeBackup(region: DynamoRegion, input: Input) {
  return { BackupDescription: backupDescription(region.backup(String(input.BackupArn ?? ''))) };
}

export function listBackups(region: DynamoRegion, input: Input) {
  const lower = input.TimeRangeLowerBound === undefined ? -Infinity : Number(input.TimeRangeLowerBound);
  const upper = input.TimeRangeUpperBound === undefined ? Infinity : Number(input.TimeRangeUpperBound);
  // Every backup here is a USER backup.
  const wantsUserBackups = input.BackupType === undefined || input.BackupType === 'ALL' || input.BackupType === 'USER';
  const backups = region
    .backups()
    .filter((b) => wantsUserBackups && (input.TableName === undefined || b.table.TableName === input.TableName))
    .filter((b) => b.createdAt >= lower && b.createdAt <= upper)
    .sort((a, b) => a.createdAt - b.createdAt);
  return {
    BackupSummaries: backups.map((b) => ({
      TableName: b.table.TableName,
      TableId: b.table.TableId,
      TableArn: b.table.TableArn,
      BackupArn: b.backupArn,
      BackupName: b.backupName,
      BackupCreationDateTime: b.createdAt,
      BackupStatus: 'AVAILABLE',
      BackupType: 'USER',
      BackupSizeBytes: b.sizeBytes,
    })),
  };
}

export function deleteBackup(region: DynamoRegion, input: Input) {
  const backup = region.backup(String(input.BackupArn ?? ''));
  region.removeBackup(backup.backupArn);
  return { BackupDescription: { ...backupDescription(backup), BackupDetails: { ...backupDetails(backup), BackupStatus: 'DELETED' } } };
}

/** Creates the target table from the backup's schema, waits for it, then writes the items back. */
export async function restoreTableFromBackup(region: DynamoRegion, input: Input) {
  const backup = region.backup(String(input.BackupArn ?? ''));
  const targetName = String(input.TargetTableName ?? '');
  const existing = await region.tables.call('DescribeTable', { TableName: targetName });
  if (existing.status === 200) throw new ServiceError('TableAlreadyExistsException', `Table already exists: ${targetName}`);
  // Read before anything is made: a damaged backup leaves no half-restored table behind.
  const items = region.backupContents(backup.backupArn);
  const created = await region.tables.call('CreateTable', restoredTableInput(backup, targetName, input));
  if (created.status !== 200) throw new ServiceError(String(created.output.__type ?? 'ValidationException').split('#').pop()!, String(created.output.message ?? 'Restore failed'));
  await waitUntilActive(region, targetName);
  await writeItems(region, targetName, items);
  const settings = region.settings(targetName);
  Object.assign(settings, structuredClone(backup.settings));
  delete settings.pointInTimeRecovery;
  const sseOverride = input.SSESpecificationOverride as { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string } | undefined;
  if (sseOverride) settings.sse = { enabled: sseOverride.Enabled === true, sseType: sseOverride.SSEType, kmsKeyArn: sseOverride.KMSMasterKeyId };
  region.saveSettings(targetName);
  const table = await region.describeTable(targetName);
  return {
    TableDescription: {
      ...table,
      ...describeTableSettings(region, table, settings),
      RestoreSummary: { SourceBackupArn: backup.backupArn, SourceTableArn: backup.table.TableArn, RestoreDateTime: Date.now() / 1000, RestoreInProgress: false },
    },
  };
}

/** Batches written at once: dynalite serialises them per table, but their decoding and checks overlap. */
const RESTORE_CONCURRENCY = 8;

async function writeItems(region: DynamoRegion, tableName: string, items: Item[]): Promise<void> {
  let next = 0;
  const writeBatches = async () => {
    while (next < items.length) {
      const start = next;
      next += BATCH_WRITE_LIMIT;
      let requests: Record<string, unknown> = { [tableName]: items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(requests).length > 0) {
        const { status, output } = await region.tables.call<{ UnprocessedItems?: Record<string, unknown> }>('BatchWriteItem', { RequestItems: requests });
        if (status !== 200) throw new ServiceError('InternalServerError', `Restoring ${tableName} failed: ${JSON.stringify(output)}`, 500);
        requests = output.UnprocessedItems ?? {};
      }
    }
  };
  await Promise.all(Array.from({ length: RESTORE_CONCURRENCY }, writeBatches));
}

function restoredTableInput(backup: BackupRecord, targetName: string, input: Input): Record<string, unknown> {
  const table: Record<string, unknown> = { TableName: targetName };
  for (const field of SCHEMA_FIELDS) if (backup.table[field] !== undefined) table[field] = stripIndexStatus(backup.table[field]);
  if (input.GlobalSecondaryIndexOverride) table.GlobalSecondaryIndexes = input.GlobalSecondaryIndexOverride;
  if (input.LocalSecondaryIndexOverride) table.LocalSecondaryIndexes = input.LocalSecondaryIndexOverride;
  const source = backup.table as { BillingModeSummary?: { BillingMode?: string }; ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number } };
  const billingMode = (input.BillingModeOverride as string | undefined) ?? source.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  table.BillingMode = billingMode;
  if (billingMode === 'PROVISIONED') {
    const throughput = (input.ProvisionedThroughputOverride as typeof source.ProvisionedThroughput) ?? source.ProvisionedThroughput;
    table.ProvisionedThroughput = { ReadCapacityUnits: throughput?.ReadCapacityUnits || 1, WriteCapacityUnits: throughput?.WriteCapacityUnits || 1 };
  } else if (Array.isArray(table.GlobalSecondaryIndexes)) {
    table.GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.map(({ ProvisionedThroughput: _, ...index }: Record<string, unknown>) => index);
  }
  return table;
}

// Index descriptions carry status and sizes; CreateTable takes only their definitions.
function stripIndexStatus(value: unknown): unknown {
  if (!Array.isArray(value) || value.length === 0 || typeof value[0] !== 'object' || !('IndexName' in value[0])) return value;
  return value.map((index: Record<string, unknown>) => {
    const definition: Record<string, unknown> = { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection };
    const throughput = index.ProvisionedThroughput as { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined;
    if (throughput?.ReadCapacityUnits) definition.ProvisionedThroughput = { ReadCapacityUnits: throughput.ReadCapacityUnits, WriteCapacityUnits: throughput.WriteCapacityUnits };
    return definition;
  });
}

async function waitUntilActive(region: DynamoRegion, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const table = await region.describeTable(tableName);
    if (table.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new ServiceError('InternalServerError', `Table ${tableName} did not become ACTIVE`, 500);
}

function backupDetails(backup: BackupRecord) {
  return {
    BackupArn: backup.backupArn,
    BackupName: backup.backupName,
    BackupSizeBytes: backup.sizeBytes,
    BackupStatus: 'AVAILABLE',
    BackupType: 'USER',
    BackupCreationDateTime: backup.createdAt,
  };
}

function backupDescription(backup: BackupRecord) {
  const table = backup.table as Record<string, unknown> & { BillingModeSummary?: { BillingMode?: string } };
  return {
    BackupDetails: backupDetails(backup),
    SourceTableDetails: {
      TableName: table.TableName,
      TableId: table.TableId,
      TableArn: table.TableArn,
      TableSizeBytes: backup.sizeBytes,
      KeySchema: table.KeySchema,
      TableCreationDateTime: table.CreationDateTime,
      ProvisionedThroughput: table.ProvisionedThroughput,
      ItemCount: backup.itemCount,
      BillingMode: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    },
    SourceTableFeatureDetails: {
      LocalSecondaryIndexes: table.LocalSecondaryIndexes,
      GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
      TimeToLiveDescription: backup.settings.timeToLive
        ? { TimeToLiveStatus: backup.settings.timeToLive.enabled ? 'ENABLED' : 'DISABLED', AttributeName: backup.settings.timeToLive.attributeName }
        : undefined,
    },
  };
}
