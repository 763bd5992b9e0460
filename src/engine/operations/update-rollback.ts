import { isNestedStackType } from '../../spec/resource-facts.ts';
import { providerFor } from '../resources/providers/index.ts';
import { maskedJson } from '../runtime.ts';
import type { ResourceRecord, StackRecord, UpdateJournal } from '../state.ts';
import { failureReason, policyUndoingCreate, type StackOperation } from './operation.ts';
import { pace, providerRequest } from './resource-steps.ts';
import { runInDependencyOrder } from './scheduler.ts';
import { deleteInReverseOrder, failedList, notYetDeleted } from './teardown.ts';

/**
 * ContinueUpdateRollback's ResourcesToSkip as a stack of the tree reads them: its own resources by
 * logical id at the root; in a nested stack, `NestedStackLogicalId.ResourceLogicalId`, the nested
 * stack's logical id being its resource's in its parent (`nestedAs`).
 */
export interface RollbackSkip {
  resources: ReadonlySet<string>;
  nestedAs?: string;
}

const NO_SKIP: RollbackSkip = { resources: new Set() };

/** The role, notification topics and description the stack had before the update (one it had none of is cleared). */
function restoreSettings(stack: StackRecord, { notificationARNs, roleARN, description }: NonNullable<UpdateJournal['previousSettings']>): void {
  Object.assign(stack, { notificationARNs, roleARN, description });
}

/**
 * Rolls a failed (or cancelled) update back to the stack as the journal remembers it: replaced
 * resources get their old physical resource back (it was never deleted, so its data is intact),
 * resources updated in place are updated back, nested stacks roll back, and then (in
 * UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS) what the update created is deleted. A revert that
 * fails leaves UPDATE_ROLLBACK_FAILED with the journal kept, for ContinueUpdateRollback, whose
 * ResourcesToSkip (`skip`) are marked UPDATE_COMPLETE without being reverted.
 */
export async function runUpdateRollback(op: StackOperation, reason: string | undefined, skip: RollbackSkip = NO_SKIP): Promise<void> {
  const { runtime, stack } = op;
  const journal = stack.journal;
  op.phase = 'rollback';
  runtime.setStackStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason, op.token);
  if (!journal) {
    runtime.setStackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE', undefined, op.token);
    return;
  }
  stack.templateBody = journal.previousTemplateBody;
  stack.parameters = journal.previousParameters;
  stack.capabilities = journal.previousCapabilities;
  stack.tags = journal.previousTags;
  if (journal.previousSettings) restoreSettings(stack, journal.previousSettings);
  for (const [id, record] of Object.entries(journal.removed)) stack.resources[id] = record;
  journal.removed = {};

  for (const [id, before] of Object.entries(journal.before)) {
    if (before !== null) continue;
    const made = stack.resources[id];
    if (made) journal.discard.push(made);
    delete stack.resources[id];
    delete journal.before[id];
  }
  runtime.store.changed(stack);

  const reverting = Object.keys(journal.before);
  const failed: string[] = [];
  await runInDependencyOrder(reverting, (id) => journal.before[id]?.dependsOn ?? [], async (id) => {
    if (!(await revertResource(op, journal, id, skip))) failed.push(id);
    return true;
  });
  if (failed.length > 0) {
    runtime.setStackStatus(stack, 'UPDATE_ROLLBACK_FAILED', failedList('update', failed), op.token);
    return;
  }

  runtime.setStackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', undefined, op.token);
  await finishUpdateRollbackCleanup(op);
}

/** The end of a rollback: what the update created is deleted, and the stack is as it was. */
export async function finishUpdateRollbackCleanup(op: StackOperation): Promise<void> {
  const { runtime, stack } = op;
  const journal = stack.journal;
  op.phase = 'rollback';
  if (journal) {
    await deleteInReverseOrder(op, notYetDeleted(journal.discard), (r) => policyUndoingCreate(r.deletionPolicy));
    stack.outputs = journal.previousOutputs;
    stack.imports = journal.previousImports;
  }
  stack.journal = undefined;
  runtime.setStackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE', undefined, op.token);
}

async function revertResource(op: StackOperation, journal: UpdateJournal, id: string, skip: RollbackSkip): Promise<boolean> {
  const { runtime, stack } = op;
  const before = journal.before[id]!;
  const current = stack.resources[id];
  const old = journal.replaced[id];
  const shown = maskedJson(before.properties, op.secrets);
  const restore = (reason?: string) => {
    stack.resources[id] = before;
    runtime.setResourceStatus(stack, before, 'UPDATE_COMPLETE', reason, op.token, shown);
    delete journal.before[id];
    delete journal.replaced[id];
  };
  if (old) {
    // The replacement goes at cleanup; the original, untouched all along, is current again.
    if (current && current !== old && (current.physicalId ?? current.claimedId) !== undefined) journal.discard.push({ ...current, deletionPolicy: 'Delete' });
    runtime.setResourceStatus(stack, before, 'UPDATE_IN_PROGRESS', undefined, op.token, shown);
    restore();
    return true;
  }
  if (skip.resources.has(skip.nestedAs ? `${skip.nestedAs}.${id}` : id)) {
    restore('Resource skipped during rollback');
    return true;
  }
  const changed = current && JSON.stringify(current.properties) !== JSON.stringify(before.properties);
  const nestedChild = current && isNestedStackType(current.type) && current.physicalId !== undefined;
  if (!changed && !nestedChild) {
    runtime.setResourceStatus(stack, current ?? before, 'UPDATE_IN_PROGRESS', undefined, op.token, shown);
    restore();
    return true;
  }
  runtime.setResourceStatus(stack, current, 'UPDATE_IN_PROGRESS', undefined, op.token, shown);
  try {
    // A nested stack's resources to skip are named after the nested stack's logical id here.
    if (nestedChild) await op.nested.finishUpdate(current.physicalId!, 'rollback', { resources: skip.resources, nestedAs: id });
    else await revertInPlace(op, current, before);
    restore();
    return true;
  } catch (error) {
    runtime.setResourceStatus(stack, current, 'UPDATE_FAILED', failureReason(error), op.token, shown);
    return false;
  }
}

async function revertInPlace(op: StackOperation, current: ResourceRecord, before: ResourceRecord): Promise<void> {
  const { runtime, stack } = op;
  // As long as an update takes, and failing as injected faults say.
  await pace(op, current.logicalId, current.type, 'update');
  await providerFor(current.type).update({
    ...providerRequest(op, current.logicalId, current.type, before.properties, await runtime.resolveReferences(stack, before.properties)),
    physicalId: current.physicalId!,
    attributes: current.attributes,
    previousProperties: current.properties,
    previousResolved: await runtime.resolveReferences(stack, current.properties),
  });
}
