import { loadDeployContext, type DeployContext, type ProjectChoice, type StackTargetOptions } from '../deploy/context.ts';
import type { EventSink } from '../deploy/events.ts';
import { openTargets, type Target } from '../deploy/target.ts';
import { StackpilotError } from '../errors.ts';
import { manifestEnvironment } from '../project/manifest.ts';

/**
 * Region fan-out: an environment that declares `regions:` covers all of them in every command;
 * --region narrows to one, --regions to several. One DeployContext per region (each with that
 * region's parameter overrides) and one Target per region (on the local target all share one
 * LocalAws, which holds the state lock).
 */

export interface RegionChoice extends ProjectChoice {
  /** --regions: several. */
  regions?: string[];
}

/** One region of a command: its project view, its clients, and its events (labelled when the command covers several regions). */
export interface RegionRun {
  region: string;
  context: DeployContext;
  target: Target;
  emit: EventSink;
  /** The command covers several regions: what it shows of this one names the region. */
  labelled: boolean;
}

export interface OpenRegions {
  runs: RegionRun[];
  /** Targets of regions only read from (another region's outputs), by region. */
  readers: Map<string, Target>;
  /** More than one region: events and lines carry their region. */
  labelled: boolean;
  close(): Promise<void>;
}

/**
 * The regions a command covers: those asked for (checked against the environment's), else the
 * environment's `regions:`, else its one region. An environment without `regions:` takes any
 * --region, as it always has.
 */
export function chooseRegions(environment: string | undefined, declared: readonly string[] | undefined, resolved: string, choice: RegionChoice): string[] {
  if (choice.region !== undefined && choice.regions !== undefined) throw new StackpilotError('RegionsConflict', '--region and --regions cannot both be given', 'Use --regions a,b for several regions, --region for one.');
  const asked = choice.regions ?? (choice.region !== undefined ? [choice.region] : undefined);
  if (declared === undefined || declared.length === 0) return asked ? [...new Set(asked)] : [resolved];
  if (asked === undefined) return [...new Set(declared)];
  const unknown = asked.filter((r) => !declared.includes(r));
  if (unknown.length > 0) {
    throw new StackpilotError(
      'RegionNotInEnvironment',
      `${environment === undefined ? 'the environment' : `environment ${environment}`} does not cover ${unknown.join(', ')}`,
      `Its regions are ${declared.join(', ')}: choose among them with --region or --regions, or add the region to its regions: in stackpilot.yaml.`,
    );
  }
  return [...new Set(asked)];
}

/** The environment's declared regions, in the manifest's order (the first is the primary). */
export function declaredRegions(context: DeployContext): string[] | undefined {
  return manifestEnvironment(context.project.manifest, context.environment.env)?.regions;
}

/** A DeployContext for each region the command covers, in the environment's order. */
export function regionContexts(path: string, choice: RegionChoice): DeployContext[] {
  const project = { parameters: choice.parameters, parametersFile: choice.parametersFile, stackName: choice.stackName };
  const first = loadDeployContext(path, { ...project, env: choice.env, region: choice.regions?.[0] ?? choice.region });
  const regions = chooseRegions(first.environment.env, declaredRegions(first), first.region, choice);
  // `first` is reused only when it was resolved for that region (its overrides applied).
  return regions.map((region) => (region === first.environment.region ? first : loadDeployContext(path, { ...project, env: first.environment.env, region })));
}

/**
 * Opens a target for each region's context, and one for each region only `read` from; close()
 * closes them all (and the shared local engine last).
 */
export async function openRegions(contexts: DeployContext[], options: Pick<StackTargetOptions, 'target' | 'profile' | 'engine'>, emit: EventSink, read: string[] = []): Promise<OpenRegions> {
  const regions = contexts.map((c) => c.region);
  const targets = await openTargets({ target: options.target, profile: options.profile, projectRoot: contexts[0].project.root, engine: options.engine, regions: [...regions, ...read] });
  const served = targets[0].servedBy;
  if (served) emit({ code: 'phase', phase: 'connect', message: `the local state is held by \`stackpilot local serve\` (process ${served.pid}): sending requests to it at ${served.url}` });
  const labelled = contexts.length > 1;
  const runs = contexts.map((context, i): RegionRun => ({ region: context.region, context, target: targets[i], emit: labelled ? regionEmitter(emit, context.region) : emit, labelled }));
  const readers = new Map(read.map((region, i) => [region, targets[regions.length + i]]));
  return { runs, readers, labelled, close: async () => void (await Promise.all(targets.map((t) => t.close()))) };
}

const regionEmitter = (emit: EventSink, region: string): EventSink => (event) => emit({ ...event, region });

/**
 * Runs `work` in every region the command covers, all at once, and closes the targets after.
 * Results come back in the regions' order.
 */
export async function inEveryRegion<T>(path: string, options: RegionChoice & Pick<StackTargetOptions, 'target' | 'profile' | 'engine'>, emit: EventSink, work: (run: RegionRun) => Promise<T>): Promise<{ labelled: boolean; results: Map<string, T> }> {
  const regions = await openRegions(regionContexts(path, options), options, emit);
  try {
    const results = await Promise.all(regions.runs.map(work));
    return { labelled: regions.labelled, results: new Map(regions.runs.map((run, i) => [run.region, results[i]])) };
  } finally {
    await regions.close();
  }
}
