import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeStateFolder, readStateJson, tightenStateModes, writeFileAtomic } from '../emulator/state-files.ts';
import { StateSecrets } from '../emulator/state-secrets.ts';
import { EngineError } from './api.ts';
import { DeletedStacks } from './deleted-stacks.ts';
import type { ParameterRecord } from './evaluate/parameters.ts';
import { StackFiles } from './stack-files.ts';
import type { ChangeSetRecord, EngineState, StackRecord } from './state.ts';

const STACKS_FOLDER = 'stacks';
const CHANGE_SETS_FILE = 'change-sets.json';
/** The single-file layout of earlier versions, read once and converted. */
const LEGACY_STATE_FILE = 'cloudformation-state.json';

/**
 * The engine's stacks and change sets, in memory and, given a state folder, on disk: each live
 * stack in files of its own (see StackFiles), deleted stacks apart (see DeletedStacks), and
 * `change-sets.json`.
 *
 * A write costs what changed, not what is stored: `changed(stack, logicalId)` marks one resource
 * (its record and its update journal's entries), `changed(stack)` anything of the stack, which is
 * then written whole. Changes within one turn of the event loop share one write; `persist()`
 * writes at once, for the moments a kill must not lose: an intent recorded before a data plane is
 * touched. Writes go through a temporary file and a rename, or append a whole line, so a kill
 * never leaves half a record.
 *
 * On disk, every string of a record that holds one of its NoEcho parameter values (the values
 * themselves, and the properties, outputs and events the stack made from them) is sealed (see
 * StateSecrets); in memory the records are plain.
 */
export class StackStore {
  /** The stacks not deleted (and, without a state folder, the deleted ones too, until they expire). */
  readonly stacks = new Map<string, StackRecord>();
  readonly changeSets = new Map<string, ChangeSetRecord>();
  /** Stack name -> id of the stack by that name that is not deleted. */
  private readonly live = new Map<string, string>();
  /** Stacks changed since the last write, with the logical ids changed, or `all`. */
  private readonly dirty = new Map<StackRecord, Set<string> | 'all'>();
  private changeSetsDirty = false;
  private writeScheduled = false;

  private readonly secrets: StateSecrets | undefined;
  private readonly files: StackFiles | undefined;
  readonly deleted: DeletedStacks;

  /** `secrets` seals NoEcho values in the files of `stateDir`: by default with a key in stateDir. */
  constructor(
    private readonly stateDir?: string,
    secrets?: StateSecrets,
  ) {
    this.secrets = stateDir === undefined ? undefined : (secrets ?? StateSecrets.inFolder(stateDir));
    this.files = stateDir === undefined || !this.secrets ? undefined : new StackFiles(join(stateDir, STACKS_FOLDER), this.secrets);
    this.deleted = new DeletedStacks(this.files, this.secrets);
  }

  /** Reads the saved state as it was last written; what was running then is the caller's to finish. */
  load(): void {
    const { stateDir, secrets, files } = this;
    if (!stateDir || !secrets || !files) return;
    tightenStateModes(stateDir);
    const legacy = join(stateDir, LEGACY_STATE_FILE);
    if (existsSync(legacy) && !existsSync(files.folder)) {
      this.loadLegacy(legacy);
      return;
    }
    const names = existsSync(files.folder) ? readdirSync(files.folder).filter((f) => f.endsWith('.json')).sort() : [];
    this.deleted.load();
    for (const name of names) {
      const stack = files.read(name, { events: true });
      if (stack.status === 'DELETE_COMPLETE') this.deleted.add(stack);
      else this.index(stack);
    }
    for (const stack of this.stacks.values()) secrets.remember(noEchoValues(stack));
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
    for (const stack of [...this.stacks.values()]) if (stack.status === 'DELETE_COMPLETE') this.retire(stack);
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
    const byId = this.stacks.get(nameOrId) ?? this.deleted.record(nameOrId);
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

  /**
   * A deleted stack frees its name and leaves the live stacks: its record is kept apart
   * (describable by id, listed for 90 days), its change sets go, as in CloudFormation.
   */
  retire(stack: StackRecord): void {
    if (this.live.get(stack.stackName) === stack.stackId) this.live.delete(stack.stackName);
    for (const changeSet of [...this.changeSets.values()]) {
      if (changeSet.stackId !== stack.stackId) continue;
      this.changeSets.delete(changeSet.changeSetId);
      this.changeSetsDirty = true;
    }
    this.stacks.delete(stack.stackId);
    if (this.files && this.secrets) {
      // Its last state written first, whole: the files then move as they are.
      this.dirty.set(stack, 'all');
      this.flush();
    }
    this.deleted.add(stack);
  }

  liveStacks(): StackRecord[] {
    return [...this.live.values()].map((id) => this.stacks.get(id)!);
  }

  /** Every stack ListStacks shows, newest first: deleted ones as summaries (no resources, no events). */
  listed(): StackRecord[] {
    return [...this.stacks.values(), ...this.deleted.summaries()].sort((a, b) => b.creationTime.localeCompare(a.creationTime));
  }

  /**
   * Notes a change, written once the current turn of the event loop is over: to one resource of
   * a stack (`logicalId`), to anything of a stack, or (without a stack) to the change sets.
   */
  changed(stack?: StackRecord, logicalId?: string): void {
    if (!this.stateDir) return;
    // A deleted stack's files are final, and no longer among the live stacks'.
    if (stack && !this.stacks.has(stack.stackId)) return;
    if (stack) {
      const ids = this.dirty.get(stack);
      if (logicalId === undefined) this.dirty.set(stack, 'all');
      else if (ids === undefined) this.dirty.set(stack, new Set([logicalId]));
      else if (ids !== 'all') ids.add(logicalId);
    } else this.changeSetsDirty = true;
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
    const { stateDir, secrets, files } = this;
    if (!stateDir || !secrets || !files) return;
    makeStateFolder(files.folder);
    // Every NoEcho value the engine holds, wherever a stack carried it (another stack's parameter, a property).
    for (const stack of this.dirty.keys()) secrets.remember(noEchoValues(stack));
    if (this.changeSetsDirty) secrets.remember([...this.changeSets.values()].flatMap((changeSet) => parameterNoEchoValues(changeSet.parameters)));
    const seal = (record: unknown) => secrets.sealedJson(record, (text) => secrets.holdsKnownSecret(text));
    for (const [stack, ids] of this.dirty) files.write(stack, ids === 'all' ? new Set() : ids, ids === 'all', seal);
    this.dirty.clear();
    if (this.changeSetsDirty) writeFileAtomic(join(stateDir, CHANGE_SETS_FILE), seal([...this.changeSets.values()]));
    this.changeSetsDirty = false;
  }
}

/** The NoEcho values (given and resolved) a stack holds, those of an update under way included. */
function noEchoValues(stack: StackRecord): string[] {
  return parameterNoEchoValues([...stack.parameters, ...(stack.journal?.previousParameters ?? [])]);
}

function parameterNoEchoValues(parameters: ParameterRecord[]): string[] {
  return parameters.filter((p) => p.noEcho).flatMap((p) => [p.value, p.resolvedValue ?? '']);
}
