import { Command, InvalidArgumentError, Option } from 'commander';
import { relative } from 'node:path';
import type { DeployEvent } from '../deploy/events.ts';
import type { RegionDeployReport } from '../deploy/deploy.ts';
import type { ParameterOverride } from '../project/parameter-overrides.ts';
import type { StackResult } from '../deploy/stack-deploy.ts';
import type { Redactor } from '../redaction.ts';
import { diagnosticRows } from '../validate/format/json.ts';
import { formatText } from '../validate/format/text.ts';
import { summarize } from '../validate/format/summary.ts';
import { terminalQuestions } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { interruptedSummary, trapInterrupts } from './interrupts.ts';
import { positiveInteger, stackSettingsOf, withParameterOption, withStackSettingOptions, withTargetOptions, type StackSettingFlags, type TargetFlags } from './options.ts';
import { chooseMode, createRenderer, openDeployLog } from './render/index.ts';
import { colorsFor, redactingWriters } from './terminal.ts';

interface DeployFlags extends TargetFlags, StackSettingFlags {
  yes?: boolean;
  concurrency: number;
  outputsFile?: string;
  logFile?: string;
  json?: boolean;
  showOutputs?: boolean;
  disableRollback?: boolean;
  backup: 'auto' | 'always' | 'never';
  allowReplace: string[];
  regionConcurrency?: number;
  keepGoing?: boolean;
  parameter: ParameterOverride[];
  parameters?: string;
}

/** --allow-replace, repeatable: a logical id, or `Child.Logical` for a nested stack's resource. */
function collectLogicalId(value: string, previous: string[]): string[] {
  if (!/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/.test(value)) throw new InvalidArgumentError('a logical id (letters and digits), or Child.Logical for a nested stack\'s resource');
  return [...previous, value];
}

/** A stack's state after a deploy: its CloudFormation status, or what kept it from having one. */
function whereItStands(result: StackResult): string {
  if (result.outcome === 'not-started') return 'not started';
  if (result.outcome === 'failed') return `failed${result.status ? ` (${result.status})` : ''}`;
  if (result.outcome === 'awaiting-confirmation') return `stopped for confirmation${result.status ? ` (${result.status})` : ''}`;
  if (result.outcome === 'cancelled') return 'cancelled by you, nothing changed';
  return result.status ?? result.outcome;
}

/**
 * After a deploy that stopped for confirmation with nobody to ask: which stacks, and the flag
 * that goes ahead (each stack's line above says why it needs confirmation).
 */
function confirmationSummary(waiting: string[]): string {
  if (waiting.length === 0) return '';
  return `Stopped for confirmation, nothing changed: ${waiting.join(', ')}. Run the same command with --yes to go ahead, or on a terminal to be asked.\n`;
}

/** With several regions: per region, what deployed, what failed and what did not start. */
function regionSummary(regions: Map<string, RegionDeployReport>): string {
  const lines = [...regions].map(([region, report]) => {
    const results = [...report.stacks.values()].map((r) => ('outcome' in r ? r.outcome : r.status));
    const count = (outcomes: string[]) => results.filter((o) => outcomes.includes(o)).length;
    return `  ${region}: ${report.ok ? 'ok' : 'failed'}, ${count(['succeeded', 'no-changes'])} deployed, ${count(['failed', 'awaiting-confirmation', 'cancelled'])} failed, ${count(['not-started'])} not started\n`;
  });
  return `regions:\n${lines.join('')}`;
}

export function deployCommand(secrets: Redactor): Command {
  return withStackSettingOptions(withParameterOption(withTargetOptions(new Command('deploy'))))
    .summary('deploy a project\'s stacks through change sets, in parallel by dependency')
    .description(
      `Validates the project, uploads nested templates to an artifacts bucket (created when
missing, content-hashed keys, unchanged templates not uploaded again), then deploys each stack
through a change set: created or updated as its state says, started the moment the stacks it
depends on are done (up to --concurrency at once), upstream outputs passed to downstream
parameters as the manifest says. --parameter KEY=VALUE (STACK.KEY=VALUE for one stack) gives a
value above every other source (see plan --help); a key no template declares is a usage error.
Outputs are printed and written, one file per target, environment and region, to
PATH/.stackpilot/outputs/<target>/<environment>/<region>.json (a template's file is named by its
stack, a folder's by the folder), each saying its environment, region, account and when it was
written; stackpilot outputs --saved reads them back. --outputs-file FILE writes one file instead
(with several regions, under "regions"). An outputs.json an earlier version wrote is left as it
was. The manifest's health checks run last.

Projects: PATH is a project folder (stackpilot.yaml; a folder inside one finds it, as git
does), a folder of templates (stacks named <folder>-<file>) or one template (its stack named
after the file, or --stack-name). Without a manifest, values come from --parameters FILE
(CloudFormation's [{"ParameterKey", "ParameterValue"}] list or a {"Key": "Value"} object) and
--parameter; a parameter left without a value is a validation error (exit 2).

Stack settings for every stack of the run, above the manifest: --tag KEY=VALUE (repeatable),
--capabilities (instead of those the templates call for), --role-arn (CloudFormation's service
role, kept by later deploys), --notification-arn (repeatable) and --termination-protection or
--no-termination-protection (applied once the stack is deployed).

Targets: --target local (the default) deploys to the embedded local engine, state in
PATH/.stackpilot/local, and needs nothing else; --target aws uses the standard AWS credential
chain (or --profile) in --region (default: the environment's, then the manifest's region).

Confirmation: on aws every change preview is confirmed before it is executed; on local only
changes that delete stored data are (and replacing a stack left by a failed create). On a
terminal you are asked; --yes answers yes; without either, the stack stops before anything
changes, and deploy says which stacks stopped, why each needs confirmation (the resources whose
data it deletes, the failed create it replaces) and that --yes goes ahead. Answering no cancels
that stack: nothing changed.

Protecting data: before a change set that deletes stored data (a DynamoDB table or S3 bucket
removed or replaced without Retain/Snapshot) runs, the confirmation names what is backed up
first, and deploy waits for each backup to complete (--backup auto, the default; an empty
bucket needs none). --backup always backs up every table and bucket of each stack that
changes; --backup never takes none and says so. A backup that fails stops its stack
before anything changes. Other stateful types that lose data (RDS, Redshift, ElastiCache, EFS,
Neptune) get a notice: their DeletionPolicy/UpdateReplacePolicy Snapshot is the mechanism. A
stack with protect: true in stackpilot.yaml gets a stack policy that denies replacing or
removing its stateful resources; a change that would do so stops the stack before executing,
unless --allow-replace names the resource (Logical, or Child.Logical when nested): for this
deploy the policy lets it through (after its backup), and the full policy is back afterwards.

Progress: a live view on a terminal (a line per stack: resources done of the total the change
set gives, nested stacks included, or a count alone until the total is known), plain lines when
not a terminal or CI is set, JSON lines with --json. A stack with nothing to do says "no changes".
After the summary come the outputs of the stacks that changed (every stack's with
--show-outputs; JSON lines always carry them all), then the health checks: a check that cannot
run (a URL on the local target) shows as skipped (-), neither passed nor failed. Validation
warnings are shown before anything is deployed, data-safety ones (a table or bucket without
DeletionPolicy/UpdateReplacePolicy) always listed. --log-file keeps a timestamped log.

Secrets (NoEcho parameter values, secure dynamic references) are shown as **** in everything
stackpilot writes: progress, --json, the log file, the outputs files, error messages. Stacks still
pass them to each other unmasked.

A change set that would fail halfway is refused before it runs, the stack left as it was: a
replacement of a resource whose custom name (TableName, BucketName...) stays the same, with
CloudFormation's reason (plan shows it as "will fail").

A stack that does not deploy is reported with the reason (its first failed resource, or the
AWS call that failed) and what to do; the stacks that wait for it are not started. A stack
left by an earlier failure or interrupt is taken care of first (see the README).
--disable-rollback keeps a stack whose change fails as it failed (CREATE_FAILED, UPDATE_FAILED),
failed resource included, for inspection: then fix and deploy again, or \`stackpilot rollback\`.

Regions: an environment with regions: in stackpilot.yaml deploys to every one of them, each an
independent copy (its own artifacts bucket, uploads and change sets), all at once (up to
--region-concurrency), or one after the other with regionOrder: sequential. Every line starts
with its region. --region narrows to one region, --regions a,b to several. A failure in one
region stops new stacks in every region (running ones finish), unless --keep-going. Each region
gets its own outputs file; --outputs-file then holds {"environment", ..., "regions": {"<region>":
{"<stack>": {...}}}}.

Interrupts: Ctrl-C (or SIGTERM) starts nothing new and lets the stacks being deployed finish,
then says where each stack stands and the command that carries on. A second Ctrl-C stops at
once: the local engine finishes (or rolls back) what was running the next time a command opens
the project; on AWS, CloudFormation carries on by itself.

Exit codes: 0 deployed (or nothing to change), 1 a stack failed (its backup failed, or its
protection denied a change), stopped for confirmation, or was cancelled at the question,
2 validation errors (nothing was touched), 3 usage or I/O problem (an AWS call that fails
before any stack included: nothing was deployed), 130 interrupted. With several regions, 1 when any region failed.`,
    )
    .option('-y, --yes', 'execute without asking for confirmation')
    .option('-c, --concurrency <n>', 'how many stacks may deploy at once', positiveInteger, 4)
    .option('-o, --outputs-file <file>', 'write the outputs of every region to this one file (default: one per region, PATH/.stackpilot/outputs/<target>/<env>/<region>.json)')
    .option('--log-file <file>', 'append a timestamped log of the deploy')
    .option('--json', 'print progress as JSON lines')
    .option('--show-outputs', 'print the outputs of every stack, not only of those that changed')
    .addOption(new Option('--backup <mode>', 'back up tables and buckets before a change deletes their data: auto (those at risk), always (all, in each stack that changes), never').choices(['auto', 'always', 'never']).default('auto'))
    .option('--allow-replace <logical-id>', 'let a protected resource (protect: true) be replaced or removed in this deploy; repeatable; Child.Logical when nested', collectLogicalId, [])
    .option('--disable-rollback', 'keep a stack whose change fails as it failed, for inspection (see stackpilot rollback)')
    .option('--region-concurrency <n>', 'how many regions may deploy at once (default: all)', positiveInteger)
    .option('--keep-going', 'a failure in one region does not stop new stacks in the others')
    .action(async (path: string, flags: DeployFlags) => {
      const { deployProject } = await import('../deploy/deploy.ts');
      // Opened first: a log that cannot be written stops the deploy before anything is shown or touched.
      const log = flags.logFile ? openDeployLog(flags.logFile, { secrets }) : undefined;
      const colors = colorsFor(process.stdout);
      const renderer = createRenderer({ mode: chooseMode({ json: flags.json === true, stream: process.stdout, env: process.env }), stream: process.stdout, colors, secrets, showOutputs: flags.showOutputs === true });
      const { out, err } = redactingWriters(secrets);
      const interrupts = trapInterrupts({ target: flags.target });
      // A question must not be drawn over by the live view: it pauses while the person answers.
      const questions = terminalQuestions(interrupts.signal);
      const waiting: string[] = [];
      const emit = (event: DeployEvent) => {
        if (event.code === 'stack-done' && event.outcome === 'awaiting-confirmation') waiting.push(`${event.stackName}${event.region ? ` (${event.region})` : ''}`);
        renderer.handle(event);
        log?.handle(event);
      };
      try {
        const report = await deployProject(
          path,
          { env: flags.env, target: flags.target, profile: flags.profile, region: flags.region, regions: flags.regions, stackName: flags.stackName, regionConcurrency: flags.regionConcurrency, keepGoing: flags.keepGoing === true, yes: flags.yes === true, ask: questions && ((text) => renderer.whilePaused(() => questions.yesNo(secrets.redact(text)))), concurrency: flags.concurrency, backup: flags.backup, allowReplace: flags.allowReplace, parameters: flags.parameter, parametersFile: flags.parameters, settings: stackSettingsOf(flags), outputsFile: flags.outputsFile, disableRollback: flags.disableRollback === true, signal: interrupts.signal, secrets },
          emit,
        );
        renderer.finish();
        if (report.interrupted) {
          err(interruptedSummary([...report.stacks].map(([id, result]) => [id, 'outcome' in result ? whereItStands(result) : result.status.replace('-', ' ')])));
          process.exitCode = EXIT.interrupted;
          return;
        }
        if (report.diagnostics.length > 0) {
          const summary = summarize(report.diagnostics, new Set(report.diagnostics.map((d) => d.file)).size);
          if (flags.json) {
            const failure = { ok: false, error: { code: 'ValidationFailed', message: `${summary.errors} validation error(s): nothing was deployed`, hint: 'Fix the findings listed (stackpilot validate shows them all).' } };
            out(`${JSON.stringify({ ...failure, diagnostics: diagnosticRows(report.diagnostics) })}\n`);
          } else {
            out(`${formatText(report.diagnostics, summary, colors)}\nNothing was deployed: fix the errors above (stackpilot validate shows them all).\n`);
          }
          process.exitCode = EXIT.findings;
          return;
        }
        // Standard output holds only JSON lines with --json.
        const say = flags.json ? err : out;
        if (report.regions.size > 1) say(regionSummary(report.regions));
        say(confirmationSummary(waiting));
        for (const file of report.outputsFiles ?? []) say(`outputs written to ${relative(process.cwd(), file) || file}\n`);
        process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
      } finally {
        interrupts.release();
        renderer.finish();
        log?.finish();
        if (log?.failure) err(`warning: ${log.failure}\n`);
      }
    });
}
