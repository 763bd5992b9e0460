import { forEachIntrinsic, intrinsicName, isObject, parseSubString } from '../template/intrinsics.ts';
import type { Path } from '../template/source-map.ts';
import { matchesWildcards } from '../template/user-pattern.ts';
import type { ResolvedEnvironment } from './parameters.ts';
import type { Project, ProjectTemplate } from './project.ts';

/**
 * Export and import names as far as they can be known before deploying: literal text with
 * holes (`null`) where a value is only known in AWS (a generated stack name, an account id).
 */
export type NamePattern = (string | null)[];

/** What a template's parameters and pseudo parameters are worth in one stack. */
export interface NameScope {
  parameters: Map<string, string | undefined>;
  stackName?: string;
  region?: string;
}

/** One use of a template as a stack (a project stack, or a nested stack inside one). */
export interface StackInstance {
  template: ProjectTemplate;
  /** The project stack it belongs to (its own id for a top-level stack). */
  stackId: string;
  scope: NameScope;
  nested: boolean;
}

export interface ExportDeclaration {
  instance: StackInstance;
  output: string;
  name: NamePattern;
  path: Path;
}

export interface ImportUse {
  instance: StackInstance;
  name: NamePattern;
  path: Path;
}

function normalize(parts: NamePattern): NamePattern {
  const out: NamePattern = [];
  for (const part of parts) {
    const last = out.length - 1;
    if (part === '') continue;
    if (part === null && out[last] === null) continue;
    if (typeof part === 'string' && typeof out[last] === 'string') out[last] += part;
    else out.push(part);
  }
  return out;
}

/** Evaluates a value to a name pattern: literal text, Ref, Sub and Join; anything else is a hole. */
export function evaluateName(value: unknown, scope: NameScope): NamePattern {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  const fn = intrinsicName(value);
  if (!fn || !isObject(value)) return [null];
  const argument = value[fn];
  const variable = (name: string, local: Record<string, unknown>): NamePattern => {
    if (Object.hasOwn(local, name)) return evaluateName(local[name], scope);
    if (name === 'AWS::StackName') return [scope.stackName ?? null];
    if (name === 'AWS::Region') return [scope.region ?? null];
    if (name === 'AWS::Partition') return ['aws'];
    if (name === 'AWS::URLSuffix') return ['amazonaws.com'];
    const parameter = scope.parameters.get(name);
    return [parameter ?? null];
  };
  switch (fn) {
    case 'Ref':
      return typeof argument === 'string' ? variable(argument, {}) : [null];
    case 'Fn::Sub': {
      const text = typeof argument === 'string' ? argument : Array.isArray(argument) && typeof argument[0] === 'string' ? argument[0] : undefined;
      if (text === undefined) return [null];
      const local = Array.isArray(argument) && isObject(argument[1]) ? argument[1] : {};
      return normalize(parseSubString(text).flatMap((p) => ('literal' in p ? [p.literal] : p.variable.includes('.') && !Object.hasOwn(local, p.variable) ? [null] : variable(p.variable, local))));
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || typeof argument[0] !== 'string' || !Array.isArray(argument[1])) return [null];
      const delimiter = argument[0];
      return normalize(argument[1].flatMap((part, i) => (i === 0 ? evaluateName(part, scope) : [delimiter, ...evaluateName(part, scope)])));
    }
    default:
      return [null];
  }
}

export function isKnown(name: NamePattern): name is string[] {
  return name.every((p) => p !== null);
}

export function showName(name: NamePattern): string {
  return name.map((p) => p ?? '*').join('');
}

/** Whether two names could be the same once deployed. */
export function namesMayMatch(a: NamePattern, b: NamePattern): boolean {
  if (isKnown(a) && isKnown(b)) return a.join('') === b.join('');
  if (isKnown(a) || isKnown(b)) {
    const [known, pattern] = isKnown(a) ? [a.join(''), b] : [b.join(''), a];
    return matchesWildcards(pattern, known);
  }
  const prefix = (p: NamePattern) => (typeof p[0] === 'string' ? p[0] : '');
  const suffix = (p: NamePattern) => (typeof p[p.length - 1] === 'string' ? (p[p.length - 1] as string) : '');
  const compatible = (x: string, y: string, edge: 'start' | 'end') => (edge === 'start' ? x.startsWith(y) || y.startsWith(x) : x.endsWith(y) || y.endsWith(x));
  return compatible(prefix(a), prefix(b), 'start') && compatible(suffix(a), suffix(b), 'end');
}

/**
 * Every stack the project would create in one environment: its stacks and, through their
 * TemplateURLs, their nested stacks, with the parameter values each one receives.
 */
export function stackInstances(project: Project, environment: ResolvedEnvironment): StackInstance[] {
  const instances: StackInstance[] = [];
  const visit = (template: ProjectTemplate, stackId: string, scope: NameScope, nested: boolean, depth: number) => {
    const instance = { template, stackId, scope, nested };
    instances.push(instance);
    if (depth > 10) return; // nesting cycles are reported by SP5005
    for (const link of project.nested) {
      if (link.parent !== template.absolutePath || !link.child) continue;
      const child = project.templates.get(link.child);
      const resource = template.model.resources.get(link.logicalId);
      if (!child || !resource) continue;
      const passed = isObject(resource.properties.Parameters) ? resource.properties.Parameters : {};
      const parameters = new Map<string, string | undefined>();
      for (const decl of child.model.parameters.values()) {
        const value = Object.hasOwn(passed, decl.name) ? evaluateName(passed[decl.name], scope) : [typeof decl.default === 'string' ? decl.default : undefined];
        parameters.set(decl.name, value.length === 1 && typeof value[0] === 'string' ? value[0] : undefined);
      }
      visit(child, stackId, { parameters, region: scope.region }, true, depth + 1);
    }
  };
  for (const stack of project.stacks) {
    const template = project.templates.get(stack.template);
    if (!template) continue;
    const resolved = environment.stacks.get(stack.id);
    const parameters = new Map<string, string | undefined>();
    for (const decl of template.model.parameters.values()) {
      const given = resolved?.values.get(decl.name);
      parameters.set(decl.name, given ? given.value : typeof decl.default === 'string' || typeof decl.default === 'number' ? String(decl.default) : undefined);
    }
    visit(template, stack.id, { parameters, stackName: resolved?.name, region: environment.region }, false, 0);
  }
  return instances;
}

export function exportsOf(instance: StackInstance): ExportDeclaration[] {
  return [...instance.template.model.outputs.values()]
    .filter((o) => o.exportName !== undefined)
    .map((o) => ({ instance, output: o.name, name: evaluateName(o.exportName, instance.scope), path: ['Outputs', o.name, 'Export', 'Name'] }));
}

export function importsOf(instance: StackInstance): ImportUse[] {
  const uses: ImportUse[] = [];
  const body = instance.template.body;
  if (!body) return uses;
  for (const section of ['Resources', 'Outputs']) {
    forEachIntrinsic(body[section], [section], ({ fn, argument, path }) => {
      if (fn === 'Fn::ImportValue') uses.push({ instance, name: evaluateName(argument, instance.scope), path: [...path, 'Fn::ImportValue'] });
    });
  }
  return uses;
}

/** Each import paired with each export of another stack instance whose name it may be, as far as names are known before deploying. */
export function importMatches(instances: StackInstance[]): { use: ImportUse; declaration: ExportDeclaration }[] {
  const exports = instances.flatMap(exportsOf);
  return instances
    .flatMap(importsOf)
    .filter((use) => use.name.some((p) => p !== null))
    .flatMap((use) => exports.filter((declaration) => declaration.instance !== use.instance && namesMayMatch(declaration.name, use.name)).map((declaration) => ({ use, declaration })));
}
