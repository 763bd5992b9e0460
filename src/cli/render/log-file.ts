import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import pc from 'picocolors';
import type { DeployEvent } from '../../deploy/events.ts';
import { eventLines } from './lines.ts';
import type { DeployRenderer } from './index.ts';

const noColor = pc.createColors(false);

export type DeployLog = Pick<DeployRenderer, 'handle' | 'finish'>;

/**
 * `--log-file`: every event as the plain view words it, never in colour, each line stamped with
 * the full ISO time (a log outlives the day it was written). The file is opened for appending
 * (created when missing, earlier runs kept) before the deploy starts, so a bad path fails early;
 * lines are written as they come, so a crash keeps what happened, and finish() syncs and closes.
 */
export function openDeployLog(path: string, options: { now?: () => number } = {}): DeployLog {
  const now = options.now ?? Date.now;
  let fd: number | undefined = openSync(path, 'a');
  return {
    handle(event: DeployEvent) {
      if (fd === undefined) return;
      const stamp = new Date(now()).toISOString();
      writeSync(fd, eventLines(event, noColor).map((line) => `${stamp} ${line}\n`).join(''));
    },
    finish() {
      if (fd === undefined) return;
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
    },
  };
}
