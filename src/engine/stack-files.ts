import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_FILE_MODE, StateFileProblem, damagedState, readStateJson, writeFileAtomic } from '../emulator/state-files.ts';
import type { StateSecrets } from '../emulator/state-secrets.ts';
import type { EventRecord, ResourceRecord, StackRecord, UpdateJournal } from './state.ts';

/**
 * One stack on disk, in a folder of stacks, written at a cost that follows what changed rather
 * than the size of the stack:
 *
 *   <file>.json           the record without its events (a snapshot), rewritten whole now and then
 *   <file>.changes.jsonl  what changed since the snapshot: resources by logical id, the small fields
 *   <file>.events.jsonl   the events, one a line, only ever appended
 *
 * Every line and file is written whole or not at all from a reader's view (a torn last line is
 * left out); a snapshot names the last change it holds (`changeSeq`), so that changes already in
 * it are not applied twice should a kill come between its rename and the log's truncation.
 */

/** The record fields kept apart from the small ones: large, and rarely changed. */
type Large = 'resources' | 'events' | 'templateBody' | 'journal';

/** The small fields of a journal: its maps by logical id are written entry by entry. */
type JournalHead = Omit<UpdateJournal, 'before' | 'replaced' | 'removed' | 'previousTemplateBody'>;

interface Head {
  stack: Omit<StackRecord, Large>;
  journal?: JournalHead;
}

/** What one logical id stands for now: the resource, and the journal's entries under that id. */
interface Entry {
  resource: ResourceRecord | null;
  before?: { value: ResourceRecord | null };
  replaced?: ResourceRecord;
  removed?: ResourceRecord;
}

interface ChangeLine {
  seq: number;
  head?: Head;
  templateBody?: string;
  previousTemplateBody?: string;
  entries?: Record<string, Entry>;
}

/** Once the change log outgrows both this and the snapshot, the snapshot is written again. */
const MIN_LOG_BYTES = 64 * 1024;

/** The state of one stack's files, as this process last wrote them. */
interface Written {
  seq: number;
  snapshotBytes: number;
  logBytes: number;
  events: number;
  head: string;
  templateBody: string;
  previousTemplateBody: string | undefined;
  journal: UpdateJournal | undefined;
}

type Seal = (record: unknown) => string;

export class StackFiles {
  private readonly written = new Map<string, Written>();

  constructor(
    readonly folder: string,
    private readonly secrets: StateSecrets,
  ) {}

  /** Writes what changed of `stack`: `ids` the logical ids touched, or `all` when anything may have changed. */
  write(stack: StackRecord, ids: ReadonlySet<string>, all: boolean, seal: Seal): void {
    const base = join(this.folder, fileNameOf(stack));
    const written = this.written.get(stack.stackId);
    // Events first: a record on disk never refers to an event that is not.
    const eventsWritten = written?.events ?? 0;
    if (stack.events.length > eventsWritten) {
      appendFileSync(`${base}.events.jsonl`, stack.events.slice(eventsWritten).map((e) => `${seal(e)}\n`).join(''), { mode: STATE_FILE_MODE });
    }
    if (written) written.events = stack.events.length;
    if (!written || all || written.journal !== stack.journal || written.logBytes > Math.max(MIN_LOG_BYTES, 2 * written.snapshotBytes)) {
      this.writeSnapshot(stack, base, seal, written?.seq ?? 0);
      return;
    }
    const line: ChangeLine = { seq: written.seq + 1 };
    const head = JSON.stringify(headOf(stack));
    if (head !== written.head) line.head = JSON.parse(head) as Head;
    if (stack.templateBody !== written.templateBody) line.templateBody = stack.templateBody;
    if (stack.journal && stack.journal.previousTemplateBody !== written.previousTemplateBody) line.previousTemplateBody = stack.journal.previousTemplateBody;
    if (ids.size > 0) line.entries = Object.fromEntries([...ids].map((id) => [id, entryOf(stack, id)]));
    if (Object.keys(line).length === 1) return;
    const text = `${seal(line)}\n`;
    appendFileSync(`${base}.changes.jsonl`, text, { mode: STATE_FILE_MODE });
    Object.assign(written, { seq: line.seq, logBytes: written.logBytes + text.length, head, templateBody: stack.templateBody, previousTemplateBody: stack.journal?.previousTemplateBody });
  }

  private writeSnapshot(stack: StackRecord, base: string, seal: Seal, seq: number): void {
    const text = seal({ ...stack, events: undefined, changeSeq: seq });
    writeFileAtomic(`${base}.json`, text);
    rmSync(`${base}.changes.jsonl`, { force: true });
    this.written.set(stack.stackId, {
      seq,
      snapshotBytes: text.length,
      logBytes: 0,
      events: stack.events.length,
      head: JSON.stringify(headOf(stack)),
      templateBody: stack.templateBody,
      previousTemplateBody: stack.journal?.previousTemplateBody,
      journal: stack.journal,
    });
  }

  /** Reads a stack from its files (`file` its snapshot's name); with its events unless told not to. */
  read(file: string, options: { events: boolean }): StackRecord {
    const base = join(this.folder, file.replace(/\.json$/, ''));
    const snapshot = readStackRecord(`${base}.json`, this.secrets) as StackRecord & { changeSeq?: number };
    const seq = snapshot.changeSeq ?? 0;
    delete snapshot.changeSeq;
    const stack = snapshot;
    let last = seq;
    let logBytes = 0;
    for (const [line, size] of readLines<ChangeLine>(`${base}.changes.jsonl`, this.secrets)) {
      logBytes += size;
      if (line.seq <= last) continue;
      applyChange(stack, line);
      last = line.seq;
    }
    stack.events = options.events ? readLines<EventRecord>(`${base}.events.jsonl`, this.secrets).map(([event]) => event) : [];
    if (options.events) {
      this.written.set(stack.stackId, {
        seq: last,
        snapshotBytes: Infinity,
        logBytes,
        events: stack.events.length,
        head: JSON.stringify(headOf(stack)),
        templateBody: stack.templateBody,
        previousTemplateBody: stack.journal?.previousTemplateBody,
        journal: stack.journal,
      });
    }
    return stack;
  }

  /** Forgets a stack this process wrote: its files are now another folder's, or gone. */
  forget(stack: StackRecord): void {
    this.written.delete(stack.stackId);
  }
}

function headOf(stack: StackRecord): Head {
  const { resources: _r, events: _e, templateBody: _t, journal, ...rest } = stack;
  if (!journal) return { stack: rest };
  const { before: _b, replaced: _p, removed: _m, previousTemplateBody: _pt, ...journalHead } = journal;
  return { stack: rest, journal: journalHead };
}

function entryOf(stack: StackRecord, id: string): Entry {
  const entry: Entry = { resource: stack.resources[id] ?? null };
  const journal = stack.journal;
  if (!journal) return entry;
  if (Object.hasOwn(journal.before, id)) entry.before = { value: journal.before[id] };
  if (journal.replaced[id]) entry.replaced = journal.replaced[id];
  if (journal.removed[id]) entry.removed = journal.removed[id];
  return entry;
}

function applyChange(stack: StackRecord, line: ChangeLine): void {
  if (line.head) {
    const { resources, events, templateBody, journal } = stack;
    for (const key of Object.keys(stack)) delete (stack as unknown as Record<string, unknown>)[key];
    Object.assign(stack, line.head.stack, { resources, events, templateBody, journal });
    if (journal && line.head.journal) Object.assign(journal, line.head.journal);
  }
  if (line.templateBody !== undefined) stack.templateBody = line.templateBody;
  if (stack.journal && line.previousTemplateBody !== undefined) stack.journal.previousTemplateBody = line.previousTemplateBody;
  for (const [id, entry] of Object.entries(line.entries ?? {})) {
    if (entry.resource) stack.resources[id] = entry.resource;
    else delete stack.resources[id];
    const journal = stack.journal;
    if (!journal) continue;
    if (entry.before) journal.before[id] = entry.before.value;
    else delete journal.before[id];
    if (entry.replaced) journal.replaced[id] = entry.replaced;
    else delete journal.replaced[id];
    if (entry.removed) journal.removed[id] = entry.removed;
    else delete journal.removed[id];
  }
}

/** `arn:...:stack/<name>/<uuid>` -> `<name>-<uuid>`: unique, and readable in a folder listing. */
export function fileNameOf(stack: Pick<StackRecord, 'stackId'>): string {
  const [, name, uuid] = stack.stackId.split('/');
  return `${name}-${uuid}`.replace(/[^A-Za-z0-9-]/g, '-');
}

function readStackRecord(path: string, secrets: StateSecrets): StackRecord {
  const repair = { losing: 'this stack: its resources stay in the data planes, owned by no stack' };
  return readStateJson<StackRecord>(path, {
    repair,
    decode: (value) => secrets.unsealStrings(value),
    check: (value) => {
      const stack = value as Partial<StackRecord> | null;
      if (typeof stack?.stackId !== 'string' || typeof stack.stackName !== 'string' || typeof stack.status !== 'string') return 'is not a stack record';
      if (stack.resources === null || typeof stack.resources !== 'object') return 'has no resources';
      return undefined;
    },
  })!;
}

/**
 * The JSON lines of a file that is only appended to, each with its size in bytes. The last line
 * may be cut short by a kill in the middle of an append: it is left out. A damaged line before it is damage.
 */
export function readLines<T>(path: string, secrets: StateSecrets): [T, number][] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const values: [T, number][] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (i === lines.length - 1) return;
      throw damagedState(`The local state file ${path}: line ${i + 1} is not valid JSON: ${(error as Error).message}`, path);
    }
    try {
      values.push([secrets.unsealStrings(value) as T, Buffer.byteLength(line) + 1]);
    } catch (error) {
      if (error instanceof StateFileProblem) throw damagedState(`The local state file ${path}: line ${i + 1} ${error.message}`, path);
      throw error;
    }
  });
  return values;
}
