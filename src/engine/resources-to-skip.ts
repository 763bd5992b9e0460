import { isNestedStackType } from '../spec/resource-facts.ts';
import { EngineError } from './api.ts';
import type { StackStore } from './stack-store.ts';
import type { ResourceRecord, StackRecord } from './state.ts';

const validation = (message: string) => new EngineError('ValidationError', message);

const DELETED_CHILD = ['DELETE_IN_PROGRESS', 'DELETE_COMPLETE', 'DELETE_FAILED'];

/** At most this many names are looked up: ResourcesToSkip comes from the caller. */
const MAX_SKIPPED = 200;

const resourceOf = (stack: StackRecord, logicalId: string): ResourceRecord | undefined => (Object.hasOwn(stack.resources, logicalId) ? stack.resources[logicalId] : undefined);

/** The nested stacks below `root` (all levels) with their resource's logical id in their parent. */
function nestedStacks(store: StackStore, root: StackRecord): { logicalId: string; stack: StackRecord }[] {
  const found: { logicalId: string; stack: StackRecord }[] = [];
  const visit = (parent: StackRecord) => {
    for (const resource of Object.values(parent.resources)) {
      if (!isNestedStackType(resource.type) || resource.physicalId === undefined) continue;
      const child = store.find(resource.physicalId);
      if (!child || found.some((f) => f.stack === child)) continue;
      found.push({ logicalId: resource.logicalId, stack: child });
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** ContinueUpdateRollback is called on the root stack: it rolls back the nested stacks with it. */
export function refuseNestedStack(store: StackStore, stack: StackRecord, action: string): void {
  if (!stack.parentId) return;
  const root = store.find(stack.rootId ?? stack.parentId);
  throw validation(`Stack ${stack.stackName} is a nested stack: call ${action} on its root stack${root ? ` ${root.stackName}` : ''}, which takes its nested stacks along`);
}

/**
 * Checks ContinueUpdateRollback's ResourcesToSkip as CloudFormation does: each name is a resource of it, or `NestedStackLogicalId.ResourceLogicalId` for a
 * nested stack's; only resources in UPDATE_FAILED (their rollback failed) may be skipped, and a
 * nested stack resource only once its embedded stack is being deleted or gone.
 */
export function checkResourcesToSkip(store: StackStore, stack: StackRecord, names: readonly string[]): void {
  if (names.length > MAX_SKIPPED) throw validation(`ResourcesToSkip names ${names.length} resources; at most ${MAX_SKIPPED} can be given`);
  if (names.length === 0) return;
  const nested = nestedStacks(store, stack);
  for (const name of names) {
    const dot = name.indexOf('.');
    const owners = dot < 0 ? [stack] : nested.filter((n) => n.logicalId === name.slice(0, dot)).map((n) => n.stack);
    const logicalId = dot < 0 ? name : name.slice(dot + 1);
    const resources = owners.flatMap((owner) => {
      const resource = resourceOf(owner, logicalId);
      return resource ? [resource] : [];
    });
    if (resources.length === 0) {
      throw validation(`ResourcesToSkip: ${name} is not a resource of stack ${stack.stackName}${dot < 0 ? '' : ' or of its nested stacks'}; name a nested stack's resource as NestedStackLogicalId.ResourceLogicalId`);
    }
    for (const resource of resources) {
      if (resource.status !== 'UPDATE_FAILED') {
        throw validation(`ResourcesToSkip: ${name} is in ${resource.status} state; only resources whose rollback failed (UPDATE_FAILED) can be skipped`);
      }
      const child = isNestedStackType(resource.type) && resource.physicalId !== undefined ? store.find(resource.physicalId) : undefined;
      if (child && !DELETED_CHILD.includes(child.status)) {
        throw validation(`Nested stack resources can only be skipped when their embedded stack statuses are one of [${DELETED_CHILD.join(', ')}]: ${name}'s stack is in ${child.status}; skip the resources of it that failed (${logicalId}.LogicalId) instead`);
      }
    }
  }
}
