import { getAttTarget, intrinsicName, isObject, parseSubString } from '../../template/intrinsics.ts';
import { cidrSubnets } from './cidr.ts';
import { EvaluationError } from './evaluation-error.ts';

/** What `Ref: AWS::NoValue` evaluates to: removed from the object or list that holds it. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface PseudoParameters {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  partition: string;
  urlSuffix: string;
  notificationARNs: string[];
}

/** Everything a template value can refer to, supplied by the stack operation evaluating it. */
export interface EvaluationScope {
  pseudo: PseudoParameters;
  /** Parameter values: lists as arrays, everything else as strings. */
  parameters: ReadonlyMap<string, string | string[]>;
  mappings: Record<string, unknown>;
  condition(name: string): boolean;
  /** `Ref` of a resource: its physical id (throws when it has none yet). */
  resourceRef(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  importValue(exportName: string): string;
}

/** The AZs `Fn::GetAZs` returns: six in us-east-1, three elsewhere, in letter order. */
export function availabilityZones(region: string): string[] {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  return [...letters].map((letter) => `${region}${letter}`);
}

export function pseudoParameterValue(name: string, pseudo: PseudoParameters): unknown {
  switch (name) {
    case 'AWS::AccountId': return pseudo.accountId;
    case 'AWS::Region': return pseudo.region;
    case 'AWS::StackName': return pseudo.stackName;
    case 'AWS::StackId': return pseudo.stackId;
    case 'AWS::Partition': return pseudo.partition;
    case 'AWS::URLSuffix': return pseudo.urlSuffix;
    case 'AWS::NotificationARNs': return pseudo.notificationARNs;
    case 'AWS::NoValue': return NO_VALUE;
    default: return undefined;
  }
}

/** Evaluates a template value: every intrinsic replaced by its result, NoValue entries removed. */
export function evaluate(value: unknown, scope: EvaluationScope): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const result = evaluate(item, scope);
      if (result !== NO_VALUE) items.push(result);
    }
    return items;
  }
  if (!isObject(value)) return value;
  const fn = intrinsicName(value, true);
  if (fn !== undefined) return callIntrinsic(fn, value[fn], scope);
  // Entries, not assignments: a key named `__proto__` stays a key instead of setting the prototype.
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const evaluated = evaluate(item, scope);
    if (evaluated !== NO_VALUE) entries.push([key, evaluated]);
  }
  return Object.fromEntries(entries);
}

/** Evaluates a condition expression (an Fn::Equals/And/Or/Not tree or `{Condition: name}`) to a boolean. */
export function evaluateCondition(value: unknown, scope: EvaluationScope): boolean {
  const result = evaluate(value, scope);
  if (typeof result === 'boolean') return result;
  if (result === 'true' || result === 'false') return result === 'true';
  throw new EvaluationError('Template error: every Conditions member must be a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)');
}

function asArgs(fn: string, argument: unknown, min: number, max = min): unknown[] {
  if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
    throw new EvaluationError(`Template error: ${fn} takes ${min === max ? min : `${min} to ${max}`} arguments`);
  }
  return argument;
}

function asText(fn: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new EvaluationError(`Template error: ${fn} expects a string, got ${JSON.stringify(value)}`);
}

function asList(fn: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new EvaluationError(`Template error: ${fn} expects a list, got ${JSON.stringify(value)}`);
}

function callIntrinsic(fn: string, argument: unknown, scope: EvaluationScope): unknown {
  switch (fn) {
    case 'Ref': return ref(asText('Ref', argument), scope);
    case 'Condition': return scope.condition(asText('Condition', argument));
    case 'Fn::GetAtt': return getAtt(argument, scope);
    case 'Fn::Sub': return sub(argument, scope);
    case 'Fn::Join': {
      const [delimiter, list] = asArgs(fn, argument, 2);
      const items = asList(fn, evaluate(list, scope));
      return items.map((item) => asText(fn, item)).join(asText(fn, evaluate(delimiter, scope)));
    }
    case 'Fn::Select': {
      const [index, list] = asArgs(fn, argument, 2);
      const at = Number(evaluate(index, scope));
      const items = asList(fn, evaluate(list, scope));
      if (!Number.isInteger(at) || at < 0 || at >= items.length) throw new EvaluationError(`Template error: Fn::Select cannot select nonexistent value at index ${String(evaluate(index, scope))}`);
      return items[at];
    }
    case 'Fn::Split': {
      const [delimiter, text] = asArgs(fn, argument, 2);
      return asText(fn, evaluate(text, scope)).split(asText(fn, evaluate(delimiter, scope)));
    }
    case 'Fn::If': {
      const [name, whenTrue, whenFalse] = asArgs(fn, argument, 3);
      return evaluate(scope.condition(asText(fn, name)) ? whenTrue : whenFalse, scope);
    }
    case 'Fn::Equals': {
      const [a, b] = asArgs(fn, argument, 2).map((v) => evaluate(v, scope));
      return JSON.stringify(normalizeScalar(a)) === JSON.stringify(normalizeScalar(b));
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const results = asArgs(fn, argument, 2, 10).map((v) => evaluateCondition(v, scope));
      return fn === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
    }
    case 'Fn::Not': return !evaluateCondition(asArgs(fn, argument, 1)[0], scope);
    case 'Fn::FindInMap': return findInMap(argument, scope);
    case 'Fn::GetAZs': {
      const region = evaluate(argument, scope);
      // `""`, and the `null` many published JSON templates write, both mean this region.
      return availabilityZones(region === '' || region == null ? scope.pseudo.region : asText(fn, region));
    }
    case 'Fn::ImportValue': return scope.importValue(asText(fn, evaluate(argument, scope)));
    case 'Fn::Base64': return Buffer.from(asText(fn, evaluate(argument, scope)), 'utf8').toString('base64');
    case 'Fn::Cidr': {
      const [block, count, bits] = asArgs(fn, argument, 3).map((v) => evaluate(v, scope));
      return cidrSubnets(asText(fn, block), Number(count), Number(bits));
    }
    case 'Fn::Length': return asList(fn, evaluate(argument, scope)).length;
    case 'Fn::ToJsonString': return JSON.stringify(evaluate(argument, scope));
    default: throw new EvaluationError(`Template error: ${fn} is not supported by the stackpilot local engine`);
  }
}

/** Fn::Equals compares values as CloudFormation sees them: numbers and booleans as their text. */
function normalizeScalar(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

function ref(name: string, scope: EvaluationScope): unknown {
  if (name.startsWith('AWS::')) {
    const value = pseudoParameterValue(name, scope.pseudo);
    if (value === undefined) throw new EvaluationError(`Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`);
    return value;
  }
  const parameter = scope.parameters.get(name);
  if (parameter !== undefined) return parameter;
  return scope.resourceRef(name);
}

function getAtt(argument: unknown, scope: EvaluationScope): unknown {
  if (Array.isArray(argument) && argument.length === 2 && typeof argument[0] === 'string' && typeof argument[1] !== 'string') {
    return scope.getAtt(argument[0], asText('Fn::GetAtt', evaluate(argument[1], scope)));
  }
  const target = getAttTarget(argument);
  if (!target || target[1] === undefined) throw new EvaluationError('Template error: Fn::GetAtt takes a resource name and an attribute name');
  return scope.getAtt(target[0], target[1]);
}

function sub(argument: unknown, scope: EvaluationScope): string {
  const [text, variables] = typeof argument === 'string' ? [argument, {}] : asArgs('Fn::Sub', argument, 2);
  const local = isObject(variables) ? variables : {};
  let result = '';
  for (const part of parseSubString(asText('Fn::Sub', text))) {
    if ('literal' in part) {
      result += part.literal;
      continue;
    }
    const name = part.variable;
    let value: unknown;
    if (Object.hasOwn(local, name)) value = evaluate(local[name], scope);
    else if (name.startsWith('AWS::') || scope.parameters.has(name)) value = ref(name, scope);
    else if (name.includes('.')) {
      const dot = name.indexOf('.');
      value = scope.getAtt(name.slice(0, dot), name.slice(dot + 1));
    } else value = scope.resourceRef(name);
    result += Array.isArray(value) ? value.join(',') : asText('Fn::Sub', value);
  }
  return result;
}

function findInMap(argument: unknown, scope: EvaluationScope): unknown {
  const args = asArgs('Fn::FindInMap', argument, 3, 4);
  const [mapName, topKey, secondKey] = args.slice(0, 3).map((v) => asText('Fn::FindInMap', evaluate(v, scope)));
  const options = args[3];
  const map = scope.mappings[mapName];
  const top = isObject(map) ? map[topKey] : undefined;
  const value = isObject(top) ? top[secondKey] : undefined;
  // A mapping, or a list holding one, is not a value CloudFormation takes (nor one to hand on unevaluated).
  if (isObject(value) || (Array.isArray(value) && value.some((item) => item !== null && typeof item === 'object'))) {
    throw new EvaluationError('Template format error: Every Mappings attribute must be a String or a List.');
  }
  if (value !== undefined) return value;
  if (isObject(options) && Object.hasOwn(options, 'DefaultValue')) return evaluate(options.DefaultValue, scope);
  if (!isObject(map)) throw new EvaluationError(`Template error: Mapping named '${mapName}' is not present in the 'Mappings' section of template.`);
  throw new EvaluationError(`Template error: Unable to get mapping for ${mapName}::${topKey}::${secondKey}`);
}
