import type { Diagnostic } from '../../diagnostics.ts';
import type { Summary } from './summary.ts';

/**
 * The documented JSON interface of `stackpilot validate --format json`:
 * `{"diagnostics": [{file, line, column, endLine, endColumn, severity, rule, message}], "summary": {files, errors, warnings, infos, suppressed}, "suppressed": [same rows]}`
 * (`suppressed`: the findings ignore lists suppress, not counted in errors/warnings/infos).
 */
export function formatJson(diagnostics: Diagnostic[], summary: Summary, suppressed: Diagnostic[] = []): string {
  const rows = (list: Diagnostic[]) => list.map(({ file, line, column, endLine, endColumn, severity, rule, message }) => ({ file, line, column, endLine, endColumn, severity, rule, message }));
  return JSON.stringify({ diagnostics: rows(diagnostics), summary, suppressed: rows(suppressed) }, null, 2);
}
