import { isObject, parseSubString } from '../template/intrinsics.ts';
import type { ParameterDeclaration } from '../template/model.ts';
import { splitListValue } from '../template/parameter-constraints.ts';

/**
 * Property-level differences of a modified resource, as `cdk diff` shows them: each changed
 * leaf by its path (`ProvisionedThroughput.ReadCapacityUnits`, `Tags[1].Value`), old and new
 * value as text. Pure: the deployed and incoming templates and their parameter values come in.
 */

/** One property that changes; `before` absent when it is added, `after` absent when it is removed. */
export interface PropertyChange {
  path: string;
  before?: string;
  after?: string;
}

/** What a secret is shown as: NoEcho parameters, dynamic references (`{{resolve:...}}`). */
export const MASK = '****';

/** A stack's parameters as a template declares them and a stack receives them (NoEcho values arrive as ****). */
export interface ParameterValues {
  declarations: Map<string, ParameterDeclaration>;
  values: Map<string, string>;
}

/** Past this many changed leaves a resource's list is cut: a hostile template cannot flood the plan. */
const MAX_CHANGES = 200;

/** The changed properties of a resource between its deployed and incoming properties (each resolved by resolve()). */
export function propertyChanges(before: Record<string, unknown>, after: Record<string, unknown>): PropertyChange[] {
  const changes: PropertyChange[] = [];
  compare('', before, after, changes);
  return changes.length > MAX_CHANGES ? [...changes.slice(0, MAX_CHANGES), { path: `… ${changes.length - MAX_CHANGES} more` }] : changes;
}

/** The value with `Ref`s to parameters (and `Fn::Sub`s of them only) replaced by their values; secrets masked. */
export function resolve(value: unknown, parameters: ParameterValues): unknown {
  if (typeof value === 'string') return value.includes('{{resolve:') ? MASK : value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, parameters));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string') return parameterValue(value.Ref, parameters) ?? value;
  if (keys.length === 1 && keys[0] === 'Fn::Sub' && typeof value['Fn::Sub'] === 'string') return substitute(value['Fn::Sub'], parameters) ?? value;
  return Object.fromEntries(keys.map((key) => [key, resolve(value[key], parameters)]));
}

function parameterValue(name: string, { declarations, values }: ParameterValues): unknown {
  const declaration = declarations.get(name);
  if (!declaration) return undefined;
  if (declaration.noEcho) return MASK;
  const value = values.get(name) ?? (declaration.default === undefined ? undefined : String(declaration.default));
  if (value === undefined) return undefined;
  return declaration.type === 'CommaDelimitedList' || declaration.type.startsWith('List<') ? splitListValue(value) : value;
}

/** A `Fn::Sub` string whose every variable is a known parameter, substituted; else undefined (kept as written). */
function substitute(text: string, parameters: ParameterValues): string | undefined {
  let out = '';
  for (const part of parseSubString(text)) {
    if ('literal' in part) out += part.literal;
    else {
      const value = parameterValue(part.variable, parameters);
      if (typeof value !== 'string') return undefined;
      out += value;
    }
  }
  return out;
}

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`);
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
/** Templates give numbers and booleans as text as often as not: `30` and `"30"` are one value. */
const sameScalar = (a: unknown, b: unknown) => !isObject(a) && !isObject(b) && !Array.isArray(a) && !Array.isArray(b) && String(a) === String(b);

function compare(path: string, before: unknown, after: unknown, out: PropertyChange[]): void {
  if (out.length > MAX_CHANGES) return;
  if (before === undefined && after === undefined) return;
  if (before === undefined) return void out.push({ path, after: text(after) });
  if (after === undefined) return void out.push({ path, before: text(before) });
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) compare(join(path, i), before[i], after[i], out);
    return;
  }
  if (isObject(before) && isObject(after) && !isIntrinsic(before) && !isIntrinsic(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) compare(join(path, key), Object.hasOwn(before, key) ? before[key] : undefined, Object.hasOwn(after, key) ? after[key] : undefined, out);
    return;
  }
  if (sameScalar(before, after) || JSON.stringify(before) === JSON.stringify(after)) return;
  out.push({ path, before: text(before), after: text(after) });
}

/** An intrinsic function call is one value: shown whole, not diffed key by key. */
const isIntrinsic = (value: Record<string, unknown>) => {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
};
