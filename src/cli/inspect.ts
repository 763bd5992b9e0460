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
    return { context, states, outputs, account: target.accountId };
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

/** One region's outputs as `outputs` shows them: each project stack, with its outputs when it has any to show. */
interface RegionOutputs {
  region: string;
  label: string;
  stacks: { id: string; stackName: string; outputs?: Record<string, string> }[];
}

/** The live stacks' outputs in each region (their secrets learned first), and what they describe. */
async function liveOutputs(path: string, flags: TargetFlags, secrets: Redactor) {
  const { labelled, regions } = await open(path, flags, secrets);
  const found: RegionOutputs[] = regions.map(({ region, label, states, outputs }) => ({ region, label, stacks: states.map((s) => ({ id: s.id, stackName: s.stackName, ...(s.stack ? { outputs: outputs(s.id) ?? {} } : {}) })) }));
  const header = { ...(regions[0].context.environment.env !== undefined ? { environment: regions[0].context.environment.env } : {}), account: regions[0].account, target: flags.target };
  return { labelled, found, header, missing: (r: RegionOutputs, s: RegionOutputs['stacks'][number]) => `${r.label}${s.stackName} is not deployed` };
}

/** The outputs the last deploy saved, read offline (no AWS call, no local engine). */
async function savedOutputs(path: string, flags: TargetFlags) {
  const { regionContexts } = await import('../regions/fanout.ts');
  const { readSavedProjectOutputs } = await import('../deploy/outputs-file.ts');
  const contexts = regionContexts(path, flags);
  const labelled = contexts.length > 1;
  const saved = readSavedProjectOutputs(contexts, flags.target);
  const found: RegionOutputs[] = saved.map(({ region, stacks }, i) => ({ region, label: labelled ? `${region}  ` : '', stacks: contexts[i].project.stacks.map(({ id }) => ({ id, stackName: contexts[i].stackName(id), ...(stacks.has(id) ? { outputs: stacks.get(id) } : {}) })) }));
  const first = saved.find((r) => r.document)?.document;
  const text = (key: string) => (typeof first?.[key] === 'string' ? first[key] : undefined);
  const environment = contexts[0].environment.env;
  const header = { ...(environment !== undefined ? { environment } : {}), account: text('account') ?? 'unknown', target: flags.target, ...(!labelled && text('writtenAt') ? { writtenAt: text('writtenAt') } : {}) };
  const files = new Map(saved.map((r) => [r.region, r.file]));
  return { labelled, found, header, missing: (r: RegionOutputs, s: RegionOutputs['stacks'][number]) => `${r.label}${s.stackName}: no saved outputs in ${files.get(r.region)} (deploy it, or leave out --saved to read the live stack)` };
}

export function outputsCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('outputs'))
    .summary('print the outputs of the project\'s stacks')
    .description(
      `Prints the outputs of each stack of the project, as a table or as JSON: by default read from the
live stacks in the target; with --saved, offline, from the files the last deploy wrote
(PATH/.stackpilot/outputs/<target>/<environment>/<region>.json; see deploy --help).
The JSON is the shape deploy writes: {"environment", "region", "account", "target", "stack":
{"Output": "value"}} (and "writtenAt" with --saved). An environment with regions: covers every
region (--region R picks one): the JSON is then {"environment", ..., "regions": {"<region>":
{"stack": {...}}}} and each table row starts with its region. Secrets show as ****.

Exit codes: 0 printed, 1 a stack is not deployed (or, with --saved, has no saved outputs), 3
usage or I/O problem (an AWS call that fails included).`,
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--saved', 'read the outputs the last deploy saved, offline, instead of the live stacks')
    .action(async (path: string, flags: TargetFlags & { format: 'table' | 'json'; saved?: boolean }) => {
      const { labelled, found, header, missing } = flags.saved ? await savedOutputs(path, flags) : await liveOutputs(path, flags, secrets);
      const { out, err } = redactingWriters(secrets);
      if (flags.format === 'json') {
        const { outputsDocument } = await import('../deploy/outputs-file.ts');
        const byStack = (r: RegionOutputs) => Object.fromEntries(r.stacks.flatMap((s) => (s.outputs ? [[s.id, s.outputs]] : [])));
        out(`${JSON.stringify(outputsDocument(header, found.map((r) => [r.region, byStack(r)]), labelled), null, 2)}\n`);
      } else {
        const rows = found.flatMap(({ label, stacks }) => stacks.flatMap((s) => Object.entries(s.outputs ?? {}).map(([key, value]) => [`${label}${s.stackName}`, key, value])));
        const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length), 5));
        for (const r of rows) out(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}\n`);
      }
      for (const r of found) for (const s of r.stacks.filter((stack) => !stack.outputs)) err(`${missing(r, s)}\n`);
      process.exitCode = found.every((r) => r.stacks.every((s) => s.outputs)) ? EXIT.ok : EXIT.failed;
    });
}
