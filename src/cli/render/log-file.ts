import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import pc from 'picocolors';
import type { DeployEvent } from '../../deploy/events.ts';
import type { Redactor } from '../../redaction.ts';
import { StackpilotError } from '../../errors.ts';
import { checkWritable } from '../../project/files.ts';
import { eventLines } from './lines.ts';
import type { DeployRenderer } from './index.ts';

const noColor = pc.createColors(false);

export type DeployLog = Pick<DeployRenderer, 'handle' | 'finish'> & {
  /** Why the log stopped short (a full disk), once it has: the deploy went on without it. */
  readonly failure: string | undefined;
};

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * `--log-file`: every event as the plain view words it, never in colour, each line stamped with
 * the full ISO time (a log outlives the day it was written). The file is opened for appending
 * (created when missing, earlier runs kept) before the deploy starts, so a bad path fails early,
 * as a StackpilotError; lines are written as they come, so a crash keeps what happened, and
 * finish() syncs and closes. A write that fails ends the log, never the deploy. Events are
 * redacted with the run's secrets before they are worded.
 */
export function openDeployLog(path: string, options: { secrets: Redactor; now?: () => number }): DeployLog {
  const now = options.now ?? Date.now;
  const hint = 'Create the folder, or choose another file with --log-file. Nothing was deployed.';
  checkWritable(path, 'the log file', hint);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new StackpilotError('FileUnwritable', `cannot write the log file ${path}: ${errorCode(error)}`, hint);
  }
  let failure: string | undefined;
  /** Runs a write to the log; one that fails ends the log, saying where it stopped. */
  const attempt = (write: (fd: number) => void) => {
    if (fd === undefined) return;
    try {
      write(fd);
    } catch (error) {
      failure = `the log file ${path} stopped at ${new Date(now()).toISOString()}: ${errorCode(error)}`;
      const lost = fd;
      fd = undefined;
      try {
        closeSync(lost);
      } catch {
        // Already failing: the failure above is what there is to say.
      }
    }
  };
  return {
    handle(event: DeployEvent) {
      const stamp = new Date(now()).toISOString();
      attempt((fd) => writeSync(fd, eventLines(options.secrets.redactValue(event), noColor).map((line) => `${stamp} ${line}\n`).join('')));
    },
    finish() {
      attempt((fd) => fsyncSync(fd));
      attempt((fd) => closeSync(fd));
      fd = undefined;
    },
    get failure() {
      return failure;
    },
  };
}
