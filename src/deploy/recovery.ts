import type { Stack } from '@aws-sdk/client-cloudformation';
import { StackpilotError } from '../errors.ts';
import { shellWord } from '../shell-word.ts';
import { failureInWords } from './aws-errors.ts';
import { loadDeployContext, type DeployContext, type StackTargetOptions } from './context.ts';
import type { EventSink } from './events.ts';
import { outputsByStack, projectState } from './inspect.ts';
import { reportInterrupt, runningSet } from './interrupt.ts';
import { projectSecrets } from './secrets.ts';
import { stackDone, type StackEnd } from './stack-deploy.ts';
import { openTarget, type Target } from './target.ts';

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

export function commandLine(path: string, options: RecoveryOptions, context: DeployContext): CommandLine {
  const env = context.project.kind === 'manifest' && options.env !== undefined ? ['--env', options.env] : [];
  const target = options.target === 'aws' ? ['--target', 'aws', ...(options.profile ? ['--profile', options.profile] : []), ...(options.region ? ['--region', options.region] : [])] : [];
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
export async function recoverStacks<Plan>(
  path: string,
  options: RecoveryOptions,
  emit: EventSink,
  work: {
    prepare: (target: Target, stacks: RecoveryStack[], command: CommandLine) => Promise<Plan>;
    recover: (target: Target, stack: RecoveryStack, plan: Plan, command: CommandLine) => Promise<StackEnd>;
  },
): Promise<RecoveryReport> {
  const context = loadDeployContext(path, options);
  const chosen = chosenStacks(context, options.stack);
  const command = commandLine(path, options, context);
  const target = await openTarget({ target: options.target, region: context.region, profile: options.profile, projectRoot: context.project.root, engine: options.engine });
  try {
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
      const context = { stack: stack.id, stackName: stack.stackName };
      if (options.signal?.aborted) {
        ends.set(stack.id, { outcome: 'not-started' });
        emit(stackDone(context, { outcome: 'not-started' }, 0));
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
      emit(stackDone(context, end, (Date.now() - started) / 1000));
    }
    const ok = [...ends.values()].every((e) => e.outcome === 'succeeded' || e.outcome === 'no-changes');
    return { ok, stacks: ends, ...(options.signal?.aborted ? { interrupted: true } : {}) };
  } finally {
    await target.close();
  }
}
