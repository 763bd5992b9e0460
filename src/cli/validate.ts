import { Command, Option } from 'commander';
import type { Diagnostic } from '../diagnostics.ts';
import { StackpilotError } from '../errors.ts';
import { formatJson } from '../validate/format/json.ts';
import { formatSarif } from '../validate/format/sarif.ts';
import { summarize } from '../validate/format/summary.ts';
import { findingsFail, formatText } from '../validate/format/text.ts';
import { RULES } from '../validate/rules/index.ts';
import { BUILT_IN_RULES, validatePath, type SuppressedDiagnostic } from '../validate/validate.ts';
import { EXIT } from './exit-codes.ts';
import { jsonFailure } from './json-error.ts';
import { checkDay } from './options.ts';
import { colorsFor } from './terminal.ts';
import { VERSION } from './version.ts';

interface ValidateFlags {
  env?: string;
  parameters?: string;
  region?: string;
  format: 'text' | 'json' | 'sarif';
  strict?: boolean;
  showSuppressed?: boolean;
  asOf?: string;
}

export function validateCommand(): Command {
  return new Command('validate')
    .summary('check templates, parameter files and a project manifest offline')
    .description(
      `Checks each PATH as its own project, offline, and reports every finding at file:line:col
(relative to the current folder, as tsc and eslint print it, so terminals and editors link it).

PATH is one of:
  a template (YAML or JSON)            checked alone; --parameters checks a parameter file against it
  a folder of templates                one project: nested stacks, exports and imports checked across files
  a project (folder with stackpilot.yaml, or the file itself)
                                       the stacks, environments and parameter files the manifest declares

With a manifest, --env checks that environment's parameter values; without it, every environment's.
Rules are listed in docs/rules.md.

A finding the team accepts is suppressed by an ignore list: \`Metadata: {stackpilot: {ignore:
[SP3101]}}\` on a resource (that rule's findings in the resource) or at the template's top level
(in the whole template), or \`validate: {ignore: [SP2002, {rule: SP3102, path: legacy/}]}\` in
stackpilot.yaml (everywhere, or in one file or folder). Suppressed findings are counted in the
summary (\`2 suppressed\`), never in the exit code; --show-suppressed lists them. An id no rule
has is a warning (SP1003).

Dates: Lambda runtimes (SP3007), AWS services (SP3008) and properties (SP3009) AWS retires on a
given day are judged as of today (UTC): a warning once deprecated, an error once AWS refuses them.
--as-of YYYY-MM-DD judges them as of another day: a pinned day keeps a CI check from changing
with the calendar; a later one shows what will stop deploying.

Exit codes: 0 no errors (warnings pass unless --strict), 2 errors found (or warnings, with
--strict), 3 usage or I/O problem.`,
    )
    .argument('<path...>', 'templates, folders or projects to check')
    .option('-e, --env <name>', 'environment of the manifest whose parameter values to check (default: all)')
    .option('-p, --parameters <file>', 'parameter file to check against a single template or a folder of templates (array or key/value form)')
    .option('-r, --region <region>', 'apply the manifest\'s overrides for this region')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--strict', 'exit 2 on warnings too')
    .option('--as-of <YYYY-MM-DD>', 'judge lifecycle dates (runtimes, services, properties AWS retires) as of this day (default: today, UTC)', checkDay)
    .option('--show-suppressed', 'list the findings ignore lists suppress (under Suppressed, before the others)')
    .action((paths: string[], flags: ValidateFlags) => {
      process.exitCode = runValidate(paths, flags);
    });
}

function runValidate(paths: string[], flags: ValidateFlags): number {
  if (flags.parameters && paths.length !== 1) {
    process.stderr.write('error: --parameters applies to a single template; give one PATH\n');
    return EXIT.usage;
  }
  const diagnostics: Diagnostic[] = [];
  const suppressed: SuppressedDiagnostic[] = [];
  let files = 0;
  let ioProblem: StackpilotError | undefined;
  for (const path of paths) {
    try {
      const result = validatePath(path, { env: flags.env, parametersFile: flags.parameters, region: flags.region, today: flags.asOf });
      diagnostics.push(...result.diagnostics);
      suppressed.push(...result.suppressed);
      files += result.project.files.size;
    } catch (error) {
      if (!(error instanceof StackpilotError)) throw error;
      ioProblem ??= error;
      process.stderr.write(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
    }
  }
  const summary = summarize(diagnostics, files, suppressed.length);
  if (flags.format === 'json') process.stdout.write(formatJson(diagnostics, summary, suppressed, ioProblem && jsonFailure(ioProblem)) + '\n');
  else if (flags.format === 'sarif') process.stdout.write(formatSarif(diagnostics, [...RULES, ...BUILT_IN_RULES], VERSION, suppressed) + '\n');
  else if (files > 0 || diagnostics.length > 0) {
    const colors = colorsFor(process.stdout);
    if (flags.showSuppressed && suppressed.length > 0) process.stdout.write(`${colors.bold('Suppressed')}\n${formatText(suppressed, summarize(suppressed, files), colors).replace(/\n[^\n]*$/, '')}\n\n`);
    process.stdout.write(formatText(diagnostics, summary, colors, { strict: flags.strict }) + '\n');
  }

  if (ioProblem) return EXIT.usage;
  if (findingsFail(summary, flags.strict)) return EXIT.findings;
  return EXIT.ok;
}
