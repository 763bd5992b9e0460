import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dictionary } from '../emulator/state-files.ts';
import { StackpilotError } from '../errors.ts';
import { findPackageFile } from './package-files.ts';
import { replacementOf, updateRequiresOf, type ReplacementWhen } from './update-requires.ts';

/**
 * Facts about CloudFormation resource types, reduced at build time from
 * @aws-cdk/aws-service-spec by scripts/build-resource-facts.mjs.
 */

/** A property's type: scalar kinds, lists, maps, nested shapes, or a union of several. */
export type PropertyType =
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'tag' }
  | { kind: 'list' | 'map'; element: PropertyType }
  | { kind: 'shape'; shape: number }
  | { kind: 'union'; types: PropertyType[] };

export type Replacement = 'yes' | 'maybe' | 'no';

export interface PropertyFacts {
  type: PropertyType;
  required: boolean;
  /** Whether changing it replaces the resource (`maybe`: depends on the value). */
  causesReplacement: Replacement;
  /** For `maybe`: which change replaces, where the documentation says (else a changed value). */
  replacementWhen?: ReplacementWhen;
}

export interface ShapeFacts {
  name: string;
  properties: Record<string, PropertyFacts>;
}

export interface ResourceFacts {
  type: string;
  properties: Record<string, PropertyFacts>;
  /** Names `Fn::GetAtt` accepts, dotted ones included (`Endpoint.Address`). */
  attributes: string[];
  primaryIdentifier: string[];
  /** Holds data that is lost when the resource is deleted or replaced. */
  isStateful: boolean;
  arnTemplate?: string;
  /** The identifier `Ref` returns when it is not the primary identifier. */
  refIdentifier?: string;
  tagProperty?: string;
}

interface RawProperty {
  t: string;
  r?: 1;
  x?: 'yes' | 'maybe';
}

/** The file's first line: each entry's byte offset after it, resource types (sorted) first, then shapes. */
interface FactsHeader {
  version: string;
  types: string[];
  shapes: number;
  offsets: number[];
}

const FACTS_FILE = join('generated', 'resource-facts.jsonl');

function findFactsFile(): string {
  const found = findPackageFile(FACTS_FILE);
  if (found) return found;
  throw new StackpilotError(
    'ResourceFactsMissing',
    `The resource facts index (${FACTS_FILE}) has not been built.`,
    'Run `npm run build` (it runs on `npm install`).',
  );
}

function parsePropertyType(code: string): PropertyType {
  const parts = splitUnion(code);
  if (parts.length > 1) return { kind: 'union', types: parts.map(parsePropertyType) };
  switch (code[0]) {
    case 'S': return { kind: 'string' };
    case 'I': return { kind: 'integer' };
    case 'N': return { kind: 'number' };
    case 'B': return { kind: 'boolean' };
    case 'J': return { kind: 'json' };
    case 'T': return { kind: 'tag' };
    case '[': return { kind: 'list', element: parsePropertyType(code.slice(1, -1)) };
    case '{': return { kind: 'map', element: parsePropertyType(code.slice(1, -1)) };
    case '#': return { kind: 'shape', shape: Number(code.slice(1)) };
    default: throw new Error(`bad property type code ${code}`);
  }
}

/** Splits `a|[b|c]|d` at the top-level bars only. */
function splitUnion(code: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(code.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(code.slice(start));
  return parts;
}

/** Properties by name, without a prototype: looked up with names from templates (`constructor` included). */
function parseProperties(raw: Record<string, RawProperty>): Record<string, PropertyFacts> {
  const out = dictionary<PropertyFacts>();
  for (const [name, p] of Object.entries(raw)) {
    out[name] = { type: parsePropertyType(p.t), required: p.r === 1, causesReplacement: p.x ?? 'no' };
  }
  return out;
}

const STRICTNESS: Record<Replacement, number> = { no: 0, maybe: 1, yes: 2 };

/**
 * The facts with the documented "Update requires" table applied where it is stricter: the
 * generated facts miss some replacements the documentation states (adding a DynamoDB local
 * secondary index replaces the table).
 */
function withDocumentedUpdates(type: string, properties: Record<string, PropertyFacts>): Record<string, PropertyFacts> {
  for (const [name, entry] of Object.entries(updateRequiresOf(type))) {
    const property = properties[name];
    const documented = replacementOf(entry);
    if (!property || STRICTNESS[documented] <= STRICTNESS[property.causesReplacement]) continue;
    properties[name] = { ...property, causesReplacement: documented, ...(entry.when ? { replacementWhen: entry.when } : {}) };
  }
  return properties;
}

/** The index, with each type and shape parsed on first use. */
export class ResourceFactsIndex {
  private readonly resourceCache = new Map<string, ResourceFacts>();
  private readonly shapeCache = new Map<number, ShapeFacts>();
  /** Entry number by type: a Map, as the names come from templates. */
  private readonly typeEntries: Map<string, number>;

  /** `entries`: the file's bytes after its first line, sliced and parsed one entry at a time. */
  constructor(
    private readonly header: FactsHeader,
    private readonly entries: Buffer,
  ) {
    this.typeEntries = new Map(header.types.map((type, index) => [type, index]));
  }

  get specVersion(): string {
    return this.header.version;
  }

  private entry(index: number): unknown {
    return JSON.parse(this.entries.toString('utf8', this.header.offsets[index], this.header.offsets[index + 1]));
  }

  resource(type: string): ResourceFacts | undefined {
    // Only types of the specification are cached: every other name a template makes up would stay.
    const index = this.typeEntries.get(type);
    if (index === undefined) return undefined;
    let facts = this.resourceCache.get(type);
    if (!facts) {
      const r = this.entry(index) as { p: Record<string, RawProperty>; a: string[]; id: string[]; s?: 1; arn?: string; ref?: string; tags?: string };
      facts = {
        type,
        properties: withDocumentedUpdates(type, parseProperties(r.p)),
        attributes: r.a,
        primaryIdentifier: r.id,
        isStateful: r.s === 1,
        arnTemplate: r.arn,
        refIdentifier: r.ref,
        tagProperty: r.tags,
      };
      this.resourceCache.set(type, facts);
    }
    return facts;
  }

  shape(index: number): ShapeFacts {
    let shape = this.shapeCache.get(index);
    if (!shape) {
      const s = this.entry(this.header.types.length + index) as { n: string; p: Record<string, RawProperty> };
      shape = { name: s.n, properties: parseProperties(s.p) };
      this.shapeCache.set(index, shape);
    }
    return shape;
  }

  resourceTypes(): string[] {
    return [...this.header.types];
  }
}

let loaded: ResourceFactsIndex | undefined;

/** The resource facts, loaded once per process: the first line parsed, the rest kept as bytes. */
export function resourceFacts(): ResourceFactsIndex {
  if (!loaded) {
    const bytes = readFileSync(findFactsFile());
    const newline = bytes.indexOf(0x0a);
    loaded = new ResourceFactsIndex(JSON.parse(bytes.toString('utf8', 0, newline)) as FactsHeader, bytes.subarray(newline + 1));
  }
  return loaded;
}

/** Custom resources accept any properties and any attribute. */
export function isCustomResourceType(type: string): boolean {
  return type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::');
}

export function isNestedStackType(type: string): boolean {
  return type === 'AWS::CloudFormation::Stack';
}
