import type { DeployEvent } from '../../deploy/events.ts';
import type { Redactor } from '../../redaction.ts';
import type { Colors } from '../../validate/format/text.ts';
import { jsonLine } from './json-lines.ts';
import { eventLines, type EventOf } from './lines.ts';
import { createLiveRenderer } from './live.ts';

export { openDeployLog } from './log-file.ts';

/** Shows deploy events as they come; finish() once the deploy is over (it stops any timer). */
export interface DeployRenderer {
  handle(event: DeployEvent): void;
  /**
   * Runs `work` (a question on the terminal) with the live region erased and its redraws held,
   * after printing anything pending; events keep being taken in and show once it is done.
   */
  whilePaused<T>(work: () => Promise<T>): Promise<T>;
  finish(): void;
}

export type RenderMode = 'live' | 'plain' | 'json';

export interface RendererOptions {
  mode: RenderMode;
  stream: NodeJS.WritableStream;
  /** Colour on or off is the caller's choice (NO_COLOR, FORCE_COLOR, a TTY: see colorsFor). */
  colors: Colors;
  /** The run's secrets: every event is redacted before it is shown. */
  secrets: Redactor;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
  /** Every stack's outputs, not only those of the stacks that changed (deploy --show-outputs). */
  showOutputs?: boolean;
}

/**
 * Which outputs events the text views show: those of stacks that changed in this run, or all
 * with --show-outputs. A deploy with nothing to do then ends in a few lines, not every table
 * again (JSON lines and the log keep every event).
 */
export function outputsShown(showAll: boolean): { track: (event: DeployEvent) => void; shows: (event: EventOf<'outputs'>) => boolean } {
  const changed = new Set<string>();
  const key = (event: { region?: string; stack: string }) => `${event.region ?? ''}/${event.stack}`;
  return {
    track: (event) => {
      if (event.code === 'stack-done' && event.outcome === 'succeeded') changed.add(key(event));
    },
    shows: (event) => showAll || changed.has(key(event)),
  };
}

/**
 * Events are redacted before any view words them: a view may cut a line short (the live view to
 * the screen's width), and a cut secret is no longer found.
 */
export function createRenderer(options: RendererOptions): DeployRenderer {
  const renderer = rendererFor(options);
  return { ...renderer, handle: (event) => renderer.handle(options.secrets.redactValue(event)) };
}

function rendererFor(options: RendererOptions): DeployRenderer {
  const { stream, colors, now = Date.now } = options;
  const outputs = outputsShown(options.showOutputs === true);
  switch (options.mode) {
    case 'live': {
      const live = createLiveRenderer({ stream, colors, now, showsOutputs: outputs.shows });
      return {
        ...live,
        handle: (event) => {
          outputs.track(event);
          live.handle(event);
        },
      };
    }
    case 'plain':
      return {
        handle: (event) => {
          outputs.track(event);
          if (event.code !== 'outputs' || outputs.shows(event)) stream.write(plainLines(event, colors, now()));
        },
        whilePaused: (work) => work(),
        finish: () => {},
      };
    case 'json':
      return {
        handle: (event) => stream.write(jsonLine(event, now())),
        whilePaused: (work) => work(),
        finish: () => {},
      };
  }
}

/** An event as plain lines, each stamped `[HH:MM:SS]` in UTC (the zone CI runners log in). */
function plainLines(event: DeployEvent, colors: Colors, time: number): string {
  const stamp = colors.dim(`[${new Date(time).toISOString().slice(11, 19)}]`);
  return eventLines(event, colors)
    .map((line) => `${stamp} ${line}\n`)
    .join('');
}

/**
 * JSON lines with --json; plain lines where nobody watches a screen (not a TTY, a CI run, or a
 * terminal that cannot move its cursor); otherwise the live view. `CI=false` and `CI=0` mean no CI.
 */
export function chooseMode(options: { json: boolean; stream: NodeJS.WriteStream; env: NodeJS.ProcessEnv }): RenderMode {
  if (options.json) return 'json';
  const ci = options.env.CI;
  const inCi = ci !== undefined && ci !== '' && !['false', '0'].includes(ci.toLowerCase());
  if (inCi || options.stream.isTTY !== true || options.env.TERM === 'dumb') return 'plain';
  return 'live';
}
