import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { StackpilotError } from '../errors.ts';
import { dictionary } from '../emulator/state-files.ts';
import { findPackageFile } from '../spec/package-files.ts';
import { readDocument } from '../template/parse.ts';

/** data/prices.json: bundled unit prices, per service and region, each service with its source page and date. */
export const PRICES_FILE = 'data/prices.json';

const record = <V extends z.ZodType>(value: V) => z.record(z.string(), value).transform((entries) => dictionary<z.output<V>>(entries));
const amount = z.number().nonnegative().finite();

const priceSchema = z.object({
  unit: z.string().min(1),
  regions: record(amount),
  /** A quantity each month that costs nothing (per resource), e.g. Cognito's free MAU. */
  free: amount.optional(),
}).strict();

const serviceSchema = z.object({
  name: z.string().min(1),
  /** What the prices cover when the name alone does not say (a tier, the edge locations priced). */
  note: z.string().optional(),
  source: z.string().url(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
  prices: record(priceSchema),
}).strict();

const priceBookSchema = z.object({
  currency: z.literal('USD'),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
  note: z.string().optional(),
  regions: z.array(z.string()).optional(),
  services: record(serviceSchema),
  free: z.object({ source: z.string().url(), note: z.string().optional(), types: z.array(z.string()) }).strict(),
}).strict();

/** An override file: any part of the bundled book, merged over it price by price. */
const overrideSchema = z.object({
  asOf: priceBookSchema.shape.asOf.optional(),
  note: z.string().optional(),
  services: record(z.object({
    name: z.string().min(1).optional(),
    note: z.string().optional(),
    source: z.string().url().optional(),
    asOf: serviceSchema.shape.asOf.optional(),
    prices: record(z.object({ unit: z.string().min(1).optional(), regions: record(amount).optional(), free: amount.optional() }).strict()).optional(),
  }).strict()).optional(),
  free: z.object({ types: z.array(z.string()) }).strict().optional(),
}).strict();

export type PriceBook = z.output<typeof priceBookSchema> & { /** Files whose prices were merged over the bundled ones. */ overrides?: string[] };
export type PriceOverrides = z.output<typeof overrideSchema>;

export interface UnitPrice {
  unit: string;
  price: number;
  free?: number;
}

let bundled: PriceBook | undefined;

/** The bundled prices, read and checked on first use. */
export function bundledPrices(): PriceBook {
  if (!bundled) {
    const file = findPackageFile(PRICES_FILE);
    if (!file) throw new StackpilotError('PricesMissing', `The bundled prices (${PRICES_FILE}) are missing from the installation.`, 'Reinstall stackpilot.');
    bundled = parsePrices(readFileSync(file, 'utf8'), PRICES_FILE, priceBookSchema);
  }
  return bundled;
}

/** Reads a `--prices` file (JSON or YAML): a clear error at file:line:col when it is malformed. */
export function readPriceOverrides(path: string): PriceOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new StackpilotError('PricesUnreadable', `${path}: cannot be read`, 'Give --prices a JSON or YAML file shaped like data/prices.json (see README, "stackpilot cost").');
  }
  return parsePrices(text, path, overrideSchema);
}

function parsePrices<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const parsed = readDocument(text, file, { cloudFormationTags: false });
  const hint = 'Correct the file: it has the shape of data/prices.json (see README, "stackpilot cost").';
  const problem = parsed.problems[0];
  if (problem) {
    const at = parsed.map.lines.position(problem.start);
    throw new StackpilotError('PricesInvalid', `${file}:${at.line}:${at.column}: ${problem.message}`, hint);
  }
  const result = schema.safeParse(parsed.value ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const at = keys.length > 0 ? parsed.map.locate([...path, keys[0]], 'key') : parsed.map.locate(path, 'value');
  const what = keys.length > 0 ? `unknown field ${keys.join(', ')}` : issue.message;
  throw new StackpilotError('PricesInvalid', `${file}:${at.line}:${at.column}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${what}`, hint);
}

/** The bundled book with an override file's prices merged over it, price by price and region by region. */
export function withOverrides(book: PriceBook, overrides: PriceOverrides, file: string): PriceBook {
  const services = dictionary<PriceBook['services'][string]>({ ...book.services });
  for (const [id, service] of Object.entries(overrides.services ?? {})) {
    const base = Object.hasOwn(services, id) ? services[id] : undefined;
    const prices = dictionary<PriceBook['services'][string]['prices'][string]>({ ...base?.prices });
    for (const [key, price] of Object.entries(service.prices ?? {})) {
      const was = Object.hasOwn(prices, key) ? prices[key] : undefined;
      const unit = price.unit ?? was?.unit;
      if (unit === undefined) throw new StackpilotError('PricesInvalid', `${file}: services.${id}.prices.${key}: a new price needs a unit`, 'Add "unit" (e.g. "hour", "GB-month").');
      const free = price.free ?? was?.free;
      prices[key] = { unit, regions: dictionary({ ...was?.regions, ...price.regions }), ...(free !== undefined ? { free } : {}) };
    }
    services[id] = {
      name: service.name ?? base?.name ?? id,
      ...(service.note !== undefined || base?.note !== undefined ? { note: service.note ?? base?.note } : {}),
      source: service.source ?? base?.source ?? file,
      asOf: service.asOf ?? overrides.asOf ?? base?.asOf ?? book.asOf,
      prices,
    };
  }
  const free = { ...book.free, types: [...book.free.types, ...(overrides.free?.types ?? [])] };
  return { ...book, services, free, overrides: [...(book.overrides ?? []), file] };
}

/** One unit price in one region, or undefined when the book has none. */
export function unitPrice(book: PriceBook, service: string, key: string, region: string): UnitPrice | undefined {
  const entry = Object.hasOwn(book.services, service) ? book.services[service] : undefined;
  const price = entry && Object.hasOwn(entry.prices, key) ? entry.prices[key] : undefined;
  if (!price || !Object.hasOwn(price.regions, region)) return undefined;
  return { unit: price.unit, price: price.regions[region], ...(price.free !== undefined ? { free: price.free } : {}) };
}

/** Resource types that cost nothing of their own (listed, so that an unknown type is never taken for free). */
export function isFreeType(book: PriceBook, type: string): boolean {
  return book.free.types.includes(type);
}
