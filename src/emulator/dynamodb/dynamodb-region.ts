import { join } from 'node:path';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { JsonDocument, damagedState, dictionary, isJsonObject, problemInEntries, readStateJson, removePath, writeJsonAtomic, writeLinesAtomic } from '../state-files.ts';
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
  /** Settings as earlier versions kept them, all tables in this one file; each table's now has a file of its own. */
  tables: Record<string, TableSettings>;
  backups: Record<string, BackupRecord>;
}

export type Item = Record<string, unknown>;

/**
 * One region's DynamoDB: dynalite's tables plus the emulator's own records and backup copies.
 * Each table's settings are a file of their own (`settings/<table>.json`): a table's change
 * costs the same however many tables there are.
 */
export class DynamoRegion {
  /** In-memory regions only: each backup's items, one JSON text each. */
  private readonly backupItems = new Map<string, readonly string[]>();

  private constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly folder: string | undefined,
    private readonly state: JsonDocument<RegionState>,
    private readonly tableSettings: Record<string, TableSettings>,
    readonly tables: DynaliteTableStore,
  ) {}

  /** Opens the region's state (in `folder`, or in memory); damaged state is a StackpilotError. */
  static async open(region: string, accountId: string, folder: string | undefined): Promise<DynamoRegion> {
    const state = new JsonDocument<RegionState>(folder && join(folder, 'emulator-state.json'), {
      empty: () => ({ tables: dictionary(), backups: dictionary() }),
      check: regionStateProblem,
      adopt: (value) => {
        const stored = value as RegionState;
        return { tables: dictionary(stored.tables), backups: dictionary(stored.backups) };
      },
      repair: { losing: `the encryption, stream, point-in-time recovery, TTL and deletion protection settings of the tables of ${region}, and their backups (the tables and items stay)` },
    });
    // Read before LevelDB opens: damage found here leaves nothing open.
    const tableSettings = dictionary<TableSettings>({ ...state.value.tables, ...(folder ? readTableSettings(join(folder, SETTINGS_FOLDER)) : {}) });
    const tables = await DynaliteTableStore.open(folder && join(folder, 'tables'), region, accountId, folder ? { remove: folder, losing: `the DynamoDB tables, items and backups of ${region}` } : undefined);
    if (folder) removeDrafts(join(folder, BACKUPS_FOLDER));
    return new DynamoRegion(region, accountId, folder, state, tableSettings, tables);
  }

  settings(tableName: string): TableSettings {
    return (this.tableSettings[tableName] ??= {});
  }

  /** Writes the settings of one table, as `settings(tableName)` now holds them. */
  saveSettings(tableName: string): void {
    if (this.folder) writeJsonAtomic(this.settingsPath(tableName), this.settings(tableName));
  }

  forgetTable(tableName: string): void {
    delete this.tableSettings[tableName];
    if (this.folder) removePath(this.settingsPath(tableName));
    if (Object.hasOwn(this.state.value.tables, tableName)) {
      delete this.state.value.tables[tableName];
      this.state.save();
    }
  }

  private settingsPath(tableName: string): string {
    return join(this.folder!, SETTINGS_FOLDER, `${encodeURIComponent(tableName)}.json`);
  }

  backups(): BackupRecord[] {
    return Object.values(this.state.value.backups);
  }

  backup(arn: string): BackupRecord {
    const backup = this.state.value.backups[arn];
    if (!backup) throw new ServiceError('BackupNotFoundException', `Backup not found: ${arn}`);
    return backup;
  }

  /**
   * Keeps a backup: its items first, one JSON line each in a file of its own written whole or
   * not at all, then its record. A kill in between leaves items no record points to (never a
   * record without its items); each backup costs its own size, not the size of all backups.
   */
  addBackup(record: BackupRecord, itemLines: readonly string[]): void {
    if (this.folder) writeLinesAtomic(this.backupItemsPath(record.backupArn), itemLines);
    else this.backupItems.set(record.backupArn, itemLines);
    this.state.value.backups[record.backupArn] = record;
    this.state.save();
  }

  backupContents(arn: string): Item[] {
    if (!this.folder) return (this.backupItems.get(arn) ?? []).map((line) => JSON.parse(line) as Item);
    const path = this.backupItemsPath(arn);
    const repair = { losing: `the items of backup ${arn}, which then restores as an empty table` };
    // Backups taken by earlier versions: every item in one JSON list.
    if (!existsSync(path)) return readStateJson<Item[]>(this.legacyBackupItemsPath(arn), { check: (value) => (Array.isArray(value) ? undefined : 'is not a list of items'), repair }) ?? [];
    const items: Item[] = [];
    const lines = readFileSync(path, 'utf8').split('\n');
    for (const [index, line] of lines.entries()) {
      if (line === '') continue;
      let item: unknown;
      try {
        item = JSON.parse(line);
      } catch {
        item = undefined;
      }
      if (!isJsonObject(item)) throw damagedState(`The local state file ${path} has a damaged item on line ${index + 1}`, path, { remove: path, losing: repair.losing });
      items.push(item);
    }
    return items;
  }

  removeBackup(arn: string): void {
    delete this.state.value.backups[arn];
    if (this.folder) {
      removePath(this.backupItemsPath(arn));
      removePath(this.legacyBackupItemsPath(arn));
    } else this.backupItems.delete(arn);
    this.state.save();
  }

  /** A table's description from dynalite, or ResourceNotFoundException (or another code, for APIs that use one). */
  async describeTable(tableName: string, notFoundCode = 'ResourceNotFoundException'): Promise<Record<string, unknown>> {
    const { status, output } = await this.tables.call<{ Table: Record<string, unknown> }>('DescribeTable', { TableName: tableName });
    if (status !== 200) throw new ServiceError(notFoundCode, notFoundCode === 'TableNotFoundException' ? `Table not found: ${tableName}` : `Requested resource not found: Table: ${tableName} not found`);
    return output.Table;
  }

  private backupItemsPath(arn: string): string {
    return join(this.folder!, BACKUPS_FOLDER, `${arn.slice(arn.lastIndexOf('/') + 1)}.jsonl`);
  }

  private legacyBackupItemsPath(arn: string): string {
    return join(this.folder!, BACKUPS_FOLDER, `${arn.slice(arn.lastIndexOf('/') + 1)}.json`);
  }
}

const SETTINGS_FOLDER = 'settings';
const BACKUPS_FOLDER = 'backups';

/** The drafts of backup files a kill interrupted (see writeLinesAtomic): their backups were never recorded. */
function removeDrafts(folder: string): void {
  if (!existsSync(folder)) return;
  for (const file of readdirSync(folder)) if (file.endsWith('.tmp')) removePath(join(folder, file));
}

/** The settings files of a region's tables, by table name. */
function readTableSettings(folder: string): Record<string, TableSettings> {
  const settings = dictionary<TableSettings>();
  if (!existsSync(folder)) return settings;
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    const tableName = decodeURIComponent(file.slice(0, -'.json'.length));
    const value = readStateJson<TableSettings>(join(folder, file), {
      check: (v) => (isJsonObject(v) ? undefined : 'is not a JSON object'),
      repair: { losing: `the encryption, stream, point-in-time recovery, TTL and deletion protection settings of table ${tableName} (the table and its items stay)` },
    });
    if (value) settings[tableName] = value;
  }
  return settings;
}

/** What makes a region's emulator-state.json unusable: the records the table and backup actions rely on. */
function regionStateProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return 'is not a JSON object';
  if (!isJsonObject(value.tables)) return 'has no table settings';
  if (!isJsonObject(value.backups)) return 'has no backups record';
  const settingsProblem = problemInEntries(value.tables, (name) => `settings of table ${name}`, (settings) => (isJsonObject(settings) ? undefined : 'are not a JSON object'));
  return settingsProblem ?? problemInEntries(value.backups, (arn) => `backup ${arn}`, backupProblem);
}

function backupProblem(backup: unknown): string | undefined {
  if (!isJsonObject(backup)) return 'is not a JSON object';
  if (typeof backup.backupArn !== 'string' || typeof backup.backupName !== 'string') return 'has no ARN or name';
  if (typeof backup.createdAt !== 'number' || typeof backup.sizeBytes !== 'number' || typeof backup.itemCount !== 'number') return 'has no creation time, size or item count';
  if (!isJsonObject(backup.table) || !isJsonObject(backup.settings)) return 'has no table description or settings';
  return undefined;
}
