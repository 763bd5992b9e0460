import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_FILE_MODE, StateFileProblem, damagedState, makeStateFolder, readStateJson, tightenStateModes, writeFileAtomic } from '../emulator/state-files.ts';
import { StateSecrets } from '../emulator/state-secrets.ts';
import { EngineError } from './api.ts';
import type { ParameterRecord } from './evaluate/parameters.ts';
import type { ChangeSetRecord, EngineState, EventRecord, StackRecord } from './state.ts';

const STACKS_FOLDER = 'stacks';
const CHANGE_SETS_FILE = 'change-sets.json';
/** The single-file layout of earlier versions, read once and converted. */
const LEGACY_STATE_FILE = 'cloudformation-state.json';

/**
 * The engine's stacks and change sets, in memory and, given a state folder, on disk:
 *
 *   stacks/<name>-<uuid>.json          a stack's record without its events, rewritten whole
 *   stacks/<name>-<uuid>.events.jsonl  its events, one JSON object per line, only ever appended
 *   change-sets.json                   the change sets
 *
 * A write touches only what changed (the stacks marked by `changed(stack)`, their new events),
 * through a temporary file and a rename, so a kill never leaves half a record. Changes within one
 * turn of the event loop share one write; `persist()` writes at once, for the moments a kill must
 * not lose: an intent recorded before a data plane is touched.
 *
 * On disk, every string of a record that holds one of its NoEcho parameter values (the values
 * themselves, and the properties, outputs and events the stack made from them) is sealed (see
 * StateSecrets); in memory the records are plain.
 */
export class StackStore {
  readonly stacks = new Map<string, StackRecord>();
  readonly changeSets = new Map<string, ChangeSetRecord>();
  /** Stack name -> id of the stack by that name that is not deleted. */
  private readonly live = new Map<string, string>();
  private readonly dirtyStacks = new Set<StackRecord>();
  private changeSetsDirty = false;
  /** Stack id -> how many of its events are on disk. */
  private readonly eventsWritten = new Map<string, number>();
  private writeScheduled = false;

  private readonly secrets: StateSecrets | undefined;

  /** `secrets` seals NoEcho values in the files of `stateDir`: by default with a key in stateDir. */
  constructor(
    private readonly stateDir?: string,
    secrets?: StateSecrets,
  ) {
    this.secrets = stateDir === undefined ? undefined : (secrets ?? StateSecrets.inFolder(stateDir));
  }

  /** Reads the saved state as it was last written; what was running then is the caller's to finish. */
  load(): void {
    const { stateDir, secrets } = this;
    if (!stateDir || !secrets) return;
    tightenStateModes(stateDir);
    const legacy = join(stateDir, LEGACY_STATE_FILE);
    if (existsSync(legacy) && !existsSync(join(stateDir, STACKS_FOLDER))) {
      this.loadLegacy(legacy);
      return;
    }
    const folder = join(stateDir, STACKS_FOLDER);
    const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.json')).sort() : [];
    for (const file of files) {
      const stack = readStackRecord(join(folder, file), secrets);
      stack.events = readEvents(join(folder, file.replace(/\.json$/, '.events.jsonl')), secrets);
      this.eventsWritten.set(stack.stackId, stack.events.length);
      this.index(stack);
    }
    const changeSets =
      readStateJson<ChangeSetRecord[]>(join(stateDir, CHANGE_SETS_FILE), {
        check: (v) => (Array.isArray(v) ? undefined : 'is not a list of change sets'),
        decode: (v) => secrets.unsealStrings(v),
        repair: { losing: 'the change sets not yet executed' },
      }) ?? [];
    for (const changeSet of changeSets) this.changeSets.set(changeSet.changeSetId, changeSet);
  }

  private loadLegacy(file: string): void {
    const state = readStateJson<EngineState>(file, { check: (v) => (Array.isArray((v as EngineState | null)?.stacks) ? undefined : 'has no list of stacks') })!;
    for (const stack of state.stacks) this.add(stack);
    for (const changeSet of state.changeSets ?? []) this.changeSets.set(changeSet.changeSetId, changeSet);
    this.changeSetsDirty = true;
    this.flush();
    rmSync(file, { force: true });
  }

  add(stack: StackRecord): void {
    this.index(stack);
    this.changed(stack);
  }

  private index(stack: StackRecord): void {
    this.stacks.set(stack.stackId, stack);
    if (stack.status !== 'DELETE_COMPLETE') this.live.set(stack.stackName, stack.stackId);
  }

  /** The stack a StackName argument names: a live stack by name, or any stack (deleted ones too) by id. */
  find(nameOrId: string): StackRecord | undefined {
    const byId = this.stacks.get(nameOrId);
    if (byId) return byId;
    const id = this.live.get(nameOrId);
    return id ? this.stacks.get(id) : undefined;
  }

  /** Like find, failing as CloudFormation does. */
  get(nameOrId: string | undefined): StackRecord {
    const stack = nameOrId ? this.find(nameOrId) : undefined;
    if (!stack) throw new EngineError('ValidationError', `Stack with id ${nameOrId ?? ''} does not exist`);
    return stack;
  }

  liveStackNamed(name: string): StackRecord | undefined {
    const id = this.live.get(name);
    return id ? this.stacks.get(id) : undefined;
  }

  /** A deleted stack keeps its record (describable by id) but frees its name. */
  retire(stack: StackRecord): void {
    if (this.live.get(stack.stackName) === stack.stackId) this.live.delete(stack.stackName);
    this.changed(stack);
  }

  liveStacks(): StackRecord[] {
    return [...this.live.values()].map((id) => this.stacks.get(id)!);
  }

  /** Notes a change to a stack (or, without one, to the change sets); it is written once the current turn of the event loop is over. */
  changed(stack?: StackRecord): void {
    if (!this.stateDir) return;
    if (stack) this.dirtyStacks.add(stack);
    else this.changeSetsDirty = true;
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes what changed now: the engine is about to do something a kill must not leave unrecorded. */
  persist(): void {
    this.flush();
  }

  /** Secrets the engine learned besides NoEcho values (resolved secure references): sealed wherever they are carried. */
  rememberSecrets(values: Iterable<string>): void {
    this.secrets?.remember(values);
  }

  flush(): void {
    this.writeScheduled = false;
    const { stateDir, secrets } = this;
    if (!stateDir || !secrets) return;
    const folder = join(stateDir, STACKS_FOLDER);
    makeStateFolder(folder);
    // Every NoEcho value the engine holds, wherever a stack carried it (another stack's parameter, a property).
    secrets.remember([...this.stacks.values()].flatMap((stack) => noEchoValues([...stack.parameters, ...(stack.journal?.previousParameters ?? [])])));
    secrets.remember([...this.changeSets.values()].flatMap((changeSet) => noEchoValues(changeSet.parameters)));
    const sealed = (record: object) => secrets.sealedJson(record, (text) => secrets.holdsKnownSecret(text));
    for (const stack of this.dirtyStacks) {
      const base = join(folder, fileNameOf(stack));
      // Events first: a record on disk never refers to an event that is not.
      const written = this.eventsWritten.get(stack.stackId) ?? 0;
      if (stack.events.length > written) {
        appendFileSync(`${base}.events.jsonl`, stack.events.slice(written).map((e) => `${sealed(e)}\n`).join(''), { mode: STATE_FILE_MODE });
        this.eventsWritten.set(stack.stackId, stack.events.length);
      }
      writeFileAtomic(`${base}.json`, sealed({ ...stack, events: undefined }));
    }
    this.dirtyStacks.clear();
    if (this.changeSetsDirty) writeFileAtomic(join(stateDir, CHANGE_SETS_FILE), sealed([...this.changeSets.values()]));
    this.changeSetsDirty = false;
  }
}

/** `arn:...:stack/<name>/<uuid>` -> `<name>-<uuid>`: unique, and readable in a folder listing. */
function fileNameOf(stack: StackRecord): string {
  const [, name, uuid] = stack.stackId.split('/');
  return `${name}-${uuid}`.replace(/[^A-Za-z0-9-]/g, '-');
}

/** The NoEcho values (given and resolved) among parameter records. */
function noEchoValues(parameters: ParameterRecord[]): string[] {
  return parameters.filter((p) => p.noEcho).flatMap((p) => [p.value, p.resolvedValue ?? '']);
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
 * A stack's events. The last line may be cut short by a kill in the middle of an append: it is
 * left out. A damaged line before it is damage.
 */
function readEvents(path: string, secrets: StateSecrets): EventRecord[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const events: EventRecord[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      if (i === lines.length - 1) return;
      throw damagedState(`The local state file ${path}: line ${i + 1} is not valid JSON: ${(error as Error).message}`, path);
    }
    try {
      events.push(secrets.unsealStrings(event) as EventRecord);
    } catch (error) {
      if (error instanceof StateFileProblem) throw damagedState(`The local state file ${path}: line ${i + 1} ${error.message}`, path);
      throw error;
    }
  });
  return events;
}
