import { isResourceDone, isResourceFailure, type DeployEvent, type PreviewedChange, type StackOperation } from '../../deploy/events.ts';
import type { Colors } from '../../validate/format/text.ts';
import { formatColumns, truncateVisible } from './columns.ts';
import { eventLines, type EventOf, formatSeconds, paintStatus, regionLabel, resourceLine, resourcePath, stackOutcome, stackOutcomeLines } from './lines.ts';
import type { DeployRenderer } from './index.ts';

/**
 * The terminal view: a region of one line per stack, redrawn in place, with what must stay on
 * screen (failures, warnings, change previews) printed above it. Redraws are driven by events
 * and by a timer (for the spinner and elapsed time), at most one per REDRAW_MS; finish() stops
 * the timer and leaves a summary line per stack in the region's place, then the end of the
 * story: outputs (of the stacks that changed, unless showOutputs) and health checks.
 * whilePaused() hands the terminal over (to a confirmation question) with the region erased.
 */

const REDRAW_MS = 100;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const IN_PROGRESS: Record<StackOperation, string> = {
  create: 'CREATE_IN_PROGRESS',
  update: 'UPDATE_IN_PROGRESS',
  delete: 'DELETE_IN_PROGRESS',
  rollback: 'ROLLBACK_IN_PROGRESS',
  // A cancelled update rolls back.
  cancel: 'UPDATE_ROLLBACK_IN_PROGRESS',
};
/** Back to the region's first line (or the start of this one), then erase to the end of the screen. */
const eraseRegion = (lines: number) => `${lines > 0 ? `\x1b[${lines}A` : '\r'}\x1b[0J`;

interface StackRow {
  stackName: string;
  operation?: StackOperation;
  startedAt: number;
  /** How many resources the change set says will change, nested ones included; undefined until known. */
  expected?: number;
  /** Latest status of every resource seen, by its path (nested resources included). */
  resources: Map<string, string>;
  /** The resources that have reached a done status: only ever added to, so the count only moves forward. */
  finished: Set<string>;
  done?: EventOf<'stack-done'>;
}

export interface LiveOptions {
  stream: NodeJS.WritableStream;
  colors: Colors;
  now: () => number;
  /** Whether an outputs event is shown (see outputsShown in index.ts). */
  showsOutputs: (event: EventOf<'outputs'>) => boolean;
}

/**
 * How many resources a change set will touch, nested stacks' included, when its preview says:
 * a nested stack added or removed whose own resources the preview does not list leaves it unknown.
 */
export function expectedResources(changes: PreviewedChange[]): number | undefined {
  const listed = new Set(changes.map((c) => c.nestedPath.join('/')));
  const opaque = changes.some((c) => c.resourceType === 'AWS::CloudFormation::Stack' && c.action !== 'Modify' && !listed.has(resourcePath(c.nestedPath, c.logicalId)));
  return opaque ? undefined : changes.length;
}

export function createLiveRenderer({ stream, colors, now, showsOutputs }: LiveOptions): DeployRenderer {
  const rows = new Map<string, StackRow>();
  const above: string[] = [];
  /** Outputs, then health checks: printed after the summary, where a deploy's story ends. */
  const outputTables: string[] = [];
  const healthLines: string[] = [];
  let outputsHidden = 0;
  let drawnLines = 0;
  let lastDraw = -Infinity;
  let dirty = false;
  let finished = false;
  /** While above zero someone else has the terminal (a question): nothing is drawn. */
  let paused = 0;
  let timer: NodeJS.Timeout | undefined;

  /** One row per stack and region: the same stack id in two regions is two rows. */
  const rowFor = (event: { stack: string; stackName: string; region?: string }): StackRow => {
    const key = `${event.region ?? ''}/${event.stack}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { stackName: `${regionLabel(event.region, colors)}${event.stackName}`, startedAt: now(), resources: new Map(), finished: new Set() }));
    return row;
  };

  /**
   * Resources done of the total: `3/10`. The total comes from the change set (it never shrinks;
   * a resource it did not list raises it); until known it is left out (`3 done`), and once the
   * stack is done it is every resource seen.
   */
  const progress = (row: StackRow, words = false) => {
    const total = row.expected !== undefined ? Math.max(row.expected, row.resources.size) : row.done ? row.resources.size : undefined;
    if (total === undefined) return words ? `${row.finished.size} resource${row.finished.size === 1 ? '' : 's'} done` : `${row.finished.size} done`;
    return words ? `${row.finished.size}/${total} resources` : `${row.finished.size}/${total}`;
  };
  const failures = (row: StackRow) => {
    const failed = [...row.resources.values()].filter(isResourceFailure).length;
    return failed > 0 ? `  ${colors.red(`${failed} failed`)}` : '';
  };

  const regionLine = (row: StackRow): string => {
    if (row.done?.outcome === 'no-changes') return `${colors.green('✔')} ${row.stackName}  no changes`;
    if (row.done) {
      const { mark } = stackOutcome(row.done, colors);
      const status = row.done.status ?? row.done.outcome;
      return `${mark} ${row.stackName}  ${paintStatus(status, colors)}  ${progress(row)}  ${formatSeconds(row.done.seconds)}`;
    }
    const spinner = colors.cyan(SPINNER[Math.floor(now() / REDRAW_MS) % SPINNER.length]);
    // A stack's own status arrives with stack-done; until then it is the operation in progress.
    const status = IN_PROGRESS[row.operation ?? 'update'];
    return `${spinner} ${row.stackName}  ${status}  ${progress(row)}${failures(row)}  ${Math.floor((now() - row.startedAt) / 1000)}s`;
  };

  /** Running stacks first when the region would not fit on the screen: they are what changes. */
  const region = (): string[] => {
    const columns = (stream as Partial<NodeJS.WriteStream>).columns;
    const screenRows = (stream as Partial<NodeJS.WriteStream>).rows;
    let shown = [...rows.values()];
    let hidden = 0;
    if (screenRows && shown.length > screenRows - 1) {
      const room = Math.max(1, screenRows - 2);
      const ordered = [...shown.filter((r) => !r.done), ...shown.filter((r) => r.done)];
      shown = ordered.slice(0, room);
      hidden = ordered.length - room;
    }
    const lines = shown.map(regionLine);
    if (hidden > 0) lines.push(colors.dim(`… ${hidden} more`));
    return columns ? lines.map((l) => truncateVisible(l, columns - 1)) : lines;
  };

  const write = (lines: string[]) => {
    const frame = eraseRegion(drawnLines) + above.splice(0).map((l) => `${l}\n`).join('') + lines.map((l) => `${l}\n`).join('');
    drawnLines = lines.length;
    lastDraw = now();
    dirty = false;
    stream.write(frame);
  };

  const tick = () => {
    if (paused === 0 && (dirty || [...rows.values()].some((r) => !r.done))) write(region());
  };

  const apply = (event: DeployEvent) => {
    switch (event.code) {
      case 'change-preview':
        rowFor(event).expected = expectedResources(event.changes);
        above.push(...eventLines(event, colors));
        return;
      case 'stack-start': {
        const row = rowFor(event);
        Object.assign(row, { operation: event.operation, startedAt: now() });
        return;
      }
      case 'resource': {
        const row = rowFor(event);
        const path = resourcePath(event.nestedPath, event.logicalId);
        row.resources.set(path, event.status);
        if (isResourceDone(event.status)) row.finished.add(path);
        if (isResourceFailure(event.status)) above.push(`${colors.red('✖')} ${regionLabel(event.region, colors)}${resourceLine(event, colors)}`);
        return;
      }
      case 'stack-done':
        rowFor(event).done = event;
        // A failure no resource showed (an AWS call refused) stays on screen from now on.
        if (event.outcome === 'failed' && !event.firstFailure && event.reason) above.push(...eventLines(event, colors));
        return;
      case 'outputs': {
        const entries = Object.entries(event.outputs);
        if (!showsOutputs(event)) outputsHidden += entries.length > 0 ? 1 : 0;
        else if (entries.length > 0) outputTables.push(`${regionLabel(event.region, colors)}Outputs of ${colors.bold(event.stackName)}`, ...formatColumns([[colors.dim('Key'), colors.dim('Value')], ...entries]).map((line) => `  ${line}`));
        return;
      }
      case 'health':
        healthLines.push(...eventLines(event, colors));
        return;
      case 'phase':
        // The outputs and health lines speak for themselves, after the summary.
        if (event.phase !== 'outputs' && event.phase !== 'health') above.push(...eventLines(event, colors));
        return;
      default:
        above.push(...eventLines(event, colors));
    }
  };

  const summaryLines = (row: StackRow): string[] => {
    if (!row.done) return [`${colors.yellow('…')} ${row.stackName}  did not finish, ${progress(row, true)}`];
    // A count only for stacks that ran: one that had nothing to do, never started or was refused before any resource has none.
    const ran = ['succeeded', 'failed', 'needs-action'].includes(row.done.outcome) && (row.resources.size > 0 || row.expected !== undefined);
    const counted = ran ? progress(row, true) : undefined;
    return stackOutcomeLines({ ...row.done, stackName: row.stackName }, colors, counted);
  };

  const ending = (): string[] => {
    const unchanged = outputsHidden > 0 ? [colors.dim(`Outputs of ${outputsHidden === 1 ? 'the stack' : `${outputsHidden} stacks`} with no changes not shown: stackpilot outputs prints them (or deploy --show-outputs)`)] : [];
    return [...outputTables, ...unchanged, ...healthLines];
  };

  return {
    handle(event) {
      if (finished) return;
      apply(event);
      timer ??= setInterval(tick, REDRAW_MS);
      if (paused === 0 && now() - lastDraw >= REDRAW_MS) write(region());
      else dirty = true;
    },
    async whilePaused(work) {
      if (finished) return work();
      // Print what is pending (the change preview a question is about) and take the region away.
      if (paused++ === 0) write([]);
      try {
        return await work();
      } finally {
        if (--paused === 0 && !finished) write(region());
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      timer = undefined;
      write([...[...rows.values()].flatMap(summaryLines), ...ending()]);
    },
  };
}
