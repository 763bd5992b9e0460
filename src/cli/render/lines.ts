import { BACKUP_KINDS, isResourceFailure, resourcePath, type DeployEvent, type PreviewedChange } from '../../deploy/events.ts';
import { findingLine, type Colors } from '../../validate/format/text.ts';
import { formatColumns } from './columns.ts';

/**
 * The words for each deploy event, shared by the plain CI view, the log file, the live view's
 * permanent lines and `stackpilot plan`. Outside tables, fields are two spaces apart and never
 * padded, so a line reads the same in every run and greps well (`grep CREATE_FAILED`,
 * `grep 'data at risk'`). Only the fields events declare are shown, never a resource's properties.
 */

export type EventOf<C extends DeployEvent['code']> = Extract<DeployEvent, { code: C }>;
type StackDone = EventOf<'stack-done'>;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export { resourcePath };

export const formatSeconds = (seconds: number): string => `${Math.round(seconds)}s`;

export function paintStatus(status: string, colors: Colors): string {
  if (isResourceFailure(status)) return colors.red(status);
  if (status.includes('ROLLBACK')) return colors.yellow(status);
  if (status.endsWith('_COMPLETE')) return colors.green(status);
  return status;
}

/**
 * How a stack ended: a mark (`✔`), words (`CREATE_COMPLETE in 42s`) and, when it did not deploy,
 * why (its first failed resource, else its reason) and what to do.
 */
export function stackOutcome(event: StackDone, colors: Colors): { mark: string; text: string; why?: string; hint?: string } {
  const took = `in ${formatSeconds(event.seconds)}`;
  const hint = event.hint ? { hint: event.hint } : {};
  switch (event.outcome) {
    case 'succeeded':
      return { mark: colors.green('✔'), text: `${event.status ? paintStatus(event.status, colors) : 'succeeded'} ${took}` };
    case 'no-changes':
      return { mark: colors.green('✔'), text: 'no changes', ...(event.reason ? { why: event.reason } : {}) };
    case 'needs-action':
      return { mark: colors.yellow('!'), text: `${colors.yellow('needs action')}${event.status ? ` (${paintStatus(event.status, colors)})` : ''}`, ...(event.reason ? { why: event.reason } : {}), ...hint };
    case 'awaiting-confirmation':
      return { mark: colors.yellow('?'), text: colors.yellow('stopped for confirmation'), ...(event.reason ? { why: event.reason } : {}), ...hint };
    case 'cancelled':
      return { mark: colors.yellow('–'), text: colors.yellow('cancelled by you, nothing changed') };
    case 'not-started':
      return { mark: colors.dim('–'), text: colors.dim('not started') };
    case 'failed': {
      const why = event.firstFailure ? `first failure: ${resourcePath(event.firstFailure.nestedPath, event.firstFailure.logicalId)}: ${colors.red(event.firstFailure.reason)}` : event.reason && colors.red(event.reason);
      const status = event.status ? ` (${paintStatus(event.status, colors)})` : '';
      return { mark: colors.red('✖'), text: `${colors.red('failed')}${status} ${took}`, ...(why ? { why } : {}), ...hint };
    }
  }
}

/** A stack's outcome as lines: the outcome and why on the first, what to do indented below. */
export function stackOutcomeLines(event: StackDone, colors: Colors, extra?: string): string[] {
  const { mark, text, why, hint } = stackOutcome(event, colors);
  return [`${mark} ${event.stackName}  ${[extra ? `${text}, ${extra}` : text, why].filter(Boolean).join('; ')}`, ...(hint ? [`  ${hint}`] : [])];
}

const paintAction: Record<PreviewedChange['action'], (colors: Colors) => (text: string) => string> = {
  Add: (c) => c.green,
  Modify: (c) => c.yellow,
  Remove: (c) => c.red,
  Import: (c) => c.cyan,
  Dynamic: (c) => c.magenta,
};

/** A change preview as padded columns, indented to sit under a heading; rows that delete data end with a `⚠ data at risk` mark. */
export function previewTable(changes: PreviewedChange[], colors: Colors): string[] {
  const header = ['Action', 'Logical ID', 'Type', 'Replacement', 'Causes', ''].map((h) => colors.dim(h));
  const rows = changes.map((c) => [
    paintAction[c.action](colors)(c.action),
    resourcePath(c.nestedPath, c.logicalId),
    c.resourceType,
    c.replacement === undefined ? '-' : c.replacement === 'True' ? colors.red(c.replacement) : c.replacement,
    c.causes.length > 0 ? c.causes.join(', ') : '-',
    c.dataAtRisk ? colors.bold(colors.red('⚠ data at risk')) : '',
  ]);
  return formatColumns([header, ...rows]).map((line) => `  ${line}`);
}

/**
 * The resources an update is about to touch whose out-of-band changes it reverts, one line each:
 * `JobsTable: BillingMode changed outside CloudFormation (PROVISIONED → PAY_PER_REQUEST); this update resets it`.
 */
function driftWarningLines(event: EventOf<'drift-warning'>, colors: Colors): string[] {
  const warn = `${colors.yellow('⚠ drift')}  ${event.stackName}`;
  const lines = event.resources.map((r) => {
    const name = resourcePath(r.nestedPath, r.logicalId);
    if (r.status === 'DELETED') return `${warn}  ${name}: deleted outside CloudFormation; this update expects it to exist and may fail on it`;
    const changes = r.properties.map((p) => `${p.path.replace(/^\//, '')} (${p.expected} → ${p.actual})`);
    const one = r.properties.length === 1;
    return `${warn}  ${name}: ${changes.join(', ')} changed outside CloudFormation; this update resets ${one ? 'it' : 'them'}`;
  });
  if (event.reason) lines.push(`${warn}  drift could not be checked: ${event.reason}`);
  return lines;
}

export function resourceLine(event: EventOf<'resource'>, colors: Colors): string {
  const failed = isResourceFailure(event.status);
  const reason = event.reason ? [failed ? colors.red(event.reason) : event.reason] : [];
  return [event.stackName, paintStatus(event.status, colors), event.resourceType, resourcePath(event.nestedPath, event.logicalId), ...reason].join('  ');
}

/** Beyond the data-safety warnings (always listed), how many others a deploy lists before counting the rest. */
const OTHER_WARNINGS_SHOWN = 5;

/**
 * A deploy's validation warnings: a count, the data-safety ones (data a delete or replacement
 * would lose) each listed, then the others up to a few, each at its `file:line:col`.
 */
function validationWarningLines(event: EventOf<'validation-warnings'>, colors: Colors): string[] {
  const safety = event.warnings.filter((w) => w.dataSafety);
  const others = event.warnings.filter((w) => !w.dataSafety);
  const shown = [...safety, ...others.slice(0, OTHER_WARNINGS_SHOWN)];
  const hidden = event.warnings.length - shown.length;
  const about = safety.length > 0 ? `, ${colors.yellow(`${safety.length} about data safety`)}` : '';
  return [
    `${colors.yellow('⚠')} validation: ${plural(event.warnings.length, 'warning')}${about} (the deploy goes ahead; stackpilot validate lists them all)`,
    ...shown.map((w) => `  ${findingLine({ ...w, severity: 'warning' }, colors)}`),
    ...(hidden > 0 ? [colors.dim(`  … and ${plural(hidden, 'more warning')}`)] : []),
  ];
}

/** The lines of one event as the plain view prints them (the caller adds the time), each after its region when it has one. */
export function eventLines(event: DeployEvent, colors: Colors): string[] {
  const lines = unlabelledLines(event, colors);
  return event.region ? lines.map((line) => `${regionLabel(event.region, colors)}${line}`) : lines;
}

/** `us-west-2  ` before a line of a command that covers several regions; nothing otherwise. */
export const regionLabel = (region: string | undefined, colors: Colors): string => (region ? `${colors.cyan(region)}  ` : '');

function unlabelledLines(event: DeployEvent, colors: Colors): string[] {
  switch (event.code) {
    case 'phase':
      return [`${colors.bold(`▶ ${event.phase}`)}: ${event.message}`];
    case 'package':
      return [`packaged: ${plural(event.uploaded, 'template')} uploaded, ${event.unchanged} unchanged (s3://${event.bucket})`];
    case 'stack-start':
      return [`${event.stackName}  ${event.operation} started (${plural(event.resources, 'resource')})`];
    case 'change-preview': {
      if (event.changes.length === 0) return [`${event.stackName}  change preview: no changes`];
      const atRisk = event.changes.filter((c) => c.dataAtRisk).length;
      const risk = atRisk > 0 ? `, ${colors.red(`${atRisk} with data at risk`)}` : '';
      return [`${event.stackName}  change preview: ${plural(event.changes.length, 'change')}${risk}`, ...previewTable(event.changes, colors)];
    }
    case 'drift-warning':
      return driftWarningLines(event, colors);
    case 'backup-start':
      return [`${event.stackName}  backing up ${resourcePath(event.nestedPath, event.logicalId)} (${BACKUP_KINDS[event.kind].name} ${event.physicalId})`];
    case 'backup-done':
      return [`${event.stackName}  ${colors.green('✔')} backed up ${resourcePath(event.nestedPath, event.logicalId)}: ${plural(event.count, BACKUP_KINDS[event.kind].unit)} (backup ${event.id})`];
    case 'resource':
      return [resourceLine(event, colors)];
    case 'stack-done':
      return stackOutcomeLines(event, colors);
    case 'outputs':
      return Object.entries(event.outputs).map(([key, value]) => `${event.stackName}  ${key} = ${value}`);
    case 'rollback-failures':
      return [
        `${event.stackName}  ${plural(event.failures.length, 'resource')} failed to roll back`,
        ...formatColumns(event.failures.map((f) => [resourcePath(f.nestedPath, f.logicalId), f.resourceType, colors.red(f.reason), colors.dim(`--skip ${f.skipName}`)])).map((line) => `  ${line}`),
      ];
    case 'health':
      // A skipped check neither passed nor failed: `-`, never a tick.
      if (event.ok === null) return [`${colors.dim('-')} ${event.check}  ${colors.dim(`skipped: ${event.skipped ?? event.detail}`)}`];
      return [`${event.ok ? colors.green('✔') : colors.red('✖')} ${event.check}  ${event.detail}`];
    case 'validation-warnings':
      return validationWarningLines(event, colors);
    case 'warning':
      return [`${colors.yellow('⚠ warning')}: ${event.message}`];
  }
}
