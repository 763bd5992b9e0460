import { DeleteStackCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { isTerminalStatus, type EventSink } from './events.ts';
import { keptByFailedCreate, removeKept } from './failed-create.ts';
import { dataGone, describeStack } from './inspect.ts';
import { continueRollback, rollBackKeptFailure } from './rollback.ts';
import type { StackResult } from './stack-deploy.ts';
import type { Target } from './target.ts';
import { pauses, watchStack, type WatchResult } from './watch.ts';

/** What to do about a stack whose update rollback failed. */
export const ROLLBACK_FAILED_HINT =
  'The rollback failed too: `stackpilot rollback` lists the resources it could not bring back; fix them and run it again, or skip them (`stackpilot rollback --skip NestedStack.LogicalId`), then deploy again.';

export const CONFIRM_HINT = 'Nothing was changed. Run the deploy again with --yes to go ahead, or on a terminal to be asked.';

/** How a question nobody could answer, or a person answered no, ends a stack's deploy: nothing changed either way. */
export function unconfirmed(answer: false | 'nobody', why: string, status: string | undefined): StackResult {
  if (answer === false) return { outcome: 'cancelled', status, reason: 'cancelled by you, nothing changed', outputs: {} };
  return { outcome: 'awaiting-confirmation', status, reason: `${why}; no terminal to ask on`, hint: CONFIRM_HINT, outputs: {} };
}

/** Asks a person (unless --yes or nothing needs asking): yes, no, or nobody to ask. */
export type Confirm = (question: string, needed: boolean) => Promise<boolean | 'nobody'>;

/** The stack to deploy over (none: create it), or how the deploy of this stack ends already. */
export type Recovery = { existing: Stack | undefined } | { result: StackResult };

interface StackContext {
  stack: string;
  stackName: string;
}

/**
 * Before a stack is deployed, what an earlier operation left it in is dealt with as
 * CloudFormation allows, so a failure, an interrupt or a kill is never a dead end:
 * - busy in another operation: waited for, never trampled;
 * - REVIEW_IN_PROGRESS (a create change set never executed): removed, nothing was created;
 * - left by a failed create (CREATE_FAILED is rolled back first; ROLLBACK_COMPLETE,
 *   ROLLBACK_FAILED): it can only be deleted, so once confirmed it is deleted, with what its
 *   rollback kept by DeletionPolicy (see failed-create.ts), and created again;
 * - UPDATE_ROLLBACK_FAILED: the rollback is continued, then the stack is updated;
 * - on the local engine, a stack whose data is gone from the data planes (damaged state) stops,
 *   named, rather than be updated (or found unchanged) over data that is not there;
 * - DELETE_FAILED: left to `stackpilot delete`, which is what was under way.
 */
export async function recoverStack(target: Target, context: StackContext, confirm: Confirm, emit: EventSink): Promise<Recovery> {
  let existing = await waitUntilIdle(target, context.stackName, emit);
  if (existing?.StackStatus === 'REVIEW_IN_PROGRESS') {
    emit({ code: 'warning', message: `${context.stackName} was left in REVIEW_IN_PROGRESS by a change set never executed; removing it` });
    await deleteAndWait(target, existing, context, () => {});
    return { existing: undefined };
  }
  if (existing?.StackStatus === 'CREATE_FAILED') {
    emit({ code: 'warning', message: `${context.stackName} was left in CREATE_FAILED by a create that did not roll back; rolling it back` });
    await rollBackKeptFailure(target, existing.StackId!, context, emit);
    existing = await describeStack(target.cloudformation, existing.StackId!);
  }
  if (existing?.StackStatus === 'ROLLBACK_COMPLETE' || existing?.StackStatus === 'ROLLBACK_FAILED') return replaceFailedCreate(target, existing, context, confirm, emit);
  if (existing?.StackStatus === 'UPDATE_ROLLBACK_FAILED') {
    emit({ code: 'warning', message: `${context.stackName} was left in UPDATE_ROLLBACK_FAILED; continuing its rollback` });
    const rolledBack = await continueRollback(target, existing.StackId!, context, [], emit);
    if (rolledBack.status !== 'UPDATE_ROLLBACK_COMPLETE') {
      return { result: { outcome: 'failed', status: rolledBack.status, reason: rolledBack.statusReason ?? `its rollback ended ${rolledBack.status}`, ...(rolledBack.firstFailure ? { firstFailure: rolledBack.firstFailure } : {}), hint: ROLLBACK_FAILED_HINT, outputs: {} } };
    }
    existing = await describeStack(target.cloudformation, existing.StackId!);
  }
  if (existing && target.kind === 'local') {
    const gone = await dataGone(target.cloudformation, existing);
    if (gone.length > 0) {
      return {
        result: {
          outcome: 'failed',
          status: existing.StackStatus,
          reason: `the data of ${gone.map((g) => `${g.stackName}/${g.logicalId} (${g.type} ${g.physicalId})`).join(', ')} is gone from the local data planes, though the stack owns it`,
          hint: `The local state was damaged or deleted in part. Delete the stack (stackpilot delete) and deploy again, or start afresh with \`stackpilot local reset\`.`,
          outputs: {},
        },
      };
    }
  }
  if (existing?.StackStatus === 'DELETE_FAILED') {
    return { result: { outcome: 'failed', status: existing.StackStatus, reason: `${context.stackName} is in DELETE_FAILED: it was being deleted`, hint: 'Finish deleting it with `stackpilot delete` (its events say what stopped it), then deploy again.', outputs: {} } };
  }
  return { existing };
}

async function replaceFailedCreate(target: Target, existing: Stack, context: StackContext, confirm: Confirm, emit: EventSink): Promise<Recovery> {
  const kept = await keptByFailedCreate(target.cloudformation, existing.StackId!, context.stackName);
  const keptWords = kept.length > 0 ? `; its rollback kept ${kept.length} resource(s) by their DeletionPolicy, whose names the new create needs: ${kept.map((k) => `${k.path} (${k.type} ${k.physicalId})`).join(', ')}` : '';
  const answer = await confirm(`${context.stackName} is in ${existing.StackStatus} after a failed create and can only be deleted${keptWords}. Delete ${kept.length > 0 ? 'them and ' : ''}it, and create it again?`, true);
  if (answer !== true) return { result: unconfirmed(answer, `it failed to create (${existing.StackStatus}): replacing it deletes it${kept.length > 0 ? ` and what its rollback kept (${kept.map((k) => k.path).join(', ')})` : ''}, then creates it again`, existing.StackStatus) };
  const deleted = await deleteAndWait(target, existing, context, emit);
  if (deleted.status !== 'DELETE_COMPLETE') {
    return { result: { outcome: 'failed', status: deleted.status, firstFailure: deleted.firstFailure, reason: deleted.statusReason, hint: `The stack left by the failed create could not be deleted: delete ${context.stackName} once what stops it is gone, then deploy again.`, outputs: {} } };
  }
  const { removed, blocked, unsupported } = await removeKept(target, kept, emit);
  if (removed.length > 0) emit({ code: 'warning', message: `removed what the failed create of ${context.stackName} had kept: ${removed.map((r) => r.path).join(', ')}` });
  if (unsupported.length > 0) emit({ code: 'warning', message: `the failed create of ${context.stackName} also kept ${unsupported.map((r) => `${r.path} (${r.type} ${r.physicalId})`).join(', ')}, which stackpilot does not remove: if the create stops on one of their names, delete it or rename it` });
  if (blocked.length > 0) {
    return {
      result: {
        outcome: 'failed',
        reason: `what the failed create of ${context.stackName} kept still holds the names the new create needs: ${blocked.map((b) => `${b.resource.path} (${b.resource.type} ${b.resource.physicalId}): ${b.why}`).join('; ')}`,
        hint: 'Empty or delete those resources (stackpilot never deletes data), then deploy again.',
        outputs: {},
      },
    };
  }
  return { existing: undefined };
}

/** Waits for another operation on the stack to end: a busy stack is waited for, never trampled. */
export async function waitUntilIdle(target: Target, stackName: string, emit: EventSink): Promise<Stack | undefined> {
  let stack = await describeStack(target.cloudformation, stackName);
  const pause = pauses(target.polling);
  let warned = false;
  while (stack && !isTerminalStatus(stack.StackStatus!) && stack.StackStatus !== 'REVIEW_IN_PROGRESS') {
    if (!warned) emit({ code: 'warning', message: `${stackName} is busy (${stack.StackStatus}); waiting for that operation to end` });
    warned = true;
    await pause();
    stack = await describeStack(target.cloudformation, stackName);
  }
  return stack;
}

async function deleteAndWait(target: Target, stack: Stack, context: StackContext, emit: EventSink): Promise<WatchResult> {
  const since = new Date();
  await target.cloudformation.send(new DeleteStackCommand({ StackName: stack.StackId }));
  return watchStack(target.cloudformation, stack.StackId!, { ...context, since, polling: target.polling }, emit);
}
