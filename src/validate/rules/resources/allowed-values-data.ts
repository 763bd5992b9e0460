import { readDataText } from '../data-files.ts';

/** Definition ('' for the resource's own properties) -> property -> the values AWS accepts. */
type TypeValues = Record<string, Record<string, string[]>>;

/** A line of data/property-values.json: one type, as scripts/build-property-values.mjs writes them. */
const TYPE_LINE = /^("[^"\\]+"):(\{.*\}),?$/;

/**
 * Each type's line of the file, kept as text: a template uses a few of its ~600 types, and
 * parsing only those saves ~4 ms of every validate.
 */
let typeLines: Map<string, string> | undefined;
const parsed = new Map<string, TypeValues>();

function readTypeLines(): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of readDataText('data/property-values.json').split('\n')) {
    const match = TYPE_LINE.exec(line);
    if (match) lines.set(JSON.parse(match[1]) as string, match[2]);
  }
  return lines;
}

function valuesOf(type: string): TypeValues | undefined {
  typeLines ??= readTypeLines();
  if (!parsed.has(type)) {
    const line = typeLines.get(type);
    if (line === undefined) return undefined;
    parsed.set(type, JSON.parse(line) as TypeValues);
  }
  return parsed.get(type);
}

/** The values a property accepts when it is an enum. */
export function allowedValues(type: string, definition: string, property: string): string[] | undefined {
  const definitions = valuesOf(type);
  if (!definitions || !Object.hasOwn(definitions, definition)) return undefined;
  const properties = definitions[definition];
  return Object.hasOwn(properties, property) ? properties[property] : undefined;
}
