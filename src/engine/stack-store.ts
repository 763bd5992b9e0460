import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from './api.ts';
import type { ChangeSetRecord, EngineState, StackRecord } from './state.ts';

const STATE_FILE = 'cloudformation-state.json';

/** What an interrupted operation's status becomes when the engine starts again. */
const INTERRUPTED: Record<string, string> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  // The update (or its rollback) itself finished; only cleanup of old resources was cut short.
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

export const INTERRUPTED_REASON = 'stackpilot local engine stopped during the operation';

/**
 * The engine's stacks and change sets, in memory, written to `stateDir` (temp file + rename, so
 * a reader never sees half a file) shortly after every change: changes within one turn of the
 * event loop share one write.
 */
export class StackStore {
  readonly stacks = new Map<string, StackRecord>();
  readonly changeSets = new Map<string, ChangeSetRecord>();
  /** Stack name -> id of the stack by that name that is not deleted. */
  private readonly live = new Map<string, string>();
  private writeScheduled = false;

  constructor(private readonly stateDir?: string) {}

  /** Reads the saved state; stacks caught mid-operation are marked failed, as CloudFormation would leave them. */
  load(now: string): void {
    if (!this.stateDir) return;
    const file = join(this.stateDir, STATE_FILE);
    if (!existsSync(file)) return;
    const state = JSON.parse(readFileSync(file, 'utf8')) as EngineState;
    for (const stack of state.stacks) {
      markInterrupted(stack, now);
      this.add(stack);
    }
    for (const changeSet of state.changeSets) {
      if (changeSet.status === 'CREATE_IN_PROGRESS' || changeSet.status === 'CREATE_PENDING') {
        Object.assign(changeSet, { status: 'FAILED', statusReason: INTERRUPTED_REASON, executionStatus: 'UNAVAILABLE' });
      }
      if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') changeSet.executionStatus = 'EXECUTE_FAILED';
      this.changeSets.set(changeSet.changeSetId, changeSet);
    }
    this.changed();
  }

  add(stack: StackRecord): void {
    this.stacks.set(stack.stackId, stack);
    if (stack.status !== 'DELETE_COMPLETE') this.live.set(stack.stackName, stack.stackId);
    this.changed();
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
    this.changed();
  }

  liveStacks(): StackRecord[] {
    return [...this.live.values()].map((id) => this.stacks.get(id)!);
  }

  /** Notes a change; the state is written once the current turn of the event loop is over. */
  changed(): void {
    if (!this.stateDir || this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    if (!this.stateDir || !this.writeScheduled) return;
    this.writeScheduled = false;
    const state: EngineState = { version: 1, stacks: [...this.stacks.values()], changeSets: [...this.changeSets.values()] };
    mkdirSync(this.stateDir, { recursive: true });
    const file = join(this.stateDir, STATE_FILE);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, file);
  }
}

function markInterrupted(stack: StackRecord, now: string): void {
  const next = INTERRUPTED[stack.status];
  if (!next) return;
  for (const resource of Object.values(stack.resources)) {
    if (resource.status.endsWith('_IN_PROGRESS')) {
      resource.status = resource.status.replace('_IN_PROGRESS', '_FAILED');
      resource.statusReason = INTERRUPTED_REASON;
    }
  }
  stack.status = next;
  stack.statusReason = INTERRUPTED_REASON;
  stack.events.push({
    eventId: `${stack.stackName}-${next}-${now}`,
    logicalId: stack.stackName,
    physicalId: stack.stackId,
    type: 'AWS::CloudFormation::Stack',
    timestamp: now,
    status: next,
    reason: INTERRUPTED_REASON,
  });
}
