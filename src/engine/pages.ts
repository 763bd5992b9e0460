import { EngineError } from './api.ts';

/**
 * Pages of a list call, as CloudFormation pages them: at most PAGE_SIZE items, and a NextToken
 * while more remain. The AWS API reference states 100 for ListExports and ListImports ("If the
 * output exceeds 100 exported output values"); the other list calls page at 100 too.
 */
export const PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const TOKEN_PREFIX = 'stackpilot-page:';

const encode = (position: number) => Buffer.from(`${TOKEN_PREFIX}${position}`).toString('base64');

function decode(token: string | undefined, limit: number): number | undefined {
  if (token === undefined || token === '') return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const position = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : NaN;
  if (!Number.isInteger(position) || position < 0 || position > limit) throw new EngineError('ValidationError', 'Invalid NextToken');
  return position;
}

/** A page of `items` in their order, starting where `nextToken` says. */
export function pageOf<T>(items: readonly T[], nextToken: string | undefined, size = PAGE_SIZE): Page<T> {
  const start = decode(nextToken, items.length) ?? 0;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: encode(end) } : {}) };
}

/**
 * A page of a history kept oldest first and listed newest first (stack events). The token counts
 * from the oldest item, so events that arrive between two pages never shift the next page.
 */
export function newestFirstPageOf<T>(history: readonly T[], nextToken: string | undefined, size = PAGE_SIZE): Page<T> {
  const end = decode(nextToken, history.length) ?? history.length;
  const start = Math.max(0, end - size);
  const items: T[] = [];
  for (let i = end - 1; i >= start; i--) items.push(history[i]);
  return { items, ...(start > 0 ? { nextToken: encode(start) } : {}) };
}

/** The NextToken member of a reply: present only while more pages remain. */
export const nextTokenOf = (page: Page<unknown>): { NextToken?: string } => (page.nextToken ? { NextToken: page.nextToken } : {});
