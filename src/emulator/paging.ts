import { isJsonObject } from './state-files.ts';
import { ServiceError } from './wire.ts';

/** The checked MaxResults of a request: `fallback` when absent; outside 1..`max` a ValidationException, as AWS validates it. */
export function maxResults(input: Record<string, unknown>, max: number, fallback = max): number {
  if (input.MaxResults === undefined) return fallback;
  const value = Number(input.MaxResults);
  if (value < 1) throw new ServiceError('ValidationException', `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (value > max) throw new ServiceError('ValidationException', `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return value;
}

/**
 * One page of `entries` (sorted by the caller) after a NextToken; the token is opaque to the
 * client and names the last entry of the page before. A token that is not one is refused with
 * `invalidTokenError`, the service's own error code.
 */
export function page<T>(entries: T[], keyOf: (entry: T) => string, input: Record<string, unknown>, size: number, invalidTokenError = 'InvalidNextToken'): { items: T[]; nextToken?: string } {
  let start = 0;
  if (typeof input.NextToken === 'string') {
    const after = decodeToken(input.NextToken, invalidTokenError);
    start = entries.findIndex((entry) => keyOf(entry) > after);
    if (start < 0) start = entries.length;
  }
  const items = entries.slice(start, start + size);
  const more = start + size < entries.length;
  return { items, ...(more ? { nextToken: encodeToken(keyOf(items[items.length - 1])) } : {}) };
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64');
}

function decodeToken(token: string, invalidTokenError: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
    if (isJsonObject(parsed) && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through to the error below
  }
  throw new ServiceError(invalidTokenError, 'The specified token is not valid.');
}
