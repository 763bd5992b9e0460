import { DeleteStackCommand, GetTemplateCommand, ListStackResourcesCommand, paginateListExports, paginateListImports, type CloudFormationClient, type Export, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { projectStackGraph } from '../graph/stack-graph.ts';
import { openRegions, regionContexts, type RegionRun } from '../regions/fanout.ts';
import { describeTemplate } from '../template/model.ts';
import { parseTemplate } from '../template/parse.ts';
import { awsErrorInWords, awsStep, failureInWords } from './aws-errors.ts';
import type { StackTargetOptions } from './context.ts';
import { isTerminalStatus, type EventSink } from './events.ts';
import { outputsByStack, projectState } from './inspect.ts';
import { reportInterrupt, runningSet } from './interrupt.ts';
import { waitUntilIdle } from './recover-stack.ts';
import { reverseGraph, runReadyQueue, throwUnreported } from './scheduler.ts';
import { projectSecrets } from './secrets.ts';
import { stackDone, type StackEnd } from './stack-deploy.ts';
import { newestEventId, watchStack } from './watch.ts';

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
  /** Resources of the deleted stacks that stay behind by their DeletionPolicy, as `stack/LogicalId (type) physical-id`. */
  retained: string[];
  /** Stopped by an interrupt: deletes under way finished, the rest did not start. */
  interrupted?: boolean;
}

const KEPT = new Set(['Retain', 'RetainExceptOnCreate']);

/** What to do about a delete that failed, by where it left the stack. */
function deleteFailureHint(status: string): string {
  // CloudFormation refuses to delete a stack whose export another stack imports by putting it back as it was.
  if (!status.startsWith('DELETE_')) return 'Nothing was deleted: delete or change the stacks that import its exports first, then delete again.';
  return 'Correct the cause and delete again (a bucket that still holds objects: --empty-buckets).';
}

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

/** An export of the leaving stacks that a stack staying behind imports, in words; undefined when there is none. */
async function importsFromOutside(cfn: CloudFormationClient, leaving: Set<string>, leavingNames: Set<string>): Promise<string | undefined> {
  const exports: Export[] = [];
  for await (const page of paginateListExports({ client: cfn }, {})) exports.push(...(page.Exports ?? []));
  for (const exported of exports.filter((e) => leaving.has(e.ExportingStackId!))) {
    const importers: string[] = [];
    try {
      for await (const page of paginateListImports({ client: cfn }, { ExportName: exported.Name })) importers.push(...(page.Imports ?? []));
    } catch (error) {
      if (/is not imported/.test((error as Error).message)) continue;
      throw error;
    }
    const outside = importers.filter((name) => !leavingNames.has(name));
    if (outside.length > 0) return `export ${exported.Name} is imported by ${outside.join(', ')}, which this delete would leave behind: delete or change those stacks first`;
  }
  return undefined;
}

/**
 * Deletes a project's stacks in reverse dependency order, after confirmation by name. Exports
 * still imported by stacks outside the project stop it before anything is deleted; resources
 * kept by their DeletionPolicy are listed.
 */
export async function deleteProject(path: string, options: DeleteOptions, emit: EventSink): Promise<DeleteReport> {
  const regions = await openRegions(regionContexts(path, options), options, emit);
  try {
    // Several regions at once when confirmed beforehand; else one after another, a question at a time.
    const reports: [string, DeleteReport][] = [];
    const deleteIn = async (run: RegionRun) => void reports.push([run.region, await deleteRegion(run, options, regions.labelled)]);
    if (options.yes) await Promise.all(regions.runs.map(deleteIn));
    else for (const run of regions.runs) await deleteIn(run);
    if (!regions.labelled) return reports[0][1];
    const refused = reports.flatMap(([region, r]) => (r.refused ? [`in ${region}: ${r.refused}`] : []));
    return {
      ok: reports.every(([, r]) => r.ok),
      retained: reports.flatMap(([region, r]) => r.retained.map((kept) => `${region}  ${kept}`)),
      ...(refused.length > 0 ? { refused: refused.join('; ') } : {}),
      ...(reports.some(([, r]) => r.interrupted) ? { interrupted: true } : {}),
    };
  } finally {
    await regions.close();
  }
}

/** One region's stacks of the project, deleted as deleteProject says. */
async function deleteRegion({ context, target, emit, region }: RegionRun, options: DeleteOptions, labelled: boolean): Promise<DeleteReport> {
  const cfn = target.cloudformation;
  let existing = (await projectState(cfn, context)).filter((s) => s.stack);
  options.secrets?.learn(await projectSecrets(context, target, outputsByStack(existing)));
  // A stack busy in another operation (or one the local engine is finishing after a crash) is waited for.
  if (existing.some((s) => !isTerminalStatus(s.stack!.StackStatus!))) {
    for (const s of existing) await waitUntilIdle(target, s.stackName, emit);
    existing = (await projectState(cfn, context)).filter((s) => s.stack);
  }
  if (existing.length === 0) return { ok: true, retained: [] };
  const resources = new Map<string, LiveResource[]>();
  const importedOutside = await awsStep('read what the stacks hold and who imports their exports (nothing was deleted)', async () => {
    for (const s of existing) resources.set(s.id, await resourcesBelow(cfn, s.stackName));
    // Nested stacks a failed create never got to make have no physical id.
    const nestedIds = (id: string) => resources.get(id)!.flatMap((r) => (r.ResourceType === 'AWS::CloudFormation::Stack' && r.PhysicalResourceId ? [r.PhysicalResourceId] : []));
    const leaving = new Set(existing.flatMap((s) => [s.stack!.StackId!, ...nestedIds(s.id)]));
    const leavingNames = new Set([...existing.map((s) => s.stackName), ...existing.flatMap((s) => nestedIds(s.id).map((arn) => arn.split('/')[1]))]);
    return importsFromOutside(cfn, leaving, leavingNames);
  });
  // An export another stack still imports would fail the delete halfway: it stops it first.
  if (importedOutside) return { ok: false, refused: importedOutside, retained: [] };

  /** What the DeletionPolicy keeps of the given project stacks. */
  const retainedBy = (ids: string[]) =>
    ids
      .flatMap((id) => resources.get(id)!)
      .filter((r) => KEPT.has(String(r.policy)) || r.policy === 'Snapshot')
      .map((r) => `${r.stackName}/${r.LogicalResourceId} (${r.ResourceType}) ${r.PhysicalResourceId}${r.policy === 'Snapshot' ? ' [snapshot]' : ''}`);
  const retained = retainedBy(existing.map((s) => s.id));
  if (!options.yes) {
    const question = `Delete ${existing.length} stack(s) of ${context.project.name}${labelled ? ` in ${region}` : ''} (${existing.map((s) => s.stackName).join(', ')})${retained.length > 0 ? `, keeping ${retained.length} retained resource(s)` : ''}? Type the project name to confirm:`;
    const answer = options.askForName ? await options.askForName(question) : undefined;
    if (options.signal?.aborted) return { ok: false, refused: 'interrupted before anything was deleted', retained: [], interrupted: true };
    if (answer === undefined) return { ok: false, refused: 'confirmation needed: run again on a terminal, or with --yes', retained: [] };
    if (answer.trim() !== context.project.name) return { ok: false, refused: `not confirmed (expected "${context.project.name}")`, retained: [] };
  }
  if (options.emptyBuckets) {
    for (const r of [...resources.values()].flat()) {
      if (r.ResourceType === 'AWS::S3::Bucket' && !KEPT.has(String(r.policy)) && r.PhysicalResourceId) {
        try {
          const removed = await emptyBucket(target.s3, r.PhysicalResourceId);
          if (removed > 0) emit({ code: 'warning', message: `emptied s3://${r.PhysicalResourceId}: ${removed} object version(s) removed` });
        } catch (error) {
          // A bucket already gone needs no emptying; any other failure is worth a word: its stack's delete will fail on it.
          const failure = awsErrorInWords(error);
          if (!failure) throw error;
          if ((error as { name?: string }).name !== 'NoSuchBucket') emit({ code: 'warning', message: `could not empty s3://${r.PhysicalResourceId}: ${failure.message}` });
        }
      }
    }
  }

  if (options.signal?.aborted) return { ok: false, refused: 'interrupted before anything was deleted', retained: [], interrupted: true };
  emit({ code: 'phase', phase: 'delete', message: `deleting ${existing.length} stack(s) in reverse dependency order` });
  const graph = projectStackGraph(context.project, context.environment);
  const present = new Set(existing.map((s) => s.id));
  const order = new Map([...reverseGraph(graph.dependencies)].filter(([id]) => present.has(id)));
  const deleteOne = async (id: string): Promise<boolean> => {
    const state = existing.find((s) => s.id === id)!;
    const started = Date.now();
    const stackContext = { stack: id, stackName: state.stackName };
    emit({ code: 'stack-start', ...stackContext, operation: 'delete', resources: resources.get(id)!.filter((r) => r.stackName === state.stackName).length });
    let result: StackEnd;
    try {
      const since = new Date();
      const after = await newestEventId(cfn, state.stack!.StackId!);
      await cfn.send(new DeleteStackCommand({ StackName: state.stack!.StackId }));
      const watched = await watchStack(cfn, state.stack!.StackId!, { ...stackContext, since, polling: target.polling, after }, emit);
      result =
        watched.status === 'DELETE_COMPLETE'
          ? { outcome: 'succeeded', status: watched.status }
          : { outcome: 'failed', status: watched.status, reason: watched.statusReason, firstFailure: watched.firstFailure, hint: deleteFailureHint(watched.status) };
    } catch (error) {
      const failure = failureInWords(error);
      if (!failure) throw error;
      result = { outcome: 'failed', reason: failure.message, hint: failure.hint };
    }
    emit(stackDone(stackContext, result, (Date.now() - started) / 1000));
    return result.outcome === 'succeeded';
  };
  const running = runningSet();
  reportInterrupt(options.signal, running.names, emit);
  const outcomes = await runReadyQueue(order, (id) => running.track(context.stackName(id), () => deleteOne(id)), { concurrency: options.concurrency, signal: options.signal });
  throwUnreported(outcomes);
  for (const [id, outcome] of outcomes) {
    if (outcome.status === 'not-started') emit(stackDone({ stack: id, stackName: context.stackName(id) }, { outcome: 'not-started' }, 0));
  }
  const deleted = [...outcomes].filter(([, o]) => o.status === 'succeeded').map(([id]) => id);
  return { ok: deleted.length === outcomes.size, retained: retainedBy(deleted), ...(options.signal?.aborted ? { interrupted: true } : {}) };
}
