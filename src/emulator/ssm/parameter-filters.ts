import { ServiceError } from '../wire.ts';
import { latestVersion, type ParameterVersion, type StoredParameter } from './parameters.ts';

/**
 * ParameterFilters of DescribeParameters and GetParametersByPath, as the SSM API reference
 * defines them (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html):
 * keys Name, Type, KeyId, Path, Tier, DataType, Label and tag:KEY; options Equals and BeginsWith,
 * Contains for Name, Recursive and OneLevel for Path. DescribeParameters takes every key but
 * Label; GetParametersByPath only Type, KeyId and Label (Label with Equals only).
 * Filters combine with AND, the values of one filter with OR.
 */
export type FilterAction = 'DescribeParameters' | 'GetParametersByPath';

interface ParameterFilter {
  key: string;
  option: string;
  values: string[];
}

/** A check of a parameter's latest version (DescribeParameters), or the version that passes (GetParametersByPath with Label). */
export type ParameterMatcher = (parameter: StoredParameter) => ParameterVersion | undefined;

const TYPES = ['String', 'StringList', 'SecureString'];
const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'];
const KEY_PATTERN = /^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$/;
const MAX_FILTER_VALUES = 50;

export function parameterMatcher(action: FilterAction, raw: unknown): ParameterMatcher {
  const filters = readFilters(raw).map((filter) => checkFilter(action, filter));
  return (parameter) => {
    const labelled = filters.find((f) => f.key === 'Label');
    const version = labelled ? [...parameter.versions].reverse().find((v) => labelled.values.some((label) => v.labels?.includes(label))) : latestVersion(parameter);
    if (!version) return undefined;
    return filters.every((filter) => matches(filter, parameter, version)) ? version : undefined;
  };
}

/** The old `Filters` of DescribeParameters (keys Name, Type, KeyId; Equals on their values), as ParameterFilters. */
export function legacyFilters(raw: unknown): { Key: string; Option: string; Values: unknown }[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((entry: Record<string, unknown>) => {
    const key = String(entry.Key ?? '');
    if (!['Name', 'Type', 'KeyId'].includes(key)) throw new ServiceError('ValidationException', `1 validation error detected: Value '${key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [Name, Type, KeyId]`);
    return { Key: key, Option: 'Equals', Values: entry.Values ?? [] };
  });
}

function readFilters(raw: unknown): ParameterFilter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new ServiceError('ValidationException', 'ParameterFilters must be a list of filters.');
  return raw.map((entry: Record<string, unknown>) => ({
    key: String(entry.Key ?? ''),
    option: typeof entry.Option === 'string' ? entry.Option : '',
    values: Array.isArray(entry.Values) ? entry.Values.map(String) : [],
  }));
}

function checkFilter(action: FilterAction, filter: ParameterFilter): ParameterFilter {
  const { key, values } = filter;
  if (!KEY_PATTERN.test(key)) throw new ServiceError('ValidationException', `1 validation error detected: Value '${key}' at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType`);
  const allowed = action === 'DescribeParameters' ? key !== 'Label' : ['Type', 'KeyId', 'Label'].includes(key);
  if (!allowed) throw new ServiceError('InvalidFilterKey', `The following filter key is not valid: ${key}. Valid filter keys include: ${action === 'DescribeParameters' ? '[Name, Type, KeyId, Path, Tier, DataType, tag:<key>]' : '[Type, KeyId, Label]'}.`);
  const option = filter.option || (key === 'Path' ? 'OneLevel' : 'Equals');
  const options = key === 'Path' ? ['Recursive', 'OneLevel'] : key === 'Label' ? ['Equals'] : key === 'Name' && action === 'DescribeParameters' ? ['Equals', 'BeginsWith', 'Contains'] : ['Equals', 'BeginsWith'];
  if (!options.includes(option)) throw new ServiceError('InvalidFilterOption', `The following filter option is not valid: ${option}. Valid options include: [${options.join(', ')}].`);
  if (values.length === 0 && !key.startsWith('tag:')) throw new ServiceError('InvalidFilterValue', `The following filter values are missing : null for filter key ${key}.`);
  if (values.length > MAX_FILTER_VALUES) throw new ServiceError('InvalidFilterValue', `The following filter key has more than ${MAX_FILTER_VALUES} values: ${key}.`);
  const bad = values.find((value) => (key === 'Type' && !TYPES.includes(value)) || (key === 'Tier' && !TIERS.includes(value)) || (key === 'Path' && !value.startsWith('/')) || value.length === 0 || value.length > 1024);
  if (bad !== undefined) throw new ServiceError('InvalidFilterValue', `The following filter value is not valid: ${bad}. ${filterValueRule(key)}`);
  return { key, option, values };
}

function filterValueRule(key: string): string {
  if (key === 'Type') return `Valid values include: [${TYPES.join(', ')}].`;
  if (key === 'Tier') return `Valid values include: [${TIERS.join(', ')}].`;
  if (key === 'Path') return 'A path must begin with a forward slash (/).';
  return 'A value must be 1 to 1024 characters long.';
}

function matches(filter: ParameterFilter, parameter: StoredParameter, version: ParameterVersion): boolean {
  const { key, option, values } = filter;
  if (key === 'Label') return true; // chose the version already
  if (key === 'Path') return values.some((path) => isUnderPath(parameter.name, path, option === 'Recursive'));
  if (key.startsWith('tag:')) {
    const tag = parameter.tags.find((t) => t.Key === key.slice('tag:'.length));
    return tag !== undefined && (values.length === 0 || values.some((value) => compare(tag.Value, value, option)));
  }
  const field = key === 'Name' ? parameter.name : key === 'Type' ? version.type : key === 'KeyId' ? version.keyId : key === 'Tier' ? version.tier : version.dataType;
  return field !== undefined && values.some((value) => compare(field, value, option));
}

function compare(field: string, value: string, option: string): boolean {
  if (option === 'BeginsWith') return field.startsWith(value);
  if (option === 'Contains') return field.includes(value);
  return field === value;
}

/** Whether `name` is in the hierarchy `path`: right below it (one level), or anywhere under it (recursive). */
export function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  if (!name.startsWith(prefix) || name.length === prefix.length) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}
