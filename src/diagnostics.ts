/** A finding about a file, at a place in it: what every check in stackpilot reports. */
export type Severity = 'error' | 'warning' | 'info';

export interface Location {
  /** 1-based line and column of the first character; end is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic extends Location {
  file: string;
  severity: Severity;
  /** Stable rule id, e.g. `SP3002`. */
  rule: string;
  message: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Orders findings by file, then position, then severity, so output is stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule);
}
