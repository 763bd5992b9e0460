import { Command, Option } from 'commander';
import type { ParameterOverride } from '../project/parameter-overrides.ts';
import { planJson } from '../deploy/plan-json.ts';
import type { PlanReport } from '../deploy/plan.ts';
import type { Redactor } from '../redaction.ts';
import { summarize } from '../validate/format/summary.ts';
import { formatText } from '../validate/format/text.ts';
import { EXIT } from './exit-codes.ts';
import { commandToCarryOn, trapInterrupts } from './interrupts.ts';
import { checkDay, stackSettingsOf, withParameterOption, withStackSettingOptions, withTargetOptions, type StackSettingFlags, type TargetFlags } from './options.ts';
import { costDeltaInWords } from '../cost/delta.ts';
import { previewTable } from './render/lines.ts';
import { parameterLines } from './render/parameters.ts';
import { propertyChangeLines } from './render/property-changes.ts';
import { colorsFor, redactingWriters } from './terminal.ts';

interface PlanFlags extends TargetFlags, StackSettingFlags {
  parameter: ParameterOverride[];
  parameters?: string;
  json?: boolean;
  format: 'text' | 'json';
  asOf?: string;
}

export function planCommand(secrets: Redactor): Command {
  return withStackSettingOptions(withParameterOption(withTargetOptions(new Command('plan'))))
    .summary('show what a deploy would do, from real change sets, without executing anything')
    .description(
      `Validates the project, prints the stack graph and the order a deploy follows, and for each
stack (nested stacks included) the change preview of a real change set: Action, resource,
type, Replacement, the properties that cause it, and whether stored data would be deleted;
notices name data no stackpilot backup keeps (RDS and the like without a Snapshot policy) and
the changes a protected stack (protect: true) would stop at.
The change sets are deleted again and nothing is executed; a stack that would be created
leaves no trace. A stack whose parameters come from another stack's outputs is previewed once
that stack is deployed. A stack whose change set fails, or for which AWS refuses a call, is
reported with the reason and what to do; the other stacks are still previewed.
An environment with regions: is planned in every region (--region, --regions narrow it), each
stack's preview headed by its region.

Parameters: each stack's values and where each came from (file:line:col, the region whose
override it is, template default, command line); NoEcho values as ****. Later sources win:
template Default, then the manifest's values and parameter files, then the region's
overrides, then --parameter KEY=VALUE (STACK.KEY=VALUE for one stack). A --parameter no
template declares is a usage error (exit 3).

PATH, --stack-name, --parameters FILE and the stack settings (--tag, --capabilities,
--role-arn, --notification-arn) are read as deploy reads them (see deploy --help): the change
sets are the ones deploy would create. --[no-]termination-protection that would change a
stack's protection is shown as \`Termination protection off → on\`, also on a stack whose
template has no changes (deploy applies it outside the change set).

Cost: each stack a deploy would create or update gets the change to its monthly estimate, the
deployed template and parameters against the project's (see stackpilot cost), naming the
resources that add, remove or change cost.

A modified resource's properties are compared, deployed template against the new one
(parameters resolved where known), and each difference shown as \`~ BillingMode: PROVISIONED →
PAY_PER_REQUEST\` (\`+\` added, \`-\` removed; nested values by path, \`Tags[0].Value\`); NoEcho
parameters and dynamic references as ****. A replacement of a resource whose custom name
(TableName, BucketName, FunctionName, RoleName...) stays the same is marked "will fail" with
CloudFormation's reason: a deploy refuses it before executing anything.

Validation judges lifecycle dates (Lambda runtimes, AWS services and properties AWS retires) as
of today, UTC; --as-of YYYY-MM-DD as of another day (see validate --help).

Nested templates are uploaded to the artifacts bucket (created if missing), as a deploy would
(change sets read them from there); nothing else is created or changed.

--format json (or --json) prints the plan as one JSON document, a stable interface documented
in src/deploy/plan-json.ts: version, validation, order, artifacts, and per stack its action,
notices, parameters (with where each value came from), settingChanges and changes (action,
replacement, causes, dataAtRisk, willFail, property differences).

Ctrl-C (or SIGTERM) stops the plan once the stack being previewed has cleaned up after itself;
a second stops at once (the next plan or deploy removes what a change set left).

Exit codes: 0 planned, 1 a stack could not be previewed (its change set failed, or an AWS call
did) or a change would fail, 2 validation errors, 3 usage or I/O problem (an AWS call that failed before any stack
included), 130 interrupted.`,
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--json', 'the same as --format json')
    .option('--as-of <YYYY-MM-DD>', 'validate lifecycle dates (runtimes, services, properties AWS retires) as of this day (default: today, UTC)', checkDay)
    .action(async (path: string, { parameter, parameters, json, format, asOf, capabilities, tag, roleArn, notificationArn, terminationProtection, ...flags }: PlanFlags) => {
      const { planProject } = await import('../deploy/plan.ts');
      const colors = colorsFor(process.stdout);
      const writers = redactingWriters(secrets);
      const out = (line = '') => writers.out(`${line}\n`);
      const interrupts = trapInterrupts({ target: flags.target });
      const report = await planProject(path, { ...flags, today: asOf, parameters: parameter, parametersFile: parameters, settings: stackSettingsOf({ capabilities, tag, roleArn, notificationArn, terminationProtection }), signal: interrupts.signal, secrets }, () => {}).finally(() => interrupts.release());
      const summary = summarize(report.diagnostics, new Set(report.diagnostics.map((d) => d.file)).size, report.suppressed);
      if (json || format === 'json') {
        out(planJson(report, summary));
        process.exitCode = planExitCode(report);
        return;
      }
      out(colors.bold('Validation'));
      out(report.diagnostics.length === 0 ? `  ${colors.green('✔')} no findings${summary.suppressed > 0 ? `, ${summary.suppressed} suppressed` : ''}` : formatText(report.diagnostics, summary, colors).replace(/^/gm, '  '));
      if (summary.errors > 0) {
        out('Nothing was planned: fix the errors above.');
        process.exitCode = EXIT.findings;
        return;
      }
      out();
      out(colors.bold('Order'));
      report.layers.forEach((layer, i) => out(`  ${i + 1}. ${layer.join(', ')}${layer.length > 1 ? colors.dim('  (at the same time)') : ''}`));
      for (const stack of report.stacks) {
        out();
        const what = { create: 'create', update: 'update', 'no-changes': 'no changes', unknown: 'not previewed', failed: colors.red('could not be previewed') }[stack.action];
        const note = stack.note && (stack.action === 'failed' ? `: ${colors.red(stack.note)}` : colors.dim(`: ${stack.note}`));
        out(`${stack.region ? `${colors.cyan(stack.region)}  ` : ''}${colors.bold(stack.stackName)}  ${what}${note ?? ''}`);
        if (stack.hint) out(`  ${stack.hint}`);
        if (stack.cost) out(`  ${colors.bold('Cost')} ${costDeltaInWords(stack.cost)}`);
        for (const change of stack.settingChanges ?? []) out(`  ${colors.bold('Termination protection')} ${onOff(change.before)} → ${onOff(change.after)}`);
        for (const line of parameterLines(stack.parameters ?? [], colors, stack.region ?? (report.regions.length > 1 ? report.region : undefined))) out(line);
        if (stack.changes.length > 0) for (const line of [...previewTable(stack.changes, colors), ...propertyChangeLines(stack.changes, colors)]) out(line);
        for (const notice of stack.notices ?? []) out(`  ${colors.yellow('⚠')} ${notice}`);
      }
      for (const upload of report.artifacts ?? []) {
        out();
        out(colors.dim(`Nested templates: ${upload.uploaded} uploaded, ${upload.unchanged} already in s3://${upload.bucket} (the only thing a plan writes)`));
      }
      if (report.interrupted) {
        const previewed = new Set(report.stacks.map((s) => s.id));
        writers.err(`interrupted: ${report.layers.flat().filter((id) => !previewed.has(id)).join(', ')} not previewed; nothing was changed. To carry on: ${commandToCarryOn()}\n`);
      }
      process.exitCode = planExitCode(report);
    });
}

const onOff = (on: boolean) => (on ? 'on' : 'off');

function planExitCode(report: PlanReport): number {
  if (report.diagnostics.some((d) => d.severity === 'error')) return EXIT.findings;
  if (report.interrupted) return EXIT.interrupted;
  return report.stacks.some((s) => s.action === 'failed' || s.changes.some((c) => c.willFail)) ? EXIT.failed : EXIT.ok;
}
