import { join } from 'node:path';
import { JsonDocument, readJsonIfExists, removePath, writeJsonAtomic } from '../state-files.ts';
import { ServiceError } from '../wire.ts';
import { DynaliteTableStore } from './dynalite-table-store.ts';

/** What DynamoDB keeps about a table that dynalite does not: encryption, streams, PITR, TTL. */
export interface TableSettings {
  sse?: { enabled: boolean; sseType?: string; kmsKeyArn?: string };
  stream?: { enabled: boolean; viewType?: string; label: string };
  pointInTimeRecovery?: { enabled: boolean; recoveryPeriodInDays: number; enabledAt: number };
  timeToLive?: { enabled: boolean; attributeName: string };
  deletionProtection?: boolean;
}

export interface BackupRecord {
  backupArn: string;
  backupName: string;
  /** Epoch seconds. */
  createdAt: number;
  sizeBytes: number;
  itemCount: number;
  /** The source table's description when backed up (schema, indexes, billing). */
  table: Record<string, unknown>;
  settings: TableSettings;
}

interface RegionState {
  tables: Record<string, TableSettings>;
  backups: Record<string, BackupRecord>;
}

export type Item = Record<string, unknown>;

/** One region's DynamoDB: dynalite's tables plus the emulator's own records and backup copies. */
export class DynamoRegion {
  readonly tables: DynaliteTableStore;
  private readonly state: JsonDocument<RegionState>;
  private readonly backupItems = new Map<string, Item[]>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly folder: string | undefined,
  ) {
    this.tables = DynaliteTableStore.open(folder && join(folder, 'tables'), region, accountId);
    this.state = new JsonDocument(folder && join(folder, 'emulator-state.json'), () => ({ tables: {}, backups: {} }));
  }

  settings(tableName: string): TableSettings {
    return (this.state.value.tables[tableName] ??= {});
  }

  saveSettings(): void {
    this.state.save();
  }

  forgetTable(tableName: string): void {
    delete this.state.value.tables[tableName];
    this.state.save();
  }

  backups(): BackupRecord[] {
    return Object.values(this.state.value.backups);
  }

  backup(arn: string): BackupRecord {
    const backup = this.state.value.backups[arn];
    if (!backup) throw new ServiceError('BackupNotFoundException', `Backup not found: ${arn}`);
    return backup;
  }

  addBackup(record: BackupRecord, items: Item[]): void {
    if (this.folder) writeJsonAtomic(this.backupItemsPath(record.backupArn), items);
    else this.backupItems.set(record.backupArn, items);
    this.state.value.backups[record.backupArn] = record;
    this.state.save();
  }

  backupContents(arn: string): Item[] {
    return (this.folder ? readJsonIfExists<Item[]>(this.backupItemsPath(arn)) : this.backupItems.get(arn)) ?? [];
  }

  removeBackup(arn: string): void {
    delete this.state.value.backups[arn];
    if (this.folder) removePath(this.backupItemsPath(arn));
    else this.backupItems.delete(arn);
    this.state.save();
  }

  /** A table's description from dynalite, or ResourceNotFoundException (or another code, for APIs that use one). */
  async describeTable(tableName: string, notFoundCode = 'ResourceNotFoundException'): Promise<Record<string, unknown>> {
    const { status, output } = await this.tables.call<{ Table: Record<string, unknown> }>('DescribeTable', { TableName: tableName });
    if (status !== 200) throw new ServiceError(notFoundCode, notFoundCode === 'TableNotFoundException' ? `Table not found: ${tableName}` : `Requested resource not found: Table: ${tableName} not found`);
    return output.Table;
  }

  private backupItemsPath(arn: string): string {
    return join(this.folder!, 'backups', `${arn.slice(arn.lastIndexOf('/') + 1)}.json`);
  }
}
