import { Command } from 'commander';
import type { DeployEvent } from '../deploy/events.ts';
import type { Redactor } from '../redaction.ts';
import { terminalQuestions } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { interruptedSummary, trapInterrupts } from './interrupts.ts';
import { positiveInteger, withTargetOptions, type TargetFlags } from './options.ts';
import { chooseMode, createRenderer } from './render/index.ts';
import { colorsFor, redactingWriters } from './terminal.ts';

interface DeleteFlags extends TargetFlags {
  yes?: boolean;
  concurrency: number;
  emptyBuckets?: boolean;
  json?: boolean;
}

export function deleteCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('delete'))
    .summary('delete a project\'s stacks, dependents first')
    .description(
      `Deletes the project's stacks in the target, in reverse dependency order (a stack goes once
everything that depends on it is gone, up to --concurrency at once). You type the project name
to confirm (or pass --yes). Before anything is deleted, exports that stacks outside the
project still import are looked for: one found stops the delete. Resources kept by their
DeletionPolicy (Retain, Snapshot) are listed. --empty-buckets removes every object version
from the stacks' buckets first, so that CloudFormation can delete them.

A stack that fails to delete is reported with the reason (the AWS call that failed, or its
first failed resource) and what to do; the stacks it waits for are not started.

Regions: an environment with regions: is deleted in every one of them (--region, --regions
narrow it), each line labelled with its region; with --yes all at once, else one region after
another, each confirmed on its own.

Interrupts: Ctrl-C (or SIGTERM) starts no new delete and lets those under way finish; a second
stops at once (the local engine carries the deletes on when it next starts).

Exit codes: 0 deleted (or nothing to delete), 1 refused, not confirmed or a stack failed to
delete, 3 usage or I/O problem (an AWS call that fails before any stack is deleted included),
130 interrupted.`,
    )
    .option('-y, --yes', 'delete without asking')
    .option('-c, --concurrency <n>', 'how many stacks may be deleted at once', positiveInteger, 4)
    .option('--empty-buckets', 'remove all object versions from the stacks\' buckets first')
    .option('--json', 'print progress as JSON lines')
    .action(async (path: string, flags: DeleteFlags) => {
      const { deleteProject } = await import('../deploy/delete.ts');
      const renderer = createRenderer({ mode: chooseMode({ json: flags.json === true, stream: process.stdout, env: process.env }), stream: process.stdout, colors: colorsFor(process.stdout), secrets });
      const { out, err } = redactingWriters(secrets);
      const interrupts = trapInterrupts({ target: flags.target });
      const questions = terminalQuestions(interrupts.signal);
      const ends = new Map<string, string>();
      const emit = (event: DeployEvent) => {
        if (event.code === 'stack-done') ends.set(event.region ? `${event.stack} (${event.region})` : event.stack, event.outcome === 'succeeded' ? 'deleted' : event.outcome === 'not-started' ? 'not deleted' : `failed to delete${event.status ? ` (${event.status})` : ''}`);
        renderer.handle(event);
      };
      try {
        const report = await deleteProject(path, { env: flags.env, target: flags.target, profile: flags.profile, region: flags.region, regions: flags.regions, stackName: flags.stackName, yes: flags.yes === true, askForName: questions && ((text) => renderer.whilePaused(async () => (await questions.text(secrets.redact(text))) ?? '')), concurrency: flags.concurrency, emptyBuckets: flags.emptyBuckets === true, signal: interrupts.signal, secrets }, emit);
        renderer.finish();
        for (const kept of report.retained) (flags.json ? err : out)(`kept by its DeletionPolicy: ${kept}\n`);
        if (report.interrupted) {
          err(ends.size > 0 ? interruptedSummary([...ends]) : `interrupted before anything was deleted\n`);
          process.exitCode = EXIT.interrupted;
          return;
        }
        if (report.refused) err(`nothing was deleted${report.refused.startsWith('in ') ? ' ' : ': '}${report.refused}\n`);
        process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
      } finally {
        interrupts.release();
        renderer.finish();
      }
    });
}
