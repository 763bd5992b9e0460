import type * as CFN from '@aws-sdk/client-cloudformation';
import { isNestedStackType } from '../../spec/resource-facts.ts';
import { references } from '../../template/intrinsics.ts';
import { EvaluationError } from '../evaluate/evaluation-error.ts';
import type { ParameterRecord } from '../evaluate/parameters.ts';
import type { PreparedTemplate } from '../prepared-template.ts';
import type { NestedStackHost } from '../resources/nested-stack-host.ts';
import type { EngineRuntime } from '../runtime.ts';
import type { ResourceRecord, StackRecord } from '../state.ts';
import { nestedStackProvider } from '../resources/providers/nested-stack.ts';
import { activeResources, evaluateProperties, keepsResource, openOperation, type StackOperation } from './operation.ts';
import { providerRequest } from './resource-steps.ts';
import { changedProperties, requiresReplacement, type PropertyChange } from './replacement.ts';
import { runInDependencyOrder } from './scheduler.ts';

/** A value known only once the change set runs (the id or attribute of a resource being added or replaced). */
const UNKNOWN = '{{changeset:KNOWN_AFTER_APPLY}}';

/** An `Fn::ImportValue` of an export that does not exist (yet), met while planning a resource. */
export interface MissingExport {
  logicalId: string;
  exportName: string;
}

export interface PlannedChanges {
  changes: PlannedChange[];
  /** Imports of exports that don't exist: their values are unknown, the change set still lists the resources. */
  missingExports: MissingExport[];
}

export interface PlannedChange {
  change: CFN.ResourceChange;
  /** For a nested stack being modified: its evaluated properties, to plan its own change set. */
  nestedProperties?: Record<string, unknown>;
}

/**
 * The changes an update (or create) would make, as DescribeChangeSet lists them, computed
 * without touching anything: resources are evaluated in dependency order against the stack's
 * current state, where ids and attributes of resources being added or replaced are unknown
 * (their dependents' changes are then Dynamic).
 */
export async function planChanges(runtime: EngineRuntime, stack: StackRecord, template: PreparedTemplate, parameters: ParameterRecord[], nested: NestedStackHost): Promise<PlannedChanges> {
  const shadow: StackRecord = { ...stack, parameters, resources: { ...stack.resources } };
  const op = openOperation(runtime, shadow, template, nested);
  // An import of a missing export is looked up again when the change set runs (the export may exist by
  // then): here its value is unknown, and the resource is still listed.
  const missingExports: MissingExport[] = [];
  let evaluating = '';
  const importValue = op.scope.importValue.bind(op.scope);
  op.scope.importValue = (name) => {
    try {
      return importValue(name);
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      missingExports.push({ logicalId: evaluating, exportName: name });
      return UNKNOWN;
    }
  };
  const previous = stack.templateBody ? runtime.template(stack.templateBody) : undefined;
  const changedParameters = new Set(parameters.filter((p) => stack.parameters.find((q) => q.key === p.key)?.value !== p.value).map((p) => p.key));
  const unknownRecord = (resource: { logicalId: string; type: string }): ResourceRecord => ({
    logicalId: resource.logicalId,
    type: resource.type,
    physicalId: UNKNOWN,
    status: 'CREATE_COMPLETE',
    updatedAt: '',
    properties: {},
    attributes: new Proxy({}, { get: () => UNKNOWN }),
    deletionPolicy: 'Delete',
    updateReplacePolicy: 'Delete',
    dependsOn: [],
  });

  /** Whether a resource's id and attributes are known only once the change set runs (it is being added or replaced). */
  const isUnknown = (logicalId: string) => shadow.resources[logicalId]?.physicalId === UNKNOWN;

  const planned: PlannedChange[] = [];
  const resources = new Map(activeResources(op).map((r) => [r.logicalId, r]));
  const planResource = async (id: string): Promise<void> => {
    const resource = resources.get(id)!;
    const current = stack.resources[id];
    evaluating = id;
    const properties = evaluateProperties(op, resource);
    if (!current || current.physicalId === undefined) {
      shadow.resources[id] = unknownRecord(resource);
      planned.push({ change: { Action: 'Add', LogicalResourceId: id, ResourceType: resource.type, Scope: [], Details: [] } });
      return;
    }
    const typeChanged = current.type !== resource.type;
    const changes = typeChanged ? [] : changedProperties(current.properties, properties, runtime.facts.resource(resource.type));
    const childDiffers = isNestedStackType(resource.type) && changes.length === 0 && !typeChanged && (await nestedDiffers(op, current, properties));
    if (!typeChanged && changes.length === 0 && !childDiffers) return;
    const replace = typeChanged || requiresReplacement(changes, current.properties, properties);
    if (replace) shadow.resources[id] = unknownRecord(resource);
    const rawBefore = previous?.model.resources.get(id)?.properties ?? {};
    const details = changes.map((change) => detailOf(change, resource.properties[change.name], rawBefore[change.name], properties[change.name], changedParameters, isUnknown));
    const scope = [...new Set(changes.map((c) => (c.name === 'Tags' ? 'Tags' : 'Properties')))] as CFN.ResourceAttribute[];
    const replacement = typeChanged || changes.some((c) => c.requiresRecreation === 'Always') ? 'True' : changes.some((c) => c.requiresRecreation === 'Conditionally') ? 'Conditional' : 'False';
    planned.push({
      change: { Action: 'Modify', LogicalResourceId: id, PhysicalResourceId: current.physicalId, ResourceType: resource.type, Replacement: replacement, Scope: scope, Details: details },
      ...(isNestedStackType(resource.type) && !replace ? { nestedProperties: properties } : {}),
    });
  };
  // A property that cannot be evaluated fails the plan, as it would fail the deploy: a change set
  // that left the resource out would tell the user that nothing changes.
  let failure: Error | undefined;
  await runInDependencyOrder([...resources.keys()], (id) => template.dependencies.get(id) ?? [], (id) =>
    planResource(id).then(
      () => true,
      (error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
        return false;
      },
    ),
  );
  if (failure !== undefined) throw failure;

  for (const [id, record] of Object.entries(stack.resources)) {
    if (resources.has(id)) continue;
    planned.push({ change: { Action: 'Remove', LogicalResourceId: id, PhysicalResourceId: record.physicalId, ResourceType: record.type, PolicyAction: keepsResource(record.deletionPolicy) ? 'Retain' : record.deletionPolicy === 'Snapshot' ? 'Snapshot' : 'Delete', Scope: [], Details: [] } });
  }
  return { changes: planned, missingExports };
}

async function nestedDiffers(op: StackOperation, current: ResourceRecord, properties: Record<string, unknown>): Promise<boolean> {
  try {
    return await nestedStackProvider.differs({ ...providerRequest(op, current.logicalId, current.type, properties, properties), physicalId: current.physicalId! });
  } catch {
    return true;
  }
}

/**
 * One Details entry: what caused a property to change, as CloudFormation attributes it: the
 * template's own text, else a changed parameter it refers to, else a resource being added or
 * replaced whose id or attribute it reads (Ref, Fn::GetAtt or Fn::Sub).
 */
function detailOf(change: PropertyChange, raw: unknown, rawBefore: unknown, value: unknown, changedParameters: Set<string>, isUnknown: (logicalId: string) => boolean): CFN.ResourceChangeDetail {
  const target = { Attribute: (change.name === 'Tags' ? 'Tags' : 'Properties') as CFN.ResourceAttribute, Name: change.name, RequiresRecreation: change.requiresRecreation };
  const dynamic = JSON.stringify(value ?? null).includes(UNKNOWN);
  if (JSON.stringify(raw) !== JSON.stringify(rawBefore)) return { Target: target, Evaluation: 'Static', ChangeSource: 'DirectModification' };
  const referred = references(raw);
  const parameter = referred.find((r) => changedParameters.has(r.name));
  const resource = dynamic ? referred.find((r) => isUnknown(r.name)) : undefined;
  const cause: Pick<CFN.ResourceChangeDetail, 'ChangeSource' | 'CausingEntity'> = parameter
    ? { ChangeSource: 'ParameterReference', CausingEntity: parameter.name }
    : resource?.attribute !== undefined
      ? { ChangeSource: 'ResourceAttribute', CausingEntity: `${resource.name}.${resource.attribute}` }
      : resource
        ? { ChangeSource: 'ResourceReference', CausingEntity: resource.name }
        : { ChangeSource: 'DirectModification' };
  return { Target: target, Evaluation: dynamic ? 'Dynamic' : 'Static', ...cause };
}
