import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { damagedState, makeStateFolder, tightenStateModes, type StateRepair } from '../state-files.ts';
import type { LocalReply } from '../wire.ts';
import { applyIndexChange, type IndexChange, type TableEntry } from './global-indexes.ts';

const require = createRequire(import.meta.url);

type RequestListener = (request: unknown, response: unknown) => void;

interface DynaliteStoreInternals {
  /** dynalite's LevelDB (classic-level on disk, memory-level without a path). */
  db: {
    open(): Promise<void>;
    close(): Promise<void>;
    iterator(options: object): AsyncIterable<unknown>;
    keys(options: { gte: string; lt: string }): AsyncIterable<string>;
    values(options: { gte: string; lt: string; valueEncoding: 'utf8' }): AsyncIterable<string>;
    batch(operations: { type: 'del'; key: string }[]): Promise<void>;
  };
  tableDb: {
    awsAccountId: string;
    awsRegion: string;
    /** dynalite's per-table lock, which its own table actions take. */
    lock(name: string, work: (release: <T>(callback: Callback<T>) => Callback<T>) => void): void;
    get(name: string, callback: Callback<TableEntry>): void;
    put(name: string, table: TableEntry, callback: Callback): void;
    del(name: string, callback: Callback): void;
  };
  deleteItemDb(name: string, callback: Callback): void;
  deleteTagDb(name: string, callback: Callback): void;
  deleteIndexDb(kind: 'Local' | 'Global', table: string, index: string, callback: Callback): void;
}

/** dynalite's own index upkeep, as its item writes use it. */
interface DynaliteDatabase {
  create: (options: object) => DynaliteStoreInternals;
  updateIndexes: (store: DynaliteStoreInternals, table: TableEntry, existingItem: null, item: object, callback: Callback) => void;
}

type Callback<T = void> = (error: Error | null | undefined, value?: T) => void;

const settle = <T>(work: (callback: Callback<T>) => void) =>
  new Promise<T | undefined>((resolve, reject) => work((error, value) => (error ? reject(error) : resolve(value))));

/** Items written to a new index at once while it is filled. */
const FILL_BATCH = 100;

// A fixed, well-formed signature: dynalite checks that SigV4 headers are present, not their value.
const INTERNAL_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

/**
 * One region's DynamoDB tables and items, served by dynalite (LevelDB on disk, or in memory)
 * and called in-process: its HTTP request listener gets a minimal request/response pair, so no
 * socket is opened.
 */
export class DynaliteTableStore {
  private constructor(
    private readonly listener: RequestListener,
    private readonly internals: DynaliteStoreInternals,
    private readonly database: DynaliteDatabase,
    private readonly path: string | undefined,
  ) {}

  /**
   * Opens the region's store and, on disk, reads it through once: LevelDB that cannot open, or
   * whose files are broken, is damaged state (a StackpilotError) rather than a crash mid-request.
   */
  static async open(path: string | undefined, region: string, accountId: string, repair?: Required<StateRepair>): Promise<DynaliteTableStore> {
    const dynalite = require('dynalite') as (options: object) => Server;
    const database = require('dynalite/db/index.js') as DynaliteDatabase;
    // dynalite keeps its store private; capture it as it is made, to set the ARN account and
    // region (it would read them from the environment) and to close LevelDB later.
    const create = database.create;
    let internals: DynaliteStoreInternals | undefined;
    database.create = (options: object) => (internals = create(options));
    // LevelDB makes its folder only if missing (0755 less the umask) and its files 0644 less the
    // umask, with no option to ask otherwise: the folder is made owner-only first, so nobody else
    // reaches the files, and the files are tightened when the store opens and closes.
    if (path) makeStateFolder(path);
    let server: Server;
    try {
      server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    } finally {
      database.create = create;
    }
    if (!internals) throw new Error('dynalite did not create its store');
    internals.tableDb.awsAccountId = accountId;
    internals.tableDb.awsRegion = region;
    replaceRemovals(internals);
    if (path) {
      await checkReadable(internals.db, path, region, repair);
      tightenStateModes(path);
    }
    const store = new DynaliteTableStore(server.listeners('request')[0] as RequestListener, internals, database, path);
    await store.finishInterruptedTransitions();
    return store;
  }

  /** Sends one DynamoDB JSON request as it arrived; the reply is dynalite's, byte for byte. */
  forward(headers: Record<string, string>, body: Buffer): Promise<LocalReply> {
    return new Promise((resolve, reject) => {
      const request = Object.assign(new EventEmitter(), { method: 'POST', url: '/', headers });
      const replyHeaders: Record<string, string> = {};
      const response = {
        statusCode: 200,
        contentType: '',
        setHeader(name: string, value: string | number) {
          replyHeaders[name.toLowerCase()] = String(value);
        },
        end(data?: string) {
          resolve({ status: response.statusCode, headers: replyHeaders, body: data ?? '' });
        },
      };
      try {
        this.listener(request, response);
        if (body.length > 0) request.emit('data', body);
        request.emit('end');
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Calls an action with a JSON input, for the emulator's own work (backups, restores, checks). */
  async call<T = Record<string, unknown>>(action: string, input: object): Promise<{ status: number; output: T }> {
    const reply = await this.forward(
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${action}`,
        'x-amz-date': '20200101T000000Z',
        authorization: INTERNAL_AUTHORIZATION,
      },
      Buffer.from(JSON.stringify(input)),
    );
    return { status: reply.status, output: JSON.parse(reply.body.toString()) as T };
  }

  /**
   * Every item of a table as the JSON text LevelDB holds (its AttributeValue form), read straight
   * from the store: a backup copies them without a Scan's paging, parsing and re-serialising.
   */
  async tableItemLines(tableName: string): Promise<string[]> {
    const prefix = `item-${tableName}~`;
    const lines: string[] = [];
    for await (const value of this.internals.db.values({ gte: prefix, lt: `${prefix}\u{10FFFF}`, valueEncoding: 'utf8' })) lines.push(value);
    return lines;
  }

  /** dynalite's record of a table, undefined when there is none. */
  async tableEntry(tableName: string): Promise<TableEntry | undefined> {
    return settle<TableEntry>((callback) => this.internals.tableDb.get(tableName, callback));
  }

  /**
   * Creates or deletes a global secondary index (UpdateTable's Create or Delete, checked by
   * applyIndexChange), under dynalite's table lock. A new index is recorded CREATING, filled from
   * the table's items, then ACTIVE: a kill while it fills leaves it CREATING, and the next open
   * fills it again. Items written meanwhile reach the index through dynalite's own upkeep.
   */
  async changeGlobalIndex(tableName: string, change: IndexChange): Promise<void> {
    const { tableDb } = this.internals;
    await new Promise<void>((resolve, reject) =>
      tableDb.lock(tableName, (release) => {
        const done = release<void>((error) => (error ? reject(error) : resolve()));
        const work = async () => {
          const table = await settle<TableEntry>((callback) => tableDb.get(tableName, callback));
          if (!table) throw new Error(`table ${tableName} vanished during UpdateTable`);
          const next = applyIndexChange(table, change);
          await settle((callback) => tableDb.put(tableName, next, callback));
          if ('delete' in change) await settle((callback) => this.internals.deleteIndexDb('Global', tableName, change.delete, callback));
          else await this.fillGlobalIndex(next, change.create.IndexName);
        };
        work().then(() => done(null), (error: unknown) => done(error instanceof Error ? error : new Error(String(error))));
      }),
    );
  }

  /** Writes every item of the table into a CREATING index, then marks it ACTIVE. */
  private async fillGlobalIndex(table: TableEntry, indexName: string): Promise<void> {
    const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
    if (!index) return;
    // What an earlier, interrupted fill wrote is dropped first: those items may have changed since.
    await settle((callback) => this.internals.deleteIndexDb('Global', table.TableName, indexName, callback));
    const onlyThisIndex: TableEntry = { ...table, LocalSecondaryIndexes: undefined, GlobalSecondaryIndexes: [index] };
    const items = await this.tableItemLines(table.TableName);
    for (let start = 0; start < items.length; start += FILL_BATCH) {
      const batch = items.slice(start, start + FILL_BATCH).map((line) => JSON.parse(line) as object);
      await Promise.all(batch.map((item) => settle((callback) => this.database.updateIndexes(this.internals, onlyThisIndex, null, item, callback))));
    }
    index.IndexStatus = 'ACTIVE';
    await settle((callback) => this.internals.tableDb.put(table.TableName, table, callback));
  }

  /**
   * dynalite moves a table from CREATING, UPDATING or DELETING to its next state on a timer; a
   * process killed before the timer fired leaves the table stuck there for good (a table being
   * created can never be deleted). Such transitions end here as DynamoDB would end them: the
   * table (and its indexes) ACTIVE, or, for a delete, the table gone with its items.
   */
  private async finishInterruptedTransitions(): Promise<void> {
    const { tableDb } = this.internals;
    const names: string[] = [];
    let start: string | undefined;
    do {
      const { output } = await this.call<{ TableNames?: string[]; LastEvaluatedTableName?: string }>('ListTables', start ? { ExclusiveStartTableName: start } : {});
      names.push(...(output.TableNames ?? []));
      start = output.LastEvaluatedTableName;
    } while (start);
    for (const name of names) {
      const table = await settle<TableEntry>((done) => tableDb.get(name, done));
      if (!table) continue;
      if (table.TableStatus === 'ACTIVE') {
        // An index added by UpdateTable whose fill a kill interrupted.
        for (const index of table.GlobalSecondaryIndexes ?? []) if (index.IndexStatus === 'CREATING') await this.fillGlobalIndex(table, index.IndexName);
        continue;
      }
      if (table.TableStatus === 'DELETING') {
        await settle((done) => this.internals.deleteItemDb(name, done));
        await settle((done) => this.internals.deleteTagDb(name, done));
        for (const index of table.LocalSecondaryIndexes ?? []) await settle((done) => this.internals.deleteIndexDb('Local', name, index.IndexName, done));
        await settle((done) => tableDb.del(name, done));
        continue;
      }
      table.TableStatus = 'ACTIVE';
      table.GlobalSecondaryIndexes = table.GlobalSecondaryIndexes?.filter((index) => index.IndexStatus !== 'DELETING').map((index) => ({ ...index, IndexStatus: 'ACTIVE' }));
      if (table.GlobalSecondaryIndexes?.length === 0) delete table.GlobalSecondaryIndexes;
      await settle((done) => tableDb.put(name, table, done));
    }
  }

  async close(): Promise<void> {
    await this.internals.db.close();
    if (this.path) tightenStateModes(this.path);
  }
}

/**
 * dynalite removes a deleted table's items, tags and indexes by reading every key of the store
 * (all tables') and never closes what read them: each DeleteTable then costs as much as all
 * the data held, and leaves memory behind. These remove the table's key range alone.
 */
function replaceRemovals(internals: DynaliteStoreInternals): void {
  const removeRange = (prefix: string, callback: Callback) => {
    const work = async () => {
      const keys: { type: 'del'; key: string }[] = [];
      // Every key of the range starts with the prefix; U+10FFFF sorts after any character that can follow it.
      for await (const key of internals.db.keys({ gte: prefix, lt: `${prefix}\u{10FFFF}` })) keys.push({ type: 'del', key });
      if (keys.length > 0) await internals.db.batch(keys);
    };
    work().then(() => callback(null), (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
  };
  internals.deleteItemDb = (name, callback) => removeRange(`item-${name}~`, callback);
  internals.deleteTagDb = (name, callback) => removeRange(`tag-${name}~`, callback);
  internals.deleteIndexDb = (kind, table, index, callback) => removeRange(`index-${kind.toLowerCase()}~${table}~${index}~`, callback);
}

// LevelDB opens in the background and would only fail later, in dynalite's streams, where an error
// has no listener and ends the process. A broken table file is found only when read: read all now.
async function checkReadable(db: DynaliteStoreInternals['db'], path: string, region: string, repair: Required<StateRepair> | undefined): Promise<void> {
  const damaged = (what: string, error: unknown) => damagedState(`The local DynamoDB tables of ${region}, LevelDB in ${path}, ${what}: ${levelErrorMessage(error)}`, path, repair);
  try {
    await db.open();
  } catch (error) {
    throw damaged('cannot be opened', error);
  }
  try {
    for await (const entry of db.iterator({ fillCache: false })) void entry;
  } catch (error) {
    await db.close();
    throw damaged('cannot be read', error);
  }
}

// abstract-level wraps LevelDB's own error ("Corruption: ...") as the cause of its generic one.
function levelErrorMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
}
