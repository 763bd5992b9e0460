import { Command } from 'commander';
import type { DeployEvent } from '../deploy/events.ts';
import type { RecoveryReport } from '../deploy/recovery.ts';
import type { Redactor } from '../redaction.ts';
import { terminalQuestions } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { interruptedSummary, trapInterrupts } from './interrupts.ts';
import { withTargetOptions, type TargetFlags } from './options.ts';
import { chooseMode, createRenderer } from './render/index.ts';
import { colorsFor, redactingWriters } from './terminal.ts';

interface RecoveryFlags extends TargetFlags {
  stack?: string;
  json?: boolean;
}

interface RollbackFlags extends RecoveryFlags {
  skip?: string[];
  yes?: boolean;
}

const exitCodes = (usage: string) => `Exit codes: 0 done, or nothing to do; 1 a stack did not end healthy,
or needs another action (the message says which); 3 usage or I/O problem
(${usage}: nothing was changed); 130 interrupted.`;

const INTERRUPTS = `Interrupts: Ctrl-C (or SIGTERM) starts nothing new and lets the stack under
way finish; a second stops at once (CloudFormation, or the local engine when
it next opens the project, carries the operation on).`;

/** Runs a recovery command with progress and interrupts as deploy has them, and sets the exit code from its report. */
async function runRecovery(secrets: Redactor, flags: RecoveryFlags, run: (signal: AbortSignal, ask: ((question: string) => Promise<boolean>) | undefined, emit: (event: DeployEvent) => void) => Promise<RecoveryReport>): Promise<void> {
  const renderer = createRenderer({ mode: chooseMode({ json: flags.json === true, stream: process.stdout, env: process.env }), stream: process.stdout, colors: colorsFor(process.stdout), secrets });
  const { err } = redactingWriters(secrets);
  const interrupts = trapInterrupts({ target: flags.target });
  const questions = terminalQuestions(interrupts.signal);
  const ends = new Map<string, string>();
  const emit = (event: DeployEvent) => {
    if (event.code === 'stack-done') ends.set(event.stack, event.status ?? event.outcome.replace('-', ' '));
    renderer.handle(event);
  };
  try {
    const report = await run(interrupts.signal, questions && ((text) => renderer.whilePaused(() => questions.yesNo(secrets.redact(text)))), emit);
    renderer.finish();
    if (report.interrupted) {
      err(interruptedSummary([...ends]));
      process.exitCode = EXIT.interrupted;
      return;
    }
    process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
  } finally {
    interrupts.release();
    renderer.finish();
  }
}

const withRecoveryOptions = (command: Command) =>
  withTargetOptions(command)
    .option('-s, --stack <stack>', 'only this project stack (its id in stackpilot.yaml, or its CloudFormation name)')
    .option('--json', 'print progress as JSON lines');

export function rollbackCommand(secrets: Redactor): Command {
  return withRecoveryOptions(new Command('rollback'))
    .summary('bring stacks left by a failed deploy back to a working state')
    .description(
      `Brings each stack of the environment (or --stack) back to a working state,
as its status allows. Nested stacks are recovered through their root stack,
as CloudFormation requires.

- UPDATE_ROLLBACK_FAILED: lists the resources that failed to roll back
  (nested ones included) with their reasons, then continues the rollback
  (ContinueUpdateRollback). --skip names resources to leave as they are:
  Logical for the stack's own, Nested.Logical for a nested stack's (logical
  ids from the root, as listed). A skipped resource no longer matches the
  template: you are asked first (--yes answers yes); a deploy brings it in line.
- CREATE_FAILED, UPDATE_FAILED (kept by deploy --disable-rollback): rolled
  back (RollbackStack).
- ROLLBACK_COMPLETE, ROLLBACK_FAILED (a failed create): CloudFormation can
  only delete it; says how.
- UPDATE_IN_PROGRESS: says to wait, or to stop it with \`stackpilot cancel\`.
- another *_IN_PROGRESS: says to wait. A healthy stack: nothing to roll back.

Progress shows as deploy shows it: a live view on a terminal, plain lines
when not a terminal or CI is set, JSON lines with --json.

${INTERRUPTS}

${exitCodes('an unknown --stack, a --skip that names no resource whose rollback failed')}`,
    )
    .option('--skip <logical...>', 'resources whose rollback failed to skip (Logical, or Nested.Logical)')
    .option('-y, --yes', 'skip without asking for confirmation')
    .action(async (path: string, flags: RollbackFlags) => {
      const { rollbackProject } = await import('../deploy/rollback.ts');
      await runRecovery(secrets, flags, (signal, ask, emit) =>
        rollbackProject(path, { env: flags.env, target: flags.target, profile: flags.profile, region: flags.region, regions: flags.regions, stackName: flags.stackName, ...(flags.stack !== undefined ? { stack: flags.stack } : {}), skip: flags.skip ?? [], yes: flags.yes === true, ...(ask ? { ask } : {}), signal, secrets }, emit),
      );
    });
}

export function cancelCommand(secrets: Redactor): Command {
  return withRecoveryOptions(new Command('cancel'))
    .summary('stop stacks\' updates in progress and roll them back')
    .description(
      `Cancels the update of each stack of the environment (or --stack) in
UPDATE_IN_PROGRESS (CancelUpdateStack, on the root stack of a nested tree),
then follows the rollback it starts until the stack is as it was before the
update (UPDATE_ROLLBACK_COMPLETE). A stack not being updated is left alone:
said so, with an exit code of 1 when --stack named it. Should the rollback
fail (UPDATE_ROLLBACK_FAILED), \`stackpilot rollback\` finishes it.

On the local engine an update runs inside the command that started it, and
one a killed command left behind is rolled back as soon as the engine opens
the project again: cancel is for AWS.

${INTERRUPTS}

${exitCodes('an unknown --stack')}`,
    )
    .action(async (path: string, flags: RecoveryFlags) => {
      const { cancelProject } = await import('../deploy/cancel.ts');
      await runRecovery(secrets, flags, (signal, _ask, emit) =>
        cancelProject(path, { env: flags.env, target: flags.target, profile: flags.profile, region: flags.region, regions: flags.regions, stackName: flags.stackName, ...(flags.stack !== undefined ? { stack: flags.stack } : {}), signal, secrets }, emit),
      );
    });
}
