import { readDataFile } from '../data-files.ts';

/** data/property-values.json, as scripts/build-property-values.mjs writes it. */
interface PropertyValuesData {
  source: string;
  date: string;
  /** Type -> definition ('' for the resource's own properties) -> property -> the values AWS accepts. */
  types: Record<string, Record<string, Record<string, string[]>>>;
}

let loaded: Map<string, Record<string, Record<string, string[]>>> | undefined;

/** The values a property accepts when it is an enum. */
export function allowedValues(type: string, definition: string, property: string): string[] | undefined {
  loaded ??= new Map(Object.entries(readDataFile<PropertyValuesData>('data/property-values.json').types));
  const definitions = loaded.get(type);
  if (!definitions || !Object.hasOwn(definitions, definition)) return undefined;
  const properties = definitions[definition];
  return Object.hasOwn(properties, property) ? properties[property] : undefined;
}
