import { appendFileSync } from 'node:fs';
import pc from 'picocolors';
import { isResourceDone, type DeployEvent } from '../../deploy/events.ts';
import type { Colors } from '../../validate/format/text.ts';
import { eventLines } from './lines.ts';

/** How deploy progress is shown: a live view on a terminal, plain lines for CI and pipes, JSON lines for programs. */
export type RenderMode = 'live' | 'plain' | 'json';

export interface Renderer {
  handle(event: DeployEvent): void;
  finish(): void;
}

export function chooseMode(options: { json: boolean; stream: NodeJS.WriteStream; env: NodeJS.ProcessEnv }): RenderMode {
  if (options.json) return 'json';
  const ci = options.env.CI !== undefined && !['', '0', 'false'].includes(options.env.CI);
  return options.stream.isTTY && !ci ? 'live' : 'plain';
}

const stamp = (now: number) => new Date(now).toISOString().slice(11, 19);

/**
 * JSON lines: one object per event, `{"time": "<ISO 8601>", "code": ..., ...the event's fields}`,
 * dates as ISO strings. The fields are those of `DeployEvent` in src/deploy/events.ts.
 */
function jsonRenderer(stream: NodeJS.WritableStream, now: () => number): Renderer {
  return {
    handle: (event) => stream.write(`${JSON.stringify({ time: new Date(now()).toISOString(), ...event })}\n`),
    finish: () => {},
  };
}

function plainRenderer(stream: NodeJS.WritableStream, colors: Colors, now: () => number): Renderer {
  return {
    handle: (event) => {
      for (const line of eventLines(event, colors)) stream.write(`${colors.dim(`[${stamp(now())}]`)} ${line}\n`);
    },
    finish: () => {},
  };
}

interface StackLine {
  name: string;
  status: string;
  started: number;
  finished?: number;
  total: number;
  resources: Map<string, string>;
  outcome?: string;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A terminal view: permanent lines (previews, failures, outputs) scroll above a region redrawn
 * in place, one line per stack with its status, resources done of total, and elapsed time.
 */
function liveRenderer(stream: NodeJS.WritableStream, colors: Colors, now: () => number): Renderer {
  const stacks = new Map<string, StackLine>();
  let drawn = 0;
  let frame = 0;
  let closed = false;
  const clear = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    const lines = [...stacks.values()].map((s) => {
      const done = [...s.resources.values()].filter(isResourceDone).length;
      const mark = s.outcome === undefined ? colors.cyan(SPINNER[frame % SPINNER.length]) : s.outcome === 'succeeded' || s.outcome === 'no-changes' ? colors.green('✔') : colors.red('✖');
      const seconds = (((s.finished ?? now()) - s.started) / 1000).toFixed(0);
      return `${mark} ${s.name.padEnd(40)} ${s.status.padEnd(28)} ${`${done}/${Math.max(s.total, s.resources.size)}`.padStart(9)}  ${seconds} s`;
    });
    for (const line of lines) stream.write(`${line}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(() => {
    frame++;
    draw();
  }, 100);
  timer.unref();
  const permanent = (lines: string[]) => {
    clear();
    for (const line of lines) stream.write(`${line}\n`);
    draw();
  };
  return {
    handle: (event) => {
      if (closed) return;
      switch (event.code) {
        case 'stack-start':
          stacks.set(event.stack, { name: event.stackName, status: `${event.operation.toUpperCase()}_IN_PROGRESS`, started: now(), total: event.resources, resources: new Map() });
          draw();
          return;
        case 'resource': {
          const line = stacks.get(event.stack);
          if (line) line.resources.set([...event.nestedPath, event.logicalId].join('/'), event.status);
          if (event.status.endsWith('_FAILED')) permanent(eventLines(event, colors));
          return;
        }
        case 'stack-done': {
          const line = stacks.get(event.stack) ?? { name: event.stackName, status: '', started: now(), total: 0, resources: new Map() };
          Object.assign(line, { status: event.status ?? event.outcome, outcome: event.outcome, finished: now() });
          stacks.set(event.stack, line);
          if (event.outcome !== 'succeeded' && event.outcome !== 'no-changes') permanent(eventLines(event, colors));
          else draw();
          return;
        }
        default:
          permanent(eventLines(event, colors));
      }
    },
    finish: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      draw();
      drawn = 0; // the final picture stays
    },
  };
}

export function createRenderer(options: { mode: RenderMode; stream: NodeJS.WritableStream; colors: Colors; now?: () => number }): Renderer {
  const now = options.now ?? Date.now;
  if (options.mode === 'json') return jsonRenderer(options.stream, now);
  if (options.mode === 'plain') return plainRenderer(options.stream, options.colors, now);
  return liveRenderer(options.stream, options.colors, now);
}

/** `--log-file`: a timestamped plain line per event, appended, never in colour. */
export function openDeployLog(path: string, now: () => number = Date.now): Renderer {
  const colors = pc.createColors(false);
  return {
    handle: (event) => appendFileSync(path, eventLines(event, colors).map((line) => `${new Date(now()).toISOString()} ${line}\n`).join('')),
    finish: () => {},
  };
}
