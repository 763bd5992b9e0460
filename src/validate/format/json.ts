import type { Diagnostic } from '../../diagnostics.ts';
import type { Summary } from './summary.ts';

/**
 * The documented JSON interface of `stackpilot validate --format json`:
 * `{"diagnostics": [{file, line, column, endLine, endColumn, severity, rule, message}], "summary": {files, errors, warnings, infos}}`.
 */
export function formatJson(diagnostics: Diagnostic[], summary: Summary): string {
  const rows = diagnostics.map(({ file, line, column, endLine, endColumn, severity, rule, message }) => ({ file, line, column, endLine, endColumn, severity, rule, message }));
  return JSON.stringify({ diagnostics: rows, summary }, null, 2);
}
