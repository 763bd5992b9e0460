import { DeleteStackCommand, GetTemplateCommand, ListExportsCommand, ListImportsCommand, ListStackResourcesCommand, type CloudFormationClient, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { projectStackGraph } from '../graph/stack-graph.ts';
import { describeTemplate } from '../template/model.ts';
import { parseTemplate } from '../template/parse.ts';
import { loadDeployContext, type StackTargetOptions } from './context.ts';
import type { EventSink } from './events.ts';
import { projectState } from './inspect.ts';
import { reverseGraph, runReadyQueue } from './scheduler.ts';
import { openTarget } from './target.ts';
import { watchStack } from './watch.ts';

export interface DeleteOptions extends StackTargetOptions {
  concurrency: number;
  yes: boolean;
  /** Asks a person to type the project name; absent when nobody can be asked. */
  askForName?: (question: string) => Promise<string>;
  /** Remove every object version from the stacks' buckets first, so they can be deleted. */
  emptyBuckets: boolean;
}

export interface DeleteReport {
  ok: boolean;
  /** Why nothing was deleted, when something stopped it before it began. */
  refused?: string;
  /** Resources that stay behind by their DeletionPolicy, as `stack/LogicalId (type) physical-id`. */
  retained: string[];
}

const KEPT = new Set(['Retain', 'RetainExceptOnCreate']);

interface LiveResource extends StackResourceSummary {
  stackName: string;
  policy?: string;
}

/** Every resource of a stack and of the nested stacks below it, with its DeletionPolicy from the deployed template. */
async function resourcesBelow(cfn: CloudFormationClient, stackName: string): Promise<LiveResource[]> {
  const found: LiveResource[] = [];
  const template = (await cfn.send(new GetTemplateCommand({ StackName: stackName }))).TemplateBody;
  const model = describeTemplate(parseTemplate(template ?? '{}', stackName).body);
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      const policy = model.resources.get(r.LogicalResourceId!)?.deletionPolicy;
      found.push({ ...r, stackName, ...(typeof policy === 'string' ? { policy } : {}) });
      if (r.ResourceType === 'AWS::CloudFormation::Stack' && r.PhysicalResourceId && !KEPT.has(String(policy))) found.push(...(await resourcesBelow(cfn, r.PhysicalResourceId)));
    }
    token = page.NextToken;
  } while (token);
  return found;
}

async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (objects.length === 0) return removed;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(0, 1000), Quiet: true } }));
    removed += Math.min(objects.length, 1000);
  }
}

/**
 * Deletes a project's stacks in reverse dependency order, after confirmation by name. Exports
 * still imported by stacks outside the project stop it before anything is deleted; resources
 * kept by their DeletionPolicy are listed.
 */
export async function deleteProject(path: string, options: DeleteOptions, emit: EventSink): Promise<DeleteReport> {
  const context = loadDeployContext(path, options);
  const target = await openTarget({ target: options.target, region: context.region, profile: options.profile, projectRoot: context.project.root, engine: options.engine });
  try {
    const cfn = target.cloudformation;
    const existing = (await projectState(cfn, context)).filter((s) => s.stack);
    if (existing.length === 0) return { ok: true, retained: [] };
    const resources = new Map<string, LiveResource[]>();
    for (const s of existing) resources.set(s.id, await resourcesBelow(cfn, s.stackName));

    // An export another stack still imports would fail the delete halfway: find it first.
    const leaving = new Set(existing.flatMap((s) => [s.stack!.StackId!, ...resources.get(s.id)!.filter((r) => r.ResourceType === 'AWS::CloudFormation::Stack').map((r) => r.PhysicalResourceId!)]));
    const leavingNames = new Set([...existing.map((s) => s.stackName), ...[...resources.values()].flat().filter((r) => r.ResourceType === 'AWS::CloudFormation::Stack').map((r) => r.PhysicalResourceId!.split('/')[1])]);
    const exports = (await cfn.send(new ListExportsCommand({}))).Exports ?? [];
    for (const exported of exports.filter((e) => leaving.has(e.ExportingStackId!))) {
      let importers: string[] = [];
      try {
        importers = (await cfn.send(new ListImportsCommand({ ExportName: exported.Name }))).Imports ?? [];
      } catch {
        continue; // not imported anywhere
      }
      const outside = importers.filter((name) => !leavingNames.has(name));
      if (outside.length > 0) return { ok: false, refused: `export ${exported.Name} is imported by ${outside.join(', ')}, which this delete would leave behind: delete or change those stacks first`, retained: [] };
    }

    const retained = [...resources.values()].flat().filter((r) => KEPT.has(String(r.policy)) || r.policy === 'Snapshot').map((r) => `${r.stackName}/${r.LogicalResourceId} (${r.ResourceType}) ${r.PhysicalResourceId}${r.policy === 'Snapshot' ? ' [snapshot]' : ''}`);
    if (!options.yes) {
      const question = `Delete ${existing.length} stack(s) of ${context.project.name} (${existing.map((s) => s.stackName).join(', ')})${retained.length > 0 ? `, keeping ${retained.length} retained resource(s)` : ''}? Type the project name to confirm:`;
      const answer = options.askForName ? await options.askForName(question) : undefined;
      if (answer === undefined) return { ok: false, refused: 'confirmation needed: run again on a terminal, or with --yes', retained };
      if (answer.trim() !== context.project.name) return { ok: false, refused: `not confirmed (expected "${context.project.name}")`, retained };
    }
    if (options.emptyBuckets) {
      for (const r of [...resources.values()].flat()) {
        if (r.ResourceType === 'AWS::S3::Bucket' && !KEPT.has(String(r.policy)) && r.PhysicalResourceId) {
          const removed = await emptyBucket(target.s3, r.PhysicalResourceId).catch(() => 0);
          if (removed > 0) emit({ code: 'warning', message: `emptied s3://${r.PhysicalResourceId}: ${removed} object version(s) removed` });
        }
      }
    }

    emit({ code: 'phase', phase: 'delete', message: `deleting ${existing.length} stack(s) in reverse dependency order` });
    const graph = projectStackGraph(context.project, context.environment);
    const present = new Set(existing.map((s) => s.id));
    const order = new Map([...reverseGraph(graph.dependencies)].filter(([id]) => present.has(id)));
    const failures: string[] = [];
    await runReadyQueue(
      order,
      async (id) => {
        const state = existing.find((s) => s.id === id)!;
        const started = Date.now();
        const stackContext = { stack: id, stackName: state.stackName };
        emit({ code: 'stack-start', ...stackContext, operation: 'delete', resources: resources.get(id)!.filter((r) => r.stackName === state.stackName).length });
        const since = new Date();
        await cfn.send(new DeleteStackCommand({ StackName: state.stack!.StackId }));
        const result = await watchStack(cfn, state.stack!.StackId!, { ...stackContext, since, polling: target.polling }, emit);
        const ok = result.status === 'DELETE_COMPLETE';
        emit({ code: 'stack-done', ...stackContext, outcome: ok ? 'succeeded' : 'failed', status: result.status, ...(result.firstFailure ? { firstFailure: result.firstFailure } : {}), seconds: (Date.now() - started) / 1000 });
        if (!ok) {
          failures.push(id);
          throw new Error(result.statusReason ?? result.status);
        }
      },
      { concurrency: options.concurrency },
    );
    return { ok: failures.length === 0, retained };
  } finally {
    await target.close();
  }
}
