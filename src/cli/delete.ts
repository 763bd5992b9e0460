import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { EXIT } from './exit-codes.ts';
import { positiveInteger, withTargetOptions, type TargetFlags } from './options.ts';
import { chooseMode, createRenderer } from './render/index.ts';
import { colorsFor } from './terminal.ts';

interface DeleteFlags extends TargetFlags {
  yes?: boolean;
  concurrency: number;
  emptyBuckets?: boolean;
  json?: boolean;
}

export function deleteCommand(): Command {
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

Exit codes: 0 deleted (or nothing to delete), 1 refused, not confirmed or a stack failed to
delete, 3 usage or I/O problem (an AWS call that fails before any stack is deleted included).`,
    )
    .option('-y, --yes', 'delete without asking')
    .option('-c, --concurrency <n>', 'how many stacks may be deleted at once', positiveInteger, 4)
    .option('--empty-buckets', 'remove all object versions from the stacks\' buckets first')
    .option('--json', 'print progress as JSON lines')
    .action(async (path: string, flags: DeleteFlags) => {
      const { deleteProject } = await import('../deploy/delete.ts');
      const renderer = createRenderer({ mode: chooseMode({ json: flags.json === true, stream: process.stdout, env: process.env }), stream: process.stdout, colors: colorsFor(process.stdout) });
      const askForName =
        process.stdin.isTTY && process.stderr.isTTY
          ? async (question: string) => {
              const rl = createInterface({ input: process.stdin, output: process.stderr });
              try {
                return await rl.question(`${question} `);
              } finally {
                rl.close();
              }
            }
          : undefined;
      try {
        const report = await deleteProject(path, { env: flags.env, target: flags.target, profile: flags.profile, region: flags.region, yes: flags.yes === true, askForName: askForName && ((text) => renderer.whilePaused(() => askForName(text))), concurrency: flags.concurrency, emptyBuckets: flags.emptyBuckets === true }, (event) => renderer.handle(event));
        renderer.finish();
        const out = flags.json ? process.stderr : process.stdout;
        for (const kept of report.retained) out.write(`kept by its DeletionPolicy: ${kept}\n`);
        if (report.refused) process.stderr.write(`nothing was deleted: ${report.refused}\n`);
        process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
      } finally {
        renderer.finish();
      }
    });
}
