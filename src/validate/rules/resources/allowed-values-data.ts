import { readFileSync } from 'node:fs';
import { StackpilotError } from '../../../errors.ts';
import { findPackageFile } from '../../../spec/package-files.ts';

/** data/property-values.json, as scripts/build-property-values.mjs writes it. */
interface PropertyValuesData {
  source: string;
  date: string;
  /** Type -> definition ('' for the resource's own properties) -> property -> the values AWS accepts. */
  types: Record<string, Record<string, Record<string, string[]>>>;
}

const FILE = 'data/property-values.json';
let loaded: Map<string, Record<string, Record<string, string[]>>> | undefined;

/** The values a property accepts when it is an enum, read on first need (validate's start-up stays small). */
export function allowedValues(type: string, definition: string, property: string): string[] | undefined {
  loaded ??= readData();
  const definitions = loaded.get(type);
  if (!definitions || !Object.hasOwn(definitions, definition)) return undefined;
  const properties = definitions[definition];
  return Object.hasOwn(properties, property) ? properties[property] : undefined;
}

function readData(): Map<string, Record<string, Record<string, string[]>>> {
  const path = findPackageFile(FILE);
  if (!path) throw new StackpilotError('PropertyValuesMissing', `The property values table (${FILE}) is missing from the stackpilot package.`, 'Reinstall stackpilot.');
  const data = JSON.parse(readFileSync(path, 'utf8')) as PropertyValuesData;
  return new Map(Object.entries(data.types));
}
