import { CancelUpdateStackCommand } from '@aws-sdk/client-cloudformation';
import type { EventSink } from './events.ts';
import { recoverStacks, type CommandLine, type RecoveryOptions, type RecoveryReport, type RecoveryStack } from './recovery.ts';
import { failedToRollBack } from './rollback.ts';
import type { StackEnd } from './stack-deploy.ts';
import type { Target } from './target.ts';
import { newestEventId, watchStack } from './watch.ts';

/**
 * `stackpilot cancel`: CancelUpdateStack on each root stack being updated, followed until its
 * rollback ends (UPDATE_ROLLBACK_COMPLETE: the stack is as it was before the update). A stack
 * not being updated has nothing to cancel: said so, and not healthy for the exit code only when
 * --stack named it.
 */
export function cancelProject(path: string, options: RecoveryOptions, emit: EventSink): Promise<RecoveryReport> {
  return recoverStacks(path, options, emit, {
    prepare: async () => undefined,
    recover: (target, stack, _plan, command) => cancelUpdate(target, stack, command, emit),
  });
}

/** Cancels one root stack's update, as `stackpilot cancel` does, and follows its rollback to the end. */
export async function cancelUpdate(target: Target, stack: RecoveryStack, command: CommandLine, emit: EventSink): Promise<StackEnd> {
  const status = stack.stack?.StackStatus;
  if (status !== 'UPDATE_IN_PROGRESS') {
    const reason = `not being updated (${status ?? 'not deployed'}): nothing to cancel`;
    if (!stack.named) return { outcome: 'no-changes', ...(status ? { status } : {}), reason };
    const hint = status?.endsWith('_FAILED') ? `To bring it back to a working state: \`${command('rollback', '--stack', stack.id)}\`` : 'Only an update in progress can be cancelled.';
    return { outcome: 'needs-action', ...(status ? { status } : {}), reason, hint };
  }
  const context = { stack: stack.id, stackName: stack.stackName };
  const stackId = stack.stack!.StackId!;
  const since = new Date();
  const after = await newestEventId(target.cloudformation, stackId);
  emit({ code: 'stack-start', ...context, operation: 'cancel', resources: 0 });
  try {
    await target.cloudformation.send(new CancelUpdateStackCommand({ StackName: stackId }));
  } catch (error) {
    // The update ended between the read and the call: it stands as it ended.
    if (!/CancelUpdateStack cannot be called/.test((error as Error).message)) throw error;
  }
  const watched = await watchStack(target.cloudformation, stackId, { ...context, since, polling: target.polling, ...(after ? { after } : {}) }, emit);
  if (watched.status === 'UPDATE_ROLLBACK_COMPLETE') return { outcome: 'succeeded', status: watched.status };
  if (watched.status === 'UPDATE_ROLLBACK_FAILED') {
    const failures = await failedToRollBack(target.cloudformation, stackId);
    if (failures.length > 0) emit({ code: 'rollback-failures', ...context, failures });
    return { outcome: 'failed', status: watched.status, reason: watched.statusReason ?? 'the rollback of the cancelled update failed', hint: `Finish the rollback: \`${command('rollback', '--stack', stack.id)}\` (with --skip for what cannot be brought back).` };
  }
  if (watched.status === 'UPDATE_COMPLETE') {
    return { outcome: 'needs-action', status: watched.status, reason: 'the update completed before it could be cancelled', hint: 'To undo it, deploy the previous version of the templates and parameters.' };
  }
  return { outcome: 'failed', status: watched.status, reason: watched.statusReason ?? `the update ended ${watched.status} before it could be cancelled` };
}
