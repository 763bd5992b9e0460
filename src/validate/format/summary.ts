import type { Diagnostic } from '../../diagnostics.ts';

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings an ignore list suppresses (not counted above). */
  suppressed: number;
}

export function summarize(diagnostics: Diagnostic[], files: number, suppressed = 0): Summary {
  const count = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  return { files, errors: count('error'), warnings: count('warning'), infos: count('info'), suppressed };
}
