import type { Stack } from '@aws-sdk/client-cloudformation';
import { StackpilotError } from '../errors.ts';
import { shellWord } from '../shell-word.ts';
import { failureInWords } from './aws-errors.ts';
import { openRegions, regionContexts, type RegionRun } from '../regions/fanout.ts';
import type { DeployContext, StackTargetOptions } from './context.ts';
import type { EventSink } from './events.ts';
import { outputsByStack, projectState } from './inspect.ts';
import { reportInterrupt, runningSet } from './interrupt.ts';
import { projectSecrets } from './secrets.ts';
import { stackDone, type StackEnd } from './stack-deploy.ts';
import type { Target } from './target.ts';

/**
 * What `rollback` and `cancel` share: the project stacks they act on (each a root: a nested
 * stack is recovered through its root, as CloudFormation requires), one after the other, each
 * reported by a `stack-done` event.
 */

export interface RecoveryOptions extends StackTargetOptions {
  /** The project stack to act on (its id in the manifest, or its CloudFormation name); every stack of the environment when absent. */
  stack?: string;
}

export interface RecoveryReport {
  /** Every stack ended healthy, or had nothing to do. */
  ok: boolean;
  /** How each stack ended, by project stack id. */
  stacks: Map<string, StackEnd>;
  /** Stopped by an interrupt: the stack under way finished, the others were not started. */
  interrupted?: boolean;
}

/** One root stack to act on, as it stood when the command began. */
export interface RecoveryStack {
  id: string;
  stackName: string;
  /** Undefined when it does not exist. */
  stack?: Stack;
  /** Named by --stack: "nothing to do" is then worth an exit code of its own. */
  named: boolean;
}

/** How a user runs a stackpilot command on this project again: for hints. */
export type CommandLine = (verb: string, ...flags: string[]) => string;

export function commandLine(path: string, options: RecoveryOptions, context: DeployContext, labelled = false): CommandLine {
  const env = context.project.kind === 'manifest' && options.env !== undefined ? ['--env', options.env] : [];
  // With several regions, a hint is about the region it names.
  const region = labelled ? context.region : options.target === 'aws' ? options.region : undefined;
  const target = [...(options.target === 'aws' ? ['--target', 'aws', ...(options.profile ? ['--profile', options.profile] : [])] : []), ...(region ? ['--region', region] : [])];
  return (verb, ...flags) => ['stackpilot', verb, path, ...env, ...target, ...flags].map(shellWord).join(' ');
}

/** The stacks --stack names (by id or CloudFormation name), else all of the environment's; a name that matches none is a usage error. */
function chosenStacks(context: DeployContext, wanted: string | undefined): { id: string; stackName: string }[] {
  const all = context.project.stacks.map(({ id }) => ({ id, stackName: context.stackName(id) }));
  if (wanted === undefined) return all;
  const found = all.filter((s) => s.id === wanted || s.stackName === wanted);
  if (found.length === 0) throw new StackpilotError('UnknownStack', `${context.project.name} has no stack ${wanted}`, `Stacks: ${all.map((s) => `${s.id} (${s.stackName})`).join(', ')}.`);
  return found;
}

/**
 * Opens the target, reads the chosen stacks, lets `prepare` check the whole request before any
 * stack is touched (a StackpilotError there changes nothing), then recovers the stacks one by
 * one. An interrupt lets the stack under way finish; the others are reported not started.
 */
export interface RecoveryWork<Plan> {
  prepare: (target: Target, stacks: RecoveryStack[], command: CommandLine) => Promise<Plan>;
  recover: (target: Target, stack: RecoveryStack, plan: Plan, command: CommandLine) => Promise<StackEnd>;
}

export async function recoverStacks<Plan>(path: string, options: RecoveryOptions, emit: EventSink, work: RecoveryWork<Plan>): Promise<RecoveryReport> {
  const regions = await openRegions(regionContexts(path, options), options, emit);
  try {
    // Region after region (the environment's order): each checks its whole request before touching its stacks.
    const ends = new Map<string, StackEnd>();
    for (const run of regions.runs) {
      for (const [id, end] of await recoverRegion(run, path, options, work)) ends.set(run.labelled ? `${id} (${run.region})` : id, end);
    }
    const ok = [...ends.values()].every((e) => e.outcome === 'succeeded' || e.outcome === 'no-changes');
    return { ok, stacks: ends, ...(options.signal?.aborted ? { interrupted: true } : {}) };
  } finally {
    await regions.close();
  }
}

/** recoverStacks in one region: how each of its chosen stacks ended, by id. */
async function recoverRegion<Plan>({ context, target, emit, labelled }: RegionRun, path: string, options: RecoveryOptions, work: RecoveryWork<Plan>): Promise<Map<string, StackEnd>> {
  const chosen = chosenStacks(context, options.stack);
  const command = commandLine(path, options, context, labelled);
  const states = await projectState(target.cloudformation, context);
  options.secrets?.learn(await projectSecrets(context, target, outputsByStack(states)));
  const stacks = chosen.map(({ id, stackName }): RecoveryStack => {
    const stack = states.find((s) => s.id === id)?.stack;
    return { id, stackName, named: options.stack !== undefined, ...(stack ? { stack } : {}) };
  });
  const plan = await work.prepare(target, stacks, command);
  const ends = new Map<string, StackEnd>();
  const running = runningSet();
  reportInterrupt(options.signal, running.names, emit);
  for (const stack of stacks) {
    const stackContext = { stack: stack.id, stackName: stack.stackName };
    if (options.signal?.aborted) {
      ends.set(stack.id, { outcome: 'not-started' });
      emit(stackDone(stackContext, { outcome: 'not-started' }, 0));
      continue;
    }
    const started = Date.now();
    let end: StackEnd;
    try {
      end = await running.track(stack.stackName, () => work.recover(target, stack, plan, command));
    } catch (error) {
      const failure = failureInWords(error);
      if (!failure) throw error;
      end = { outcome: 'failed', reason: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
    }
    ends.set(stack.id, end);
    emit(stackDone(stackContext, end, (Date.now() - started) / 1000));
  }
  return ends;
}
