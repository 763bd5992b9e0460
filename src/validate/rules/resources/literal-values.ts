import { isCustomResourceType, type PropertyFacts, type PropertyType } from '../../../spec/resource-facts.ts';
import { intrinsicName, isObject } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import type { TemplateCheck } from '../../rule.ts';

/** A literal string (or number) a template gives a resource property, with where it sits in the type. */
export interface LiteralValue {
  /** The resource type (`AWS::S3::Bucket`). */
  type: string;
  /** The property type (definition) holding the property, '' for the resource's own properties. */
  definition: string;
  property: string;
  value: string;
  path: Path;
}

/** One walk per template, shared by the rules that check literal values (SP3005, SP3006, SP3007). */
const cache = new WeakMap<object, LiteralValue[]>();

/**
 * Every literal scalar of a template's resource properties, list items and `Fn::If` branches
 * included: values made by a function (`!Ref`, `!Sub`...) are known only at deploy time and
 * left out. Resources a macro or SAM may rewrite are left out too.
 */
export function literalValues(ctx: TemplateCheck): LiteralValue[] {
  const cached = cache.get(ctx.template);
  if (cached) return cached;
  const found: LiteralValue[] = [];
  for (const resource of ctx.model.resources.values()) {
    if (ctx.macros || isCustomResourceType(resource.type) || (ctx.transformed && resource.type.startsWith('AWS::Serverless::'))) continue;
    const facts = ctx.facts.resource(resource.type);
    if (!facts) continue;
    const visit = (value: unknown, type: PropertyType | undefined, definition: string, property: string, path: Path): void => {
      const fn = intrinsicName(value);
      if (fn === 'Fn::If' && Array.isArray((value as Record<string, unknown>)[fn])) {
        const branches = (value as Record<string, unknown[]>)[fn];
        for (const i of [1, 2]) if (i < branches.length) visit(branches[i], type, definition, property, [...path, fn, i]);
        return;
      }
      if (fn !== undefined || value === null || value === undefined) return;
      if (typeof value === 'string' || typeof value === 'number') {
        found.push({ type: resource.type, definition, property, value: String(value), path });
      } else if (Array.isArray(value)) {
        const element = listElement(type);
        value.forEach((item, i) => visit(item, element, definition, property, [...path, i]));
      } else if (isObject(value)) {
        const shape = shapeOf(type);
        if (shape !== undefined) walk(value, ctx.facts.shape(shape).properties, ctx.facts.shape(shape).name, path);
      }
    };
    const walk = (object: Record<string, unknown>, properties: Record<string, PropertyFacts>, definition: string, path: Path): void => {
      for (const [name, child] of Object.entries(object)) {
        const property = properties[name];
        if (property) visit(child, property.type, definition, name, [...path, name]);
      }
    };
    if (isObject(resource.properties) && intrinsicName(resource.properties) === undefined) {
      walk(resource.properties, facts.properties, '', ['Resources', resource.logicalId, 'Properties']);
    }
  }
  cache.set(ctx.template, found);
  return found;
}

/** The element type of a list type, or of the one list member of a union (`[KeySchema]|Json`). */
function listElement(type: PropertyType | undefined): PropertyType | undefined {
  if (type?.kind === 'list') return type.element;
  if (type?.kind !== 'union') return undefined;
  const list = type.types.find((t) => t.kind === 'list');
  return list?.kind === 'list' ? list.element : undefined;
}

/** The shape a mapping value takes: the type itself, a list's element, or the one shape of a union. */
function shapeOf(type: PropertyType | undefined): number | undefined {
  if (type?.kind === 'shape') return type.shape;
  if (type?.kind === 'list') return shapeOf(type.element);
  if (type?.kind === 'union') {
    const shapes = type.types.map(shapeOf).filter((s) => s !== undefined);
    return shapes.length === 1 ? shapes[0] : undefined;
  }
  return undefined;
}
