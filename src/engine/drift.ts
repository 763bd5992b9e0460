import type { ResourceDriftRecord, ResourceRecord } from './state.ts';

/**
 * Drift as CloudFormation judges it: a resource's actual configuration against the properties
 * its template sets. Only what the template sets is compared (a property left to its default
 * is not drift); tags are compared as a set, by key. Pure: the readers of the data planes
 * (resources/actual-properties.ts) and the detection runs (operations/drift-detection.ts) sit apart.
 */

export type ResourceDriftStatus = 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED';

/** One property that differs, in the API's shape (values as text: JSON for objects and lists). */
export interface PropertyDifference {
  PropertyPath: string;
  ExpectedValue: string;
  ActualValue: string;
  DifferenceType: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

export interface ResourceDriftResult {
  status: Exclude<ResourceDriftStatus, 'NOT_CHECKED'>;
  differences: PropertyDifference[];
}

type Props = Record<string, unknown>;

const isRecord = (v: unknown): v is Props => v !== null && typeof v === 'object' && !Array.isArray(v);
const member = (record: Props, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);
const asText = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? 'null' : JSON.stringify(v));
/** Tags AWS adds itself (`aws:cloudformation:stack-name`...) are never drift. */
const isAwsTag = (key: string) => key.startsWith('aws:');
/** A reference resolved at deploy time (`{{resolve:ssm:...}}`): its value is not in the template to compare. */
const holdsDynamicReference = (v: unknown): boolean => JSON.stringify(v)?.includes('{{resolve:') ?? false;

/**
 * The drift of one resource: DELETED when it is gone (`actual` undefined), else MODIFIED with
 * each property of `expected` that differs, or IN_SYNC. `expected` holds the template's values
 * of the properties the reader of `actual` knows.
 */
export function resourceDrift(expected: Props, actual: Props | undefined): ResourceDriftResult {
  if (actual === undefined) return { status: 'DELETED', differences: [] };
  const differences = propertyDifferences(expected, actual);
  return { status: differences.length > 0 ? 'MODIFIED' : 'IN_SYNC', differences };
}

/** The properties of `expected` whose actual value differs, each with its path (`/VersioningConfiguration/Status`). */
export function propertyDifferences(expected: Props, actual: Props): PropertyDifference[] {
  const differences: PropertyDifference[] = [];
  for (const [name, value] of Object.entries(expected)) {
    if (value === undefined || holdsDynamicReference(value)) continue;
    const path = `/${name}`;
    const found = member(actual, name);
    if (name === 'Tags' && Array.isArray(value)) compareTags(path, value, found, differences);
    else compareValue(path, value, found, differences);
  }
  return differences;
}

function compareValue(path: string, expected: unknown, actual: unknown, out: PropertyDifference[]): void {
  if (expected === undefined || expected === null) return;
  if (actual === undefined || actual === null) {
    out.push({ PropertyPath: path, ExpectedValue: asText(expected), ActualValue: 'null', DifferenceType: 'REMOVE' });
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) out.push(notEqual(path, expected, actual));
    else compareLists(path, expected, actual, out);
    return;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) out.push(notEqual(path, expected, actual));
    // Keys the template leaves out are left to their defaults: not drift.
    else for (const [key, value] of Object.entries(expected)) compareValue(`${path}/${key}`, value, member(actual, key), out);
    return;
  }
  // Templates give numbers and booleans as text as often as not ("true", "30").
  if (typeof actual === 'object' || String(expected) !== String(actual)) out.push(notEqual(path, expected, actual));
}

function compareLists(path: string, expected: unknown[], actual: unknown[], out: PropertyDifference[]): void {
  expected.forEach((item, i) => {
    if (i < actual.length) compareValue(`${path}/${i}`, item, actual[i], out);
    else out.push({ PropertyPath: `${path}/${i}`, ExpectedValue: asText(item), ActualValue: 'null', DifferenceType: 'REMOVE' });
  });
  for (let i = expected.length; i < actual.length; i++) out.push({ PropertyPath: `${path}/${i}`, ExpectedValue: 'null', ActualValue: asText(actual[i]), DifferenceType: 'ADD' });
}

/** Tags as a set: a tag whose value changed, a tag removed, a tag added (by key, in any order). */
function compareTags(path: string, expected: unknown[], actual: unknown, out: PropertyDifference[]): void {
  const actualTags = (Array.isArray(actual) ? actual : []).filter(isRecord).filter((t) => !isAwsTag(String(t.Key)));
  const actualByKey = new Map(actualTags.map((t) => [String(t.Key), t.Value]));
  const expectedKeys = new Set<string>();
  expected.filter(isRecord).forEach((tag, i) => {
    const key = String(tag.Key);
    expectedKeys.add(key);
    if (!actualByKey.has(key)) out.push({ PropertyPath: `${path}/${i}`, ExpectedValue: asText(tag), ActualValue: 'null', DifferenceType: 'REMOVE' });
    else if (String(tag.Value) !== String(actualByKey.get(key))) out.push(notEqual(`${path}/${i}/Value`, tag.Value, actualByKey.get(key)));
  });
  actualTags.forEach((tag, j) => {
    if (!expectedKeys.has(String(tag.Key))) out.push({ PropertyPath: `${path}/${j}`, ExpectedValue: 'null', ActualValue: asText({ Key: tag.Key, Value: tag.Value }), DifferenceType: 'ADD' });
  });
}

const notEqual = (path: string, expected: unknown, actual: unknown): PropertyDifference => ({ PropertyPath: path, ExpectedValue: asText(expected), ActualValue: asText(actual), DifferenceType: 'NOT_EQUAL' });

/** The stack's drift from its resources': DRIFTED when one is MODIFIED or DELETED. */
export function stackDriftStatus(statuses: ResourceDriftStatus[]): 'IN_SYNC' | 'DRIFTED' {
  return statuses.some((s) => s === 'MODIFIED' || s === 'DELETED') ? 'DRIFTED' : 'IN_SYNC';
}

/** The drift a resource shows: the newest of its last detection and the start-up check for its data. */
export function currentDrift(resource: ResourceRecord): ResourceDriftRecord | undefined {
  const { missingSince, drift } = resource;
  if (missingSince !== undefined && (!drift || drift.checkedAt < missingSince)) return { status: 'DELETED', checkedAt: missingSince };
  return drift;
}
