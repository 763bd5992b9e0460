import type { Diagnostic } from '../diagnostics.ts';
import { deployLayers, projectStackGraph } from '../graph/stack-graph.ts';
import { exportsOf, namesMayMatch, stackInstances } from '../project/exports.ts';
import { environmentRegions, listStackParameters, type ListedParameter } from '../project/parameter-listing.ts';
import { RULES } from '../validate/rules/index.ts';
import { checkProject } from '../validate/validate.ts';
import { StackpilotError } from '../errors.ts';
import { awsStep, failureInWords } from './aws-errors.ts';
import { openRegions, regionContexts, type RegionRun } from '../regions/fanout.ts';
import { uniqueDiagnostics, type StackTargetOptions } from './context.ts';
import { projectTags, stackDeployment } from './deploy.ts';
import { resourcePath, type EventSink, type PreviewedChange } from './events.ts';
import { describeStack, outputsOf } from './inspect.ts';
import { dataLossNotices } from './backups.ts';
import { liveStacks } from './live-resources.ts';
import { deniedChanges, denialsInWords } from './protection.ts';
import { artifactsBucketName, packageProject } from './package.ts';
import type { StackCostDelta } from '../cost/delta.ts';
import { planCostDelta } from '../cost/plan-delta.ts';
import { previewChangeSet } from './preview.ts';
import { projectSecrets } from './secrets.ts';
import { createChangeSet, discardChangeSet, missingExportInWords, NO_CHANGES, type StackDeployment } from './stack-deploy.ts';
import type { Target } from './target.ts';
import { ensureArtifactsBucket, uploadArtifacts } from './upload.ts';

export type PlanOptions = StackTargetOptions;

export interface StackPlan {
  id: string;
  stackName: string;
  /** Set when the plan covers several regions. */
  region?: string;
  /** `unknown`: not previewed yet (an upstream stack's outputs are not known); `failed`: could not be previewed. */
  action: 'create' | 'update' | 'no-changes' | 'unknown' | 'failed';
  changes: PreviewedChange[];
  /** Why there is no preview (an upstream stack's outputs are not known yet, the change set or an AWS call failed). */
  note?: string;
  /** What to do about a failed one. */
  hint?: string;
  /** Data the changes would lose that no backup of stackpilot's keeps (see dataLossNotices), and changes protection stops. */
  notices?: string[];
  /** The values its parameters get, each with where it came from (NoEcho ones masked). */
  parameters?: ListedParameter[];
  /** How a deploy would change its monthly cost estimate (see src/cost/plan-delta.ts). */
  cost?: StackCostDelta;
  /** Stack settings a deploy changes outside the change set (termination protection), also when the template has no changes. */
  settingChanges?: SettingChange[];
}

export interface SettingChange {
  setting: 'terminationProtection';
  before: boolean;
  after: boolean;
}

/** What a deploy does to the stack's termination protection, when the command asks for a change (as applyTerminationProtection does it). */
function terminationProtectionChange(wanted: boolean | undefined, current: boolean | undefined): SettingChange[] {
  const before = current ?? false;
  return wanted === undefined || wanted === before ? [] : [{ setting: 'terminationProtection', before, after: wanted }];
}

export interface ArtifactUpload {
  region: string;
  bucket: string;
  uploaded: number;
  unchanged: number;
}

export interface PlanReport {
  diagnostics: Diagnostic[];
  /** How many findings ignore lists suppress (see validate/suppressions.ts). */
  suppressed?: number;
  /** Stacks in deploy order, as layers that may deploy at the same time. */
  layers: string[][];
  /** The region planned for, and every region the environment deploys to. */
  region: string;
  regions: string[];
  stacks: StackPlan[];
  /** The nested templates uploaded to each region's artifacts bucket: the only thing a plan writes. */
  artifacts?: ArtifactUpload[];
  /** Stopped by an interrupt before every stack was previewed. */
  interrupted?: boolean;
}

/**
 * What a deploy would do, from real change sets that are created, described and deleted:
 * nothing is executed. Nested templates are uploaded (their keys are content-hashed, so a later
 * deploy reuses them); a stack that would be created leaves no trace.
 */
export async function planProject(path: string, options: PlanOptions, emit: EventSink): Promise<PlanReport> {
  const contexts = regionContexts(path, options);
  const { project, environment } = contexts[0];
  // Each region's view of the project (its overrides) is validated.
  const checked = contexts.map((c) => checkProject(c.project, RULES, { today: options.today }));
  const diagnostics = uniqueDiagnostics(checked.flatMap((c) => c.diagnostics));
  const suppressed = uniqueDiagnostics(checked.flatMap((c) => c.suppressed)).length;
  const graph = projectStackGraph(project, environment);
  const layers = deployLayers(graph);
  const report: PlanReport = { diagnostics, ...(suppressed > 0 ? { suppressed } : {}), layers, region: contexts[0].region, regions: environmentRegions(project, environment.env), stacks: [] };
  if (diagnostics.some((d) => d.severity === 'error')) return report;

  const regions = await openRegions(contexts, options, emit);
  try {
    const planned = await Promise.all(regions.runs.map((run) => planRegion(run, options, layers, regions.labelled)));
    for (const region of planned) {
      report.stacks.push(...region.stacks);
      if (region.artifacts) (report.artifacts ??= []).push(region.artifacts);
      if (region.interrupted) report.interrupted = true;
    }
    return report;
  } finally {
    await regions.close();
  }
}

/** The plan of one region's stacks, labelled with the region when the plan covers several. */
async function planRegion({ context, target, region, emit }: RegionRun, options: PlanOptions, layers: string[][], labelled: boolean): Promise<{ stacks: StackPlan[]; artifacts?: ArtifactUpload; interrupted?: boolean }> {
  const { project, environment } = context;
  const label = labelled ? { region } : {};
  const stacks: StackPlan[] = [];
  const plan = packageProject(project, artifactsBucketName(project.name, target.accountId, region), region);
  // Change sets of nested stacks read their templates from S3: the one write a plan makes.
  const artifacts = plan.artifacts.length === 0 ? undefined : await awsStep(`upload the nested templates to s3://${plan.bucket} (nothing was planned)`, async () => {
    await ensureArtifactsBucket(target.s3, plan.bucket, region);
    return { region, bucket: plan.bucket, ...(await uploadArtifacts(target.s3, plan)) };
  });
  const withArtifacts = artifacts ? { artifacts } : {};
  const outputs = await awsStep('read the outputs of the stacks deployed already (nothing was planned)', async () => {
    const deployed = new Map<string, Record<string, string> | undefined>();
    for (const id of layers.flat()) {
      const stack = await describeStack(target.cloudformation, context.stackName(id));
      deployed.set(id, stack ? outputsOf(stack) : undefined);
    }
    return deployed;
  });
  // Another region's outputs are not read: a stack that takes one is not previewed (its note says why).
  const upstream = (id: string, inRegion?: string) => (inRegion === undefined ? outputs.get(id) : undefined);
  options.secrets?.learn(await projectSecrets(context, target, upstream));
  const tags = projectTags(context);
  // An import of an export a project stack makes is no error before that stack is deployed.
  const projectExports = environment ? stackInstances(project, environment).flatMap(exportsOf) : [];
  const exportedByProject = (name: string) => projectExports.some((declaration) => namesMayMatch(declaration.name, [name]));
  for (const id of layers.flat()) {
    // An interrupt stops the plan between stacks: each one previewed has left nothing behind.
    if (options.signal?.aborted) return { stacks, ...withArtifacts, interrupted: true };
    const parameters = listStackParameters(project, environment, id);
    let deployment;
    try {
      deployment = stackDeployment(context, plan, tags, id, upstream, options.settings);
    } catch (error) {
      if (!(error instanceof StackpilotError)) throw error;
      stacks.push({ id, stackName: context.stackName(id), ...label, action: 'unknown', changes: [], note: error.message, parameters });
      continue;
    }
    const preview = await previewStack(target, deployment, exportedByProject, emit);
    const cost = preview.action === 'create' || preview.action === 'update' ? await planCostDelta(target.cloudformation, context, id) : undefined;
    stacks.push({ ...preview, ...label, parameters, ...(cost ? { cost } : {}) });
  }
  return { stacks, ...withArtifacts };
}

/**
 * One stack's change preview, from a change set created, described and deleted again. A change
 * set that fails, or an AWS call that does, makes the stack's plan `failed`, with the reason.
 */
async function previewStack(target: Target, deployment: StackDeployment, exportedByProject: (name: string) => boolean, emit: EventSink): Promise<StackPlan> {
  const { id, stackName } = deployment;
  const cfn = target.cloudformation;
  let created: string | undefined;
  try {
    const existing = await describeStack(cfn, stackName);
    if (existing?.StackStatus === 'ROLLBACK_COMPLETE') {
      return { id, stackName, action: 'create', changes: [], note: 'left in ROLLBACK_COMPLETE by a failed create: deploy deletes it (once confirmed) and creates it again' };
    }
    const usable = existing && !['REVIEW_IN_PROGRESS', 'ROLLBACK_COMPLETE'].includes(existing.StackStatus!);
    const type = usable ? 'UPDATE' : 'CREATE';
    const changeSet = await createChangeSet(target, deployment, type);
    if (type === 'CREATE') created = changeSet.stackId;
    const settingChanges = terminationProtectionChange(deployment.terminationProtection, usable ? existing.EnableTerminationProtection : undefined);
    const withSettings = settingChanges.length > 0 ? { settingChanges } : {};
    let plan: StackPlan;
    const missing = changeSet.missingExport;
    if (missing && !exportedByProject(missing.exportName)) {
      plan = { id, stackName, action: 'failed', changes: [], note: missingExportInWords(missing), hint: `A deploy would fail on it: deploy the stack that exports ${missing.exportName} first (same account and region), or correct the name the template imports.` };
      await discardChangeSet(target, changeSet.changeSetId, undefined);
    } else if (changeSet.failure !== undefined) {
      plan = NO_CHANGES.test(changeSet.failure)
        ? { id, stackName, action: 'no-changes', changes: [], ...withSettings }
        : { id, stackName, action: 'failed', changes: [], note: `the change set failed: ${changeSet.failure}`, hint: 'Correct what the reason names (in the template or its parameters): a deploy would fail the same way.' };
    } else {
      const changes = await previewChangeSet(cfn, changeSet.changeSetId, deployment.incomingAt);
      emit({ code: 'change-preview', stack: id, stackName, changes });
      const notices = dataLossNotices(stackName, changes, 'auto');
      for (const change of changes.filter((c) => c.willFail)) notices.push(`${resourcePath(change.nestedPath, change.logicalId)} will fail: ${change.willFail} A deploy stops before executing.`);
      if (deployment.protect && type === 'UPDATE') {
        const denials = deniedChanges(changes, await liveStacks(cfn, existing!.StackId!), new Set());
        if (denials.length > 0) notices.push(`${denialsInWords(denials).reason}: deploy stops before executing unless --allow-replace lets it through`);
      }
      plan = { id, stackName, action: type === 'CREATE' ? 'create' : 'update', changes, ...(notices.length > 0 ? { notices } : {}), ...withSettings };
      await discardChangeSet(target, changeSet.changeSetId, undefined);
    }
    // A CREATE change set leaves a stack in REVIEW_IN_PROGRESS: a plan leaves nothing behind.
    await discardChangeSet(target, undefined, created);
    return plan;
  } catch (error) {
    const failure = failureInWords(error);
    if (!failure) throw error;
    const hints = [failure.hint, created && `${stackName} may be left in REVIEW_IN_PROGRESS: the next plan or deploy removes it.`].filter(Boolean);
    return { id, stackName, action: 'failed', changes: [], note: failure.message, ...(hints.length > 0 ? { hint: hints.join(' ') } : {}) };
  }
}
