import { Command, Option } from 'commander';
import type { Redactor } from '../redaction.ts';
import { EXIT } from './exit-codes.ts';
import { withTargetOptions, type TargetFlags } from './options.ts';
import { colorsFor, redactingWriters } from './terminal.ts';

type DriftFlags = TargetFlags & { stack?: string; format: 'text' | 'json' };

export function driftCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('drift'))
    .summary('find what was changed outside CloudFormation in the project\'s stacks')
    .description(
      `Runs CloudFormation drift detection on each deployed stack of the project (or only --stack),
and on every stack nested below it, one detection per stack, and shows for each stack IN_SYNC or
DRIFTED and, for each resource changed (MODIFIED) or deleted (DELETED) outside CloudFormation,
property by property: expected → actual. Only properties the template sets are compared, as
CloudFormation compares them; on the local engine, S3 buckets, DynamoDB tables, SSM parameters
and Secrets Manager secrets are checked, other types are not. Secrets show as ****.
--format json prints {"stacks": [...]} (see ProjectStackDrift in src/deploy/drift.ts).

Exit codes: 0 every stack in sync, 1 drift found, a detection failed or a stack is not
deployed, 3 usage or I/O problem (an AWS call that fails before any detection included).`,
    )
    .option('-s, --stack <id>', 'only this stack of the project (and the stacks nested in it)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (path: string, flags: DriftFlags) => {
      const { checkProjectDrift, hasDrift, propertyDriftInWords } = await import('../deploy/drift.ts');
      const drift = await checkProjectDrift(path, { ...flags, secrets });
      const { out } = redactingWriters(secrets);
      const missing = drift.some((p) => !p.deployed);
      process.exitCode = hasDrift(drift) || missing ? EXIT.failed : EXIT.ok;
      if (flags.format === 'json') {
        out(`${JSON.stringify({ stacks: drift }, null, 2)}\n`);
        return;
      }
      const colors = colorsFor(process.stdout);
      const mark = (good: boolean) => (good ? colors.green('✔') : colors.red('✖'));
      for (const project of drift) {
        const label = project.region ? `${colors.cyan(project.region)}  ` : '';
        if (!project.deployed) out(`${label}${mark(false)} ${project.stackName}  not deployed\n`);
        for (const stack of project.stacks) {
          const indent = `${label}${'  '.repeat(stack.nestedPath.length)}`;
          const name = stack.nestedPath.length > 0 ? `${stack.stackName} ${colors.dim(`(${[project.id, ...stack.nestedPath].join('/')})`)}` : stack.stackName;
          out(`${indent}${mark(stack.status === 'IN_SYNC')} ${name}  ${stack.status === 'FAILED' ? colors.red('detection failed') : stack.status}\n`);
          if (stack.reason) out(`${indent}    ${stack.reason}\n`);
          for (const r of stack.resources) {
            out(`${indent}    ${r.logicalId} ${colors.dim(`(${r.type} ${r.physicalId})`)}  ${r.status === 'DELETED' ? colors.red('DELETED') : colors.yellow('MODIFIED')}\n`);
            for (const p of r.properties) out(`${indent}      ${propertyDriftInWords(p)}\n`);
          }
        }
      }
    });
}
