import { isAbsolute, relative } from 'node:path';
import type pc from 'picocolors';
import type { Diagnostic } from '../../diagnostics.ts';
import type { Summary } from './summary.ts';

/** A set of colour functions (all identity when colour is off). */
export type Colors = ReturnType<typeof pc.createColors>;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A file as a finding line names it: relative to the working folder, as tsc and eslint print
 * it (so terminals and editors open it at the spot), unless it lies outside that folder.
 */
export function displayPath(file: string, cwd = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const near = relative(cwd, file);
  return near === '' || near.startsWith('..') || isAbsolute(near) ? file : near;
}

/** One finding on one line: `path:line:col  severity  rule  message`. */
export function findingLine(d: Pick<Diagnostic, 'file' | 'line' | 'column' | 'severity' | 'rule' | 'message'>, colors: Colors, cwd?: string): string {
  const paint = { error: colors.red, warning: colors.yellow, info: colors.blue };
  return `${displayPath(d.file, cwd)}:${d.line}:${d.column}  ${paint[d.severity](d.severity)}  ${colors.dim(d.rule)}  ${d.message}`;
}

/** Whether findings fail the run: errors do, and warnings too with --strict. */
export function findingsFail(summary: Summary, strict = false): boolean {
  return summary.errors > 0 || (strict && summary.warnings > 0);
}

/**
 * Findings one a line, each starting with its `file:line:col`, then a summary line whose mark
 * agrees with the exit code (with --strict, warnings fail and the line says so).
 */
export function formatText(diagnostics: Diagnostic[], summary: Summary, colors: Colors, options: { strict?: boolean; cwd?: string } = {}): string {
  const lines = diagnostics.map((d) => findingLine(d, colors, options.cwd));
  if (lines.length > 0) lines.push('');
  const counts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), ...(summary.infos > 0 ? [plural(summary.infos, 'note')] : []), ...(summary.suppressed > 0 ? [`${summary.suppressed} suppressed`] : [])].join(', ');
  const failed = findingsFail(summary, options.strict);
  const strictNote = options.strict && summary.warnings > 0 ? ' (--strict: warnings fail)' : '';
  lines.push(`${failed ? colors.red('✖') : colors.green('✔')} ${counts} in ${plural(summary.files, 'file')}${strictNote}`);
  return lines.join('\n');
}
