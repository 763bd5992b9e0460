import { isKnown } from '../evaluate.ts';
import { isObject } from '../../template/intrinsics.ts';

/** A number from an evaluated property, or undefined when it is unset or known only after deploy. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && isKnown(value) && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && isKnown(value) ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export function objectOf(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A figure the template should give: its value, or the fallback with a note saying so (unset:
 * the AWS default; unknown: an assumption, since the value is only known after deploy).
 */
export function figure(value: unknown, fallback: number, what: string, notes: string[], unsetMeans = 'the AWS default'): number {
  const known = numberOf(value);
  if (known !== undefined) return known;
  notes.push(value === undefined ? `${what} not set: ${fallback} (${unsetMeans})` : `${what} known only after deploy: ${fallback} assumed`);
  return fallback;
}

/** The logical id a `Ref` stands for in an evaluated value (resource ids are unknown offline). */
export function refTarget(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\u27e8Ref ([A-Za-z0-9]+)\u27e9$/.exec(value)?.[1] : undefined;
}
