import { checkExports, evaluateOutputs } from '../exports.ts';
import { activeResources, failureReason, policyUndoingCreate, type StackOperation } from './operation.ts';
import { createResource } from './resource-steps.ts';
import { runInDependencyOrder } from './scheduler.ts';
import { deleteInReverseOrder, failedList, notYetDeleted } from './teardown.ts';

/**
 * Creates a stack's resources in dependency order, then its outputs. On failure: rolls back
 * (deletes what was created, ROLLBACK_COMPLETE) unless rollback is disabled (CREATE_FAILED stays),
 * and returns why it failed (the stack's own reason is gone once the rollback is complete).
 */
export async function runCreate(op: StackOperation): Promise<string | undefined> {
  const { runtime, stack } = op;
  runtime.setStackStatus(stack, 'CREATE_IN_PROGRESS', 'User Initiated', op.token);
  let reason: string | undefined;
  try {
    const resources = new Map(activeResources(op).map((r) => [r.logicalId, r]));
    const { failed } = await runInDependencyOrder(
      [...resources.keys()],
      (id) => op.template.dependencies.get(id) ?? [],
      async (id) => {
        const ok = await createResource(op, resources.get(id)!);
        if (!ok) op.failing = true;
        return ok;
      },
    );
    if (failed.length > 0) {
      const all = Object.values(stack.resources).filter((r) => r.status === 'CREATE_FAILED').map((r) => r.logicalId);
      reason = failedList('create', all);
    } else {
      const outputs = evaluateOutputs(op);
      checkExports(runtime.store, stack, outputs, []);
      stack.outputs = outputs;
      stack.imports = [...op.imports];
    }
  } catch (error) {
    reason = failureReason(error);
  }
  if (reason === undefined) {
    runtime.setStackStatus(stack, 'CREATE_COMPLETE', undefined, op.token);
    return undefined;
  }
  if (stack.disableRollback) {
    runtime.setStackStatus(stack, 'CREATE_FAILED', reason, op.token);
    return reason;
  }
  runtime.setStackStatus(stack, 'ROLLBACK_IN_PROGRESS', `${reason.endsWith(' ') ? reason : `${reason}. `}Rollback requested by user.`, op.token);
  await rollbackCreate(op);
  return reason;
}

/** Deletes everything a failed create made, newest first; ROLLBACK_COMPLETE or ROLLBACK_FAILED. */
export async function rollbackCreate(op: StackOperation): Promise<void> {
  const { runtime, stack } = op;
  op.phase = 'rollback';
  const made = notYetDeleted(Object.values(stack.resources));
  const failed = await deleteInReverseOrder(op, made, (r) => policyUndoingCreate(r.deletionPolicy));
  stack.outputs = [];
  stack.imports = [];
  if (failed.length > 0) runtime.setStackStatus(stack, 'ROLLBACK_FAILED', failedList('delete', failed), op.token);
  else runtime.setStackStatus(stack, 'ROLLBACK_COMPLETE', undefined, op.token);
}
