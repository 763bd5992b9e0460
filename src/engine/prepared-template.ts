import { isCustomResourceType, isNestedStackType, resourceFacts } from '../spec/resource-facts.ts';
import { findCycles, type DependencyGraph } from '../graph/graph.ts';
import { forEachIntrinsic, getAttTarget, isObject, PSEUDO_PARAMETERS, references } from '../template/intrinsics.ts';
import { describeTemplate, type TemplateModel } from '../template/model.ts';
import { SECTION_LIMITS } from '../template/limits.ts';
import { parseTemplate } from '../template/parse.ts';
import { EngineError } from './api.ts';
import { checkTemplateShape } from './template-shape.ts';

/** A template read once per operation: its body, typed model and resource dependencies. */
export interface PreparedTemplate {
  text: string;
  body: Record<string, unknown>;
  model: TemplateModel;
  /** Logical id -> the resources it depends on (Ref, GetAtt, Sub, DependsOn). */
  dependencies: DependencyGraph;
}

/** The parser's rule for plain syntax errors (src/template/parse.ts). */
const SYNTAX_RULE = 'SP0001';

const formatError = (message: string) => new EngineError('ValidationError', `Template format error: ${message}`);

/** Transforms the engine can take as they are: the language extensions it evaluates natively are not used here. */
const ACCEPTED_TRANSFORMS = new Set(['AWS::LanguageExtensions']);

/** Fails for transforms (macros) the engine cannot expand; checked after capabilities, as AWS asks for CAPABILITY_AUTO_EXPAND first. */
export function checkTransforms(model: TemplateModel): void {
  const unsupported = model.transforms.filter((t) => !ACCEPTED_TRANSFORMS.has(t));
  if (unsupported.length > 0) throw new EngineError('ValidationError', `Transform ${unsupported.join(', ')} is not supported by the stackpilot local engine; deploy the processed template instead`);
}

/**
 * Parses and checks a template as CreateStack does before any work starts, failing with
 * CloudFormation's ValidationError messages.
 */
export function prepareTemplate(text: string): PreparedTemplate {
  if (text.trim() === '') throw new EngineError('ValidationError', 'Template body cannot be empty');
  const json = text.trimStart().startsWith('{');
  const parsed = parseTemplate(text, json ? 'template.json' : 'template.yaml');
  const syntax = parsed.problems.find((p) => p.severity === 'error');
  const where = syntax ? ` (line ${syntax.line}, column ${syntax.column})` : '';
  // A syntax error in AWS's words; a limit (depth, aliases, size) or a duplicate key in stackpilot's own.
  if (syntax && syntax.rule !== SYNTAX_RULE) throw formatError(`${syntax.message}${where}`);
  if (!parsed.body || syntax) throw formatError(`${json ? 'JSON' : 'YAML'} not well-formed.${where}`);
  const body = parsed.body;
  checkTemplateShape(body);
  const model = describeTemplate(body);
  if (!isObject(body.Resources) || Object.keys(body.Resources).length === 0) throw formatError('At least one Resources member must be defined.');
  checkLogicalIds(model);
  checkSectionLimits(model);

  const facts = resourceFacts();
  const unknownTypes = [...new Set([...model.resources.values()].map((r) => r.type).filter((t) => !isCustomResourceType(t) && !facts.resource(t)))];
  if (unknownTypes.length > 0) throw formatError(`Unrecognized resource types: [${unknownTypes.join(', ')}]`);

  const known = (name: string) => model.resources.has(name) || model.parameters.has(name) || PSEUDO_PARAMETERS.has(name);
  const dependencies: DependencyGraph = new Map();
  const unresolved = new Set<string>();
  for (const resource of model.resources.values()) {
    const raw = (body.Resources as Record<string, Record<string, unknown>>)[resource.logicalId];
    const deps = new Set<string>();
    for (const target of resource.dependsOn) {
      if (!model.resources.has(target)) throw formatError(`Unresolved resource dependencies [${target}] in the Resources block of the template`);
      deps.add(target);
    }
    for (const reference of references(raw.Properties, [])) {
      if (!known(reference.name)) unresolved.add(reference.name);
      else if (model.resources.has(reference.name)) deps.add(reference.name);
    }
    if (resource.condition !== undefined && !model.conditions.has(resource.condition)) throw formatError(`Unresolved dependencies [${resource.condition}]. Cannot reference resources in the Conditions block of the template`);
    checkGetAtts(raw.Properties, model);
    dependencies.set(resource.logicalId, [...deps]);
  }
  for (const output of model.outputs.values()) {
    for (const reference of [...references(output.value), ...references(output.exportName)]) if (!known(reference.name)) unresolved.add(reference.name);
    checkGetAtts(output.value, model);
    checkExportName(output.name, output.exportName, model);
  }
  if (unresolved.size > 0) throw formatError(`Unresolved resource dependencies [${[...unresolved].join(', ')}] in the Resources block of the template`);
  const cycles = findCycles(dependencies);
  if (cycles.length > 0) throw new EngineError('ValidationError', `Circular dependency between resources: [${cycles[0].join(', ')}]`);
  return { text, body, model, dependencies };
}

/** An export's name is known before any resource exists: it may use parameters and pseudo parameters only. */
function checkExportName(output: string, name: unknown, model: TemplateModel): void {
  let dynamic = references(name).some((r) => model.resources.has(r.name));
  forEachIntrinsic(name, [], ({ fn }) => {
    if (fn === 'Fn::ImportValue' || fn === 'Fn::GetAZs') dynamic = true;
  });
  if (dynamic) throw formatError(`Output ${output} is malformed. The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs.`);
}

/** CloudFormation's quotas on a template's sections, with its message (`Number of resources, 501, is greater than maximum allowed, 500`). */
function checkSectionLimits(model: TemplateModel): void {
  const counts: [keyof typeof SECTION_LIMITS, number][] = [
    ['Resources', model.resources.size],
    ['Parameters', model.parameters.size],
    ['Outputs', model.outputs.size],
    ['Mappings', Object.keys(model.mappings).length],
  ];
  for (const [section, count] of counts) {
    const limit = SECTION_LIMITS[section];
    if (count > limit) throw formatError(`Number of ${section.toLowerCase()}, ${count}, is greater than maximum allowed, ${limit}`);
  }
}

const ALPHANUMERIC = /^[A-Za-z0-9]+$/;

/** Parameter, resource and output names are alphanumeric: `__proto__` or `my-bucket` never become logical ids. */
function checkLogicalIds(model: TemplateModel): void {
  const sections: [string, Iterable<string>][] = [
    ['Parameter', model.parameters.keys()],
    ['Resource', model.resources.keys()],
    ['Output', model.outputs.keys()],
  ];
  for (const [what, names] of sections) {
    for (const name of names) if (!ALPHANUMERIC.test(name)) throw formatError(`${what} name ${name} is non alphanumeric.`);
  }
}

/** A literal `Fn::GetAtt` of an attribute the type doesn't have is a template error, caught before work starts. */
function checkGetAtts(value: unknown, model: TemplateModel): void {
  const facts = resourceFacts();
  forEachIntrinsic(value, [], ({ fn, argument }) => {
    if (fn !== 'Fn::GetAtt') return;
    const target = getAttTarget(argument);
    if (!target || target[1] === undefined) return;
    const [logicalId, attribute] = target;
    const resource = model.resources.get(logicalId);
    if (!resource) throw formatError(`Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
    if (isCustomResourceType(resource.type) || (isNestedStackType(resource.type) && attribute.startsWith('Outputs.'))) return;
    const attributes = facts.resource(resource.type)?.attributes ?? [];
    if (!attributes.includes(attribute)) throw new EngineError('ValidationError', `Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
  });
}
