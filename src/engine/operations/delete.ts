import { exportsBlockingDelete } from '../exports.ts';
import type { ResourceRecord } from '../state.ts';
import type { StackOperation } from './operation.ts';
import { deleteInReverseOrder, failedList, notYetDeleted } from './teardown.ts';

/**
 * Deletes a stack: while another stack imports one of its exports nothing is deleted and the
 * stack goes back to the status it had, with the reason (as CloudFormation does: it stays
 * updatable). Otherwise its resources go in reverse dependency order (Retain and `retain` ids
 * kept). DELETE_COMPLETE frees the name; the record stays describable by stack id.
 */
export async function runDelete(op: StackOperation, retain: ReadonlySet<string>): Promise<void> {
  const { runtime, stack } = op;
  const previous = stack.status;
  runtime.setStackStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated', op.token);
  const blocked = exportsBlockingDelete(runtime.store, stack);
  if (blocked) {
    runtime.setStackStatus(stack, previous === 'DELETE_IN_PROGRESS' ? 'DELETE_FAILED' : previous, blocked, op.token);
    return;
  }
  const policy = (r: ResourceRecord) => (retain.has(r.logicalId) ? 'Retain' : r.deletionPolicy);
  const failed = await deleteInReverseOrder(op, notYetDeleted(Object.values(stack.resources)), policy);
  // An unfinished update also leaves resources beside the current ones (originals it replaced, a
  // rollback's leftovers), under the same logical ids: they go in a pass of their own.
  if (stack.journal) failed.push(...(await deleteInReverseOrder(op, notYetDeleted([...Object.values(stack.journal.replaced), ...stack.journal.discard]), policy)));
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
