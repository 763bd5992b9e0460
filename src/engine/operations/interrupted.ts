import type { EngineRuntime } from '../runtime.ts';
import type { StackRecord } from '../state.ts';
import type { StackLifecycle } from './lifecycle.ts';

export const INTERRUPTED_REASON = 'stackpilot local engine stopped during the operation';

/** The operations a restart finishes (StackLifecycle.resume), and what a stack caught in one becomes when nothing will finish it (a nested stack whose root is not running). */
const STOPPED: Record<string, string> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

const isRunning = (stack: StackRecord) => stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS';

/**
 * After a restart, the operations the engine's previous process was running when it stopped
 * (a kill -9, a crash, a second Ctrl-C) are finished as AWS would finish them: every resource
 * step caught halfway fails, then each root stack's operation is carried to its end in the
 * background (see StackLifecycle.resume), driving its nested stacks as it goes. Change sets
 * caught being planned or executed fail.
 */
export function resumeInterrupted(runtime: EngineRuntime, lifecycle: StackLifecycle): void {
  const { store } = runtime;
  const running = [...store.stacks.values()].filter(isRunning);
  for (const stack of running) failInterruptedSteps(runtime, stack);
  for (const changeSet of store.changeSets.values()) {
    if (changeSet.status === 'CREATE_IN_PROGRESS' || changeSet.status === 'CREATE_PENDING') {
      Object.assign(changeSet, { status: 'FAILED', statusReason: INTERRUPTED_REASON, executionStatus: 'UNAVAILABLE' });
      store.changed();
    }
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      changeSet.executionStatus = 'EXECUTE_FAILED';
      store.changed();
    }
  }
  for (const stack of running) {
    const root = stack.rootId ? store.find(stack.rootId) : undefined;
    if (!stack.rootId && Object.hasOwn(STOPPED, stack.status)) runtime.background(() => lifecycle.resume(stack));
    else if (!root || !isRunning(root)) runtime.setStackStatus(stack, STOPPED[stack.status] ?? stack.status.replace(/_IN_PROGRESS$/, '_FAILED'), INTERRUPTED_REASON);
  }
}

function failInterruptedSteps(runtime: EngineRuntime, stack: StackRecord): void {
  for (const resource of Object.values(stack.resources)) {
    if (resource.status.endsWith('_IN_PROGRESS')) runtime.setResourceStatus(stack, resource, resource.status.replace(/_IN_PROGRESS$/, '_FAILED'), INTERRUPTED_REASON, undefined);
  }
}
