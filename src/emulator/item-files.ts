import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { damagedState, dictionary, isJsonObject, makeStateFolder, problemInEntries, readStateJson, removePath, stateSubfolders, writeJsonAtomic, type StateRepair } from './state-files.ts';

/** How the items of a service (SSM parameters, secrets) are kept: one JSON file each. */
export interface ItemFileSpec<T> {
  /** The item's name in messages: "SSM parameter". */
  kind: string;
  /** What is lost with the whole region, for the repair of a damaged file of the earlier single-file layout. */
  losing: string;
  /** The key an item is found by (its name). */
  keyOf: (item: T) => string;
  /** What is wrong with a parsed item, said after its file's name ("has no versions"); undefined when usable. */
  check: (value: Record<string, unknown>) => string | undefined;
  /** The in-memory item made from the checked JSON (its dictionaries without prototype, say). */
  adopt?: (value: unknown) => T;
  /** The item with each of its secret values mapped: sealed when written, opened when read (see StateSecrets). */
  mapSecrets?: { seal: (item: T) => T; open: (item: T) => T };
}

/**
 * The items of one region, in memory and, given a folder, on disk one file each:
 *
 *   <service>/<region>/<readable name>-<hash>.json
 *
 * A change writes only the item it touches, through a temporary file and a rename (or removes
 * its file), so a write costs the same however many items there are, and a kill leaves each
 * item either as it was or as it became. The earlier layout, all items of a region in
 * `<service>/<region>.json`, is read once and converted (see `convertSingleFile`).
 */
export class ItemTable<T> {
  readonly items: Record<string, T> = dictionary();

  constructor(
    private readonly folder: string | undefined,
    private readonly spec: ItemFileSpec<T>,
  ) {}

  /** Writes the item by `key` as it is now, or removes its file when it is no longer there. */
  save(key: string): void {
    if (!this.folder) return;
    const path = join(this.folder, itemFileName(key));
    const item = this.items[key];
    if (item === undefined) rmSync(path, { force: true });
    else writeJsonAtomic(path, this.spec.mapSecrets ? this.spec.mapSecrets.seal(item) : item);
  }

  load(): void {
    if (!this.folder || !existsSync(this.folder)) return;
    for (const file of readdirSync(this.folder)) {
      const path = join(this.folder, file);
      // The draft of a write a kill interrupted (see temporaryPathFor): the item is in its file as it was.
      if (file.endsWith('.tmp')) rmSync(path, { force: true });
      if (!file.endsWith('.json')) continue;
      const item = this.readItem(path);
      const key = this.spec.keyOf(item);
      // Writes go to the file named for the item: one under another name would shadow it, or be shadowed.
      if (file !== itemFileName(key)) throw damagedState(`The local state file ${path} holds the ${this.spec.kind} ${key}, whose file is ${itemFileName(key)}`, path, { remove: path, losing: `this copy of the ${this.spec.kind} ${key}` });
      this.items[key] = item;
    }
  }

  private readItem(path: string): T {
    const { spec } = this;
    const repair: StateRepair = { losing: `this ${spec.kind}` };
    return readStateJson<T>(path, {
      check: (value) => (isJsonObject(value) ? spec.check(value) : 'is not a JSON object'),
      decode: (value) => {
        const item = spec.adopt ? spec.adopt(value) : (value as T);
        return spec.mapSecrets ? spec.mapSecrets.open(item) : item;
      },
      repair,
    })!;
  }
}

/** One ItemTable per region, opened (read from disk) on first use. */
export class RegionalItems<T> {
  private readonly tables = new Map<string, ItemTable<T>>();

  constructor(
    private readonly folder: string | undefined,
    private readonly spec: (region: string) => ItemFileSpec<T>,
  ) {}

  forRegion(region: string): ItemTable<T> {
    let table = this.tables.get(region);
    if (!table) {
      const spec = this.spec(region);
      const folder = this.folder && join(this.folder, region);
      if (this.folder && folder) convertSingleFile(this.folder, region, spec);
      table = new ItemTable(folder, spec);
      table.load();
      this.tables.set(region, table);
    }
    return table;
  }

  /** Reads every region with items on disk now (in either layout), so that damage shows at once. */
  openAll(): void {
    if (!this.folder || !existsSync(this.folder)) return;
    const regions = new Set(stateSubfolders(this.folder).filter((name) => !name.endsWith('.tmp')));
    for (const file of readdirSync(this.folder)) if (file.endsWith('.json')) regions.add(file.slice(0, -'.json'.length));
    for (const region of regions) this.forRegion(region);
  }
}

/**
 * Converts `<folder>/<region>.json` (every item of the region in one document) to a folder of
 * item files. The items are written into `<region>.converting.tmp`, which is renamed to
 * `<region>` once whole; the old file goes last. A kill at any point leaves either the old file
 * alone (converted again on the next open) or the new folder (and the old file, removed then).
 */
function convertSingleFile<T>(folder: string, region: string, spec: ItemFileSpec<T>): void {
  const legacy = join(folder, `${region}.json`);
  if (!existsSync(legacy)) return;
  const target = join(folder, region);
  if (!existsSync(target)) {
    const open = (value: unknown) => {
      const item = spec.adopt ? spec.adopt(value) : (value as T);
      return spec.mapSecrets ? spec.mapSecrets.open(item) : item;
    };
    const items = readStateJson<T[]>(legacy, {
      check: (value) => (isJsonObject(value) ? problemInEntries(value, (name) => `${spec.kind} ${name}`, (entry) => (isJsonObject(entry) ? spec.check(entry) : 'is not a JSON object')) : 'is not a JSON object'),
      decode: (value) => Object.values(value as object).map(open),
      repair: { losing: spec.losing },
    })!;
    const draft = join(folder, `${region}.converting.tmp`);
    removePath(draft);
    makeStateFolder(draft);
    const table = new ItemTable<T>(draft, spec);
    for (const item of items) {
      table.items[spec.keyOf(item)] = item;
      table.save(spec.keyOf(item));
    }
    renameSync(draft, target);
  }
  rmSync(legacy, { force: true });
}

/** `<readable part>-<hash>.json`: unique per name (case included), within file name limits, and recognisable in a listing. */
export function itemFileName(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${readable}-${hash}.json`;
}
