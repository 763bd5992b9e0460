import { conditionResolver } from '../engine/evaluate/conditions.ts';
import { evaluate, NO_VALUE, type EvaluationScope } from '../engine/evaluate/intrinsics.ts';
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
      partition: values.region.startsWith('cn-') ? 'aws-cn' : values.region.includes('-gov-') ? 'aws-us-gov' : 'aws',
      urlSuffix: values.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com',
      notificationARNs: [],
    },
    parameters,
    mappings: model.mappings,
    condition: conditionResolver(model.conditions, () => scope),
    resourceRef: (logicalId) => unknown(`Ref ${logicalId}`),
    getAtt: (logicalId, attribute) => unknown(`${logicalId}.${attribute}`),
    importValue: (name) => unknown(`import ${name}`),
  };
  const active = (condition: string | undefined) => {
    if (condition === undefined) return true;
    try {
      return scope.condition(condition);
    } catch {
      return false;
    }
  };
  const resources: EvaluatedResource[] = [];
  const nestedParameters = new Map<string, Map<string, string | undefined>>();
  for (const resource of model.resources.values()) {
    if (!active(resource.condition)) continue;
    const properties = evaluateEach(resource.properties, scope);
    resources.push({ logicalId: resource.logicalId, type: resource.type, properties });
    if (resource.type === 'AWS::CloudFormation::Stack') {
      const given = new Map<string, string | undefined>();
      for (const [key, value] of Object.entries(isObject(properties.Parameters) ? properties.Parameters : {})) {
        const text = Array.isArray(value) ? value.join(',') : parameterValueToString(value);
        given.set(key, text !== undefined && isKnown(text) ? text : undefined);
      }
      nestedParameters.set(resource.logicalId, given);
    }
  }
  return { resources, nestedParameters };
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
