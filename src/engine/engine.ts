import type * as CFN from '@aws-sdk/client-cloudformation';
import { describeTemplate } from '../template/model.ts';
import { parseTemplate } from '../template/parse.ts';
import { EngineError, type CloudFormationApi, type EngineOptions, type Reply } from './api.ts';
import { ChangeSets } from './change-sets.ts';
import { importersOf } from './exports.ts';
import { markMissingData } from './data-plane-check.ts';
import { DriftDetections } from './operations/drift-detection.ts';
import { checkResourcesToSkip, refuseNestedStack } from './resources-to-skip.ts';
import { resumeInterrupted } from './operations/interrupted.ts';
import { checkNewStackName, checkRoleArn, StackLifecycle, tagsOf, UPDATABLE } from './operations/lifecycle.ts';
import { newestFirstPageOf, nextTokenOf, pageOf } from './pages.ts';
import { EngineRuntime } from './runtime.ts';
import { StackStore } from './stack-store.ts';
import { stackPolicyText } from './stack-policy.ts';
import type { StackRecord } from './state.ts';
import { templateText } from './template-source.ts';
import { sameUpdate } from './update-check.ts';
import { eventView, resourceView, stackSummaryView, stackView, templateSummary } from './views.ts';

const validation = (message: string) => new EngineError('ValidationError', message);

const isGiven = (...values: (string | undefined)[]) => values.some((v) => v !== undefined);

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
  private readonly drift: DriftDetections;

  constructor(options: EngineOptions) {
    const store = new StackStore(options.stateDir, options.secrets);
    this.runtime = new EngineRuntime(
      { region: options.region, accountId: options.accountId, clients: options.clients, faults: options.faults, timeScale: options.timeScale ?? 0, random: options.random ?? Math.random },
      store,
    );
    this.lifecycle = new StackLifecycle(this.runtime);
    this.changeSets = new ChangeSets(this.runtime, this.lifecycle);
    this.drift = new DriftDetections(this.runtime);
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
    const name = checkNewStackName(input.StackName);
    const exists = () => {
      const found = this.store.liveStackNamed(name);
      // A stack under review (a CREATE change set not executed) is created by CreateStack, as on AWS.
      if (found && found.status !== 'REVIEW_IN_PROGRESS') throw new EngineError('AlreadyExistsException', `Stack [${name}] already exists`);
      return found;
    };
    exists();
    if (input.DisableRollback !== undefined && input.OnFailure !== undefined) throw validation('You cannot specify both DisableRollback and OnFailure.');
    const template = this.runtime.template(await this.templateText(input));
    // Read only when given: a call without one takes no extra turn before its stack exists.
    const stackPolicy = isGiven(input.StackPolicyBody, input.StackPolicyURL) ? await stackPolicyText({ body: input.StackPolicyBody, url: input.StackPolicyURL }, 'StackPolicy', this.runtime.options.clients.s3) : undefined;
    const capabilities = input.Capabilities ?? [];
    const parameters = await this.lifecycle.checkInputs(template, input.Parameters, undefined, capabilities);
    const reviewed = exists();
    const settings = {
      capabilities,
      stackPolicy,
      tags: tagsOf(input.Tags),
      notificationARNs: input.NotificationARNs ?? [],
      disableRollback: input.DisableRollback ?? input.OnFailure === 'DO_NOTHING',
      timeoutInMinutes: input.TimeoutInMinutes,
      roleARN: checkRoleArn(input.RoleARN),
      terminationProtection: input.EnableTerminationProtection,
    };
    const stack = reviewed ? this.changeSets.createReviewed(reviewed, template, parameters, settings) : this.lifecycle.newStack(name, template, parameters, settings, 'CREATE_IN_PROGRESS');
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
    const s3 = this.runtime.options.clients.s3;
    const newPolicy = isGiven(input.StackPolicyBody, input.StackPolicyURL) ? await stackPolicyText({ body: input.StackPolicyBody, url: input.StackPolicyURL }, 'StackPolicy', s3) : undefined;
    const policyDuringUpdate = isGiven(input.StackPolicyDuringUpdateBody, input.StackPolicyDuringUpdateURL)
      ? await stackPolicyText({ body: input.StackPolicyDuringUpdateBody, url: input.StackPolicyDuringUpdateURL }, 'StackPolicyDuringUpdate', s3)
      : undefined;
    if (sameUpdate(this.runtime, stack, template, parameters, tags)) throw validation('No updates are to be performed.');
    const settings = { capabilities, tags, notificationARNs: input.NotificationARNs, roleARN: checkRoleArn(input.RoleARN), disableRollback: input.DisableRollback ?? stack.disableRollback, newPolicy, policyDuringUpdate };
    this.runtime.background(() => this.lifecycle.runUpdate(stack, template, parameters, settings, input.ClientRequestToken));
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
    const page = pageOf(this.store.liveStacks(), input.NextToken);
    return { Stacks: page.items.map(stackView), ...nextTokenOf(page) };
  }

  async listStacks(input: CFN.ListStacksCommandInput): Promise<Reply<CFN.ListStacksCommandOutput>> {
    const filter = input.StackStatusFilter && input.StackStatusFilter.length > 0 ? new Set<string>(input.StackStatusFilter) : undefined;
    const stacks = this.store.listed().filter((s) => !filter || filter.has(s.status));
    const page = pageOf(stacks, input.NextToken);
    return { StackSummaries: page.items.map(stackSummaryView), ...nextTokenOf(page) };
  }

  async describeStackEvents(input: CFN.DescribeStackEventsCommandInput): Promise<Reply<CFN.DescribeStackEventsCommandOutput>> {
    const stack = input.StackName ? this.store.find(input.StackName) : undefined;
    if (!stack) throw validation(`Stack [${input.StackName ?? ''}] does not exist`);
    const page = newestFirstPageOf(stack.events, input.NextToken);
    return { StackEvents: page.items.map((e) => eventView(stack, e)), ...nextTokenOf(page) };
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
    const page = pageOf(Object.values(stack.resources), input.NextToken);
    return {
      ...nextTokenOf(page),
      StackResourceSummaries: page.items.map((r) => {
        const { LogicalResourceId, PhysicalResourceId, ResourceType, LastUpdatedTimestamp, ResourceStatus, ResourceStatusReason, DriftInformation } = resourceView(stack, r);
        return { LogicalResourceId, PhysicalResourceId, ResourceType, LastUpdatedTimestamp, ResourceStatus, ResourceStatusReason, DriftInformation };
      }),
    };
  }

  async getTemplate(input: CFN.GetTemplateCommandInput): Promise<Reply<CFN.GetTemplateCommandOutput>> {
    if (!input.StackName && !input.ChangeSetName) throw validation('StackName is required if ChangeSetName is not specified.');
    const text = input.ChangeSetName ? this.changeSets.find(input.ChangeSetName, input.StackName, 'StackName is a required parameter.').templateBody : this.store.get(input.StackName).templateBody;
    // Without transforms the processed template is the original, in its format (YAML stays YAML).
    const processed = input.TemplateStage === 'Processed' && this.runtime.template(text).model.transforms.length > 0;
    const body = processed ? JSON.stringify(this.runtime.template(text).body) : text;
    return { TemplateBody: body, StagesAvailable: ['Original', 'Processed'] };
  }

  async getTemplateSummary(input: CFN.GetTemplateSummaryCommandInput): Promise<Reply<CFN.GetTemplateSummaryCommandOutput>> {
    const stack = input.StackName ? this.store.get(input.StackName) : undefined;
    if (stack?.status === 'REVIEW_IN_PROGRESS') throw validation('GetTemplateSummary cannot be called on REVIEW_IN_PROGRESS stacks.');
    const text = stack ? stack.templateBody : await this.templateText(input);
    const body = this.readBody(text);
    return templateSummary(body, describeTemplate(body));
  }

  async validateTemplate(input: CFN.ValidateTemplateCommandInput): Promise<Reply<CFN.ValidateTemplateCommandOutput>> {
    const body = this.readBody(await this.templateText(input));
    const { Parameters, Description, Capabilities, CapabilitiesReason, DeclaredTransforms }: Reply<CFN.GetTemplateSummaryCommandOutput> = templateSummary(body, describeTemplate(body));
    return {
      Parameters: Parameters?.map(({ ParameterKey, DefaultValue, NoEcho, Description }) => ({ ParameterKey, DefaultValue, NoEcho, Description })),
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

  async listExports(input: CFN.ListExportsCommandInput): Promise<Reply<CFN.ListExportsCommandOutput>> {
    const exports = this.store.liveStacks().flatMap((s) => s.outputs.filter((o) => o.exportName !== undefined).map((o) => ({ ExportingStackId: s.stackId, Name: o.exportName, Value: o.value })));
    const page = pageOf(exports, input.NextToken);
    return { Exports: page.items, ...nextTokenOf(page) };
  }

  async listImports(input: CFN.ListImportsCommandInput): Promise<Reply<CFN.ListImportsCommandOutput>> {
    const name = input.ExportName ?? '';
    const importers = importersOf(this.store, name);
    if (importers.length === 0) throw validation(`Export '${name}' is not imported by any stack.`);
    const page = pageOf(importers, input.NextToken);
    return { Imports: page.items, ...nextTokenOf(page) };
  }

  async continueUpdateRollback(input: CFN.ContinueUpdateRollbackCommandInput): Promise<Reply<CFN.ContinueUpdateRollbackCommandOutput>> {
    const stack = this.store.get(input.StackName);
    refuseNestedStack(this.store, stack, 'ContinueUpdateRollback');
    if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw validation(`Stack ${stack.stackId} is in ${stack.status} state and can not continue update rollback; ContinueUpdateRollback needs UPDATE_ROLLBACK_FAILED`);
    checkResourcesToSkip(this.store, stack, input.ResourcesToSkip ?? []);
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

  async getStackPolicy(input: CFN.GetStackPolicyCommandInput): Promise<Reply<CFN.GetStackPolicyCommandOutput>> {
    const stack = this.store.get(input.StackName);
    // While an update runs with its own policy, that is the one in force.
    const body = stack.stackPolicyDuringUpdateBody ?? stack.stackPolicyBody;
    return body === undefined ? {} : { StackPolicyBody: body };
  }

  async setStackPolicy(input: CFN.SetStackPolicyCommandInput): Promise<Reply<CFN.SetStackPolicyCommandOutput>> {
    const stack = this.store.get(input.StackName);
    const body = await stackPolicyText({ body: input.StackPolicyBody, url: input.StackPolicyURL }, 'StackPolicy', this.runtime.options.clients.s3);
    if (body === undefined) throw validation('Either StackPolicyBody or StackPolicyURL must be specified.');
    stack.stackPolicyBody = body;
    this.store.changed(stack);
    return {};
  }

  async updateTerminationProtection(input: CFN.UpdateTerminationProtectionCommandInput): Promise<Reply<CFN.UpdateTerminationProtectionCommandOutput>> {
    const stack = this.store.get(input.StackName);
    if (stack.parentId) throw validation('Termination protection cannot be set on nested stacks; set it on the root stack');
    stack.terminationProtection = input.EnableTerminationProtection ?? false;
    this.store.changed(stack);
    return { StackId: stack.stackId };
  }

  async detectStackDrift(input: CFN.DetectStackDriftCommandInput): Promise<Reply<CFN.DetectStackDriftCommandOutput>> {
    return this.drift.detectStack(input);
  }

  async describeStackDriftDetectionStatus(input: CFN.DescribeStackDriftDetectionStatusCommandInput): Promise<Reply<CFN.DescribeStackDriftDetectionStatusCommandOutput>> {
    return this.drift.status(input);
  }

  async describeStackResourceDrifts(input: CFN.DescribeStackResourceDriftsCommandInput): Promise<Reply<CFN.DescribeStackResourceDriftsCommandOutput>> {
    return this.drift.resourceDrifts(input);
  }

  async detectStackResourceDrift(input: CFN.DetectStackResourceDriftCommandInput): Promise<Reply<CFN.DetectStackResourceDriftCommandOutput>> {
    return this.drift.detectResource(input);
  }
}
