import type * as CFN from '@aws-sdk/client-cloudformation';
import { describeTemplate } from '../template/model.ts';
import { parseTemplate } from '../template/parse.ts';
import { EngineError, type CloudFormationApi, type EngineOptions, type Reply } from './api.ts';
import { ChangeSets } from './change-sets.ts';
import { importersOf } from './exports.ts';
import { markMissingData } from './data-plane-check.ts';
import { resumeInterrupted } from './operations/interrupted.ts';
import { checkStackName, StackLifecycle, tagsOf, UPDATABLE } from './operations/lifecycle.ts';
import { EngineRuntime } from './runtime.ts';
import { StackStore } from './stack-store.ts';
import type { StackRecord } from './state.ts';
import { templateText } from './template-source.ts';
import { sameUpdate } from './update-check.ts';
import { eventView, resourceView, stackSummaryView, stackView, templateSummary } from './views.ts';

const validation = (message: string) => new EngineError('ValidationError', message);

/** Statuses in which a stack is busy: another operation must wait. */
const isBusy = (status: string) => status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

/**
 * The local CloudFormation engine: CloudFormation's actions over in-memory (optionally persisted)
 * stacks. Like AWS, operations answer at once and run in the background; `settled()` waits for them.
 */
export class Engine implements CloudFormationApi {
  private readonly runtime: EngineRuntime;
  private readonly lifecycle: StackLifecycle;
  private readonly changeSets: ChangeSets;

  constructor(options: EngineOptions) {
    const store = new StackStore(options.stateDir, options.secrets);
    this.runtime = new EngineRuntime(
      { region: options.region, accountId: options.accountId, clients: options.clients, faults: options.faults, timeScale: options.timeScale ?? 0, random: options.random ?? Math.random },
      store,
    );
    this.lifecycle = new StackLifecycle(this.runtime);
    this.changeSets = new ChangeSets(this.runtime, this.lifecycle);
  }

  /**
   * Reads the persisted state (if stateDir was given). Operations the previous process was running
   * when it stopped are carried to their end in the background, as AWS would end them.
   */
  async load(): Promise<void> {
    this.runtime.store.load();
    resumeInterrupted(this.runtime, this.lifecycle);
    await markMissingData(this.runtime);
  }

  /** Writes what is not yet written, at once: the process is about to exit. */
  persistNow(): void {
    this.runtime.store.persist();
  }

  /** Resolves once no stack operation or change set planning is in progress, and the state is written. */
  settled(): Promise<void> {
    return this.runtime.settled();
  }

  private get store() {
    return this.runtime.store;
  }

  private async templateText(input: { TemplateBody?: string; TemplateURL?: string }): Promise<string> {
    return templateText(input, this.runtime.options.clients.s3);
  }

  async createStack(input: CFN.CreateStackCommandInput): Promise<Reply<CFN.CreateStackCommandOutput>> {
    const name = checkStackName(input.StackName);
    if (this.store.liveStackNamed(name)) throw new EngineError('AlreadyExistsException', `Stack [${name}] already exists`);
    if (input.DisableRollback !== undefined && input.OnFailure !== undefined) throw validation('You cannot specify both DisableRollback and OnFailure.');
    const template = this.runtime.template(await this.templateText(input));
    const capabilities = input.Capabilities ?? [];
    const parameters = await this.lifecycle.checkInputs(template, input.Parameters, undefined, capabilities);
    if (this.store.liveStackNamed(name)) throw new EngineError('AlreadyExistsException', `Stack [${name}] already exists`);
    const stack = this.lifecycle.newStack(name, template, parameters, {
      capabilities,
      tags: tagsOf(input.Tags),
      notificationARNs: input.NotificationARNs ?? [],
      disableRollback: input.DisableRollback ?? input.OnFailure === 'DO_NOTHING',
      timeoutInMinutes: input.TimeoutInMinutes,
      roleARN: input.RoleARN,
      terminationProtection: input.EnableTerminationProtection,
    }, 'CREATE_IN_PROGRESS');
    this.runtime.background(() => this.lifecycle.runCreation(stack, template, input.ClientRequestToken, input.OnFailure === 'DELETE'));
    return { StackId: stack.stackId };
  }

  async updateStack(input: CFN.UpdateStackCommandInput): Promise<Reply<CFN.UpdateStackCommandOutput>> {
    const stack = this.store.get(input.StackName);
    if (!UPDATABLE.has(stack.status)) throw validation(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    if (input.UsePreviousTemplate && (input.TemplateBody !== undefined || input.TemplateURL !== undefined)) throw validation('You cannot specify both usePreviousTemplate and Template Body/Template URL.');
    const template = this.runtime.template(input.UsePreviousTemplate ? stack.templateBody : await this.templateText(input));
    const capabilities = input.Capabilities ?? [];
    const parameters = await this.lifecycle.checkInputs(template, input.Parameters, stack.parameters, capabilities);
    const tags = input.Tags ? tagsOf(input.Tags) : stack.tags;
    if (sameUpdate(this.runtime, stack, template, parameters, tags)) throw validation('No updates are to be performed.');
    this.runtime.background(() =>
      this.lifecycle.runUpdate(stack, template, parameters, { capabilities, tags, notificationARNs: input.NotificationARNs, disableRollback: input.DisableRollback ?? stack.disableRollback }, input.ClientRequestToken),
    );
    return { StackId: stack.stackId };
  }

  async deleteStack(input: CFN.DeleteStackCommandInput): Promise<Reply<CFN.DeleteStackCommandOutput>> {
    // Deleting a stack that doesn't exist (or is already deleted) succeeds, as in CloudFormation.
    const stack = input.StackName ? this.store.find(input.StackName) : undefined;
    if (!stack || stack.status === 'DELETE_COMPLETE') return {};
    if (stack.terminationProtection) throw validation(`Stack [${stack.stackName}] cannot be deleted while TerminationProtection is enabled`);
    if (stack.status === 'DELETE_IN_PROGRESS') return {};
    if (isBusy(stack.status)) throw validation(`Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`);
    const retain = new Set(input.RetainResources ?? []);
    if (retain.size > 0 && stack.status !== 'DELETE_FAILED') throw validation('Invalid operation on stack: RetainResources can only be specified when stack is in DELETE_FAILED state');
    this.runtime.background(() => this.lifecycle.runDeletion(stack, retain, input.ClientRequestToken));
    return {};
  }

  async describeStacks(input: CFN.DescribeStacksCommandInput): Promise<Reply<CFN.DescribeStacksCommandOutput>> {
    if (input.StackName) return { Stacks: [stackView(this.store.get(input.StackName))] };
    return { Stacks: this.store.liveStacks().map(stackView) };
  }

  async listStacks(input: CFN.ListStacksCommandInput): Promise<Reply<CFN.ListStacksCommandOutput>> {
    const filter = input.StackStatusFilter && input.StackStatusFilter.length > 0 ? new Set<string>(input.StackStatusFilter) : undefined;
    const stacks = this.store.listed().filter((s) => !filter || filter.has(s.status));
    return { StackSummaries: stacks.map(stackSummaryView) };
  }

  async describeStackEvents(input: CFN.DescribeStackEventsCommandInput): Promise<Reply<CFN.DescribeStackEventsCommandOutput>> {
    const stack = this.store.get(input.StackName);
    const events: CFN.StackEvent[] = [];
    for (let i = stack.events.length - 1; i >= 0; i--) events.push(eventView(stack, stack.events[i]));
    return { StackEvents: events };
  }

  async describeStackResource(input: CFN.DescribeStackResourceCommandInput): Promise<Reply<CFN.DescribeStackResourceCommandOutput>> {
    const stack = this.store.get(input.StackName);
    const resource = input.LogicalResourceId ? stack.resources[input.LogicalResourceId] : undefined;
    if (!resource) throw validation(`Resource ${input.LogicalResourceId ?? ''} does not exist for stack ${stack.stackName}`);
    return { StackResourceDetail: resourceView(stack, resource) };
  }

  async describeStackResources(input: CFN.DescribeStackResourcesCommandInput): Promise<Reply<CFN.DescribeStackResourcesCommandOutput>> {
    let stack: StackRecord | undefined;
    if (input.StackName) stack = this.store.get(input.StackName);
    else if (input.PhysicalResourceId) {
      stack = this.store.liveStacks().find((s) => Object.values(s.resources).some((r) => r.physicalId === input.PhysicalResourceId));
      if (!stack) throw validation(`Stack for ${input.PhysicalResourceId} does not exist`);
    } else throw validation('Either StackName or PhysicalResourceId must be specified.');
    const found = stack;
    const resources = Object.values(found.resources).filter((r) => !input.LogicalResourceId || r.logicalId === input.LogicalResourceId);
    return { StackResources: resources.map((r) => resourceView(found, r)) };
  }

  async listStackResources(input: CFN.ListStackResourcesCommandInput): Promise<Reply<CFN.ListStackResourcesCommandOutput>> {
    const stack = this.store.get(input.StackName);
    return {
      StackResourceSummaries: Object.values(stack.resources).map((r) => {
        const { LogicalResourceId, PhysicalResourceId, ResourceType, LastUpdatedTimestamp, ResourceStatus, ResourceStatusReason, DriftInformation } = resourceView(stack, r);
        return { LogicalResourceId, PhysicalResourceId, ResourceType, LastUpdatedTimestamp, ResourceStatus, ResourceStatusReason, DriftInformation };
      }),
    };
  }

  async getTemplate(input: CFN.GetTemplateCommandInput): Promise<Reply<CFN.GetTemplateCommandOutput>> {
    const text = input.ChangeSetName ? this.changeSets.find(input.ChangeSetName, input.StackName).templateBody : this.store.get(input.StackName).templateBody;
    const body = input.TemplateStage === 'Processed' ? JSON.stringify(this.runtime.template(text).body) : text;
    return { TemplateBody: body, StagesAvailable: ['Original', 'Processed'] };
  }

  async getTemplateSummary(input: CFN.GetTemplateSummaryCommandInput): Promise<Reply<CFN.GetTemplateSummaryCommandOutput>> {
    const text = input.StackName ? this.store.get(input.StackName).templateBody : await this.templateText(input);
    const body = this.readBody(text);
    return templateSummary(body, describeTemplate(body));
  }

  async validateTemplate(input: CFN.ValidateTemplateCommandInput): Promise<Reply<CFN.ValidateTemplateCommandOutput>> {
    const body = this.readBody(await this.templateText(input));
    const { Parameters, Description, Capabilities, CapabilitiesReason, DeclaredTransforms } = templateSummary(body, describeTemplate(body));
    return {
      Parameters: Parameters.map(({ ParameterKey, DefaultValue, NoEcho, Description }) => ({ ParameterKey, DefaultValue, NoEcho, Description })),
      Description,
      Capabilities,
      CapabilitiesReason,
      DeclaredTransforms,
    };
  }

  /** A template checked as CreateStack would, except that templates with transforms are only parsed (their resources exist after expansion). */
  private readBody(text: string): Record<string, unknown> {
    const parsed = parseTemplate(text, text.trimStart().startsWith('{') ? 'template.json' : 'template.yaml');
    if (parsed.body && describeTemplate(parsed.body).transforms.length > 0) return parsed.body;
    return this.runtime.template(text).body;
  }

  async createChangeSet(input: CFN.CreateChangeSetCommandInput): Promise<Reply<CFN.CreateChangeSetCommandOutput>> {
    return this.changeSets.create(input);
  }

  async describeChangeSet(input: CFN.DescribeChangeSetCommandInput): Promise<Reply<CFN.DescribeChangeSetCommandOutput>> {
    return this.changeSets.describe(input);
  }

  async executeChangeSet(input: CFN.ExecuteChangeSetCommandInput): Promise<Reply<CFN.ExecuteChangeSetCommandOutput>> {
    this.changeSets.execute(input);
    return {};
  }

  async deleteChangeSet(input: CFN.DeleteChangeSetCommandInput): Promise<Reply<CFN.DeleteChangeSetCommandOutput>> {
    this.changeSets.delete(input);
    return {};
  }

  async listChangeSets(input: CFN.ListChangeSetsCommandInput): Promise<Reply<CFN.ListChangeSetsCommandOutput>> {
    return this.changeSets.list(input);
  }

  async listExports(_input: CFN.ListExportsCommandInput): Promise<Reply<CFN.ListExportsCommandOutput>> {
    const exports = this.store.liveStacks().flatMap((s) => s.outputs.filter((o) => o.exportName !== undefined).map((o) => ({ ExportingStackId: s.stackId, Name: o.exportName, Value: o.value })));
    return { Exports: exports };
  }

  async listImports(input: CFN.ListImportsCommandInput): Promise<Reply<CFN.ListImportsCommandOutput>> {
    const name = input.ExportName ?? '';
    const importers = importersOf(this.store, name);
    if (importers.length === 0) throw validation(`Export '${name}' is not imported by any stack.`);
    return { Imports: importers };
  }

  async continueUpdateRollback(input: CFN.ContinueUpdateRollbackCommandInput): Promise<Reply<CFN.ContinueUpdateRollbackCommandOutput>> {
    const stack = this.store.get(input.StackName);
    if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw validation(`Stack ${stack.stackId} is in ${stack.status} state and can not continue update rollback; ContinueUpdateRollback needs UPDATE_ROLLBACK_FAILED`);
    const skip = new Set(input.ResourcesToSkip ?? []);
    this.runtime.background(() => this.lifecycle.runContinueUpdateRollback(stack, skip, input.ClientRequestToken));
    return {};
  }

  async rollbackStack(input: CFN.RollbackStackCommandInput): Promise<Reply<CFN.RollbackStackCommandOutput>> {
    const stack = this.store.get(input.StackName);
    if (stack.status !== 'CREATE_FAILED' && stack.status !== 'UPDATE_FAILED') throw validation(`Stack ${stack.stackId} is in ${stack.status} state and can not be rolled back`);
    this.runtime.background(() => this.lifecycle.runRollback(stack, input.ClientRequestToken));
    return { StackId: stack.stackId };
  }

  async cancelUpdateStack(input: CFN.CancelUpdateStackCommandInput): Promise<Reply<CFN.CancelUpdateStackCommandOutput>> {
    this.lifecycle.cancelUpdate(this.store.get(input.StackName));
    return {};
  }

  async updateTerminationProtection(input: CFN.UpdateTerminationProtectionCommandInput): Promise<Reply<CFN.UpdateTerminationProtectionCommandOutput>> {
    const stack = this.store.get(input.StackName);
    if (stack.parentId) throw validation('Termination protection cannot be set on nested stacks; set it on the root stack');
    stack.terminationProtection = input.EnableTerminationProtection ?? false;
    this.store.changed(stack);
    return { StackId: stack.stackId };
  }
}
