import { maxResults, page } from '../paging.ts';
import { ServiceError } from '../wire.ts';
import { rotationShape } from './rotation.ts';
import { versionIdsToStages } from './secret-versions.ts';
import type { Input, StoredSecret } from './secrets.ts';

/**
 * ListSecrets (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html):
 * up to 100 a page, by creation date (SortOrder), secrets scheduled for deletion only with
 * IncludePlannedDeletion, and Filters as API_Filter.html defines them: prefix matches on name,
 * tag-key, tag-value, primary-region and owning-service (case-sensitive) and description (not),
 * `all` for the words of the value in any of them (not case-sensitive), `!` before a value to
 * negate it. The values of one filter combine with OR, filters with AND.
 */
const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];
const MAX_FILTER_VALUES = 10;

interface SecretFilter {
  key: string;
  values: string[];
}

export function listSecrets(table: Record<string, StoredSecret>, input: Input) {
  const filters = readFilters(input.Filters);
  const descending = input.SortOrder !== 'asc';
  const found = Object.values(table)
    .filter((secret) => (input.IncludePlannedDeletion === true || !secret.deletedDate) && filters.every((filter) => passes(filter, secret)))
    .map((secret) => ({ secret, key: sortKey(secret, descending) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { items, nextToken } = page(found, (entry) => entry.key, input, maxResults(input, 100), 'InvalidNextTokenException');
  return { SecretList: items.map(({ secret }) => listEntry(secret)), ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** A secret as DescribeSecret answers it. */
export function describeSecret(secret: StoredSecret) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    ...rotationShape(secret),
    CreatedDate: secret.createdDate,
    LastChangedDate: secret.lastChangedDate,
    DeletedDate: secret.deletedDate,
    Tags: secret.tags,
    VersionIdsToStages: versionIdsToStages(secret),
  };
}

/** A secret as ListSecrets lists it (SecretListEntry): the same, its versions under SecretVersionsToStages. */
function listEntry(secret: StoredSecret) {
  const { VersionIdsToStages, ...described } = describeSecret(secret);
  return { ...described, SecretVersionsToStages: VersionIdsToStages };
}

// Creation date first (milliseconds, fixed width, mirrored for newest first), then the name.
function sortKey(secret: StoredSecret, descending: boolean): string {
  const millis = Math.round(secret.createdDate * 1000);
  return `${String(descending ? 1e14 - millis : millis).padStart(15, '0')}/${secret.name}`;
}

function readFilters(raw: unknown): SecretFilter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new ServiceError('InvalidParameterException', 'Filters must be a list of filters.');
  return raw.map((entry: Record<string, unknown>) => {
    const key = String(entry.Key ?? '');
    if (!FILTER_KEYS.includes(key)) throw new ServiceError('ValidationException', `1 validation error detected: Value '${key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [${FILTER_KEYS.join(', ')}]`);
    const values = Array.isArray(entry.Values) ? entry.Values.map(String) : [];
    if (values.length === 0 || values.length > MAX_FILTER_VALUES) throw new ServiceError('ValidationException', `1 validation error detected: Value at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FILTER_VALUES} and greater than or equal to 1`);
    return { key, values };
  });
}

function passes(filter: SecretFilter, secret: StoredSecret): boolean {
  return filter.values.some((value) => (value.startsWith('!') ? !matches(filter.key, value.slice(1), secret) : matches(filter.key, value, secret)));
}

function matches(key: string, value: string, secret: StoredSecret): boolean {
  const prefixOf = (texts: (string | undefined)[], caseSensitive = true) =>
    texts.some((text) => text !== undefined && (caseSensitive ? text.startsWith(value) : text.toLowerCase().startsWith(value.toLowerCase())));
  switch (key) {
    case 'name':
      return prefixOf([secret.name]);
    case 'description':
      return prefixOf([secret.description], false);
    case 'tag-key':
      return prefixOf(secret.tags.map((tag) => tag.Key));
    case 'tag-value':
      return prefixOf(secret.tags.map((tag) => tag.Value));
    case 'primary-region':
    case 'owning-service':
      return false; // no replicas and no managing service locally
    default: {
      const texts = [secret.name, secret.description ?? '', ...secret.tags.flatMap((tag) => [tag.Key, tag.Value])].map((text) => text.toLowerCase());
      return words(value).some((word) => texts.some((text) => text.includes(word)));
    }
  }
}

// The words of an `all` search: split at anything but letters and digits, and where case or kind changes.
function words(value: string): string[] {
  return (value.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((word) => word.toLowerCase());
}
