import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StackpilotError } from '../errors.ts';
import { shellWord } from '../shell-word.ts';

/** The error code of a local state file or folder that cannot be used as it is. */
export const LOCAL_STATE_DAMAGED = 'LocalStateDamaged';

/** The file that marks a folder as the local state, held by the process using it (see state-lock.ts). */
export const LOCK_FILE = 'local.lock';

/**
 * The local state holds secret values (NoEcho parameters, SecureStrings, secrets) and data others
 * on the machine have no business reading: its files are its owner's only, and so are its folders.
 * The umask can only narrow these modes, never widen them.
 */
export const STATE_FILE_MODE = 0o600;
export const STATE_FOLDER_MODE = 0o700;

let temporaryCounter = 0;

/** Makes a state folder, and those missing above it, open to their owner only. */
export function makeStateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: STATE_FOLDER_MODE });
}

/** A name beside `path` for a file written before it takes its place: unique to this process and write. */
export function temporaryPathFor(path: string): string {
  return `${path}.${process.pid}.${++temporaryCounter}.tmp`;
}

/** Writes a state file (owner-only) so that readers only ever see the old or the new content, never a torn one. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  makeStateFolder(dirname(path));
  const temporary = temporaryPathFor(path);
  writeFileSync(temporary, content, { mode: STATE_FILE_MODE });
  renameSync(temporary, path);
}

/** Lines written per write call: a large file is never one string in memory. */
const LINES_PER_WRITE = 1000;

/** Writes a file of lines (JSON Lines, say) atomically, a chunk at a time, however many lines there are. */
export function writeLinesAtomic(path: string, lines: readonly string[]): void {
  makeStateFolder(dirname(path));
  const temporary = temporaryPathFor(path);
  const fd = openSync(temporary, 'w', STATE_FILE_MODE);
  try {
    for (let start = 0; start < lines.length; start += LINES_PER_WRITE) writeSync(fd, `${lines.slice(start, start + LINES_PER_WRITE).join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value));
}

/**
 * Makes `path` and everything under it owner-only (folders 0700, files 0600): state written by
 * earlier versions, or by LevelDB (which makes its files 0644 less the umask), is tightened when
 * opened. `path` itself may be a symbolic link (a state folder kept on another disk); links below
 * it are left as they are, not followed.
 */
export function tightenStateModes(path: string): void {
  tightenEntry(path, statSync(path, { throwIfNoEntry: false }));
}

function tightenEntry(path: string, found: Stats | undefined): void {
  if (!found || found.isSymbolicLink()) return;
  const wanted = found.isDirectory() ? STATE_FOLDER_MODE : STATE_FILE_MODE;
  try {
    if ((found.mode & 0o777) !== wanted) chmodSync(path, wanted);
  } catch (error) {
    throw damagedState(`The local state ${found.isDirectory() ? 'folder' : 'file'} ${path} cannot be made private to its owner: ${(error as Error).message}`, path);
  }
  if (!found.isDirectory()) return;
  for (const entry of stateFolderEntries(path)) tightenEntry(join(path, entry.name), lstatSync(join(path, entry.name), { throwIfNoEntry: false }));
}

export function removePath(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** A repair of a damaged file that keeps the rest of the local state. */
export interface StateRepair {
  /** What to remove: a file or folder (default: the damaged file itself). */
  remove?: string;
  /** What is lost with it, e.g. "the SSM parameters of us-east-1". */
  losing: string;
}

/** What is wrong with a state file, said after its name ("has a sealed value that ..."), found while decoding it. */
export class StateFileProblem extends Error {}

/** How a state file is checked once parsed, and how it can be repaired. */
export interface StateFileRules {
  /**
   * What is wrong with the parsed value, said after the file's name ("has no bucket name"), or
   * undefined when it can be used. Checks the fields the code relies on, not every field.
   */
  check?: (value: unknown) => string | undefined;
  /** The checked value as the code uses it (its sealed secret values opened, say); a StateFileProblem it throws is damage of the file. */
  decode?: (value: unknown) => unknown;
  repair?: StateRepair;
}

/**
 * Reads a JSON file of the local state: its value, or `undefined` when it does not exist.
 * A file that cannot be read, is not valid JSON or fails `check` is damaged state: throws a
 * StackpilotError `LocalStateDamaged` whose message names the file and what is wrong, and
 * whose hint gives the ways out (the repair, and `stackpilot local reset`).
 */
export function readStateJson<T>(path: string, rules: StateFileRules = {}): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw damagedStateFile(path, `cannot be read: ${(error as Error).message}`, rules.repair);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw damagedStateFile(path, `is not valid JSON: ${(error as Error).message}`, rules.repair);
  }
  const problem = rules.check?.(value);
  if (problem !== undefined) throw damagedStateFile(path, problem, rules.repair);
  try {
    return (rules.decode ? rules.decode(value) : value) as T;
  } catch (error) {
    if (error instanceof StateFileProblem) throw damagedStateFile(path, error.message, rules.repair);
    throw error;
  }
}

function damagedStateFile(path: string, problem: string, repair: StateRepair | undefined): StackpilotError {
  return damagedState(`The local state file ${path} ${problem}`, path, repair && { remove: repair.remove ?? path, losing: repair.losing });
}

/**
 * The error for a damaged part of the local state at `path` (a file or folder): the message says
 * what is wrong; the hint, the repair that keeps the rest (if any) and the clean start.
 */
export function damagedState(message: string, path: string, repair?: Required<StateRepair>): StackpilotError {
  const dataDir = localStateFolderOf(path);
  const keepTheRest = repair && `To keep the rest of the local state, remove ${isFolder(repair.remove) ? 'the folder ' : ''}${repair.remove} (losing ${repair.losing}).`;
  const startAfresh = dataDir ? `To start afresh, run \`${resetCommand(dataDir)}\`: it deletes all local stacks and data.` : 'To start afresh, delete the local state folder that holds it.';
  return new StackpilotError(LOCAL_STATE_DAMAGED, message, keepTheRest ? `${keepTheRest} ${startAfresh}` : startAfresh);
}

/** The local state folder holding `path`: the nearest folder above it with the lock, which its user holds. */
function localStateFolderOf(path: string): string | undefined {
  for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) {
    if (existsSync(join(folder, LOCK_FILE))) return folder;
  }
  return undefined;
}

/** The command that resets a local state folder: by project for the usual `PROJECT/.stackpilot/local`. */
export function resetCommand(dataDir: string): string {
  const project = dirname(dirname(dataDir));
  const usual = basename(dataDir) === 'local' && basename(dirname(dataDir)) === '.stackpilot';
  return usual ? `stackpilot local reset ${shellWord(project)}` : `stackpilot local reset --data-dir ${shellWord(dataDir)}`;
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The entries of a state folder; none when it does not exist. */
function stateFolderEntries(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw damagedState(`The local state folder ${path} cannot be read: ${(error as Error).message}`, path);
  }
}

/** The names of the subfolders of a state folder; files beside them are not state, and are ignored. */
export function stateSubfolders(path: string): string[] {
  return stateFolderEntries(path)
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/**
 * A record keyed by names from files or requests, without a prototype: a key such as
 * `__proto__` or `constructor` is then a name like any other, and never reaches Object.prototype.
 */
export function dictionary<T>(entries: object = {}): Record<string, T> {
  // Object.assign defines `__proto__` as an own key here: a prototype-free target has no setter for it.
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first problem of the entries of a JSON object (`describe` names an entry: "parameter /a"), or undefined. */
export function problemInEntries(value: Record<string, unknown>, describe: (name: string) => string, check: (entry: unknown) => string | undefined): string | undefined {
  for (const [name, entry] of Object.entries(value)) {
    const problem = check(entry);
    if (problem !== undefined) return `has ${describe(name)}, which ${problem}`;
  }
  return undefined;
}

/** How a JSON document of the local state is read: its checks, its repair, and its empty form. */
export interface StateDocumentSpec<T> extends StateFileRules {
  /** The document when its file does not exist, or when there is no file (state in memory). */
  empty: () => T;
  /** The in-memory document made from the checked JSON (its dictionaries without prototype, say); the JSON as is by default. */
  adopt?: (value: unknown) => T;
  /** The document as written (its secret values sealed, say): the counterpart of `decode`; the document as is by default. */
  encode?: (value: T) => unknown;
}

/**
 * A JSON document a small service keeps its whole state in: read once when opened, rewritten
 * atomically after every change; in memory only when there is no path.
 */
export class JsonDocument<T> {
  readonly value: T;

  constructor(
    private readonly path: string | undefined,
    private readonly spec: StateDocumentSpec<T>,
  ) {
    const stored = path ? readStateJson<unknown>(path, spec) : undefined;
    this.value = stored === undefined ? spec.empty() : spec.adopt ? spec.adopt(stored) : (stored as T);
  }

  save(): void {
    if (this.path) writeJsonAtomic(this.path, this.spec.encode ? this.spec.encode(this.value) : this.value);
  }
}

/** One `JsonDocument` per region, opened on first use: `<folder>/<region>.json`. */
export class RegionalDocuments<T> {
  private readonly documents = new Map<string, JsonDocument<T>>();

  constructor(
    private readonly folder: string | undefined,
    private readonly spec: (region: string) => StateDocumentSpec<T>,
  ) {}

  forRegion(region: string): JsonDocument<T> {
    let document = this.documents.get(region);
    if (!document) {
      document = new JsonDocument(this.folder ? join(this.folder, `${region}.json`) : undefined, this.spec(region));
      this.documents.set(region, document);
    }
    return document;
  }

  /** Reads the document of every region that has one on disk now, so that damage shows at once. */
  openAll(): void {
    if (!this.folder) return;
    for (const entry of stateFolderEntries(this.folder)) if (entry.isFile() && entry.name.endsWith('.json')) this.forRegion(entry.name.slice(0, -'.json'.length));
  }
}
