import { isNestedStackType } from '../../spec/resource-facts.ts';
import { checkExports, evaluateOutputs } from '../exports.ts';
import { policyDenial } from '../stack-policy.ts';
import type { StackRecord, UpdateJournal } from '../state.ts';
import { activeResources, failureReason, type StackOperation } from './operation.ts';
import { createResource, updateResource } from './resource-steps.ts';
import { runInDependencyOrder } from './scheduler.ts';
import { deleteInReverseOrder, failedList, notYetDeleted } from './teardown.ts';

/** A journal for an update about to start, remembering the stack as it is. */
export function startJournal(stack: StackRecord): UpdateJournal {
  return {
    previousTemplateBody: stack.templateBody,
    previousParameters: structuredClone(stack.parameters),
    previousOutputs: structuredClone(stack.outputs),
    previousImports: [...stack.imports],
    previousCapabilities: [...stack.capabilities],
    previousTags: structuredClone(stack.tags),
    previousSettings: {
      notificationARNs: [...stack.notificationARNs],
      ...(stack.roleARN !== undefined ? { roleARN: stack.roleARN } : {}),
      ...(stack.description !== undefined ? { description: stack.description } : {}),
    },
    before: {},
    replaced: {},
    removed: {},
    discard: [],
  };
}

/**
 * The first phase of an update: every resource of the new template brought up to date in
 * dependency order (added, updated in place or replaced), then the outputs and exports. Ends in
 * UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, or returns the reason it failed (nothing is undone here).
 */
export async function runUpdatePhase(op: StackOperation, journal: UpdateJournal): Promise<string | undefined> {
  const { runtime, stack } = op;
  stack.journal = journal;
  stack.lastUpdatedTime = runtime.now();
  runtime.setStackStatus(stack, 'UPDATE_IN_PROGRESS', 'User Initiated', op.token);
  try {
    const resources = new Map(activeResources(op).map((r) => [r.logicalId, r]));
    const { failed } = await runInDependencyOrder(
      [...resources.keys()],
      (id) => op.template.dependencies.get(id) ?? [],
      async (id) => {
        const resource = resources.get(id)!;
        const existing = stack.resources[id];
        let ok: boolean;
        if (existing?.physicalId !== undefined) ok = await updateResource(op, resource, journal);
        else {
          if (!Object.hasOwn(journal.before, id)) journal.before[id] = existing ? structuredClone(existing) : null;
          runtime.store.changed(stack, id);
          ok = await createResource(op, resource);
        }
        if (!ok) op.failing = true;
        return ok;
      },
      () => op.failing,
    );
    if (failed.length > 0 || op.failing) {
      // As CloudFormation words it: the resources the update added that failed, then those it changed.
      const failedTo = (status: string) => Object.values(stack.resources).filter((r) => r.status === status).map((r) => r.logicalId);
      const [created, updated] = [failedTo('CREATE_FAILED'), failedTo('UPDATE_FAILED')];
      if (created.length + updated.length === 0) return 'Stack update cancelled';
      return `${created.length > 0 ? failedList('create', created) : ''}${updated.length > 0 ? failedList('update', updated) : ''}`;
    }
    const refused = refusedRemovals(op, new Set(resources.keys()), journal);
    if (refused.length > 0) return failedList('update', refused);
    const outputs = evaluateOutputs(op);
    checkExports(runtime.store, stack, outputs, journal.previousOutputs);
    for (const id of Object.keys(stack.resources)) {
      if (resources.has(id)) continue;
      journal.removed[id] = stack.resources[id];
      delete stack.resources[id];
      runtime.store.changed(stack, id);
    }
    stack.outputs = outputs;
    stack.imports = [...op.imports];
  } catch (error) {
    return failureReason(error);
  }
  runtime.setStackStatus(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', undefined, op.token);
  return undefined;
}

/** Resources the new template drops that the stack policy keeps (Update:Delete), each failed with the policy's reason. */
function refusedRemovals(op: StackOperation, kept: ReadonlySet<string>, journal: UpdateJournal): string[] {
  const { runtime, stack, stackPolicy } = op;
  if (!stackPolicy) return [];
  const refused: string[] = [];
  for (const record of Object.values(stack.resources)) {
    if (kept.has(record.logicalId)) continue;
    const denied = policyDenial(stackPolicy, 'Update:Delete', record.logicalId, record.type);
    if (!denied) continue;
    // Rollback puts it back as it was.
    journal.before[record.logicalId] ??= structuredClone(record);
    runtime.setResourceStatus(stack, record, 'UPDATE_FAILED', denied, op.token);
    refused.push(record.logicalId);
  }
  return refused;
}

/**
 * The last phase of a successful update: nested stacks finish their own cleanup, then the
 * replaced and removed resources are deleted (UpdateReplacePolicy / DeletionPolicy honoured).
 * A resource that fails to delete here doesn't fail the update, as in CloudFormation.
 */
export async function runCleanup(op: StackOperation): Promise<void> {
  const { runtime, stack } = op;
  const journal = stack.journal;
  if (journal) {
    const children = Object.keys(journal.before).filter((id) => journal.before[id] && !journal.replaced[id] && isNestedStackType(stack.resources[id]?.type ?? ''));
    await Promise.all(children.map((id) => op.nested.finishUpdate(stack.resources[id].physicalId!, 'cleanup')));
    const replaced = new Set(notYetDeleted(Object.values(journal.replaced)));
    const removed = notYetDeleted(Object.values(journal.removed));
    await deleteInReverseOrder(op, [...replaced, ...removed], (r) => (replaced.has(r) ? r.updateReplacePolicy : r.deletionPolicy));
  }
  stack.journal = undefined;
  runtime.setStackStatus(stack, 'UPDATE_COMPLETE', undefined, op.token);
}
