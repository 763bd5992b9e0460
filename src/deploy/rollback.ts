import { ContinueUpdateRollbackCommand, ListStackResourcesCommand, RollbackStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { StackpilotError } from '../errors.ts';
import { awsStep } from './aws-errors.ts';
import { isTerminalStatus, type EventSink, type RollbackFailure } from './events.ts';
import { describeStack } from './inspect.ts';
import { recoverStacks, type CommandLine, type RecoveryOptions, type RecoveryReport, type RecoveryStack } from './recovery.ts';
import type { StackEnd } from './stack-deploy.ts';
import type { Target } from './target.ts';
import { newestEventId, watchStack, type WatchResult } from './watch.ts';

export interface RollbackOptions extends RecoveryOptions {
  /**
   * Resources to skip in a continued update rollback, as `rollback` lists them: `LogicalId` in the
   * stack itself, `NestedStack.LogicalId` in a nested stack (the logical ids from the root down,
   * dot- or slash-separated). Only resources whose rollback failed can be skipped.
   */
  skip: string[];
  /** --yes: skipping needs no confirmation. */
  yes: boolean;
  /** Asks a person; absent when nobody can be asked (no terminal). */
  ask?: (question: string) => Promise<boolean>;
}

interface StackContext {
  stack: string;
  stackName: string;
}

/** A nested stack whose status is one of these can be skipped as a whole (CloudFormation's rule). */
const DELETED = /^DELETE_/;

/**
 * The resources of a stack and of its nested stacks whose rollback failed, with CloudFormation's
 * reasons. A nested stack that failed to roll back is looked into: what to skip are its
 * resources, not itself (unless it is being deleted or gone).
 */
export async function failedToRollBack(cfn: CloudFormationClient, stackId: string, nestedPath: string[] = []): Promise<RollbackFailure[]> {
  const failures: RollbackFailure[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackId, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.ResourceStatus !== 'UPDATE_FAILED') continue;
      const child = r.ResourceType === 'AWS::CloudFormation::Stack' && r.PhysicalResourceId ? await describeStack(cfn, r.PhysicalResourceId) : undefined;
      if (child && !DELETED.test(child.StackStatus ?? '')) {
        failures.push(...(await failedToRollBack(cfn, child.StackId!, [...nestedPath, r.LogicalResourceId!])));
        continue;
      }
      const logicalId = r.LogicalResourceId!;
      failures.push({ logicalId, resourceType: r.ResourceType ?? '', reason: r.ResourceStatusReason ?? 'no reason given', nestedPath, skipName: [...nestedPath, logicalId].join('.') });
    }
    token = page.NextToken;
  } while (token);
  return failures;
}

/** A resource to skip as ContinueUpdateRollback takes it: `NestedStackLogicalId.ResourceLogicalId` for a nested stack's, whatever its depth. */
export const resourceToSkip = (failure: RollbackFailure): string => (failure.nestedPath.length === 0 ? failure.logicalId : `${failure.nestedPath.at(-1)}.${failure.logicalId}`);

async function followed(target: Target, stackId: string, context: StackContext, emit: EventSink, start: () => Promise<unknown>): Promise<WatchResult> {
  const since = new Date();
  const after = await newestEventId(target.cloudformation, stackId);
  await start();
  return watchStack(target.cloudformation, stackId, { ...context, since, polling: target.polling, ...(after ? { after } : {}) }, emit);
}

/** RollbackStack on a stack a failed create or update kept as it failed (DisableRollback), followed to its end. */
export function rollBackKeptFailure(target: Target, stackId: string, context: StackContext, emit: EventSink): Promise<WatchResult> {
  return followed(target, stackId, context, emit, () => target.cloudformation.send(new RollbackStackCommand({ StackName: stackId })));
}

/** ContinueUpdateRollback, skipping `skip` (as CloudFormation names them, see resourceToSkip), followed to its end. */
export function continueRollback(target: Target, stackId: string, context: StackContext, skip: string[], emit: EventSink): Promise<WatchResult> {
  return followed(target, stackId, context, emit, () => target.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: stackId, ...(skip.length > 0 ? { ResourcesToSkip: skip } : {}) })));
}

export interface RollbackPlan {
  /** The resources that failed to roll back, by project stack id (stacks in UPDATE_ROLLBACK_FAILED only). */
  failures: Map<string, RollbackFailure[]>;
  /** --skip, in `skipName` form. */
  skip: Set<string>;
}

/**
 * `stackpilot rollback`: each root stack is brought back to a working state as its status
 * allows. UPDATE_ROLLBACK_FAILED: the resources that failed to roll back are listed, and the
 * rollback continued (skipping --skip, once confirmed); CREATE_FAILED or UPDATE_FAILED (kept by
 * --disable-rollback): rolled back; any other status is explained, with the command it needs.
 * Every --skip must name a resource that failed to roll back, or nothing is done.
 */
export function rollbackProject(path: string, options: RollbackOptions, emit: EventSink): Promise<RecoveryReport> {
  return recoverStacks<RollbackPlan>(path, options, emit, {
    prepare: async (target, stacks) => {
      const failing = stacks.filter((s) => s.stack?.StackStatus === 'UPDATE_ROLLBACK_FAILED');
      const failures = new Map(
        await awsStep('read the resources that failed to roll back (nothing was changed)', () => Promise.all(failing.map(async (s) => [s.id, await failedToRollBack(target.cloudformation, s.stack!.StackId!)] as const))),
      );
      const skip = new Set(options.skip.map((name) => name.replaceAll('/', '.')));
      const known = [...failures.values()].flat();
      const unknown = [...skip].filter((name) => !known.some((f) => f.skipName === name));
      if (unknown.length > 0) {
        throw new StackpilotError(
          'NotSkippable',
          `--skip ${unknown.join(' ')}: ${unknown.length === 1 ? 'no resource of that name' : 'no resources of those names'} failed to roll back, so nothing was done`,
          known.length > 0 ? `Resources that failed to roll back: ${known.map((f) => f.skipName).join(', ')}.` : 'No stack here is in UPDATE_ROLLBACK_FAILED: --skip is only for resources whose rollback failed.',
        );
      }
      return { failures, skip };
    },
    recover: (target, stack, plan, command) => rollbackStack(target, stack, plan, options, command, emit),
  });
}

/** Rolls back one root stack as `stackpilot rollback` does (see rollbackProject), with the failures and skips read beforehand. */
export async function rollbackStack(target: Target, stack: RecoveryStack, plan: RollbackPlan, options: Pick<RollbackOptions, 'yes' | 'ask'>, command: CommandLine, emit: EventSink): Promise<StackEnd> {
  const context = { stack: stack.id, stackName: stack.stackName };
  const status = stack.stack?.StackStatus;
  if (!stack.stack || !status) {
    return stack.named ? { outcome: 'needs-action', reason: `${stack.stackName} does not exist: there is nothing to roll back`, hint: `Deploy it: \`${command('deploy')}\`` } : { outcome: 'no-changes', reason: 'not deployed: nothing to roll back' };
  }
  const stackId = stack.stack.StackId!;
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    const failures = plan.failures.get(stack.id) ?? [];
    if (failures.length > 0) emit({ code: 'rollback-failures', ...context, failures });
    const skipped = failures.filter((f) => plan.skip.has(f.skipName));
    if (skipped.length > 0) {
      const names = skipped.map((f) => f.skipName);
      const them = names.length === 1 ? 'it' : 'them';
      const question = `Skip ${names.join(', ')} in ${stack.stackName}? CloudFormation marks ${them} UPDATE_COMPLETE without rolling ${them} back: left as the failed update made ${them}, out of step with the template until a deploy brings ${them} in line.`;
      const answer = options.yes ? true : options.ask ? await options.ask(question) : 'nobody';
      if (answer !== true) {
        return answer === 'nobody'
          ? { outcome: 'needs-action', status, reason: 'skipping resources needs confirmation, and there is no terminal to ask on: nothing was changed', hint: `Run it on a terminal to be asked, or with --yes: \`${command('rollback', '--stack', stack.id, '--yes', '--skip', ...names)}\`` }
          : { outcome: 'needs-action', status, reason: 'skipping not confirmed: nothing was changed' };
      }
    }
    emit({ code: 'stack-start', ...context, operation: 'rollback', resources: 0 });
    const watched = await continueRollback(target, stackId, context, skipped.map(resourceToSkip), emit);
    if (watched.status === 'UPDATE_ROLLBACK_COMPLETE' && skipped.length > 0) {
      emit({ code: 'warning', message: `${stack.stackName}: skipped ${skipped.map((f) => f.skipName).join(', ')}, which stay as the failed update left them: deploy to bring them in line with the template` });
    }
    return afterRollback(target, stack, watched, command, emit);
  }
  if (status === 'CREATE_FAILED' || status === 'UPDATE_FAILED') {
    emit({ code: 'stack-start', ...context, operation: 'rollback', resources: 0 });
    return afterRollback(target, stack, await rollBackKeptFailure(target, stackId, context, emit), command, emit);
  }
  return explainStatus(stack, status, command);
}

/** How a rollback ended: healthy, a stack that only deletion can help, or what still failed to roll back and how to go on. */
async function afterRollback(target: Target, stack: RecoveryStack, watched: WatchResult, command: CommandLine, emit: EventSink): Promise<StackEnd> {
  if (watched.status === 'UPDATE_ROLLBACK_COMPLETE') return { outcome: 'succeeded', status: watched.status };
  if (watched.status === 'ROLLBACK_COMPLETE') return failedCreate(stack, watched.status, command, 'its failed create is rolled back');
  if (watched.status === 'UPDATE_ROLLBACK_FAILED') {
    const failures = await failedToRollBack(target.cloudformation, stack.stack!.StackId!);
    if (failures.length > 0) emit({ code: 'rollback-failures', stack: stack.id, stackName: stack.stackName, failures });
    const skip = failures.map((f) => f.skipName);
    const them = skip.length === 1 ? 'it' : 'them';
    return {
      outcome: 'failed',
      status: watched.status,
      reason: watched.statusReason ?? 'the rollback failed',
      ...(watched.firstFailure ? { firstFailure: watched.firstFailure } : {}),
      hint: `Fix what stops ${them} and run \`${command('rollback', '--stack', stack.id)}\` again${skip.length > 0 ? `, or skip ${them}: \`${command('rollback', '--stack', stack.id, '--skip', ...skip)}\`` : ''}`,
    };
  }
  return { outcome: 'failed', status: watched.status, reason: watched.statusReason ?? `the rollback ended ${watched.status}`, ...(watched.firstFailure ? { firstFailure: watched.firstFailure } : {}) };
}

const failedCreate = (stack: RecoveryStack, status: string, command: CommandLine, what: string): StackEnd => ({
  outcome: 'needs-action',
  status,
  reason: `${what}: CloudFormation can neither update nor roll back a stack whose create failed, only delete it and create it again`,
  hint: `Fix the cause, then \`${command('deploy')}\`: it deletes ${stack.stackName} (once you confirm) and creates it anew. Or delete it first (aws cloudformation delete-stack --stack-name ${stack.stackName}) and deploy.`,
});

/** A stack in no state to roll back: why, and what it needs instead. */
function explainStatus(stack: RecoveryStack, status: string, command: CommandLine): StackEnd {
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED') return failedCreate(stack, status, command, status === 'ROLLBACK_COMPLETE' ? 'its create failed and was rolled back' : 'its create failed and so did its rollback');
  if (status === 'UPDATE_IN_PROGRESS') {
    return { outcome: 'needs-action', status, reason: 'it is being updated: nothing to roll back until the update ends', hint: `Wait for the update to end, or stop it and roll it back now: \`${command('cancel', '--stack', stack.id)}\`` };
  }
  if (status === 'DELETE_FAILED') return { outcome: 'needs-action', status, reason: 'its delete failed: a stack being deleted is not rolled back', hint: `Finish deleting it: \`${command('delete')}\` (its events say what stopped the delete).` };
  if (!isTerminalStatus(status) && status !== 'REVIEW_IN_PROGRESS') {
    return { outcome: 'needs-action', status, reason: 'another operation is under way', hint: `Wait for it to end (\`${command('status')}\` shows where it stands), then roll back if the stack is not healthy.` };
  }
  return { outcome: 'no-changes', status, reason: `nothing to roll back (${status})` };
}
