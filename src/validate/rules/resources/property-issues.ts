import { isCustomResourceType, type PropertyFacts, type PropertyType, type ResourceFactsIndex } from '../../../spec/resource-facts.ts';
import { intrinsicName, isObject } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import type { TemplateCheck } from '../../rule.ts';

/** One problem with a resource's properties against its type's facts. */
export interface PropertyIssue {
  kind: 'unknown-property' | 'missing-required' | 'wrong-type';
  path: Path;
  message: string;
}

const cache = new WeakMap<object, PropertyIssue[]>();

/**
 * Every property problem of a template's resources, found in one walk and shared by the
 * rules for unknown properties, missing required ones and literal values of the wrong type.
 */
export function propertyIssues(ctx: TemplateCheck): PropertyIssue[] {
  let issues = cache.get(ctx.template);
  if (issues) return issues;
  issues = [];
  for (const resource of ctx.model.resources.values()) {
    // Macros may rewrite anything; SAM resources are rewritten by their transform.
    if (ctx.macros || isCustomResourceType(resource.type) || (ctx.transformed && resource.type.startsWith('AWS::Serverless::'))) continue;
    const facts = ctx.facts.resource(resource.type);
    if (!facts) continue;
    const raw = (ctx.template.body!.Resources as Record<string, Record<string, unknown>>)[resource.logicalId];
    const path: Path = ['Resources', resource.logicalId, 'Properties'];
    if (raw.Properties === undefined) {
      checkObject({}, facts.properties, path, ctx.facts, issues, `${resource.type}`);
    } else if (isObject(raw.Properties) && intrinsicName(raw.Properties) === undefined) {
      checkObject(raw.Properties, facts.properties, path, ctx.facts, issues, `${resource.type}`);
    }
  }
  cache.set(ctx.template, issues);
  return issues;
}

function checkObject(value: Record<string, unknown>, properties: Record<string, PropertyFacts>, path: Path, facts: ResourceFactsIndex, issues: PropertyIssue[], owner: string): void {
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) {
      issues.push({ kind: 'missing-required', path, message: `${owner} requires the property ${name}` });
    }
  }
  for (const [name, child] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      const suggestion = closest(name, Object.keys(properties));
      issues.push({ kind: 'unknown-property', path: [...path, name], message: `${owner} has no property ${name}${suggestion ? ` (did you mean ${suggestion}?)` : ''}` });
      continue;
    }
    checkValue(child, property.type, [...path, name], facts, issues, `${owner}.${name}`);
  }
}

/** Checks a value against a type; returns whether it fit (issues found below still count as a fit). */
function checkValue(value: unknown, type: PropertyType, path: Path, facts: ResourceFactsIndex, issues: PropertyIssue[], where: string): boolean {
  const fn = intrinsicName(value);
  if (fn === 'Fn::If' && Array.isArray((value as Record<string, unknown>)[fn])) {
    const branches = (value as Record<string, unknown[]>)[fn];
    // A missing branch is a shape error (SP1101), not a value of the wrong type.
    for (const i of [1, 2]) if (i < branches.length && !isNoValue(branches[i])) checkValue(branches[i], type, [...path, fn, i], facts, issues, where);
    return true;
  }
  if (fn !== undefined || value === null) return true; // known only at deploy time
  switch (type.kind) {
    case 'json':
      return true;
    case 'string':
      return expect(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean', 'a string');
    case 'integer':
    case 'number': {
      const ok = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
      return expect(ok && (type.kind === 'number' || Number.isInteger(Number(value))), type.kind === 'integer' ? 'an integer' : 'a number');
    }
    case 'boolean':
      return expect(typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value)), 'a boolean (true or false)');
    case 'tag':
      return expect(isObject(value), 'a tag ({Key, Value})');
    case 'list':
      if (!Array.isArray(value)) return expect(false, 'a list');
      value.forEach((item, i) => checkValue(item, type.element, [...path, i], facts, issues, where));
      return true;
    case 'map':
      if (!isObject(value)) return expect(false, 'a mapping');
      for (const [k, v] of Object.entries(value)) checkValue(v, type.element, [...path, k], facts, issues, where);
      return true;
    case 'shape': {
      if (!isObject(value)) return expect(false, 'a mapping');
      const shape = facts.shape(type.shape);
      if (Object.keys(shape.properties).length === 0) return true; // free-form in the spec
      checkObject(value, shape.properties, path, facts, issues, where);
      return true;
    }
    case 'union': {
      // Take the first member whose basic kind fits the value, and check it fully.
      const member = type.types.find((t) => basicFit(value, t, facts));
      if (member) return checkValue(value, member, path, facts, issues, where);
      return expect(false, type.types.map(describe).join(' or '));
    }
  }

  function expect(ok: boolean, what: string): boolean {
    if (!ok) issues.push({ kind: 'wrong-type', path, message: `${where} must be ${what}, not ${shown(value)}` });
    return ok;
  }
}

function basicFit(value: unknown, type: PropertyType, facts: ResourceFactsIndex): boolean {
  switch (type.kind) {
    case 'json':
      return true;
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'integer':
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
    case 'boolean':
      return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value));
    case 'list':
      return Array.isArray(value);
    case 'map':
    case 'tag':
      return isObject(value);
    case 'shape':
      return isObject(value) && Object.keys(value).every((k) => k in facts.shape(type.shape).properties);
    case 'union':
      return type.types.some((t) => basicFit(value, t, facts));
  }
}

function describe(type: PropertyType): string {
  switch (type.kind) {
    case 'list':
      return 'a list';
    case 'map':
    case 'shape':
    case 'tag':
      return 'a mapping';
    case 'union':
      return type.types.map(describe).join(' or ');
    default:
      return `a ${type.kind}`;
  }
}

function shown(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a mapping';
  return JSON.stringify(value);
}

function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}

/** The known name closest to a misspelt one, when it is close enough to be a likely typo. */
export function closest(name: string, candidates: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
