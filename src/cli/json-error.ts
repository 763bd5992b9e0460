import type { StackpilotError } from '../errors.ts';

/**
 * The one shape every command's JSON output gives a failure in (with --json, --format json):
 * `{"ok": false, "error": {"code", "message", "hint"?}}`, on standard output where the JSON was
 * expected, so a script reading it finds why instead of an empty or a misleading document.
 */
export interface JsonFailure {
  ok: false;
  error: { code: string; message: string; hint?: string };
}

export function jsonFailure(error: StackpilotError): JsonFailure {
  return { ok: false, error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
}

/** The options of a command asked for JSON output: --json, or --format json. */
export function asksForJson(options: Record<string, unknown>): boolean {
  return options.json === true || options.format === 'json';
}
