import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
  type CloudFormationClient,
  type Capability,
  type Parameter,
  type Tag,
} from '@aws-sdk/client-cloudformation';
import type { BackupScope } from '../backup/backup.ts';
import type { TemplateModel } from '../template/model.ts';
import { failureInWords } from './aws-errors.ts';
import { warnOfDrift } from './drift-warning.ts';
import { backupInWords, backupsFor, dataLossNotices, takeBackups, type BackupMode, type PlannedBackup } from './backups.ts';
import { isSuccessStatus, resourcePath, type EventSink, type PreviewedChange, type StackDoneEvent } from './events.ts';
import { describeStack, outputsOf } from './inspect.ts';
import { liveStacks, type LiveStack } from './live-resources.ts';
import { previewChangeSet } from './preview.ts';
import { applyProtection, deniedChanges, denialsInWords, hasProtectionPolicy } from './protection.ts';
import { recoverStack, ROLLBACK_FAILED_HINT, unconfirmed, type Confirm } from './recover-stack.ts';
import type { Target } from './target.ts';
import { newestEventId, pauses, watchStack, type WatchResult } from './watch.ts';

/** One stack to deploy: what CloudFormation needs, and the template models for the preview. */
export interface StackDeployment {
  /** The stack's id in the project. */
  id: string;
  stackName: string;
  templateBody?: string;
  templateUrl?: string;
  parameters: Parameter[];
  capabilities: Capability[];
  tags: Tag[];
  incomingAt: (nestedPath: string[]) => TemplateModel | undefined;
  /** --disable-rollback: a failed change keeps what it did (CREATE_FAILED, UPDATE_FAILED) for inspection. */
  disableRollback?: boolean;
  /** `protect: true`: a stack policy keeps its stateful resources from replacement and removal. */
  protect: boolean;
  /** --role-arn, --notification-arn, --termination-protection (see stack-settings.ts). */
  roleArn?: string;
  notificationArns?: string[];
  terminationProtection?: boolean;
}

/** How a deploy keeps stored data: backups before change sets that would delete it, and protection. */
export interface DataSafety {
  backup: BackupMode;
  /** Where backups go and whose they are. */
  scope: BackupScope;
  /** --allow-replace: protected resources a change may replace or remove in this deploy (`Logical`, `Child.Logical`). */
  allowReplace: ReadonlySet<string>;
}

export interface Confirmation {
  /** Ask before executing every change set (the aws target), not only those that delete data. */
  always: boolean;
  /** --yes: the answer is yes. */
  yes: boolean;
  /** Asks a person; absent when nobody can be asked (no terminal). */
  ask?: (question: string) => Promise<boolean>;
}

export interface StackResult {
  /** not-started: an interrupt came before it changed anything; cancelled: a person answered no. */
  outcome: 'succeeded' | 'no-changes' | 'failed' | 'awaiting-confirmation' | 'cancelled' | 'not-started';
  status?: string;
  reason?: string;
  /** What to do about a stack that did not deploy. */
  hint?: string;
  firstFailure?: WatchResult['firstFailure'];
  outputs: Record<string, string>;
}

/** What to do about a change that would fail (a custom-named resource to replace). */
export const WILL_FAIL_HINT = 'Nothing was changed. Give the resource a new name (or remove the name property and let CloudFormation name it), or undo the change that forces its replacement.';

export const NO_CHANGES = /didn't contain changes|No updates are to be performed/;

async function deployedOutputs(target: Target, stackId: string): Promise<Record<string, string>> {
  const stack = await describeStack(target.cloudformation, stackId);
  return stack ? outputsOf(stack) : {};
}

/** An `Fn::ImportValue` whose export does not exist: CloudFormation plans it, and its execution fails. */
export interface MissingExport {
  exportName: string;
  logicalId: string;
}

// CloudFormation's StatusReason of a complete change set described with IncludePropertyValues.
const MISSING_EXPORT = /ChangeSet creation failed for resource \[([^\]]+)\] because: No export named (\S+)/;

export const missingExportInWords = (missing: MissingExport) => `No export named ${missing.exportName} found (imported by ${missing.logicalId})`;

/**
 * Creates a change set for the stack and waits for it: its id, or why it failed (a failed
 * change set is deleted; "no changes" is one such failure). An import of an export that does not
 * exist leaves the change set complete: it is reported apart, as the execution would fail on it.
 */
export async function createChangeSet(target: Target, d: StackDeployment, type: 'CREATE' | 'UPDATE'): Promise<{ changeSetId: string; stackId: string; failure?: string; missingExport?: MissingExport }> {
  const { Id: changeSetId, StackId: stackId } = await target.cloudformation.send(
    new CreateChangeSetCommand({
      StackName: d.stackName,
      ChangeSetName: `stackpilot-${Date.now()}`,
      ChangeSetType: type,
      ...(d.templateUrl ? { TemplateURL: d.templateUrl } : { TemplateBody: d.templateBody }),
      Parameters: d.parameters,
      Capabilities: d.capabilities,
      Tags: d.tags,
      ...(d.roleArn ? { RoleARN: d.roleArn } : {}),
      ...(d.notificationArns ? { NotificationARNs: d.notificationArns } : {}),
      IncludeNestedStacks: true,
      Description: 'Created by stackpilot',
    }),
  );
  let changeSet = await target.cloudformation.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
  const pause = pauses(target.polling);
  while (changeSet.Status === 'CREATE_PENDING' || changeSet.Status === 'CREATE_IN_PROGRESS') {
    await pause();
    changeSet = await target.cloudformation.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
  }
  if (changeSet.Status === 'FAILED') {
    await target.cloudformation.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
    return { changeSetId: changeSetId!, stackId: stackId!, failure: changeSet.StatusReason ?? 'the change set failed' };
  }
  const withValues = await target.cloudformation.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, IncludePropertyValues: true }));
  const missing = MISSING_EXPORT.exec(withValues.StatusReason ?? '');
  return { changeSetId: changeSetId!, stackId: stackId!, ...(missing ? { missingExport: { logicalId: missing[1], exportName: missing[2] } } : {}) };
}

/** Puts a deployed stack's termination protection where --[no-]termination-protection asked, when it is not there already. */
async function applyTerminationProtection(cfn: CloudFormationClient, stackId: string, wanted: boolean | undefined, current: boolean | undefined): Promise<void> {
  if (wanted === undefined || wanted === (current ?? false)) return;
  await cfn.send(new UpdateTerminationProtectionCommand({ StackName: stackId, EnableTerminationProtection: wanted }));
}

/** Deletes a change set that will not be executed, and the REVIEW_IN_PROGRESS stack a CREATE one made: nothing is left behind. */
export async function discardChangeSet(target: Target, changeSetId: string | undefined, createdStackId: string | undefined): Promise<void> {
  if (changeSetId) await target.cloudformation.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
  if (!createdStackId) return;
  const review = await describeStack(target.cloudformation, createdStackId);
  if (review?.StackStatus === 'REVIEW_IN_PROGRESS') await target.cloudformation.send(new DeleteStackCommand({ StackName: createdStackId }));
}

/** The question before a change set runs: what it deletes, and what is backed up first. */
function confirmationQuestion(stackName: string, changes: PreviewedChange[], backups: PlannedBackup[], mode: BackupMode): string {
  const atRisk = changes.filter((c) => c.dataAtRisk);
  const execute = backups.length > 0 ? `Back up ${backups.map(backupInWords).join(', ')} first, then execute?` : 'Execute?';
  if (atRisk.length === 0) return backups.length > 0 ? `${stackName}: ${execute}` : `Execute the change set for ${stackName}?`;
  const unguarded = mode === 'never' ? ', with no backup (--backup never)' : '';
  return `${stackName}: ${atRisk.length} change(s) delete stored data (${atRisk.map((c) => resourcePath(c.nestedPath, c.logicalId)).join(', ')})${unguarded}. ${execute}`;
}

/** Why a change set waits for a person: the stored data it deletes (by resource), or that every change on AWS is confirmed (Confirmation.always). */
function whyConfirm(changes: PreviewedChange[]): string {
  const atRisk = changes.filter((c) => c.dataAtRisk);
  if (atRisk.length > 0) return `it deletes the stored data of ${atRisk.map((c) => `${resourcePath(c.nestedPath, c.logicalId)} (${c.resourceType}, ${c.action === 'Remove' ? 'removed' : 'replaced'})`).join(', ')}`;
  return `on AWS every change set is confirmed before it runs (${changes.length} change${changes.length === 1 ? '' : 's'}, previewed above)`;
}

/** Puts a protected stack's full policy in place, nested stacks' too (a stack left with no resources has nothing to protect). */
async function protect(target: Target, stacks: LiveStack[]): Promise<void> {
  await applyProtection(target.cloudformation, stacks.filter((s) => s.resources.length > 0));
}

const interrupted = (): StackResult => ({ outcome: 'not-started', reason: 'interrupted before it changed anything', outputs: {} });

/** What to do once a change set's execution failed, by where it left the stack. */
function afterFailedChange(status: string): string {
  if (status === 'ROLLBACK_COMPLETE') return 'Correct the cause and deploy again: the stack the failed create left is deleted (once confirmed) and created again.';
  if (status.endsWith('ROLLBACK_COMPLETE')) return 'The stack is back as it was: correct the cause and deploy again.';
  if (status === 'UPDATE_ROLLBACK_FAILED') return ROLLBACK_FAILED_HINT;
  if (status === 'ROLLBACK_FAILED') return 'The failed create could not be rolled back either: correct the cause and deploy again; the stack is deleted (once confirmed) and created again.';
  if (status === 'CREATE_FAILED' || status === 'UPDATE_FAILED') return 'Kept as it failed (--disable-rollback), for inspection: correct the cause and deploy again, or roll it back with `stackpilot rollback`.';
  return 'Correct the cause and deploy again.';
}

/** How a stack's deploy or delete ended, as its `stack-done` event tells. */
export type StackEnd = Pick<StackResult, 'status' | 'reason' | 'hint' | 'firstFailure'> & { outcome: StackDoneEvent['outcome'] };

/** The `stack-done` event that reports how a stack's deploy or delete ended. */
export function stackDone(context: { stack: string; stackName: string }, result: StackEnd, seconds: number): StackDoneEvent {
  return {
    code: 'stack-done',
    ...context,
    outcome: result.outcome,
    ...(result.status ? { status: result.status } : {}),
    ...(result.firstFailure ? { firstFailure: result.firstFailure } : {}),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.hint ? { hint: result.hint } : {}),
    seconds,
  };
}

/**
 * Deploys one stack through a change set: create or update as the stack's state says, the
 * preview reported, confirmation where it is due, execution followed to the end. However it
 * ends, a `stack-done` event says how: an AWS call that fails makes the stack fail with that
 * call's error (anything else is a bug, and thrown).
 */
export async function deployStack(target: Target, d: StackDeployment, confirmation: Confirmation, safety: DataSafety, emit: EventSink, signal?: AbortSignal): Promise<StackResult> {
  const started = Date.now();
  let result: StackResult;
  try {
    result = await changeStack(target, d, confirmation, safety, emit, signal);
  } catch (error) {
    const failure = failureInWords(error);
    if (!failure) throw error;
    result = { outcome: 'failed', reason: failure.message, ...(failure.hint ? { hint: failure.hint } : {}), outputs: {} };
  }
  emit(stackDone({ stack: d.id, stackName: d.stackName }, result, (Date.now() - started) / 1000));
  return result;
}

/**
 * The deploy of one stack; an interrupt (the signal) stops it at the last moment before it would
 * change the stack. Before executing: a protected stack stops at a change its policy denies, and
 * what the change would destroy is backed up (after the confirmation, which names it).
 */
async function changeStack(target: Target, d: StackDeployment, confirmation: Confirmation, safety: DataSafety, emit: EventSink, signal: AbortSignal | undefined): Promise<StackResult> {
  const context = { stack: d.id, stackName: d.stackName };
  const confirm: Confirm = async (question, needed) => {
    if (!needed || confirmation.yes) return true;
    if (!confirmation.ask) return 'nobody';
    return confirmation.ask(question);
  };

  const recovery = await recoverStack(target, context, confirm, emit);
  if ('result' in recovery) return recovery.result;
  const { existing } = recovery;
  // The full policy first, every time: it also restores one an interrupted deploy left relaxed.
  let live = existing && d.protect ? await liveStacks(target.cloudformation, existing.StackId!) : undefined;
  if (live) await protect(target, live);
  // protect: true taken away: stackpilot's policy gives way to one that allows every update.
  if (existing && !d.protect && (await hasProtectionPolicy(target.cloudformation, existing.StackId!))) {
    live = await liveStacks(target.cloudformation, existing.StackId!);
    await applyProtection(target.cloudformation, live, 'off');
  }
  if (signal?.aborted) return interrupted();

  const type = existing ? 'UPDATE' : 'CREATE';
  const { changeSetId, stackId, failure, missingExport } = await createChangeSet(target, d, type);
  if (failure !== undefined) {
    if (NO_CHANGES.test(failure)) {
      // A change to the protection alone makes no change set: it is applied all the same.
      if (existing) await applyTerminationProtection(target.cloudformation, existing.StackId!, d.terminationProtection, existing.EnableTerminationProtection);
      return { outcome: 'no-changes', status: existing?.StackStatus, outputs: await deployedOutputs(target, d.stackName) };
    }
    // A create's change set made a REVIEW_IN_PROGRESS stack: nothing is left behind.
    if (!existing) await discardChangeSet(target, undefined, stackId);
    return { outcome: 'failed', reason: `the change set failed: ${failure}`, hint: 'Correct what the reason names (in the template or its parameters) and deploy again.', outputs: {} };
  }

  if (missingExport) {
    // Executing it would fail on the import (a create would roll back): nothing is changed.
    await discardChangeSet(target, changeSetId, type === 'CREATE' ? stackId : undefined);
    return { outcome: 'failed', status: existing?.StackStatus, reason: missingExportInWords(missingExport), hint: `Deploy the stack that exports ${missingExport.exportName} first (same account and region), or correct the name the template imports.`, outputs: {} };
  }
  const changes = await previewChangeSet(target.cloudformation, changeSetId, d.incomingAt);
  emit({ code: 'change-preview', ...context, changes });
  const discard = () => discardChangeSet(target, changeSetId, type === 'CREATE' ? stackId : undefined);
  // Executing would fail halfway and roll back: refused before anything changes.
  const doomed = changes.find((c) => c.willFail);
  if (doomed) {
    await discard();
    return { outcome: 'failed', status: existing?.StackStatus, reason: `${resourcePath(doomed.nestedPath, doomed.logicalId)}: ${doomed.willFail}`, hint: WILL_FAIL_HINT, outputs: {} };
  }
  if (existing) await warnOfDrift(target, context, stackId, changes, emit);
  const atRisk = changes.filter((c) => c.dataAtRisk);
  for (const message of dataLossNotices(d.stackName, changes, safety.backup)) emit({ code: 'warning', message });
  if (existing && (atRisk.length > 0 || safety.backup === 'always')) live ??= await liveStacks(target.cloudformation, stackId);
  const denials = d.protect ? deniedChanges(changes, live ?? [], safety.allowReplace) : [];
  if (denials.length > 0) {
    await discard();
    return { outcome: 'failed', status: existing?.StackStatus, ...denialsInWords(denials), outputs: {} };
  }
  const backups = await backupsFor(target.s3, safety.backup, changes, live ?? []);
  const answer = await confirm(confirmationQuestion(d.stackName, changes, backups, safety.backup), confirmation.always || atRisk.length > 0);
  if (answer !== true || signal?.aborted) {
    await discard();
    if (signal?.aborted || answer === true) return interrupted();
    return unconfirmed(answer, whyConfirm(changes), existing?.StackStatus ?? 'not created');
  }

  // Each backup complete before anything changes; one that fails (or an interrupt) leaves the stack as it is.
  const backedUp = await takeBackups(target, safety.scope, context, backups, emit, signal).catch(async (error: unknown) => {
    await discard();
    throw error;
  });
  if (backedUp.failure || signal?.aborted) {
    await discard();
    return backedUp.failure ? { outcome: 'failed', status: existing?.StackStatus, ...backedUp.failure, outputs: {} } : interrupted();
  }

  // ExecuteChangeSet takes no policy: what --allow-replace lets through is allowed just before it, and the full policy is back after.
  if (live && d.protect && safety.allowReplace.size > 0) await applyProtection(target.cloudformation, live, safety.allowReplace);
  const since = new Date();
  const after = await newestEventId(target.cloudformation, stackId);
  emit({ code: 'stack-start', ...context, operation: type === 'CREATE' ? 'create' : 'update', resources: changes.filter((c) => c.nestedPath.length === 0).length });
  let result: WatchResult;
  try {
    await target.cloudformation.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, ...(d.disableRollback ? { DisableRollback: true } : {}) }));
    result = await watchStack(target.cloudformation, stackId, { ...context, since, polling: target.polling, after }, emit);
  } finally {
    if (d.protect) await protect(target, await liveStacks(target.cloudformation, stackId));
  }
  if (!isSuccessStatus(result.status)) {
    return { outcome: 'failed', status: result.status, reason: result.statusReason, hint: afterFailedChange(result.status), ...(result.firstFailure ? { firstFailure: result.firstFailure } : {}), outputs: {} };
  }
  await applyTerminationProtection(target.cloudformation, stackId, d.terminationProtection, existing?.EnableTerminationProtection);
  return { outcome: 'succeeded', status: result.status, outputs: await deployedOutputs(target, stackId) };
}
