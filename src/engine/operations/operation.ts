import { parameterKind, splitListValue } from '../../template/parameter-constraints.ts';
import { isCustomResourceType, isNestedStackType } from '../../spec/resource-facts.ts';
import type { ResourceDeclaration, TemplateModel } from '../../template/model.ts';
import { conditionResolver } from '../evaluate/conditions.ts';
import { EvaluationError } from '../evaluate/evaluation-error.ts';
import { evaluate, type EvaluationScope } from '../evaluate/intrinsics.ts';
import type { ParameterRecord } from '../evaluate/parameters.ts';
import type { FaultPhase } from '../api.ts';
import type { PreparedTemplate } from '../prepared-template.ts';
import { partitionOf, urlSuffixOf } from '../resources/attributes.ts';
import type { NestedStackHost } from '../resources/nested-stack-host.ts';
import { secretsOf, type EngineRuntime } from '../runtime.ts';
import type { StackPolicy } from '../stack-policy.ts';
import type { Policy, StackRecord } from '../state.ts';

/** One stack operation in progress: the stack, the template it applies and how to evaluate it. */
export interface StackOperation {
  runtime: EngineRuntime;
  stack: StackRecord;
  template: PreparedTemplate;
  scope: EvaluationScope;
  nested: NestedStackHost;
  token?: string;
  /** NoEcho values, masked in everything shown. */
  secrets: string[];
  /** Export names the template imported while being evaluated. */
  imports: Set<string>;
  /** Set once a resource failed or the user cancelled: work not yet started is cancelled. */
  failing: boolean;
  /** CancelUpdateStack was called: the update rolls back even when rollback is disabled. */
  cancelled?: boolean;
  /** Whether the operation goes forward or rolls back (injected faults may aim at one). */
  phase: FaultPhase;
  /** The stack policy an update is checked against, when the stack has one. */
  stackPolicy?: StackPolicy;
}

/** `Ref` values of a stack's parameters: list types as arrays. */
export function parameterValues(model: TemplateModel, records: ParameterRecord[]): Map<string, string | string[]> {
  const values = new Map<string, string | string[]>();
  for (const record of records) {
    const decl = model.parameters.get(record.key);
    if (!decl) continue;
    const value = record.resolvedValue ?? record.value;
    const list = parameterKind(decl.type)?.list || /List<|CommaDelimitedList/.test(decl.type);
    values.set(record.key, list ? splitListValue(value) : value);
  }
  return values;
}

export function openOperation(runtime: EngineRuntime, stack: StackRecord, template: PreparedTemplate, nested: NestedStackHost, token?: string): StackOperation {
  const imports = new Set<string>();
  const { model } = template;
  const parameters = parameterValues(model, stack.parameters);
  const scope: EvaluationScope = {
    pseudo: {
      accountId: runtime.options.accountId,
      region: runtime.options.region,
      stackName: stack.stackName,
      stackId: stack.stackId,
      partition: partitionOf(runtime.options.region),
      urlSuffix: urlSuffixOf(runtime.options.region),
      notificationARNs: stack.notificationARNs,
    },
    parameters,
    mappings: model.mappings,
    condition: conditionResolver(model.conditions, () => scope),
    resourceRef: (logicalId) => {
      const resource = stack.resources[logicalId];
      if (!model.resources.has(logicalId) || !resource || resource.physicalId === undefined) {
        throw new EvaluationError(`Template format error: Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
      }
      return resource.physicalId;
    },
    getAtt: (logicalId, attribute) => {
      const resource = stack.resources[logicalId];
      if (!model.resources.has(logicalId) || !resource || resource.physicalId === undefined) {
        throw new EvaluationError(`Template format error: Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
      }
      const value = resource.attributes[attribute];
      if (value !== undefined) return value;
      if (isCustomResourceType(resource.type)) {
        throw new EvaluationError(`CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object ${stack.stackId}|${logicalId}|${resource.physicalId} in S3 bucket cloudformation-custom-resource-storage-${runtime.options.region.replace(/-/g, '')}`);
      }
      if (isNestedStackType(resource.type) && attribute.startsWith('Outputs.')) {
        throw new EvaluationError(`Template error: Output '${attribute.slice('Outputs.'.length)}' not found in stack ${resource.physicalId}`);
      }
      throw new EvaluationError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
    },
    importValue: (name) => {
      imports.add(name);
      for (const other of runtime.store.liveStacks()) {
        if (other.stackId === stack.stackId) continue;
        const output = other.outputs.find((o) => o.exportName === name);
        if (output) return output.value;
      }
      throw new EvaluationError(`No export named ${name} found`);
    },
  };
  return { runtime, stack, template, scope, nested, token, secrets: secretsOf(stack.parameters), imports, failing: false, phase: 'forward' };
}

/** The resources whose Condition holds, in template order. */
export function activeResources(op: StackOperation): ResourceDeclaration[] {
  return [...op.template.model.resources.values()].filter((r) => r.condition === undefined || op.scope.condition(r.condition));
}

export function evaluateProperties(op: StackOperation, resource: ResourceDeclaration): Record<string, unknown> {
  const properties = evaluate(resource.properties, op.scope);
  return properties !== null && typeof properties === 'object' && !Array.isArray(properties) ? (properties as Record<string, unknown>) : {};
}

/** A DeletionPolicy or UpdateReplacePolicy as declared; Delete when there is none. */
export function policyOf(value: unknown): Policy {
  return value === 'Retain' || value === 'Snapshot' || value === 'RetainExceptOnCreate' ? value : 'Delete';
}

/** Whether a deletion under this policy leaves the resource in place (DELETE_SKIPPED). */
export const keepsResource = (policy: Policy): boolean => policy === 'Retain' || policy === 'RetainExceptOnCreate';

/** The policy for undoing a resource's creation (its create or update rolled back): RetainExceptOnCreate deletes it then. */
export const policyUndoingCreate = (policy: Policy): Policy => (policy === 'RetainExceptOnCreate' ? 'Delete' : policy);

/**
 * A resource failure's ResourceStatusReason: the engine's own messages as they are, SDK errors the
 * way handlers report them. Secrets in it are masked where it is recorded (EngineRuntime.shownReason).
 */
export function failureReason(error: unknown): string {
  const name = (error as Error)?.name;
  if (name === 'ProviderError' || name === 'EvaluationError' || name === 'EngineError') return (error as Error).message;
  return `Resource handler returned message: "${(error as Error)?.message ?? String(error)}"`;
}
