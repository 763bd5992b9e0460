import { randomFrom, randomHex, randomLower, randomUpper, randomUuid, type Random } from '../ids.ts';

/**
 * A value form: the shape of a `Ref` or `Fn::GetAtt` value as the AWS documentation gives it,
 * written as text with `{token}` parts. The same form makes a value (for a new resource) and a
 * pattern (to check a value against), so the table of forms is the single statement of each shape.
 *
 * Tokens: `{partition}` `{region}` `{account}` `{urlSuffix}` `{stack}` `{logical}`;
 * `{name}` the resource's name (its name property, or one CloudFormation generates);
 * `{generated}` a generated `stack-Logical-RANDOM` id; `{prop:A.B}` a property's value,
 * `{prop:A.B|token}` with a fallback token; `{ref}` what `Ref` returns, `{refLast}` its last
 * `/` or `:` segment, `{refAfter:text}` what follows `text` in it, `{refSegment:N}` its Nth `/`
 * segment from the end; random parts `{hex:N}` `{lower:N}` `{upper:N}` `{digits:N}` `{mixed:N}`
 * `{uuid}`; `{time}` an ISO date, `{ip}` a public and `{privateIp}` a private IPv4 address.
 * A form that is a single `{prop:...}` gives the property's value as it is (a list stays a list);
 * `[]` is an empty list and `[form]` a list of one value.
 */
export type ValueForm = string;

export interface FormContext {
  region: string;
  accountId: string;
  stackName: string;
  logicalId: string;
  properties: Record<string, unknown>;
  random: Random;
  /** The resource's name, made once per resource. */
  name: () => string;
  generated: () => string;
  /** What `Ref` returns (known once the physical id is). */
  ref?: string;
  /** The attributes made so far, in the table's order. */
  attributes?: Record<string, unknown>;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export const urlSuffixOf = (region: string) => (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');

/** Reads `a.b.c` out of nested properties. */
export function propertyAt(properties: Record<string, unknown>, dotted: string): unknown {
  let value: unknown = properties;
  for (const part of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** `use1` for us-east-1, `euw2` for eu-west-2: the short region code in AZ ids and cache endpoints. */
export const regionCodeOf = (region: string) => {
  const [area, direction, number] = region.split('-');
  return `${area}${direction?.[0] ?? ''}${number ?? ''}`;
};

/** The default port of a database engine: PostgreSQL's or MySQL's. */
const enginePortOf = (properties: Record<string, unknown>) => (/postgres/i.test(String(properties.Engine ?? '')) ? '5432' : '3306');

/** `Type=network?net:app`: the first choice when the property has that value, else the second. */
function chosen(argument: string, properties: Record<string, unknown>): string {
  const [test, choices] = argument.split('?');
  const [path, expected] = test.split('=');
  const [yes, no] = choices.split(':');
  return scalar(propertyAt(properties, path)) === expected ? yes : no;
}

const TOKEN = /\{([a-zA-Z]+)(?::([^}|]*))?(?:\|([^}]*))?\}/g;
const WHOLE_PROPERTY = /^\{prop:([^}|]+)\}$/;

export const lastSegmentOf = (id: string) => id.split(/[:/]/).pop() ?? id;
const afterText = (id: string, text: string) => (id.includes(text) ? id.slice(id.indexOf(text) + text.length) : id);
const segmentFromEnd = (id: string, n: number) => id.split('/').at(-n) ?? id;
const KNOWN_TOKENS = new Set(['partition', 'region', 'account', 'urlSuffix', 'stack', 'logical', 'name', 'generated', 'az', 'regionCode', 'enginePort']);

/** A fallback is a token name, or literal text after `=`. */
function fallbackValue(fallback: string | undefined, at: FormContext): string {
  if (fallback === undefined) return '';
  if (fallback.startsWith('=')) return fallback.slice(1);
  return KNOWN_TOKENS.has(fallback) ? tokenValue(fallback, undefined, undefined, at) : fallback;
}

const scalar = (value: unknown) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);
const octet = (random: Random) => Math.floor(random() * 256);

function tokenValue(token: string, argument: string | undefined, fallback: string | undefined, at: FormContext): string {
  const ref = at.ref ?? '';
  switch (token) {
    case 'partition': return partitionOf(at.region);
    case 'region': return at.region;
    case 'account': return at.accountId;
    case 'urlSuffix': return urlSuffixOf(at.region);
    case 'stack': return at.stackName;
    case 'logical': return at.logicalId;
    case 'name': return at.name();
    case 'generated': return at.generated();
    case 'prop': {
      const value = scalar(propertyAt(at.properties, argument ?? ''));
      if (value !== undefined && value !== '') return value;
      return fallbackValue(fallback, at);
    }
    case 'propLast': {
      const value = scalar(propertyAt(at.properties, argument ?? ''));
      return value !== undefined && value !== '' ? lastSegmentOf(value) : fallbackValue(fallback, at);
    }
    case 'propAfter': {
      const [path, text] = (argument ?? '').split('@');
      const value = scalar(propertyAt(at.properties, path));
      return value !== undefined && value !== '' ? afterText(value, text) : fallbackValue(fallback, at);
    }
    case 'choose': return chosen(argument ?? '', at.properties);
    case 'att': return scalar(at.attributes?.[argument ?? '']) ?? '';
    case 'attDashed': return (scalar(at.attributes?.[argument ?? '']) ?? '').replace(/\./g, '-');
    case 'az': return `${at.region}a`;
    case 'regionCode': return regionCodeOf(at.region);
    case 'enginePort': return enginePortOf(at.properties);
    case 'streamLabel': return new Date().toISOString().replace('Z', '');
    case 'ref': return ref;
    case 'refPipe': return ref.split('|')[Number(argument)] ?? '';
    case 'refLast': return lastSegmentOf(ref);
    case 'refAfter': return afterText(ref, argument ?? '');
    case 'refSegment': return segmentFromEnd(ref, Number(argument));
    case 'hex': return randomHex(Number(argument), at.random);
    case 'lower': return randomLower(Number(argument), at.random);
    case 'upper': return randomUpper(Number(argument), at.random);
    case 'digits': return randomFrom('0123456789', Number(argument), at.random);
    case 'mixed': return randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', Number(argument), at.random);
    case 'uuid': return randomUuid(at.random);
    case 'time': return new Date().toISOString();
    case 'ip': return `3.${octet(at.random)}.${octet(at.random)}.${1 + Math.floor(at.random() * 254)}`;
    case 'privateIp': return `10.0.${octet(at.random)}.${1 + Math.floor(at.random() * 254)}`;
    default: throw new Error(`unknown value form token {${token}}`);
  }
}

/** The value a form gives for one resource. */
export function fillForm(form: ValueForm, at: FormContext): unknown {
  if (form === '[]') return [];
  if (form.startsWith('[') && form.endsWith(']')) return [fillForm(form.slice(1, -1), at)];
  const whole = WHOLE_PROPERTY.exec(form);
  if (whole) {
    const value = propertyAt(at.properties, whole[1]);
    if (value !== undefined) return value;
  }
  return form.replace(TOKEN, (_, token: string, argument: string | undefined, fallback: string | undefined) => tokenValue(token, argument, fallback, at));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A name CloudFormation generates: `stack-Logical-RANDOM`, FIFO queues and topics ending `.fifo`. */
const GENERATED = '[A-Za-z0-9-]+-[A-Za-z0-9]{8,13}(\\.fifo)?';

/** What a value check knows: the resource's properties, the name it was given (if any) and its `Ref`. */
export interface FormExpectation {
  region: string;
  accountId: string;
  stackName: string;
  logicalId: string;
  properties: Record<string, unknown>;
  /** The custom name the template gives, if any. */
  name?: string;
  ref: string;
  /** The resource's attribute values as read back. */
  attributes?: Record<string, unknown>;
}

function tokenPattern(token: string, argument: string | undefined, fallback: string | undefined, at: FormExpectation): string {
  switch (token) {
    case 'partition': return escape(partitionOf(at.region));
    case 'region': return escape(at.region);
    case 'account': return escape(at.accountId);
    case 'urlSuffix': return escape(urlSuffixOf(at.region));
    case 'stack': return escape(at.stackName);
    case 'logical': return escape(at.logicalId);
    case 'name': return at.name !== undefined ? escape(at.name) : GENERATED;
    case 'generated': return GENERATED;
    case 'prop': case 'propLast': case 'propAfter': case 'choose': case 'regionCode': case 'enginePort': case 'att': case 'attDashed': case 'az': {
      // Values computed from what the check knows are compared exactly.
      const value = tokenValue(token, argument, fallback, { ...at, random: () => 0, name: () => at.name ?? '', generated: () => '' });
      if (value !== '' || fallback === undefined) return escape(value);
      return fallback.startsWith('=') ? escape(fallback.slice(1)) : tokenPattern(fallback, undefined, undefined, at);
    }
    case 'streamLabel': return '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}';
    case 'ref': return escape(at.ref);
    case 'refPipe': return escape(at.ref.split('|')[Number(argument)] ?? '');
    case 'refLast': return escape(lastSegmentOf(at.ref));
    case 'refAfter': return escape(afterText(at.ref, argument ?? ''));
    case 'refSegment': return escape(segmentFromEnd(at.ref, Number(argument)));
    case 'hex': return `[0-9a-f]{${argument}}`;
    case 'lower': return `[a-z0-9]{${argument}}`;
    case 'upper': return `[A-Z0-9]{${argument}}`;
    case 'digits': return `[0-9]{${argument}}`;
    case 'mixed': return `[A-Za-z0-9]{${argument}}`;
    case 'uuid': return '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    case 'time': return '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z';
    case 'ip': case 'privateIp': return '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}';
    default: throw new Error(`unknown value form token {${token}}`);
  }
}

/**
 * Whether a value has the form: text forms as an anchored pattern (names, ids, ARNs, URLs),
 * list forms element by element, a whole-property form as the property's own value.
 */
export function matchesForm(form: ValueForm, value: unknown, at: FormExpectation): boolean {
  if (form === '[]') return Array.isArray(value) && value.length === 0;
  if (form.startsWith('[') && form.endsWith(']')) return Array.isArray(value) && value.length > 0 && value.every((v) => matchesForm(form.slice(1, -1), v, at));
  const whole = WHOLE_PROPERTY.exec(form);
  if (whole && propertyAt(at.properties, whole[1]) !== undefined) return JSON.stringify(value) === JSON.stringify(propertyAt(at.properties, whole[1]));
  let pattern = '';
  let last = 0;
  for (const match of form.matchAll(TOKEN)) {
    pattern += escape(form.slice(last, match.index)) + tokenPattern(match[1], match[2], match[3], at);
    last = match.index + match[0].length;
  }
  pattern += escape(form.slice(last));
  return typeof value === 'string' && new RegExp(`^${pattern}$`).test(value);
}
