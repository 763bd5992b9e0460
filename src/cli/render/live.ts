import { isResourceDone, isResourceFailure, type DeployEvent, type StackOperation } from '../../deploy/events.ts';
import type { Colors } from '../../validate/format/text.ts';
import { formatColumns, truncateVisible } from './columns.ts';
import { eventLines, type EventOf, formatSeconds, paintStatus, regionLabel, resourceLine, resourcePath, stackOutcome, stackOutcomeLines } from './lines.ts';
import type { DeployRenderer } from './index.ts';

/**
 * The terminal view: a region of one line per stack, redrawn in place, with what must stay on
 * screen (failures, warnings, change previews, outputs, health) printed above it. Redraws are
 * driven by events and by a timer (for the spinner and elapsed time), at most one per
 * REDRAW_MS; finish() stops the timer and leaves a summary line per stack in the region's place.
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
  declared: number;
  /** Latest status of every resource seen, by its path (nested resources included). */
  resources: Map<string, string>;
  done?: EventOf<'stack-done'>;
}

export interface LiveOptions {
  stream: NodeJS.WritableStream;
  colors: Colors;
  now: () => number;
}

export function createLiveRenderer({ stream, colors, now }: LiveOptions): DeployRenderer {
  const rows = new Map<string, StackRow>();
  const above: string[] = [];
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
    if (!row) rows.set(key, (row = { stackName: `${regionLabel(event.region, colors)}${event.stackName}`, startedAt: now(), declared: 0, resources: new Map() }));
    return row;
  };

  const progress = (row: StackRow) => {
    const done = [...row.resources.values()].filter(isResourceDone).length;
    return `${done}/${Math.max(row.declared, row.resources.size)}`;
  };
  const failures = (row: StackRow) => {
    const failed = [...row.resources.values()].filter(isResourceFailure).length;
    return failed > 0 ? `  ${colors.red(`${failed} failed`)}` : '';
  };

  const regionLine = (row: StackRow): string => {
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
      case 'stack-start': {
        const row = rowFor(event);
        Object.assign(row, { operation: event.operation, declared: event.resources, startedAt: now() });
        return;
      }
      case 'resource': {
        rowFor(event).resources.set(resourcePath(event.nestedPath, event.logicalId), event.status);
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
        if (entries.length > 0) above.push(`${regionLabel(event.region, colors)}Outputs of ${colors.bold(event.stackName)}`, ...formatColumns([[colors.dim('Key'), colors.dim('Value')], ...entries]).map((line) => `  ${line}`));
        return;
      }
      default:
        above.push(...eventLines(event, colors));
    }
  };

  const summaryLines = (row: StackRow): string[] => {
    if (!row.done) return [`${colors.yellow('…')} ${row.stackName}  did not finish, ${progress(row)} resources`];
    return stackOutcomeLines({ ...row.done, stackName: row.stackName }, colors, `${progress(row)} resources`);
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
      write([...rows.values()].flatMap(summaryLines));
    },
  };
}
