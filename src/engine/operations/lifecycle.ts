import type { Parameter, Tag } from '@aws-sdk/client-cloudformation';
import { EngineError, missingMember } from '../api.ts';
import { checkCapabilities } from '../capabilities.ts';
import { resolveParameters, type ParameterRecord } from '../evaluate/parameters.ts';
import { generatedName, stackArn } from '../ids.ts';
import { checkTransforms, type PreparedTemplate } from '../prepared-template.ts';
import type { NestedStackHost, NestedStackRequest, NestedStackResult } from '../resources/nested-stack-host.ts';
import { ProviderError } from '../resources/provider.ts';
import type { EngineRuntime } from '../runtime.ts';
import { parseStackPolicy } from '../stack-policy.ts';
import type { StackRecord } from '../state.ts';
import { rollbackCreate, runCreate } from './create.ts';
import { runDelete } from './delete.ts';
import { openOperation, type StackOperation } from './operation.ts';
import { finishUpdateRollbackCleanup, runUpdateRollback, type RollbackSkip } from './update-rollback.ts';
import { INTERRUPTED_REASON } from './interrupted.ts';
import { runCleanup, runUpdatePhase, startJournal } from './update.ts';

const validation = (message: string) => new EngineError('ValidationError', message);

export interface StackSettings {
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  notificationARNs: string[];
  disableRollback: boolean;
  deleteOnFailure?: boolean;
  timeoutInMinutes?: number;
  roleARN?: string;
  terminationProtection?: boolean;
  /** CreateStack's StackPolicyBody. */
  stackPolicy?: string | undefined;
  /** StackPolicyDuringUpdateBody: the policy this update is checked against instead of the stack's. */
  policyDuringUpdate?: string;
  /** UpdateStack's StackPolicyBody: the stack's policy once the update has succeeded. */
  newPolicy?: string;
}

/** A call's Tags, each with the Key and Value AWS requires. */
export function tagsOf(tags: Tag[] | undefined): { Key: string; Value: string }[] {
  return (tags ?? []).map(({ Key, Value }, i) => {
    if (Key === undefined || Value === undefined) throw missingMember(`tags.${i + 1}.member.${Key === undefined ? 'key' : 'value'}`);
    return { Key, Value };
  });
}

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
/** A stack id, as the API's StackName pattern admits it: `arn:(aws|aws-us-gov|aws-cn):...`. */
const STACK_ARN = /^arn:(aws|aws-us-gov|aws-cn):[-a-zA-Z0-9:/._+]*$/;

/** A StackName argument that may also be a stack's ARN (CreateChangeSet and every call on an existing stack). */
export function checkStackName(name: string | undefined): string {
  if (name !== undefined && STACK_ARN.test(name)) return name;
  return checkNewStackName(name);
}

/** The name of a stack to create (CreateStack): a name, not an ARN. */
export function checkNewStackName(name: string | undefined): string {
  if (!name) throw missingMember('stackName');
  if (!STACK_NAME.test(name) || name.length > 128) {
    throw validation(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`);
  }
  return name;
}

/**
 * A service role (RoleARN) as AWS checks it: its length first, then that it names an IAM role
 * (AWS also assumes it; the local engine has no roles to assume, so any well-formed one will do).
 */
export function checkRoleArn(roleArn: string | undefined): string | undefined {
  if (roleArn === undefined) return undefined;
  if (roleArn.length < 20 || roleArn.length > 2048) {
    throw validation(`1 validation error detected: Value '${roleArn.slice(0, 2048)}' at 'roleARN' failed to satisfy constraint: Member must have length ${roleArn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`);
  }
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(roleArn)) throw validation(`Role ${roleArn} is invalid or cannot be assumed`);
  return roleArn;
}

/** A nested stack's statuses in which its parent's rollback rolls it back too. */
const ROLLS_BACK_WITH_PARENT = new Set(['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_ROLLBACK_FAILED']);

/** Statuses from which UpdateStack (and an UPDATE change set) may start. */
export const UPDATABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_FAILED', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

/**
 * Stack operations: they check what CloudFormation checks before answering, then do the work in
 * the background. Also the host nested stacks run through, waiting on their children.
 */
export class StackLifecycle implements NestedStackHost {
  /** Operations in progress, by stack id, so CancelUpdateStack can reach them. */
  private readonly inProgress = new Map<string, StackOperation>();

  constructor(private readonly runtime: EngineRuntime) {}

  /** Validates what the template needs: capabilities, then parameter values. */
  async checkInputs(template: PreparedTemplate, inputs: Parameter[] | undefined, previous: ParameterRecord[] | undefined, capabilities: string[]): Promise<ParameterRecord[]> {
    checkCapabilities(template.model, capabilities);
    checkTransforms(template.model);
    return (await resolveParameters(template.model, inputs, previous, this.runtime.options.clients.ssm)).records;
  }

  /** A new stack record, not yet doing anything (CreateStack, or a CREATE change set's REVIEW_IN_PROGRESS stack). */
  newStack(stackName: string, template: PreparedTemplate, parameters: ParameterRecord[], settings: StackSettings, status: string, parent?: StackRecord): StackRecord {
    const { runtime } = this;
    const stack: StackRecord = {
      stackId: stackArn(runtime.options, stackName, runtime.random),
      stackName,
      status,
      creationTime: runtime.now(),
      templateBody: template.text,
      parameters,
      capabilities: settings.capabilities,
      notificationARNs: settings.notificationARNs,
      tags: settings.tags,
      disableRollback: settings.disableRollback,
      terminationProtection: settings.terminationProtection ?? false,
      outputs: [],
      imports: [],
      resources: {},
      events: [],
      ...(template.model.description !== undefined ? { description: template.model.description } : {}),
      ...(settings.timeoutInMinutes !== undefined ? { timeoutInMinutes: settings.timeoutInMinutes } : {}),
      ...(settings.roleARN !== undefined ? { roleARN: settings.roleARN } : {}),
      ...(settings.stackPolicy !== undefined ? { stackPolicyBody: settings.stackPolicy } : {}),
      ...(parent ? { parentId: parent.stackId, rootId: parent.rootId ?? parent.stackId } : {}),
    };
    runtime.store.add(stack);
    return stack;
  }

  private async track(op: StackOperation, work: () => Promise<void>): Promise<void> {
    this.inProgress.set(op.stack.stackId, op);
    try {
      await work();
    } finally {
      this.inProgress.delete(op.stack.stackId);
    }
  }

  /** Runs a create to its end, rollback (or DELETE on failure) included: why it failed, if it did. */
  async runCreation(stack: StackRecord, template: PreparedTemplate, token: string | undefined, deleteOnFailure = false): Promise<string | undefined> {
    const op = openOperation(this.runtime, stack, template, this, token);
    let failure: string | undefined;
    await this.track(op, async () => {
      failure = await runCreate(op);
      if (deleteOnFailure && stack.status === 'ROLLBACK_COMPLETE') await runDelete(op, new Set());
    });
    return failure;
  }

  /** Applies an update to the stack record, then runs it to its end: cleanup, or rollback unless disabled. */
  async runUpdate(stack: StackRecord, template: PreparedTemplate, parameters: ParameterRecord[], settings: Partial<StackSettings>, token: string | undefined): Promise<void> {
    const journal = startJournal(stack);
    this.applySettings(stack, template, parameters, settings);
    if (settings.policyDuringUpdate !== undefined) stack.stackPolicyDuringUpdateBody = settings.policyDuringUpdate;
    const op = openOperation(this.runtime, stack, template, this, token);
    const policy = stack.stackPolicyDuringUpdateBody ?? stack.stackPolicyBody;
    if (policy !== undefined) op.stackPolicy = parseStackPolicy(policy);
    await this.track(op, async () => {
      try {
        const reason = await runUpdatePhase(op, journal);
        if (reason === undefined) await runCleanup(op);
        else if (stack.disableRollback && !op.cancelled) this.runtime.setStackStatus(stack, 'UPDATE_FAILED', reason, token);
        else await runUpdateRollback(this.rollbackOperation(stack, token), reason);
      } finally {
        // The policy given for the update applies to it alone.
        delete stack.stackPolicyDuringUpdateBody;
        if (settings.newPolicy !== undefined && stack.status === 'UPDATE_COMPLETE') stack.stackPolicyBody = settings.newPolicy;
        this.runtime.store.changed(stack);
      }
    });
  }

  private applySettings(stack: StackRecord, template: PreparedTemplate, parameters: ParameterRecord[], settings: Partial<StackSettings>): void {
    stack.templateBody = template.text;
    stack.parameters = parameters;
    if (template.model.description !== undefined) stack.description = template.model.description;
    else delete stack.description;
    if (settings.capabilities) stack.capabilities = settings.capabilities;
    if (settings.tags) stack.tags = settings.tags;
    if (settings.notificationARNs) stack.notificationARNs = settings.notificationARNs;
    // As on AWS: a change without a role keeps the one the stack has.
    if (settings.roleARN !== undefined) stack.roleARN = settings.roleARN;
    if (settings.disableRollback !== undefined) stack.disableRollback = settings.disableRollback;
  }

  /** An operation over the stack's previous template, for rolling an update back. */
  private rollbackOperation(stack: StackRecord, token: string | undefined): StackOperation {
    const previous = stack.journal?.previousTemplateBody ?? stack.templateBody;
    return openOperation(this.runtime, stack, this.runtime.template(previous), this, token);
  }

  async runDeletion(stack: StackRecord, retain: ReadonlySet<string>, token: string | undefined): Promise<void> {
    const op = openOperation(this.runtime, stack, this.runtime.template(stack.templateBody), this, token);
    await this.track(op, () => runDelete(op, retain));
  }

  /** RollbackStack: a failed create or update (left there by DisableRollback) rolled back now. */
  async runRollback(stack: StackRecord, token: string | undefined): Promise<void> {
    if (stack.status === 'CREATE_FAILED') {
      const op = openOperation(this.runtime, stack, this.runtime.template(stack.templateBody), this, token);
      await this.track(op, async () => {
        this.runtime.setStackStatus(stack, 'ROLLBACK_IN_PROGRESS', 'User Initiated', token);
        await rollbackCreate(op);
      });
    } else {
      const op = this.rollbackOperation(stack, token);
      await this.track(op, () => runUpdateRollback(op, 'User Initiated'));
    }
  }

  async runContinueUpdateRollback(stack: StackRecord, skip: ReadonlySet<string>, token: string | undefined): Promise<void> {
    const op = this.rollbackOperation(stack, token);
    await this.track(op, () => runUpdateRollback(op, 'User Initiated', { resources: skip }));
  }

  /**
   * Finishes an operation the engine's process stopped in the middle of (a kill, a crash), as
   * CloudFormation finishes one that cannot go on: a create or an update rolls back (a create
   * without rollback stops at CREATE_FAILED), a rollback, a delete or a cleanup carries on. Its
   * resources caught mid-step have already been failed (see resumeInterrupted).
   */
  async resume(stack: StackRecord): Promise<void> {
    const { runtime } = this;
    // An update's own policy ends with it, however it ends.
    delete stack.stackPolicyDuringUpdateBody;
    const current = () => openOperation(runtime, stack, runtime.template(stack.templateBody), this);
    switch (stack.status) {
      case 'CREATE_IN_PROGRESS': {
        const op = current();
        return this.track(op, async () => {
          if (stack.disableRollback) return runtime.setStackStatus(stack, 'CREATE_FAILED', INTERRUPTED_REASON);
          runtime.setStackStatus(stack, 'ROLLBACK_IN_PROGRESS', `${INTERRUPTED_REASON}. Rollback requested by user.`);
          await rollbackCreate(op);
        });
      }
      case 'ROLLBACK_IN_PROGRESS': {
        const op = current();
        return this.track(op, () => rollbackCreate(op));
      }
      case 'DELETE_IN_PROGRESS': {
        const op = current();
        return this.track(op, () => runDelete(op, new Set()));
      }
      case 'UPDATE_IN_PROGRESS':
      case 'UPDATE_ROLLBACK_IN_PROGRESS': {
        const op = this.rollbackOperation(stack, undefined);
        return this.track(op, () => runUpdateRollback(op, INTERRUPTED_REASON));
      }
      case 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS': {
        const op = this.rollbackOperation(stack, undefined);
        return this.track(op, () => finishUpdateRollbackCleanup(op));
      }
      case 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS': {
        const op = current();
        return this.track(op, () => runCleanup(op));
      }
    }
  }

  /** CancelUpdateStack: nothing new starts, running steps fail as cancelled, and the update rolls back. */
  cancelUpdate(stack: StackRecord): void {
    const op = this.inProgress.get(stack.stackId);
    if (stack.status !== 'UPDATE_IN_PROGRESS' || !op) throw validation(`CancelUpdateStack cannot be called from current stack status`);
    op.failing = true;
    op.cancelled = true;
  }

  // Nested stacks: the parent's nested-stack provider waits on these.

  async create(request: NestedStackRequest, claim: (stackId: string) => void): Promise<NestedStackResult> {
    const parent = this.runtime.store.get(request.parentStackId);
    const name = generatedName(parent.stackName, request.logicalId, this.runtime.random, 128);
    const { template, parameters } = await this.childInputs(request, parent.capabilities, undefined);
    const child = this.newStack(name, template, parameters, {
      capabilities: parent.capabilities,
      tags: request.tags.length > 0 ? request.tags : parent.tags,
      notificationARNs: parent.notificationARNs,
      disableRollback: parent.disableRollback,
      timeoutInMinutes: request.timeoutInMinutes,
    }, 'CREATE_IN_PROGRESS', parent);
    claim(child.stackId);
    const failure = await this.runCreation(child, template, undefined);
    if (failure !== undefined) throw new ProviderError(`Embedded stack ${child.stackId} was not successfully created: ${failure}`, child.stackId);
    return { stackId: child.stackId, outputs: outputsOf(child) };
  }

  async update(stackId: string, request: NestedStackRequest): Promise<NestedStackResult> {
    const child = this.runtime.store.get(stackId);
    const { template, parameters } = await this.childInputs(request, child.capabilities, child.parameters);
    const failure = await this.runUpdateWithoutCleanup(child, template, parameters);
    if (failure !== undefined) throw new ProviderError(`Embedded stack ${child.stackId} was not successfully updated. Currently in ${child.status} with reason: ${failure}`);
    return { stackId: child.stackId, outputs: outputsOf(child) };
  }

  /**
   * A child's update stops before cleanup: its parent decides between cleanup and rollback. A
   * failed one rolls back at once, unless its root's rollback is disabled: then it stays
   * UPDATE_FAILED, for inspection, until RollbackStack on the root rolls the tree back. Returns
   * why it failed, if it did.
   */
  private async runUpdateWithoutCleanup(child: StackRecord, template: PreparedTemplate, parameters: ParameterRecord[]): Promise<string | undefined> {
    const journal = startJournal(child);
    this.applySettings(child, template, parameters, {});
    const keepFailed = this.runtime.store.get(child.parentId).disableRollback;
    const op = openOperation(this.runtime, child, template, this);
    // A nested stack's own policy holds when its parent updates it: policies apply per stack.
    if (child.stackPolicyBody !== undefined) op.stackPolicy = parseStackPolicy(child.stackPolicyBody);
    let failure: string | undefined;
    await this.track(op, async () => {
      failure = await runUpdatePhase(op, journal);
      if (failure === undefined) return;
      if (keepFailed) this.runtime.setStackStatus(child, 'UPDATE_FAILED', failure);
      else await runUpdateRollback(this.rollbackOperation(child, undefined), failure);
    });
    return failure;
  }

  differs(stackId: string, request: NestedStackRequest): boolean {
    const child = this.runtime.store.get(stackId);
    if (child.templateBody !== request.templateBody) return true;
    return Object.entries(request.parameters).some(([key, value]) => child.parameters.find((p) => p.key === key)?.value !== value);
  }

  async finishUpdate(stackId: string, how: 'cleanup' | 'rollback', skip?: RollbackSkip): Promise<void> {
    const child = this.runtime.store.get(stackId);
    if (how === 'cleanup') {
      if (child.status !== 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') return;
      const op = openOperation(this.runtime, child, this.runtime.template(child.templateBody), this);
      await this.track(op, () => runCleanup(op));
      return;
    }
    // A child that rolled back by itself is done; one left failed (its rollback, or its update
    // with rollback disabled) is rolled back with its parent, as CloudFormation does.
    if (!ROLLS_BACK_WITH_PARENT.has(child.status)) return;
    await this.runRollbackOf(child, skip);
    if (child.status !== 'UPDATE_ROLLBACK_COMPLETE') throw new ProviderError(`Embedded stack ${child.stackId} was not successfully rolled back: ${child.statusReason ?? child.status}`);
  }

  private async runRollbackOf(child: StackRecord, skip: RollbackSkip | undefined): Promise<void> {
    const op = this.rollbackOperation(child, undefined);
    await this.track(op, () => runUpdateRollback(op, 'Parent stack rollback', skip));
  }

  async delete(stackId: string): Promise<void> {
    const child = this.runtime.store.get(stackId);
    if (child.status === 'DELETE_COMPLETE') return;
    await this.runDeletion(child, new Set(), undefined);
    if (child.status !== 'DELETE_COMPLETE') throw new ProviderError(`Embedded stack ${child.stackId} was not successfully deleted: ${child.statusReason ?? child.status}`);
  }

  /** A child's template and parameters, with template and parameter problems failing the parent's resource. */
  private async childInputs(request: NestedStackRequest, capabilities: string[], previous: ParameterRecord[] | undefined): Promise<{ template: PreparedTemplate; parameters: ParameterRecord[] }> {
    try {
      const template = this.runtime.template(request.templateBody);
      const inputs = Object.entries(request.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
      return { template, parameters: await this.checkInputs(template, inputs, previous, capabilities) };
    } catch (error) {
      if (error instanceof EngineError) throw new ProviderError(error.message);
      throw error;
    }
  }
}

const outputsOf = (stack: StackRecord) => Object.fromEntries(stack.outputs.map((o) => [o.key, o.value]));
