import { resourcePath, type PreviewedChange } from '../../deploy/events.ts';
import type { Colors } from '../../validate/format/text.ts';

/** Longer values are cut in the terminal (the JSON plan has them whole). */
const WIDTH = 120;
const cut = (value: string) => (value.length > WIDTH ? `${value.slice(0, WIDTH - 1)}…` : value);

/**
 * The property-level differences of the modified resources, as `cdk diff` shows them
 * (`~ BillingMode: PROVISIONED → PAY_PER_REQUEST`), and each change that would fail, with why.
 */
export function propertyChangeLines(changes: PreviewedChange[], colors: Colors): string[] {
  const lines: string[] = [];
  for (const change of changes) {
    if (!change.properties?.length && !change.willFail) continue;
    const where = resourcePath(change.nestedPath, change.logicalId);
    lines.push(`  ${colors.yellow('~')} ${colors.bold(where)} ${colors.dim(change.resourceType)}${change.willFail ? `  ${colors.red('✖ will fail')}` : ''}`);
    for (const p of change.properties ?? []) {
      if (p.before === undefined && p.after === undefined) lines.push(`      ${colors.dim(p.path)}`);
      else if (p.before === undefined) lines.push(`      ${colors.green('+')} ${p.path}: ${cut(p.after!)}`);
      else if (p.after === undefined) lines.push(`      ${colors.red('-')} ${p.path}: ${cut(p.before)}`);
      else lines.push(`      ${colors.yellow('~')} ${p.path}: ${cut(p.before)} → ${cut(p.after)}`);
    }
    if (change.willFail) lines.push(`      ${colors.red(change.willFail)}`);
  }
  return lines;
}
