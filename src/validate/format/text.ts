import type pc from 'picocolors';

/** A set of colour functions (all identity when colour is off). */
export type Colors = ReturnType<typeof pc.createColors>;
import type { Diagnostic } from '../../diagnostics.ts';
import type { Summary } from './summary.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Findings grouped by file, one line each (`line:col  severity  rule  message`), then a summary line. */
export function formatText(diagnostics: Diagnostic[], summary: Summary, colors: Colors): string {
  const lines: string[] = [];
  const paint = { error: colors.red, warning: colors.yellow, info: colors.blue };
  let file: string | undefined;
  for (const d of diagnostics) {
    if (d.file !== file) {
      if (file !== undefined) lines.push('');
      file = d.file;
      lines.push(colors.underline(file));
    }
    const where = `${d.line}:${d.column}`.padEnd(8);
    lines.push(`  ${colors.dim(where)} ${paint[d.severity](d.severity.padEnd(7))} ${colors.dim(d.rule)}  ${d.message}`);
  }
  if (lines.length > 0) lines.push('');
  const counts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), ...(summary.infos > 0 ? [plural(summary.infos, 'note')] : []), ...(summary.suppressed > 0 ? [`${summary.suppressed} suppressed`] : [])].join(', ');
  const mark = summary.errors > 0 ? colors.red('✖') : colors.green('✔');
  lines.push(`${mark} ${counts} in ${plural(summary.files, 'file')}`);
  return lines.join('\n');
}
