import { conditionResolver } from '../engine/evaluate/conditions.ts';
import { evaluate, NO_VALUE, type EvaluationScope } from '../engine/evaluate/intrinsics.ts';
import { partitionOf, urlSuffixOf } from '../engine/resources/value-forms.ts';
import { isNestedStackType } from '../spec/resource-facts.ts';
import { isObject } from '../template/intrinsics.ts';
import type { TemplateModel } from '../template/model.ts';
import { parameterKind, parameterValueToString, splitListValue } from '../template/parameter-constraints.ts';
import type { EvaluatedResource } from './lines.ts';

/**
 * Values only known once a stack is deployed (a resource's id, another stack's output) stand in
 * as marked text: they flow through Fn::Sub and Fn::Join and an estimator sees them as unknown.
 */
const UNKNOWN_OPEN = '\u27e8';
const unknown = (what: string) => `${UNKNOWN_OPEN}${what}\u27e9`;

export function isKnown(value: unknown): boolean {
  return !(typeof value === 'string' && value.includes(UNKNOWN_OPEN));
}

/** A template's parameters as it would deploy: the given values, else defaults; unknown where neither. */
export interface StackValues {
  region: string;
  stackName: string;
  /** Given values; undefined for one known only at deploy time (another stack's output). */
  parameters: ReadonlyMap<string, string | undefined>;
}

export interface EvaluatedStack {
  /** Active resources (their Condition holds), properties evaluated. */
  resources: EvaluatedResource[];
  /** Resources whose Condition cannot be evaluated offline, and why: neither counted nor dropped unseen. */
  undecided: { resource: EvaluatedResource; reason: string }[];
  /** The Parameters property of each nested stack resource, evaluated. */
  nestedParameters: Map<string, Map<string, string | undefined>>;
}

/** Evaluates a template offline the way CloudFormation would deploy it, with the local engine's intrinsics. */
export function evaluateTemplate(model: TemplateModel, values: StackValues): EvaluatedStack {
  const parameters = new Map<string, string | string[]>();
  for (const decl of model.parameters.values()) {
    const given = values.parameters.has(decl.name) ? values.parameters.get(decl.name) : parameterValueToString(decl.default);
    const value = given ?? unknown(`parameter ${decl.name}`);
    parameters.set(decl.name, parameterKind(decl.type)?.list && isKnown(value) ? splitListValue(value) : value);
  }
  const scope: EvaluationScope = {
    pseudo: {
      accountId: '123456789012',
      region: values.region,
      stackName: values.stackName,
      stackId: unknown('AWS::StackId'),
      partition: partitionOf(values.region),
      urlSuffix: urlSuffixOf(values.region),
      notificationARNs: [],
    },
    parameters,
    mappings: model.mappings,
    condition: conditionResolver(model.conditions, () => scope),
    resourceRef: (logicalId) => unknown(`Ref ${logicalId}`),
    getAtt: (logicalId, attribute) => unknown(`${logicalId}.${attribute}`),
    importValue: (name) => unknown(`import ${name}`),
  };
  const unknownParameters = [...parameters].filter(([, value]) => !isKnown(value)).map(([name]) => name);
  const resources: EvaluatedResource[] = [];
  const undecided: EvaluatedStack['undecided'] = [];
  const nestedParameters = new Map<string, Map<string, string | undefined>>();
  for (const resource of model.resources.values()) {
    const notes: string[] = [];
    if (resource.condition !== undefined) {
      let holds: boolean;
      try {
        holds = scope.condition(resource.condition);
      } catch (error) {
        undecided.push({ resource: { logicalId: resource.logicalId, type: resource.type, properties: {} }, reason: `its Condition ${resource.condition} cannot be evaluated: ${(error as Error).message}` });
        continue;
      }
      const hinges = conditionInputs(model.conditions, resource.condition).filter((name) => unknownParameters.includes(name));
      if (hinges.length > 0 && !holds) {
        undecided.push({ resource: { logicalId: resource.logicalId, type: resource.type, properties: {} }, reason: `its Condition ${resource.condition} depends on ${hinges.join(', ')}, known only after deploy` });
        continue;
      }
      if (hinges.length > 0) notes.push(`Condition ${resource.condition} depends on ${hinges.join(', ')}, known only after deploy: taken as true`);
      if (!holds) continue;
    }
    const properties = evaluateEach(resource.properties, scope);
    resources.push({ logicalId: resource.logicalId, type: resource.type, properties, ...(notes.length > 0 ? { notes } : {}) });
    if (isNestedStackType(resource.type)) {
      const given = new Map<string, string | undefined>();
      for (const [key, value] of Object.entries(isObject(properties.Parameters) ? properties.Parameters : {})) {
        const text = Array.isArray(value) ? value.join(',') : parameterValueToString(value);
        given.set(key, text !== undefined && isKnown(text) ? text : undefined);
      }
      nestedParameters.set(resource.logicalId, given);
    }
  }
  return { resources, undecided, nestedParameters };
}

/** The parameters a condition reads, through the conditions it names (each condition read once). */
function conditionInputs(conditions: ReadonlyMap<string, unknown>, name: string): string[] {
  const parameters = new Set<string>();
  const seen = new Set<string>();
  const pending = [name];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const text = JSON.stringify(conditions.get(next) ?? null);
    for (const match of text.matchAll(/\{"Ref":"([^"]+)"\}/g)) parameters.add(match[1]);
    for (const match of text.matchAll(/\{"Condition":"([^"]+)"\}/g)) pending.push(match[1]);
  }
  return [...parameters];
}

/** Each property on its own: one that cannot be evaluated offline (an unknown list) is unknown, the rest still count. */
function evaluateEach(properties: Record<string, unknown>, scope: EvaluationScope): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(properties)) {
    try {
      const evaluated = evaluate(value, scope);
      if (evaluated !== NO_VALUE) entries.push([key, evaluated]);
    } catch {
      entries.push([key, unknown(`property ${key}`)]);
    }
  }
  return Object.fromEntries(entries);
}
