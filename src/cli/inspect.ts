import { Command, Option } from 'commander';
import { EXIT } from './exit-codes.ts';
import { withTargetOptions, type TargetFlags } from './options.ts';
import { colorsFor } from './terminal.ts';

async function open(path: string, flags: TargetFlags) {
  const { loadDeployContext } = await import('../deploy/context.ts');
  const { openTarget } = await import('../deploy/target.ts');
  const { projectState } = await import('../deploy/inspect.ts');
  const context = loadDeployContext(path, flags);
  const target = await openTarget({ target: flags.target, region: context.region, profile: flags.profile, projectRoot: context.project.root });
  try {
    return { context, states: await projectState(target.cloudformation, context) };
  } finally {
    await target.close();
  }
}

export function statusCommand(): Command {
  return withTargetOptions(new Command('status'))
    .summary('show each stack of the project as it stands, nested stacks included')
    .description('Shows each stack of the project in the target (the local engine by default): its status, when it last changed, its nested stacks, and resources whose data is gone (drift DELETED; the local engine looks for its data every time it starts).\n\nExit codes: 0 all stacks exist and are healthy, 1 a stack is missing or failed, or data it owns is gone, 3 usage or I/O problem (an AWS call that fails included).')
    .action(async (path: string, flags: TargetFlags) => {
      const { states } = await open(path, flags);
      const colors = colorsFor(process.stdout);
      let healthy = true;
      for (const s of states) {
        const status = s.stack?.StackStatus ?? 'NOT_DEPLOYED';
        const good = /_COMPLETE$/.test(status) && !/ROLLBACK|DELETE/.test(status) && s.gone.length === 0;
        healthy &&= good;
        const when = s.stack ? (s.stack.LastUpdatedTime ?? s.stack.CreationTime)?.toISOString() : '';
        process.stdout.write(`${good ? colors.green('✔') : colors.red('✖')} ${s.stackName.padEnd(44)} ${status.padEnd(28)} ${when ?? ''}\n`);
        for (const n of s.nested) process.stdout.write(`    ${n.stackName.padEnd(42)} ${n.status}\n`);
        for (const g of s.gone) process.stdout.write(`    ${colors.red('✖')} data gone: ${g.stackName}/${g.logicalId} (${g.type} ${g.physicalId})\n`);
      }
      if (states.some((s) => s.gone.length > 0)) {
        process.stderr.write(
          flags.target === 'local'
            ? 'Data the stacks own is gone from the local data planes (damaged or deleted local state): delete those stacks (stackpilot delete) and deploy again, or start afresh with `stackpilot local reset`.\n'
            : 'Resources the stacks own were deleted outside CloudFormation (drift DELETED, as last detected): recreate them, or delete and deploy those stacks again.\n',
        );
      }
      process.exitCode = healthy ? EXIT.ok : EXIT.failed;
    });
}

export function outputsCommand(): Command {
  return withTargetOptions(new Command('outputs'))
    .summary('print the outputs of the project\'s stacks')
    .description('Prints the outputs of each deployed stack of the project, as a table or as JSON (`{"stack": {"Output": "value"}}`, the shape deploy writes to outputs.json).\n\nExit codes: 0 printed, 1 a stack is not deployed, 3 usage or I/O problem (an AWS call that fails included).')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (path: string, flags: TargetFlags & { format: 'table' | 'json' }) => {
      const { states } = await open(path, flags);
      const outputs = Object.fromEntries(states.filter((s) => s.stack).map((s) => [s.id, Object.fromEntries((s.stack!.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']))]));
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
      else {
        const rows = states.flatMap((s) => (s.stack?.Outputs ?? []).map((o) => [s.stackName, o.OutputKey!, o.OutputValue ?? '']));
        const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length), 5));
        for (const r of rows) process.stdout.write(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}\n`);
        for (const s of states.filter((state) => !state.stack)) process.stderr.write(`${s.stackName} is not deployed\n`);
      }
      process.exitCode = states.every((s) => s.stack) ? EXIT.ok : EXIT.failed;
    });
}
