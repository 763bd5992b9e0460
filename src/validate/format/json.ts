import type { Diagnostic } from '../../diagnostics.ts';
import type { Summary } from './summary.ts';

/**
 * The documented JSON interface of `stackpilot validate --format json`:
 * `{"diagnostics": [{file, line, column, endLine, endColumn, severity, rule, message}], "summary": {files, errors, warnings, infos, suppressed}, "suppressed": [same rows]}`
 * (`suppressed`: the findings ignore lists suppress, not counted in errors/warnings/infos), with
 * `"ok": false, "error": {code, message, hint}` first when a path could not be read (see src/cli/json-error.ts).
 */
export function formatJson(diagnostics: Diagnostic[], summary: Summary, suppressed: Diagnostic[] = [], failure?: object): string {
  return JSON.stringify({ ...failure, diagnostics: diagnosticRows(diagnostics), summary, suppressed: diagnosticRows(suppressed) }, null, 2);
}

/** Findings as the JSON interface gives them. */
export function diagnosticRows(diagnostics: Diagnostic[]) {
  return diagnostics.map(({ file, line, column, endLine, endColumn, severity, rule, message }) => ({ file, line, column, endLine, endColumn, severity, rule, message }));
}
