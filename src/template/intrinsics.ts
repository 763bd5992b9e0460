import type { Path } from './source-map.ts';

/** CloudFormation's pseudo parameters, which `Ref` and `${}` accept everywhere. */
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

export const INTRINSIC_FUNCTIONS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::If',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Transform',
  'Fn::GetStackOutput',
  'Fn::ForEach',
  'Fn::Contains',
  'Fn::EachMemberEquals',
  'Fn::EachMemberIn',
  'Fn::RefAll',
  'Fn::ValueOf',
  'Fn::ValueOfAll',
]);

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The function name if `value` is an intrinsic call (`{"Fn::X": arg}`), else undefined. */
export function intrinsicName(value: unknown, conditionIsIntrinsic = false): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  if (INTRINSIC_FUNCTIONS.has(key)) return key;
  if (conditionIsIntrinsic && key === 'Condition' && typeof value[key] === 'string') return key;
  return undefined;
}

export interface IntrinsicCall {
  fn: string;
  argument: unknown;
  /** Path of the `{"Fn::X": ...}` object. */
  path: Path;
}

/**
 * Visits every intrinsic call inside `value`, outermost first. `Condition` counts as a
 * function only where CloudFormation reads it as one (inside the Conditions section).
 */
export function forEachIntrinsic(value: unknown, path: Path, visit: (call: IntrinsicCall) => void, conditionIsIntrinsic = false): void {
  // Each node keeps only its key and its parent's link: a path is spelled out for calls alone,
  // not copied for every value of the template.
  const stack: [unknown, PathLink | undefined][] = [[value, undefined]];
  while (stack.length > 0) {
    const [node, link] = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], { up: link, key: i }]);
      continue;
    }
    if (!isObject(node)) continue;
    const fn = intrinsicName(node, conditionIsIntrinsic);
    if (fn !== undefined) visit({ fn, argument: node[fn], path: spellPath(path, link) });
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) stack.push([node[keys[i]], { up: link, key: keys[i] }]);
  }
}

interface PathLink {
  up: PathLink | undefined;
  key: string | number;
}

function spellPath(base: Path, link: PathLink | undefined): Path {
  const keys: (string | number)[] = [];
  for (let at = link; at; at = at.up) keys.push(at.key);
  return [...base, ...keys.reverse()];
}

export type SubPart = { literal: string } | { variable: string };

/** Splits a `Fn::Sub` string into literal text and `${variables}` (`${!x}` is a literal `${x}`). */
export function parseSubString(text: string): SubPart[] {
  const parts: SubPart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open === -1) break;
    const close = text.indexOf('}', open + 2);
    if (close === -1) break;
    literal += text.slice(i, open);
    const inner = text.slice(open + 2, close);
    if (inner.startsWith('!')) literal += '${' + inner.slice(1) + '}';
    else {
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ variable: inner.trim() });
    }
    i = close + 1;
  }
  literal += text.slice(i);
  if (literal) parts.push({ literal });
  return parts;
}

/** The variable names a `Fn::Sub` string uses, each once (a string may repeat one a million times). */
export function subVariables(text: string): string[] {
  return [...new Set(parseSubString(text).flatMap((p) => ('variable' in p ? [p.variable] : [])))];
}

/** The `[logicalId, attribute]` of a `Fn::GetAtt` argument in either form, if literal. */
export function getAttTarget(argument: unknown): [string, string | undefined] | undefined {
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    return dot === -1 ? [argument, undefined] : [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  if (Array.isArray(argument) && typeof argument[0] === 'string') {
    return [argument[0], typeof argument[1] === 'string' ? argument[1] : undefined];
  }
  return undefined;
}

export interface Reference {
  name: string;
  path: Path;
  via: 'Ref' | 'Fn::GetAtt' | 'Fn::Sub';
  /** The attribute read (`Fn::GetAtt [Name, Attribute]`, `${Name.Attribute}`), absent for a plain reference. */
  attribute?: string;
}

/**
 * The logical ids (resources or parameters) a value refers to through Ref, GetAtt and Sub,
 * each with the path of the reference. Pseudo parameters are left out.
 */
export function references(value: unknown, path: Path = []): Reference[] {
  const calls: IntrinsicCall[] = [];
  forEachIntrinsic(value, path, (call) => calls.push(call));
  return referencesOf(calls);
}

/** The references among intrinsic calls (as references() finds them), in the calls' order. */
export function referencesOf(calls: readonly IntrinsicCall[]): Reference[] {
  const found: Reference[] = [];
  for (const { fn, argument, path: at } of calls) {
    if (fn === 'Ref' && typeof argument === 'string' && !PSEUDO_PARAMETERS.has(argument)) {
      found.push({ name: argument, path: [...at, 'Ref'], via: 'Ref' });
    } else if (fn === 'Fn::GetAtt') {
      const target = getAttTarget(argument);
      if (target) found.push({ name: target[0], path: [...at, 'Fn::GetAtt'], via: 'Fn::GetAtt', ...(target[1] ? { attribute: target[1] } : {}) });
    } else if (fn === 'Fn::Sub') {
      const text = typeof argument === 'string' ? argument : Array.isArray(argument) && typeof argument[0] === 'string' ? argument[0] : undefined;
      if (text === undefined) continue;
      const local = Array.isArray(argument) && isObject(argument[1]) ? argument[1] : {};
      for (const variable of subVariables(text)) {
        const [name, ...attribute] = variable.split('.');
        if (Object.hasOwn(local, variable) || PSEUDO_PARAMETERS.has(variable)) continue;
        found.push({ name, path: [...at, 'Fn::Sub'], via: 'Fn::Sub', ...(attribute.length > 0 ? { attribute: attribute.join('.') } : {}) });
      }
    }
  }
  return found;
}

const callCache = new WeakMap<object, Map<string, IntrinsicCall[]>>();

/**
 * Every intrinsic call in one top-level section of a template body, found once and shared by
 * all the rules that look at calls. `Condition` is a function only in the Conditions section.
 */
export function intrinsicCalls(body: Record<string, unknown>, section: string): IntrinsicCall[] {
  let sections = callCache.get(body);
  if (!sections) callCache.set(body, (sections = new Map<string, IntrinsicCall[]>()));
  let calls = sections.get(section);
  if (!calls) {
    const found: IntrinsicCall[] = [];
    forEachIntrinsic(body[section], [section], (call) => found.push(call), section === 'Conditions');
    sections.set(section, (calls = found));
  }
  return calls;
}
