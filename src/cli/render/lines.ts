import type { DeployEvent, PreviewedChange } from '../../deploy/events.ts';
import type { Colors } from '../../validate/format/text.ts';

/** Plain words for each deploy event: shared by the CI lines, the log file and the live view's permanent lines. */

const path = (nested: string[], logicalId: string) => [...nested, logicalId].join('/');

function paintStatus(status: string, colors: Colors): string {
  if (status.endsWith('_FAILED')) return colors.red(status);
  if (status.includes('ROLLBACK')) return colors.yellow(status);
  if (status.endsWith('_COMPLETE')) return colors.green(status);
  return status;
}

/** A change preview as padded columns, rows that delete data marked. */
export function previewTable(changes: PreviewedChange[], colors: Colors): string[] {
  if (changes.length === 0) return ['  (no resource changes)'];
  const rows = changes.map((c) => [c.action, path(c.nestedPath, c.logicalId), c.resourceType, c.replacement ?? '', c.causes.join(', '), c.dataAtRisk ? 'DATA AT RISK' : '']);
  const header = ['Action', 'Resource', 'Type', 'Replacement', 'Caused by', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [colors.dim(line(header)), ...rows.map((r, i) => (changes[i].dataAtRisk ? colors.red(line(r)) : line(r)))];
}

/** The line(s) an event prints in plain mode, without a timestamp; empty when it prints nothing. */
export function eventLines(event: DeployEvent, colors: Colors): string[] {
  switch (event.code) {
    case 'phase':
      return [colors.bold(event.message)];
    case 'package':
      return [`templates in s3://${event.bucket}: ${event.uploaded} uploaded, ${event.unchanged} unchanged`];
    case 'stack-start':
      return [`${event.stackName}  ${event.operation} started (${event.resources} resource changes)`];
    case 'change-preview':
      return [`${event.stackName}  change preview:`, ...previewTable(event.changes, colors)];
    case 'resource': {
      const reason = event.reason ? `  ${event.status.endsWith('_FAILED') ? colors.red(event.reason) : colors.dim(event.reason)}` : '';
      return [`${event.stackName}  ${paintStatus(event.status, colors)}  ${event.resourceType}  ${path(event.nestedPath, event.logicalId)}${reason}`];
    }
    case 'stack-done': {
      const mark = event.outcome === 'succeeded' || event.outcome === 'no-changes' ? colors.green('✔') : event.outcome === 'not-started' ? colors.dim('-') : colors.red('✖');
      const words = { succeeded: event.status ?? 'done', 'no-changes': 'no changes', failed: `failed${event.status ? ` (${event.status})` : ''}`, 'not-started': 'not started: an earlier stack failed', 'awaiting-confirmation': 'not executed: confirmation needed (run again on a terminal, or with --yes)' }[event.outcome];
      const lines = [`${mark} ${event.stackName}  ${words}${event.seconds > 0 ? `  ${event.seconds.toFixed(1)} s` : ''}`];
      if (event.firstFailure) lines.push(`  first failure: ${path(event.firstFailure.nestedPath, event.firstFailure.logicalId)}: ${event.firstFailure.reason}`);
      return lines;
    }
    case 'outputs':
      return Object.entries(event.outputs).map(([key, value]) => `${event.stackName}  ${key} = ${value}`);
    case 'health':
      return [`${event.ok ? colors.green('✔') : colors.red('✖')} ${event.check}: ${event.detail}`];
    case 'warning':
      return [colors.yellow(`warning: ${event.message}`)];
  }
}
