import type * as CFN from '@aws-sdk/client-cloudformation';
import { EngineError, type Reply } from './api.ts';
import { changeSetArn } from './ids.ts';
import type { ParameterRecord } from './evaluate/parameters.ts';
import { checkRoleArn, checkStackName, tagsOf, UPDATABLE, type StackLifecycle, type StackSettings } from './operations/lifecycle.ts';
import { planChanges } from './operations/plan.ts';
import { nextTokenOf, pageOf } from './pages.ts';
import type { PreparedTemplate } from './prepared-template.ts';
import { readTemplateUrl, templateText } from './template-source.ts';
import { redactText } from '../redaction.ts';
import { secretsOf, type EngineRuntime } from './runtime.ts';
import type { ChangeSetRecord, StackRecord } from './state.ts';
import { sameUpdate } from './update-check.ts';

const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";
const stackNotFound = (name: string) => new EngineError('ValidationError', `Stack [${name}] does not exist`);
const notFound = (name: string) => new EngineError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404);
const date = (iso: string) => new Date(iso);

/** Change sets: planned in the background, executed as a create or an update of their stack. */
export class ChangeSets {
  constructor(private readonly runtime: EngineRuntime, private readonly lifecycle: StackLifecycle) {}

  async create(input: CFN.CreateChangeSetCommandInput): Promise<Reply<CFN.CreateChangeSetCommandOutput>> {
    const { runtime, lifecycle } = this;
    // A stack name, or the ARN of an existing stack (a REVIEW_IN_PROGRESS one for CREATE).
    const given = checkStackName(input.StackName);
    const name = input.ChangeSetName ?? '';
    if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(name) || name.length > 128) throw new EngineError('ValidationError', `1 validation error detected: Value '${name}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    const type = input.ChangeSetType ?? 'UPDATE';
    if (type !== 'CREATE' && type !== 'UPDATE') throw new EngineError('ValidationError', `ChangeSetType ${type} is not supported by the stackpilot local engine`);
    let stack = runtime.store.find(given);
    if (!stack && given.startsWith('arn:')) throw stackNotFound(given);
    if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') throw new EngineError('ValidationError', `Stack [${given}] already exists and cannot be created again with the changeSet [${name}].`);
    if (type === 'UPDATE' && (!stack || stack.status === 'REVIEW_IN_PROGRESS')) throw stackNotFound(given);
    if (stack && this.pending(stack.stackId).some((c) => c.changeSetName === name)) throw new EngineError('AlreadyExistsException', `ChangeSet [${name}] already exists`);
    if (type === 'UPDATE' && !UPDATABLE.has(stack!.status)) throw new EngineError('ValidationError', `Stack:${stack!.stackId} is in ${stack!.status} state and can not be updated.`);

    if (type === 'CREATE' && (input.Parameters ?? []).some((p) => p.UsePreviousValue)) throw new EngineError('ValidationError', 'Cannot specify UsePreviousValue on Parameters when ChangeSetType is CREATE');
    const text = input.UsePreviousTemplate ? stack?.templateBody ?? '' : await templateText(input, runtime.options.clients.s3);
    const template = runtime.template(text);
    const capabilities = input.Capabilities ?? [];
    const roleARN = checkRoleArn(input.RoleARN);
    const parameters = await lifecycle.checkInputs(template, input.Parameters, type === 'UPDATE' ? stack!.parameters : undefined, capabilities);
    const tags = input.Tags ? tagsOf(input.Tags) : stack?.tags ?? [];
    if (!stack) {
      // Its tags, capabilities and description are the change set's until it is executed.
      stack = lifecycle.newStack(given, template, [], { capabilities: [], tags: [], notificationARNs: input.NotificationARNs ?? [], disableRollback: false }, 'REVIEW_IN_PROGRESS');
      delete stack.description;
      runtime.setStackStatus(stack, 'REVIEW_IN_PROGRESS', 'User Initiated', input.ClientToken);
    }
    const record: ChangeSetRecord = {
      changeSetId: changeSetArn(runtime.options, name, runtime.random),
      changeSetName: name,
      stackId: stack.stackId,
      stackName: stack.stackName,
      changeSetType: type,
      status: 'CREATE_PENDING',
      executionStatus: 'UNAVAILABLE',
      creationTime: runtime.now(),
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      templateBody: text,
      parameters,
      capabilities,
      notificationARNs: input.NotificationARNs ?? stack.notificationARNs,
      ...(roleARN !== undefined ? { roleARN } : {}),
      tags,
      changes: [],
      includeNestedStacks: input.IncludeNestedStacks ?? false,
    };
    runtime.store.changeSets.set(record.changeSetId, record);
    runtime.store.changed();
    const planned = stack;
    runtime.background(() => this.plan(record, planned, template));
    return { Id: record.changeSetId, StackId: stack.stackId };
  }

  /** Computes the Changes; a change set that changes nothing fails with AWS's reason. */
  private async plan(record: ChangeSetRecord, stack: StackRecord, template: PreparedTemplate): Promise<void> {
    record.status = 'CREATE_IN_PROGRESS';
    try {
      if (record.changeSetType === 'UPDATE' && sameUpdate(this.runtime, stack, template, record.parameters, record.tags)) {
        this.finish(record, 'FAILED', NO_CHANGES);
        return;
      }
      const baseline = record.changeSetType === 'CREATE' ? { ...stack, templateBody: '', parameters: [], resources: {} } : stack;
      const planned = await planChanges(this.runtime, baseline, template, record.parameters, this.lifecycle);
      const missing = planned.missingExports[0];
      if (missing) record.propertyValuesWarning = `[WARN] --include-property-values option can return incomplete ChangeSet data because: ChangeSet creation failed for resource [${missing.logicalId}] because: No export named ${missing.exportName}`;
      const changes: CFN.Change[] = [];
      for (const { change, nestedProperties } of planned.changes) {
        if (nestedProperties && record.includeNestedStacks && change.PhysicalResourceId) {
          const child = await this.nestedChangeSet(record, change.PhysicalResourceId, nestedProperties);
          if (child) change.ChangeSetId = child.changeSetId;
        }
        changes.push({ Type: 'Resource', ResourceChange: change });
      }
      record.changes = changes;
      this.finish(record, 'CREATE_COMPLETE');
    } catch (error) {
      this.finish(record, 'FAILED', (error as Error).message);
    }
  }

  private finish(record: ChangeSetRecord, status: 'CREATE_COMPLETE' | 'FAILED', reason?: string): void {
    record.status = status;
    record.executionStatus = status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE';
    // The template can carry a NoEcho value into the reason (`!FindInMap [M, !Ref Password, Key]`).
    if (reason) record.statusReason = redactText(reason, secretsOf(record.parameters));
    this.runtime.store.changed();
  }

  /** The change set of a nested stack being modified, planned the same way, linked to its parent and root. */
  private async nestedChangeSet(parent: ChangeSetRecord, childStackId: string, properties: Record<string, unknown>): Promise<ChangeSetRecord | undefined> {
    const child = this.runtime.store.find(childStackId);
    if (!child || typeof properties.TemplateURL !== 'string') return undefined;
    const text = await readTemplateUrl(properties.TemplateURL, this.runtime.options.clients.s3);
    const template = this.runtime.template(text);
    const given = (properties.Parameters ?? {}) as Record<string, unknown>;
    const inputs = Object.entries(given).map(([ParameterKey, value]) => ({ ParameterKey, ParameterValue: Array.isArray(value) ? value.join(',') : String(value) }));
    const parameters = await this.lifecycle.checkInputs(template, inputs, child.parameters, child.capabilities);
    const record: ChangeSetRecord = {
      ...parent,
      changeSetId: changeSetArn(this.runtime.options, parent.changeSetName, this.runtime.random),
      stackId: child.stackId,
      stackName: child.stackName,
      changeSetType: 'UPDATE',
      templateBody: text,
      parameters,
      capabilities: child.capabilities,
      tags: child.tags,
      changes: [],
      parentChangeSetId: parent.changeSetId,
      rootChangeSetId: parent.rootChangeSetId ?? parent.changeSetId,
    };
    delete record.propertyValuesWarning;
    this.runtime.store.changeSets.set(record.changeSetId, record);
    await this.plan(record, child, template);
    return record;
  }

  /**
   * The change set a ChangeSetName (and StackName) argument names, failing as AWS does. By name,
   * a change set not yet executed comes first: an executed one leaves its name free for reuse.
   */
  find(changeSetName: string | undefined, stackName: string | undefined, withoutStackName = 'StackName must be specified if ChangeSetName is not specified as an ARN.'): ChangeSetRecord {
    const name = changeSetName ?? '';
    const byArn = this.runtime.store.changeSets.get(name);
    if (byArn) return byArn;
    if (name.startsWith('arn:')) throw notFound(name);
    if (!stackName) throw new EngineError('ValidationError', withoutStackName);
    const stack = this.runtime.store.find(stackName);
    if (!stack) throw stackNotFound(stackName);
    const named = (c: ChangeSetRecord) => c.stackId === stack.stackId && c.changeSetName === name;
    const found = this.pending(stack.stackId).find(named) ?? [...this.runtime.store.changeSets.values()].reverse().find(named);
    if (!found) throw notFound(name);
    return found;
  }

  /** A stack's change sets that ListChangeSets shows: those not executed (an executed one is only describable by its ARN). */
  pending(stackId: string): ChangeSetRecord[] {
    return [...this.runtime.store.changeSets.values()].filter((c) => c.stackId === stackId && !c.executionStatus.startsWith('EXECUTE_'));
  }

  /**
   * CreateStack on a stack under review (REVIEW_IN_PROGRESS): AWS creates that stack, same id,
   * from the CreateStack's template and settings; its change sets are left, obsolete.
   */
  createReviewed(stack: StackRecord, template: PreparedTemplate, parameters: ParameterRecord[], settings: StackSettings): StackRecord {
    for (const c of this.pending(stack.stackId)) c.executionStatus = 'OBSOLETE';
    Object.assign(stack, {
      templateBody: template.text,
      parameters,
      capabilities: settings.capabilities,
      tags: settings.tags,
      notificationARNs: settings.notificationARNs,
      disableRollback: settings.disableRollback,
      terminationProtection: settings.terminationProtection ?? false,
      ...(settings.timeoutInMinutes !== undefined ? { timeoutInMinutes: settings.timeoutInMinutes } : {}),
      ...(settings.roleARN !== undefined ? { roleARN: settings.roleARN } : {}),
      ...(settings.stackPolicy !== undefined ? { stackPolicyBody: settings.stackPolicy } : {}),
    });
    if (template.model.description !== undefined) stack.description = template.model.description;
    stack.status = 'CREATE_IN_PROGRESS';
    this.runtime.store.changed(stack);
    this.runtime.store.changed();
    return stack;
  }

  describe(input: CFN.DescribeChangeSetCommandInput): Reply<CFN.DescribeChangeSetCommandOutput> {
    const record = this.find(input.ChangeSetName, input.StackName);
    const noEcho = new Set(record.parameters.filter((p) => p.noEcho).map((p) => p.key));
    // A large change set comes in pages of Changes, as on AWS: a reader that takes one page misses rows.
    const changes = pageOf(record.changes as CFN.Change[], input.NextToken);
    return {
      ChangeSetName: record.changeSetName,
      ChangeSetId: record.changeSetId,
      StackId: record.stackId,
      StackName: record.stackName,
      ...(record.description !== undefined ? { Description: record.description } : {}),
      // As recorded on AWS: Parameters and Tags left out when empty, Capabilities always there.
      ...(record.parameters.length > 0 ? { Parameters: record.parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: noEcho.has(p.key) ? '****' : p.value })) } : {}),
      CreationTime: date(record.creationTime),
      ExecutionStatus: record.executionStatus as CFN.ExecutionStatus,
      Status: record.status as CFN.ChangeSetStatus,
      ...(record.statusReason ? { StatusReason: record.statusReason } : input.IncludePropertyValues && record.propertyValuesWarning ? { StatusReason: record.propertyValuesWarning } : {}),
      NotificationARNs: record.notificationARNs,
      RollbackConfiguration: {},
      Capabilities: record.capabilities as CFN.Capability[],
      ...(record.tags.length > 0 ? { Tags: record.tags } : {}),
      Changes: changes.items,
      ...nextTokenOf(changes),
      IncludeNestedStacks: record.includeNestedStacks,
      ...(record.parentChangeSetId ? { ParentChangeSetId: record.parentChangeSetId, RootChangeSetId: record.rootChangeSetId } : {}),
    };
  }

  list(input: CFN.ListChangeSetsCommandInput): Reply<CFN.ListChangeSetsCommandOutput> {
    const stack = this.runtime.store.get(input.StackName);
    const page = pageOf(this.pending(stack.stackId), input.NextToken);
    return {
      ...nextTokenOf(page),
      Summaries: page.items.map((c) => ({
        StackId: c.stackId,
        StackName: c.stackName,
        ChangeSetId: c.changeSetId,
        ChangeSetName: c.changeSetName,
        ExecutionStatus: c.executionStatus as CFN.ExecutionStatus,
        Status: c.status as CFN.ChangeSetStatus,
        ...(c.statusReason ? { StatusReason: c.statusReason } : {}),
        CreationTime: date(c.creationTime),
        ...(c.description !== undefined ? { Description: c.description } : {}),
        IncludeNestedStacks: c.includeNestedStacks,
        ...(c.parentChangeSetId ? { ParentChangeSetId: c.parentChangeSetId, RootChangeSetId: c.rootChangeSetId } : {}),
      })),
    };
  }

  delete(input: CFN.DeleteChangeSetCommandInput): void {
    const record = this.find(input.ChangeSetName, input.StackName);
    if (record.executionStatus === 'EXECUTE_IN_PROGRESS') throw new EngineError('InvalidChangeSetStatus', `Cannot delete ChangeSet [${record.changeSetId}] while it is being executed`);
    if (record.parentChangeSetId) throw new EngineError('InvalidChangeSetStatus', `Cannot delete a nested change set [${record.changeSetId}]; delete its root change set`);
    for (const c of [...this.runtime.store.changeSets.values()]) if (c.rootChangeSetId === record.changeSetId) this.runtime.store.changeSets.delete(c.changeSetId);
    this.runtime.store.changeSets.delete(record.changeSetId);
    this.runtime.store.changed();
  }

  execute(input: CFN.ExecuteChangeSetCommandInput): void {
    const record = this.find(input.ChangeSetName, input.StackName);
    if (record.status !== 'CREATE_COMPLETE') throw new EngineError('InvalidChangeSetStatus', `ChangeSet [${record.changeSetId}] cannot be executed in its current status of [${record.status}]`);
    if (record.executionStatus !== 'AVAILABLE' || record.parentChangeSetId) {
      throw new EngineError('InvalidChangeSetStatus', `ChangeSet [${record.changeSetId}] cannot be executed in its current execution status of [${record.executionStatus}]`);
    }
    const stack = this.runtime.store.get(record.stackId);
    if (record.changeSetType === 'UPDATE' && !UPDATABLE.has(stack.status)) throw new EngineError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    const template = this.runtime.template(record.templateBody);
    const family = [...this.runtime.store.changeSets.values()].filter((c) => c.changeSetId === record.changeSetId || c.rootChangeSetId === record.changeSetId);
    // AWS deletes the stack's other change sets: they no longer fit the stack they would change.
    const others = new Set([...this.runtime.store.changeSets.values()].filter((c) => c.stackId === stack.stackId && !family.includes(c)).map((c) => c.changeSetId));
    for (const c of [...this.runtime.store.changeSets.values()]) {
      if (others.has(c.changeSetId) || (c.rootChangeSetId !== undefined && others.has(c.rootChangeSetId))) this.runtime.store.changeSets.delete(c.changeSetId);
    }
    for (const c of family) c.executionStatus = 'EXECUTE_IN_PROGRESS';
    this.runtime.store.changed();
    stack.changeSetId = record.changeSetId;
    const disableRollback = input.DisableRollback ?? false;
    this.runtime.background(async () => {
      if (record.changeSetType === 'CREATE') {
        // A stack created through a change set has a LastUpdatedTime, as on AWS.
        Object.assign(stack, { templateBody: record.templateBody, parameters: record.parameters, capabilities: record.capabilities, tags: record.tags, notificationARNs: record.notificationARNs, disableRollback, lastUpdatedTime: this.runtime.now(), ...(record.roleARN !== undefined ? { roleARN: record.roleARN } : {}) });
        if (template.model.description !== undefined) stack.description = template.model.description;
        await this.lifecycle.runCreation(stack, template, input.ClientRequestToken);
      } else {
        await this.lifecycle.runUpdate(stack, template, record.parameters, { capabilities: record.capabilities, tags: record.tags, notificationARNs: record.notificationARNs, disableRollback, ...(record.roleARN !== undefined ? { roleARN: record.roleARN } : {}) }, input.ClientRequestToken);
      }
      const succeeded = stack.status === 'CREATE_COMPLETE' || stack.status === 'UPDATE_COMPLETE';
      for (const c of family) c.executionStatus = succeeded ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
      this.runtime.store.changed();
    });
  }
}
