import { exportsBlockingDelete } from '../exports.ts';
import type { StackOperation } from './operation.ts';
import { deleteInReverseOrder, failedList } from './teardown.ts';

/**
 * Deletes a stack: refuses while another stack imports one of its exports, then deletes its
 * resources in reverse dependency order (Retain and `retain` ids kept). DELETE_COMPLETE frees
 * the name; the record stays describable by stack id.
 */
export async function runDelete(op: StackOperation, retain: ReadonlySet<string>): Promise<void> {
  const { runtime, stack } = op;
  runtime.setStackStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated', op.token);
  const blocked = exportsBlockingDelete(runtime.store, stack);
  if (blocked) {
    runtime.setStackStatus(stack, 'DELETE_FAILED', blocked, op.token);
    return;
  }
  const remaining = Object.values(stack.resources).filter((r) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED');
  const leftovers = stack.journal ? Object.values(stack.journal.replaced) : [];
  const failed = await deleteInReverseOrder(op, [...remaining, ...leftovers.filter((r) => !remaining.some((x) => x.logicalId === r.logicalId))], (r) => (retain.has(r.logicalId) ? 'Retain' : r.deletionPolicy));
  if (failed.length > 0) {
    runtime.setStackStatus(stack, 'DELETE_FAILED', failedList('delete', failed), op.token);
    return;
  }
  stack.journal = undefined;
  stack.outputs = [];
  stack.imports = [];
  stack.deletionTime = runtime.now();
  runtime.setStackStatus(stack, 'DELETE_COMPLETE', undefined, op.token);
  runtime.store.retire(stack);
}
