import { Command, Option } from 'commander';
import type { Redactor } from '../redaction.ts';
import { EXIT } from './exit-codes.ts';
import { withTargetOptions, type TargetFlags } from './options.ts';
import { statusLines } from './render/status.ts';
import { colorsFor, redactingWriters } from './terminal.ts';

/**
 * The project's stacks as they stand in each region the command covers, and their secrets
 * learned before anything about them is written. `label` starts a line with its region when
 * there are several.
 */
async function open(path: string, flags: TargetFlags, secrets: Redactor) {
  const { inEveryRegion } = await import('../regions/fanout.ts');
  const { outputsByStack, projectState } = await import('../deploy/inspect.ts');
  const { projectSecrets } = await import('../deploy/secrets.ts');
  // The one event before the stacks are read: that a running `local serve` answers for the state.
  const notice = (event: { code: string; message?: string }) => void (event.code === 'phase' && process.stderr.write(`${event.message}\n`));
  const { labelled, results } = await inEveryRegion(path, flags, notice, async ({ context, target }) => {
    const states = await projectState(target.cloudformation, context);
    const outputs = outputsByStack(states);
    secrets.learn(await projectSecrets(context, target, outputs));
    return { context, states, outputs };
  });
  const regions = [...results].map(([region, found]) => ({ region, label: labelled ? `${region}  ` : '', ...found }));
  return { labelled, regions, states: regions.flatMap((r) => r.states) };
}

export function statusCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('status'))
    .summary('show each stack of the project as it stands, nested stacks included')
    .description('Shows each stack of the project in the target (the local engine by default): its status, when it last changed, its nested stacks, and resources whose data is gone (drift DELETED; the local engine looks for its data every time it starts). An environment with regions: is shown in every region (--region, --regions narrow it), each line starting with its region.\n\nColumns line up however long the names; a status that needs explaining gets a line under its stack: UPDATE_ROLLBACK_COMPLETE (marked !) means the last update failed and was rolled back, and the stack is usable, as it was before that update.\n\nExit codes: 0 every stack exists and is usable (UPDATE_ROLLBACK_COMPLETE included), 1 a stack is missing, failed or busy, or data it owns is gone, 3 usage or I/O problem (an AWS call that fails included).')
    .action(async (path: string, flags: TargetFlags) => {
      const { labelled, regions, states } = await open(path, flags, secrets);
      const { out, err } = redactingWriters(secrets);
      const { lines, healthy } = statusLines(regions.map(({ region, states: inRegion }) => ({ ...(labelled ? { region } : {}), states: inRegion })), colorsFor(process.stdout));
      for (const line of lines) out(`${line}\n`);
      if (states.some((s) => s.gone.length > 0)) {
        err(
          flags.target === 'local'
            ? 'Data the stacks own is gone from the local data planes (damaged or deleted local state): delete those stacks (stackpilot delete) and deploy again, or start afresh with `stackpilot local reset`.\n'
            : 'Resources the stacks own were deleted outside CloudFormation (drift DELETED, as last detected): recreate them, or delete and deploy those stacks again.\n',
        );
      }
      process.exitCode = healthy ? EXIT.ok : EXIT.failed;
    });
}

export function outputsCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('outputs'))
    .summary('print the outputs of the project\'s stacks')
    .description('Prints the outputs of each deployed stack of the project, as a table or as JSON (`{"environment": ..., "region": ..., "stack": {"Output": "value"}}`, the shape deploy writes to outputs.json). An environment with regions: covers every region (--region R picks one): the JSON is then `{"environment": ..., "regions": {"<region>": {"stack": {...}}}}` and each table row starts with its region.\n\nExit codes: 0 printed, 1 a stack is not deployed, 3 usage or I/O problem (an AWS call that fails included).')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (path: string, flags: TargetFlags & { format: 'table' | 'json' }) => {
      const { labelled, regions, states } = await open(path, flags, secrets);
      const { out, err } = redactingWriters(secrets);
      const byStack = ({ states: inRegion, outputs }: (typeof regions)[number]) => Object.fromEntries(inRegion.filter((s) => s.stack).map((s) => [s.id, outputs(s.id) ?? {}]));
      if (flags.format === 'json') {
        const { outputsDocument } = await import('../deploy/inspect.ts');
        out(`${JSON.stringify(outputsDocument(regions[0].context.environment.env, regions.map((r) => [r.region, byStack(r)]), labelled), null, 2)}\n`);
      } else {
        const rows = regions.flatMap(({ label, states: inRegion, outputs }) => inRegion.filter((s) => s.stack).flatMap((s) => Object.entries(outputs(s.id)!).map(([key, value]) => [`${label}${s.stackName}`, key, value])));
        const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length), 5));
        for (const r of rows) out(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}\n`);
        for (const { label, states: inRegion } of regions) for (const s of inRegion.filter((state) => !state.stack)) err(`${label}${s.stackName} is not deployed\n`);
      }
      process.exitCode = states.every((s) => s.stack) ? EXIT.ok : EXIT.failed;
    });
}
