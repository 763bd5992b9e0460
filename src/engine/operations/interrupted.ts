import type { EngineRuntime } from '../runtime.ts';
import type { StackRecord } from '../state.ts';
import type { StackLifecycle } from './lifecycle.ts';

export const INTERRUPTED_REASON = 'stackpilot local engine stopped during the operation';

/** The operations a restart carries to their end (see StackLifecycle.resume). */
export const RESUMABLE = new Set(['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS']);

const isRunning = (stack: StackRecord) => stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS';

/**
 * After a restart, the operations the engine's previous process was running when it stopped
 * (a kill -9, a crash, a second Ctrl-C) are finished as AWS would finish them: every resource
 * step caught halfway fails, then each stack's operation is carried to its end in the
 * background, nested stacks before their parents, so that a parent finds its children settled
 * whether it deletes them, keeps them (Retain) or rolls them back. A child whose update
 * succeeded waits for its parent to decide between cleanup and rollback, as it always does.
 * Change sets caught being planned or executed fail.
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
  const depth = (stack: StackRecord): number => (stack.parentId ? 1 + depth(store.get(stack.parentId)) : 0);
  const parentRunning = (stack: StackRecord) => stack.parentId !== undefined && isRunning(store.get(stack.parentId));
  const order = running
    .filter((stack) => !(stack.status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' && parentRunning(stack)))
    .sort((a, b) => depth(b) - depth(a));
  if (order.length === 0) return;
  runtime.background(async () => {
    for (const stack of order) {
      if (!isRunning(stack)) continue; // settled along with its parent's operation
      if (RESUMABLE.has(stack.status)) await lifecycle.resume(stack);
      else runtime.setStackStatus(stack, stack.status.replace(/_IN_PROGRESS$/, '_FAILED'), INTERRUPTED_REASON);
    }
  });
}

function failInterruptedSteps(runtime: EngineRuntime, stack: StackRecord): void {
  for (const resource of Object.values(stack.resources)) {
    if (resource.status.endsWith('_IN_PROGRESS')) runtime.setResourceStatus(stack, resource, resource.status.replace(/_IN_PROGRESS$/, '_FAILED'), INTERRUPTED_REASON, undefined);
  }
}
