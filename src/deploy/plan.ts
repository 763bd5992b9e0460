import { DeleteChangeSetCommand, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { Diagnostic } from '../diagnostics.ts';
import { deployLayers, projectStackGraph } from '../graph/stack-graph.ts';
import { validateProject } from '../validate/validate.ts';
import { loadDeployContext, type StackTargetOptions } from './context.ts';
import { projectTags, stackDeployment } from './deploy.ts';
import type { EventSink, PreviewedChange } from './events.ts';
import { describeStack } from './inspect.ts';
import { artifactsBucketName, packageProject } from './package.ts';
import { previewChangeSet } from './preview.ts';
import { createChangeSet, NO_CHANGES } from './stack-deploy.ts';
import { openTarget } from './target.ts';
import { ensureArtifactsBucket, uploadArtifacts } from './upload.ts';

export type PlanOptions = StackTargetOptions;

export interface StackPlan {
  id: string;
  stackName: string;
  action: 'create' | 'update' | 'no-changes' | 'unknown';
  changes: PreviewedChange[];
  /** Why there is no preview (an upstream stack's outputs are not known yet, or the change set failed). */
  note?: string;
}

export interface PlanReport {
  diagnostics: Diagnostic[];
  /** Stacks in deploy order, as layers that may deploy at the same time. */
  layers: string[][];
  stacks: StackPlan[];
}

/**
 * What a deploy would do, from real change sets that are created, described and deleted:
 * nothing is executed. Nested templates are uploaded (their keys are content-hashed, so a later
 * deploy reuses them); a stack that would be created leaves no trace.
 */
export async function planProject(path: string, options: PlanOptions, emit: EventSink): Promise<PlanReport> {
  const context = loadDeployContext(path, options);
  const { project, environment, region } = context;
  const diagnostics = validateProject(project);
  const graph = projectStackGraph(project, environment);
  const layers = deployLayers(graph);
  const report: PlanReport = { diagnostics, layers, stacks: [] };
  if (diagnostics.some((d) => d.severity === 'error')) return report;

  const target = await openTarget({ target: options.target, region, profile: options.profile, projectRoot: project.root, engine: options.engine });
  try {
    const plan = packageProject(project, artifactsBucketName(project.name, target.accountId, region), region);
    if (plan.artifacts.length > 0) {
      await ensureArtifactsBucket(target.s3, plan.bucket, region);
      await uploadArtifacts(target.s3, plan);
    }
    const tags = projectTags(context);
    const deployedOutputs = async (id: string) => {
      const stack = await describeStack(target.cloudformation, context.stackName(id));
      return stack ? Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? ''])) : undefined;
    };
    const outputs = new Map<string, Record<string, string> | undefined>();
    for (const id of layers.flat()) outputs.set(id, await deployedOutputs(id));

    for (const id of layers.flat()) {
      const stackName = context.stackName(id);
      let deployment;
      try {
        deployment = stackDeployment(context, plan, tags, id, (upstream) => outputs.get(upstream));
      } catch (error) {
        report.stacks.push({ id, stackName, action: 'unknown', changes: [], note: (error as Error).message });
        continue;
      }
      const existing = await describeStack(target.cloudformation, stackName);
      if (existing?.StackStatus === 'ROLLBACK_COMPLETE') {
        report.stacks.push({ id, stackName, action: 'create', changes: [], note: 'left in ROLLBACK_COMPLETE by a failed create: deploy deletes it (once confirmed) and creates it again' });
        continue;
      }
      const usable = existing && !['REVIEW_IN_PROGRESS', 'ROLLBACK_COMPLETE'].includes(existing.StackStatus!);
      const type = usable ? 'UPDATE' : 'CREATE';
      const created = await createChangeSet(target, deployment, type);
      if (created.failure !== undefined) {
        const none = NO_CHANGES.test(created.failure);
        report.stacks.push({ id, stackName, action: none ? 'no-changes' : 'unknown', changes: [], ...(none ? {} : { note: created.failure }) });
      } else {
        const changes = await previewChangeSet(target.cloudformation, created.changeSetId, deployment.incomingAt);
        emit({ code: 'change-preview', stack: id, stackName, changes });
        report.stacks.push({ id, stackName, action: type === 'CREATE' ? 'create' : 'update', changes });
        await target.cloudformation.send(new DeleteChangeSetCommand({ ChangeSetName: created.changeSetId }));
      }
      // A CREATE change set leaves a stack in REVIEW_IN_PROGRESS: a plan leaves nothing behind.
      if (type === 'CREATE') {
        const review = (await target.cloudformation.send(new DescribeStacksCommand({ StackName: created.stackId }))).Stacks?.[0];
        if (review?.StackStatus === 'REVIEW_IN_PROGRESS') await target.cloudformation.send(new DeleteStackCommand({ StackName: created.stackId }));
      }
    }
    return report;
  } finally {
    await target.close();
  }
}
