import { isNestedStackType } from '../../spec/resource-facts.ts';
import type { ResourceDeclaration } from '../../template/model.ts';
import { EventLoopShare } from '../../emulator/event-loop-share.ts';
import { injectedFault } from '../faults.ts';
import { simulateDuration } from '../durations.ts';
import { customName } from '../resources/physical-ids.ts';
import { NameTakenError, ProviderError, type ProviderRequest } from '../resources/provider.ts';
import { providerFor, SNAPSHOT_TYPES } from '../resources/providers/index.ts';
import { nestedStackProvider } from '../resources/providers/nested-stack.ts';
import { withActualValues } from '../resources/actual-properties.ts';
import { maskedJson } from '../runtime.ts';
import { policyDenial } from '../stack-policy.ts';
import type { Policy, ResourceRecord, UpdateJournal } from '../state.ts';
import { evaluate } from '../evaluate/intrinsics.ts';
import { evaluateProperties, failureReason, keepsResource, policyOf, type StackOperation } from './operation.ts';
import { changedProperties, requiresReplacement } from './replacement.ts';

type Verb = 'create' | 'update' | 'delete';

/** Fails the step when an injected fault matches, after the simulated time the operation takes. */
export async function pace(op: StackOperation, logicalId: string, type: string, verb: Verb): Promise<void> {
  // Hundreds of steps start at once: each waits its turn, so that requests being answered meanwhile are not held up.
  await EventLoopShare.process.turn();
  await simulateDuration(type, verb, op.runtime.options.timeScale);
  const fault = injectedFault(op.runtime.options.faults, { stackName: op.stack.stackName, region: op.runtime.options.region, logicalId, type, operation: verb, phase: op.phase }, op.runtime.random);
  if (fault) throw new ProviderError(fault);
}

export function providerRequest(op: StackOperation, logicalId: string, type: string, properties: Record<string, unknown>, resolved: Record<string, unknown>): ProviderRequest {
  const { runtime, stack } = op;
  return {
    logicalId,
    type,
    facts: runtime.facts.resource(type),
    stackName: stack.stackName,
    stackId: stack.stackId,
    region: runtime.options.region,
    accountId: runtime.options.accountId,
    random: runtime.random,
    clients: runtime.options.clients,
    nested: op.nested,
    properties,
    resolved,
    claim: () => {},
  };
}

/** A claim that records the physical id on the resource's record and writes it before the provider goes on. */
function claimFor(op: StackOperation, record: ResourceRecord): (physicalId: string) => void {
  return (physicalId) => {
    record.claimedId = physicalId;
    op.runtime.store.changed(op.stack, record.logicalId);
    op.runtime.store.persist();
  };
}

/** What a create that failed leaves: a resource that exists although it failed, a claim that may exist, or (name taken) nothing. */
function settleFailedCreate(record: ResourceRecord, error: unknown): void {
  if (error instanceof ProviderError && error.physicalId) {
    record.physicalId = error.physicalId;
    delete record.claimedId;
  } else if (error instanceof NameTakenError) delete record.claimedId;
}

export function newRecord(op: StackOperation, resource: ResourceDeclaration, properties: Record<string, unknown>): ResourceRecord {
  return {
    logicalId: resource.logicalId,
    type: resource.type,
    status: 'CREATE_IN_PROGRESS',
    updatedAt: op.runtime.now(),
    properties,
    attributes: {},
    deletionPolicy: policyOf(resource.deletionPolicy),
    updateReplacePolicy: policyOf(resource.updateReplacePolicy),
    dependsOn: (op.template.dependencies.get(resource.logicalId) ?? []).filter((d) => op.stack.resources[d] !== undefined),
    ...(resource.metadata !== undefined ? { metadata: resolvedMetadata(op, resource.metadata) } : {}),
  };
}

function setMetadata(op: StackOperation, record: ResourceRecord, resource: ResourceDeclaration): void {
  if (resource.metadata !== undefined) record.metadata = resolvedMetadata(op, resource.metadata);
  else delete record.metadata;
}

/** A resource's Metadata with its Refs and functions resolved, as DescribeStackResource shows it on AWS; as written when it refers to what is not there yet. */
function resolvedMetadata(op: StackOperation, metadata: unknown): unknown {
  try {
    return evaluate(metadata, op.scope);
  } catch {
    return metadata;
  }
}

/** Creates one resource of a create (or an addition in an update): CREATE_IN_PROGRESS, Resource creation Initiated, CREATE_COMPLETE. */
export async function createResource(op: StackOperation, resource: ResourceDeclaration): Promise<boolean> {
  const { runtime, stack } = op;
  let properties: Record<string, unknown> = {};
  let evaluationError: unknown;
  try {
    properties = evaluateProperties(op, resource);
  } catch (error) {
    evaluationError = error;
  }
  const record = newRecord(op, resource, properties);
  stack.resources[resource.logicalId] = record;
  const shown = maskedJson(properties, op.secrets);
  if (evaluationError) {
    runtime.setResourceStatus(stack, record, 'CREATE_FAILED', failureReason(evaluationError), op.token);
    return false;
  }
  runtime.setResourceStatus(stack, record, 'CREATE_IN_PROGRESS', undefined, op.token, shown);
  try {
    await pace(op, resource.logicalId, resource.type, 'create');
    if (op.failing) {
      runtime.setResourceStatus(stack, record, 'CREATE_FAILED', 'Resource creation cancelled', op.token, shown);
      return false;
    }
    const resolved = await runtime.resolveReferences(stack, properties);
    const provisioned = await providerFor(resource.type).create({ ...providerRequest(op, resource.logicalId, resource.type, properties, resolved), claim: claimFor(op, record) });
    record.physicalId = provisioned.physicalId;
    delete record.claimedId;
    record.attributes = provisioned.attributes;
    runtime.setResourceStatus(stack, record, 'CREATE_IN_PROGRESS', 'Resource creation Initiated', op.token, shown);
    runtime.setResourceStatus(stack, record, 'CREATE_COMPLETE', undefined, op.token, shown);
    return true;
  } catch (error) {
    settleFailedCreate(record, error);
    runtime.setResourceStatus(stack, record, 'CREATE_FAILED', failureReason(error), op.token, shown);
    return false;
  }
}

/**
 * Brings an existing resource to the new template: nothing when its properties are unchanged,
 * an in-place update, or a replacement (the new resource created first; the old one deleted at
 * cleanup). The journal keeps what rollback needs.
 */
export async function updateResource(op: StackOperation, resource: ResourceDeclaration, journal: UpdateJournal): Promise<boolean> {
  const { runtime, stack } = op;
  const current = stack.resources[resource.logicalId];
  const facts = runtime.facts.resource(resource.type);
  let properties: Record<string, unknown>;
  try {
    properties = evaluateProperties(op, resource);
  } catch (error) {
    journal.before[resource.logicalId] ??= structuredClone(current);
    runtime.setResourceStatus(stack, current, 'UPDATE_FAILED', failureReason(error), op.token);
    return false;
  }
  const typeChanged = current.type !== resource.type;
  const changes = typeChanged ? [] : changedProperties(current.properties, properties, facts);
  current.deletionPolicy = policyOf(resource.deletionPolicy);
  current.updateReplacePolicy = policyOf(resource.updateReplacePolicy);
  current.dependsOn = (op.template.dependencies.get(resource.logicalId) ?? []).filter((d) => stack.resources[d] !== undefined);
  const shown = maskedJson(properties, op.secrets);
  const replace = typeChanged || requiresReplacement(changes, current.properties, properties);
  try {
    if (!replace && changes.length === 0) {
      if (!isNestedStackType(resource.type) || !(await nestedStackProvider.differs({ ...providerRequest(op, resource.logicalId, resource.type, properties, await runtime.resolveReferences(stack, properties)), physicalId: current.physicalId! }))) return true;
    }
  } catch (error) {
    journal.before[resource.logicalId] ??= structuredClone(current);
    runtime.setResourceStatus(stack, current, 'UPDATE_FAILED', failureReason(error), op.token, shown);
    return false;
  }
  journal.before[resource.logicalId] ??= structuredClone(current);
  const denied = op.stackPolicy && policyDenial(op.stackPolicy, replace ? 'Update:Replace' : 'Update:Modify', resource.logicalId, current.type);
  if (denied) {
    runtime.setResourceStatus(stack, current, 'UPDATE_FAILED', denied, op.token, shown);
    return false;
  }
  if (replace) return replaceResource(op, resource, current, properties, journal);
  // After the journal took the record as it was: a rollback restores the previous Metadata too.
  setMetadata(op, current, resource);

  runtime.setResourceStatus(stack, current, 'UPDATE_IN_PROGRESS', undefined, op.token, shown);
  try {
    await pace(op, resource.logicalId, resource.type, 'update');
    if (op.failing) throw new ProviderError('Resource update cancelled');
    const request = providerRequest(op, resource.logicalId, resource.type, properties, await runtime.resolveReferences(stack, properties));
    const previousProperties = current.properties;
    const previousResolved = await withActualValues(resource.type, current.physicalId!, await runtime.resolveReferences(stack, previousProperties), runtime.options.clients);
    // Intent before effect: the record holds the new properties before the data plane changes,
    // so a rollback (after a failure, or after a crash halfway) reverts whatever was applied.
    current.properties = properties;
    runtime.store.changed(stack, current.logicalId);
    runtime.store.persist();
    current.attributes = await providerFor(resource.type).update({ ...request, physicalId: current.physicalId!, attributes: current.attributes, previousProperties, previousResolved });
    runtime.setResourceStatus(stack, current, 'UPDATE_COMPLETE', undefined, op.token, shown);
    return true;
  } catch (error) {
    runtime.setResourceStatus(stack, current, 'UPDATE_FAILED', failureReason(error), op.token, shown);
    return false;
  }
}

async function replaceResource(op: StackOperation, resource: ResourceDeclaration, current: ResourceRecord, properties: Record<string, unknown>, journal: UpdateJournal): Promise<boolean> {
  const { runtime, stack } = op;
  const facts = runtime.facts.resource(resource.type);
  const shown = maskedJson(properties, op.secrets);
  const name = customName(resource.type, facts, properties);
  if (name !== undefined && name === customName(current.type, runtime.facts.resource(current.type), current.properties)) {
    runtime.setResourceStatus(stack, current, 'UPDATE_FAILED', `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${name} and update the stack again.`, op.token, shown);
    return false;
  }
  runtime.setResourceStatus(stack, current, 'UPDATE_IN_PROGRESS', 'Requested update requires the creation of a new physical resource; hence creating one.', op.token, shown);
  const replacement: ResourceRecord = { ...structuredClone(current), type: resource.type, properties, attributes: {}, status: 'UPDATE_IN_PROGRESS' };
  delete replacement.physicalId;
  setMetadata(op, replacement, resource);
  // The replacement is current from the start, the original kept for cleanup or rollback: whatever
  // the create leaves behind (a claim, a failed resource) is the replacement's, and rollback removes it.
  journal.replaced[resource.logicalId] = current;
  stack.resources[resource.logicalId] = replacement;
  try {
    await pace(op, resource.logicalId, resource.type, 'create');
    if (op.failing) throw new ProviderError('Resource update cancelled');
    const resolved = await runtime.resolveReferences(stack, properties);
    const provisioned = await providerFor(resource.type).create({ ...providerRequest(op, resource.logicalId, resource.type, properties, resolved), claim: claimFor(op, replacement) });
    replacement.physicalId = provisioned.physicalId;
    delete replacement.claimedId;
    replacement.attributes = provisioned.attributes;
  } catch (error) {
    settleFailedCreate(replacement, error);
    if (replacement.physicalId === undefined && replacement.claimedId === undefined) {
      // Nothing was made: the original stays current.
      delete journal.replaced[resource.logicalId];
      stack.resources[resource.logicalId] = current;
      runtime.setResourceStatus(stack, current, 'UPDATE_FAILED', failureReason(error), op.token, shown);
    } else runtime.setResourceStatus(stack, replacement, 'UPDATE_FAILED', failureReason(error), op.token, shown);
    return false;
  }
  runtime.setResourceStatus(stack, replacement, 'UPDATE_IN_PROGRESS', 'Resource creation Initiated', op.token, shown);
  runtime.setResourceStatus(stack, replacement, 'UPDATE_COMPLETE', undefined, op.token, shown);
  return true;
}

/**
 * Deletes one resource as its policy says: Retain keeps it (DELETE_SKIPPED), Snapshot backs up
 * the data first where the type supports it, Delete removes it and its data.
 */
export async function deleteResource(op: StackOperation, record: ResourceRecord, policy: Policy): Promise<boolean> {
  const { runtime, stack } = op;
  // Delete events carry the resource's properties, as on AWS.
  const shown = maskedJson(record.properties, op.secrets);
  if (keepsResource(policy)) {
    runtime.setResourceStatus(stack, record, 'DELETE_SKIPPED', undefined, op.token, shown);
    return true;
  }
  runtime.setResourceStatus(stack, record, 'DELETE_IN_PROGRESS', undefined, op.token, shown);
  try {
    await pace(op, record.logicalId, record.type, 'delete');
    const physicalId = record.physicalId ?? unsharedClaim(op, record);
    if (physicalId !== undefined) {
      // Intent before effect: should the process die once the data is gone, the state on disk
      // already says the delete was under way, and the next engine carries it on.
      runtime.store.persist();
      await providerFor(record.type).delete({
        ...providerRequest(op, record.logicalId, record.type, record.properties, record.properties),
        physicalId,
        snapshot: policy === 'Snapshot' && SNAPSHOT_TYPES.has(record.type),
      });
    }
    runtime.setResourceStatus(stack, record, 'DELETE_COMPLETE', undefined, op.token, shown);
    return true;
  } catch (error) {
    runtime.setResourceStatus(stack, record, 'DELETE_FAILED', failureReason(error), op.token, shown);
    return false;
  }
}

/**
 * A claimed id whose create never confirmed it, unless another live stack's resource owns that
 * id: two stacks may race for one custom name, and only the winner's resource may be deleted.
 */
function unsharedClaim(op: StackOperation, record: ResourceRecord): string | undefined {
  const claimed = record.claimedId;
  if (claimed === undefined) return undefined;
  const owned = op.runtime.store.liveStacks().some((stack) => Object.values(stack.resources).some((r) => r !== record && r.type === record.type && r.physicalId === claimed));
  return owned ? undefined : claimed;
}
