import { StackpilotError } from '../errors.ts';

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

/**
 * Whether a command line asks for JSON, read from the words themselves: for a usage error,
 * found before the flags were parsed (--json, --format json, -f json, --format=json).
 */
export function argvAsksForJson(argv: readonly string[]): boolean {
  return argv.some((word, i) => word === '--json' || word === '--format=json' || ((word === '--format' || word === '-f') && argv[i + 1] === 'json'));
}

/** A usage error (bad flag, missing argument) in the JSON failure shape. */
export function usageFailure(message: string): JsonFailure {
  return jsonFailure(new StackpilotError('UsageError', message.replace(/^error: /, ''), 'Run the command with --help for its usage.'));
}
