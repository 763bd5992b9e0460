import type { Capability, Parameter, Tag } from '@aws-sdk/client-cloudformation';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { StackpilotError } from '../errors.ts';
import { forEachConcurrently } from '../backup/concurrency.ts';
import { orderByReferences, RegionOutputs, regionReferences, type RegionReference } from '../regions/cross-region.ts';
import { declaredRegions, openRegions, regionContexts, type RegionRun } from '../regions/fanout.ts';
import { manifestEnvironment } from '../project/manifest.ts';
import { errorsOf, loadDeployContext, uniqueDiagnostics, type DeployContext, type StackTargetOptions } from './context.ts';
import { isSuccessStatus, type EventSink } from './events.ts';
import { describeStack, outputsOf } from './inspect.ts';
import { LEGACY_OUTPUTS_FILE, outputsDocument, savedOutputsFile, writeOutputsFile, type OutputsHeader } from './outputs-file.ts';
import type { Target } from './target.ts';
import { projectStackGraph } from '../graph/stack-graph.ts';
import { checkCreatable, checkWritable, isFile } from '../project/files.ts';
import type { Project, ProjectTemplate } from '../project/project.ts';
import { Redactor } from '../redaction.ts';
import { isNestedStackType } from '../spec/resource-facts.ts';
import { RULES } from '../validate/rules/index.ts';
import { statefulRetention } from '../validate/rules/resources/stateful-retention.ts';
import { validateProject } from '../validate/validate.ts';
import { awsStep } from './aws-errors.ts';
import type { BackupMode } from './backups.ts';
import { runHealthChecks } from './health.ts';
import { reportInterrupt, runningSet } from './interrupt.ts';
import { artifactsBucketName, packageProject, type PackagePlan } from './package.ts';
import { runReadyQueue, throwUnreported, type NodeOutcome } from './scheduler.ts';
import { assignedValue, stackSecrets, type UpstreamOutputs } from './secrets.ts';
import { deployStack, stackDone, type Confirmation, type DataSafety, type StackDeployment, type StackResult } from './stack-deploy.ts';
import { tagsLaterWinning, type StackSettings } from './stack-settings.ts';
import { ensureArtifactsBucket, uploadArtifacts } from './upload.ts';

export interface DeployOptions extends StackTargetOptions {
  /** How many stacks may deploy at once. */
  concurrency: number;
  yes: boolean;
  ask?: Confirmation['ask'];
  /** --outputs-file: one file for every region; default one per region under `.stackpilot/outputs/` (see outputs-file.ts). */
  outputsFile?: string;
  /** Backups before change sets that delete data (see backups.ts); default auto. */
  backup?: BackupMode;
  /** --allow-replace: protected resources this deploy may replace or remove (`Logical`, `Child.Logical`). */
  allowReplace?: string[];
  /** Keep a failed stack as it failed (no rollback), for inspection; `stackpilot rollback` rolls it back later. */
  disableRollback?: boolean;
  /** How many regions may deploy at once; default all. */
  regionConcurrency?: number;
  /** A failure in one region does not stop the others from starting new stacks. */
  keepGoing?: boolean;
}

export interface DeployReport {
  ok: boolean;
  /** Validation errors that stopped the deploy before anything was touched, and the warnings beside them. */
  diagnostics: Diagnostic[];
  /** By stack id; with several regions by `id (region)`. */
  stacks: Map<string, StackResult | NodeOutcome>;
  /** Each region's report, in the environment's order. */
  regions: Map<string, RegionDeployReport>;
  /** The outputs files written: --outputs-file, or one per region deployed (see outputs-file.ts). */
  outputsFiles?: string[];
  /** Stopped by an interrupt: stacks that were running finished, the rest did not start. */
  interrupted?: boolean;
}

const NAME_PROPERTIES = ['RoleName', 'UserName', 'GroupName', 'ManagedPolicyName', 'InstanceProfileName'];

/** The capabilities a stack's templates (nested ones included) call for. */
export function requiredCapabilities(project: Project, template: ProjectTemplate): Capability[] {
  const needed = new Set<Capability>();
  const visit = (t: ProjectTemplate, seen: Set<string>) => {
    if (seen.has(t.absolutePath)) return;
    seen.add(t.absolutePath);
    if (t.model.transforms.length > 0) needed.add('CAPABILITY_AUTO_EXPAND');
    for (const r of t.model.resources.values()) {
      if (r.type.startsWith('AWS::IAM::')) needed.add(NAME_PROPERTIES.some((p) => p in r.properties) ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM');
      if (isNestedStackType(r.type)) needed.add('CAPABILITY_AUTO_EXPAND');
    }
    for (const link of project.nested) if (link.parent === t.absolutePath && link.child) visit(project.templates.get(link.child)!, seen);
  };
  visit(template, new Set());
  if (needed.has('CAPABILITY_NAMED_IAM')) needed.add('CAPABILITY_IAM');
  return [...needed].sort();
}

/** The template models below a stack, by nested path, for the change preview. */
function modelsByPath(project: Project, root: ProjectTemplate) {
  return (path: string[]) => {
    let template: ProjectTemplate | undefined = root;
    for (const logicalId of path) {
      const link = project.nested.find((l) => l.parent === template!.absolutePath && l.logicalId === logicalId);
      template = link?.child ? project.templates.get(link.child) : undefined;
      if (!template) return undefined;
    }
    return template.model;
  };
}

/**
 * What CloudFormation needs to deploy one project stack: its packaged template, its parameter
 * values (outputs of upstream stacks filled in), capabilities and tags.
 */
export function stackDeployment(context: DeployContext, plan: PackagePlan, tags: Tag[], id: string, upstreamOutputs: UpstreamOutputs, settings: StackSettings = {}): StackDeployment {
  const { project, environment } = context;
  const stack = project.stacks.find((s) => s.id === id)!;
  const template = project.templates.get(stack.template)!;
  const packaged = plan.stacks.find((s) => s.stackId === id)!;
  const parameters: Parameter[] = [...(environment.stacks.get(id)?.values.values() ?? [])].map((a) => {
    const value = assignedValue(a, upstreamOutputs);
    if (a.fromOutput && value === undefined) {
      const where = a.fromOutput.region === undefined ? '' : ` in ${a.fromOutput.region}`;
      throw new StackpilotError('MissingOutput', `stack ${a.fromOutput.stack}${where} has no output ${a.fromOutput.output} for ${id}'s ${a.key} (deploy ${a.fromOutput.stack}${where} first)`);
    }
    return value === undefined ? { ParameterKey: a.key, UsePreviousValue: true } : { ParameterKey: a.key, ParameterValue: value };
  });
  return {
    id,
    stackName: context.stackName(id),
    ...(packaged.url ? { templateUrl: packaged.url } : { templateBody: packaged.body }),
    parameters,
    capabilities: settings.capabilities ?? (stack.capabilities.length > 0 ? (stack.capabilities as Capability[]) : requiredCapabilities(project, template)),
    tags: tagsLaterWinning(tags, Object.entries(project.manifest?.stacks[id]?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })), settings.tags ?? []),
    incomingAt: modelsByPath(project, template),
    protect: project.manifest?.stacks[id]?.protect ?? project.manifest?.protect ?? false,
    ...(settings.roleArn !== undefined ? { roleArn: settings.roleArn } : {}),
    ...(settings.notificationArns !== undefined ? { notificationArns: settings.notificationArns } : {}),
    ...(settings.terminationProtection !== undefined ? { terminationProtection: settings.terminationProtection } : {}),
  };
}

/** Tags every stack of the project carries. */
export function projectTags(context: DeployContext): Tag[] {
  return Object.entries({ ...context.project.manifest?.tags, 'stackpilot:project': context.project.name, ...(context.environment.env ? { 'stackpilot:environment': context.environment.env } : {}) }).map(([Key, Value]) => ({ Key, Value }));
}

/** How one region's deploy ended. */
export interface RegionDeployReport {
  ok: boolean;
  stacks: Map<string, StackResult | NodeOutcome>;
  /** Its stacks' outputs, when every stack deployed. */
  outputs?: Record<string, Record<string, string>>;
  interrupted?: boolean;
}

/**
 * Validates, packages and deploys a project's stacks, in every region the environment covers
 * (see src/regions/fanout.ts): each stack through a change set, in parallel as far as their
 * dependencies allow, upstream outputs passed to downstream parameters; then writes the outputs
 * and runs the manifest's health checks. Nothing is touched when validation fails.
 */
export async function deployProject(path: string, options: DeployOptions, emit: EventSink): Promise<DeployReport> {
  emit({ code: 'phase', phase: 'validate', message: `validating ${path}` });
  const contexts = regionContexts(path, options);
  const { project, environment } = contexts[0];
  const outputsFile = options.outputsFile === undefined ? undefined : resolve(options.outputsFile);
  // The outputs file is written here: it is masked even when no caller asked for the secrets.
  const secrets = options.secrets ?? new Redactor();
  if (outputsFile) checkWritable(outputsFile, 'the outputs file', 'Create the folder, or choose another file with --outputs-file. Nothing was deployed.');
  else for (const c of contexts) checkCreatable(savedOutputsFile(c, options.target, c.region), 'the outputs file', 'Make the project folder writable, or choose another file with --outputs-file. Nothing was deployed.');
  const findings = uniqueDiagnostics(contexts.flatMap((c) => validateProject(c.project, RULES, { today: options.today }))).filter((d) => d.severity !== 'info');
  if (errorsOf(findings).length > 0) return { ok: false, diagnostics: findings, stacks: new Map(), regions: new Map() };
  const warnings = findings.map(({ file, line, column, rule, message }) => ({ file, line, column, rule, message, dataSafety: rule === statefulRetention.id }));
  if (warnings.length > 0) emit({ code: 'validation-warnings', warnings });

  const sequential = manifestEnvironment(project.manifest, environment.env)?.regionOrder === 'sequential';
  const references = regionReferences(contexts);
  const running = contexts.map((c) => c.region);
  const { order, outside } = orderByReferences(running, declaredRegions(contexts[0]) ?? running, references, { sequential });
  const regions = await openRegions(contexts, options, emit, outside);
  try {
    const board = new RegionOutputs();
    await readOutsideOutputs(path, environment.env, references, regions.readers, board);
    const stop = stopSignal(options.signal);
    // A stack that fails stops new stacks in every region, unless --keep-going.
    const onFailure = options.keepGoing === true ? () => {} : stop.abort;
    const deployOrReport = async (run: RegionRun): Promise<RegionDeployReport> => {
      try {
        return await deployRegion(run, { ...options, secrets }, { signal: stop.signal, onFailure }, { board, references });
      } catch (error) {
        // With one region it is the command's error (exit 3, as ever); with several, that region's failure.
        if (!regions.labelled || !(error instanceof StackpilotError)) throw error;
        onFailure();
        run.emit({ code: 'warning', message: `${error.message}${error.hint ? ` (${error.hint})` : ''}` });
        return regionNotStarted(run, false);
      } finally {
        board.settleRegion(run.region, run.context.project.stacks.map((stack) => stack.id));
      }
    };
    // Regions another refers to go first (sequential keeps the manifest's order, checked above).
    const ordered = sequential ? regions.runs : order.map((region) => regions.runs.find((run) => run.region === region)!);
    const finished = await runRegions(ordered, deployOrReport, { sequential, concurrency: options.regionConcurrency ?? regions.runs.length, interrupted: () => options.signal?.aborted === true });
    const reports = new Map(regions.runs.map((run) => [run.region, finished.get(run.region)!]));
    const deployed = [...reports].filter(([, r]) => r.outputs !== undefined);
    const interrupted = options.signal?.aborted === true;
    const stacks = regions.labelled ? new Map([...reports].flatMap(([region, r]) => [...r.stacks].map(([id, s]) => [`${id} (${region})`, s] as const))) : reports.get(regions.runs[0].region)!.stacks;
    const ok = [...reports.values()].every((r) => r.ok);
    if (deployed.length === 0 || (!regions.labelled && !ok)) return { ok: false, diagnostics: [], stacks, regions: reports, ...(interrupted ? { interrupted } : {}) };

    const header = { ...(environment.env !== undefined ? { environment: environment.env } : {}), account: regions.runs[0].target.accountId, target: options.target, writtenAt: new Date().toISOString() };
    const outputsFiles = writeDeployOutputs(outputsFile, header, deployed, regions.runs, secrets, emit);

    let healthy = true;
    for (const run of regions.runs) {
      const outputs = reports.get(run.region)?.outputs;
      if (outputs) healthy = (await runHealthChecks(project.manifest?.healthChecks ?? [], outputs, { local: run.target.kind === 'local' }, run.emit)) && healthy;
    }
    return { ok: ok && healthy, diagnostics: [], stacks, regions: reports, outputsFiles, ...(interrupted ? { interrupted } : {}) };
  } finally {
    await regions.close();
  }
}

/**
 * Writes the outputs (secrets masked): to --outputs-file in the shape of the run (several regions
 * under `regions`), else each region to its own file. An outputs.json an earlier version wrote
 * in the project folder is left as it is, and a warning says where outputs go now.
 */
function writeDeployOutputs(outputsFile: string | undefined, header: OutputsHeader, deployed: [string, RegionDeployReport][], runs: RegionRun[], secrets: Redactor, emit: EventSink): string[] {
  const byRegion = deployed.map(([region, r]): [string, Record<string, Record<string, string>>] => [region, r.outputs!]);
  if (outputsFile) {
    writeOutputsFile(outputsFile, secrets.redactValue(outputsDocument(header, byRegion, runs.length > 1)));
    return [outputsFile];
  }
  const written = byRegion.map(([region, stacks]) => {
    const file = savedOutputsFile(runs.find((run) => run.region === region)!.context, header.target, region);
    writeOutputsFile(file, secrets.redactValue(outputsDocument(header, [[region, stacks]], false)));
    return file;
  });
  const legacy = join(runs[0].context.project.root, LEGACY_OUTPUTS_FILE);
  if (isFile(legacy)) {
    emit({ code: 'warning', message: `outputs are now kept per environment and region (${written.join(', ')}); ${legacy}, written by an earlier stackpilot, is left as it was: delete it once nothing reads it, or keep writing it with --outputs-file` });
  }
  return written;
}

/** Aborted by an interrupt, or by a failure in another region: no new stack starts in any region. */
function stopSignal(interrupt: AbortSignal | undefined): { signal: AbortSignal; abort: () => void } {
  const controller = new AbortController();
  if (interrupt?.aborted) controller.abort();
  interrupt?.addEventListener('abort', () => controller.abort(), { once: true });
  return { signal: controller.signal, abort: () => controller.abort() };
}

/**
 * Every region at once (up to `concurrency`), or with `sequential` each once the one before it
 * succeeded (the first listed is the primary). Reports come back in the regions' order.
 */
async function runRegions(runs: RegionRun[], deploy: (run: RegionRun) => Promise<RegionDeployReport>, options: { sequential: boolean; concurrency: number; interrupted: () => boolean }): Promise<Map<string, RegionDeployReport>> {
  const reports = new Map<string, RegionDeployReport>();
  if (options.sequential) {
    for (const run of runs) reports.set(run.region, [...reports.values()].every((r) => r.ok) ? await deploy(run) : regionNotStarted(run, options.interrupted()));
  } else {
    await forEachConcurrently(runs, async (run) => void reports.set(run.region, await deploy(run)), options.concurrency);
  }
  return new Map(runs.map((run) => [run.region, reports.get(run.region)!]));
}

/** A region none of whose stacks started: each reported as such. */
function regionNotStarted({ context, emit }: RegionRun, interrupted: boolean): RegionDeployReport {
  for (const { id } of context.project.stacks) emit(stackDone({ stack: id, stackName: context.stackName(id) }, { outcome: 'not-started' }, 0));
  return { ok: false, stacks: new Map(context.project.stacks.map(({ id }) => [id, { status: 'not-started' }])), ...(interrupted ? { interrupted } : {}) };
}

/**
 * The outputs that regions of this run take from regions outside it (--regions left them out):
 * read as deployed, before anything is touched; a stack or output missing there is an error.
 */
async function readOutsideOutputs(path: string, env: string | undefined, references: RegionReference[], readers: Map<string, Target>, board: RegionOutputs): Promise<void> {
  for (const r of references) {
    const target = readers.get(r.to);
    if (!target) continue;
    const stackName = loadDeployContext(path, { env, region: r.to }).stackName(r.stack);
    const stack = await awsStep(`read stack ${stackName} in ${r.to} (nothing was deployed)`, () => describeStack(target.cloudformation, stackName));
    const usable = stack !== undefined && (isSuccessStatus(stack.StackStatus ?? '') || stack.StackStatus === 'UPDATE_ROLLBACK_COMPLETE');
    const outputs = usable ? outputsOf(stack) : undefined;
    if (outputs?.[r.output] === undefined) {
      throw new StackpilotError('RegionOutputMissing', `${r.where}: ${r.key} of ${r.user} in ${r.from} needs output ${r.output} of ${r.stack} in ${r.to}, which ${outputs ? 'has no such output' : 'is not deployed there'}`, `Deploy ${r.to} first (--regions ${r.to}), or deploy both regions in one run. Nothing was deployed.`);
    }
    board.settle(r.to, r.stack, outputs);
  }
}

/** One region's deploy: package to its own artifacts bucket, then its stacks by dependency, each once the other regions' stacks it takes outputs from have deployed. */
async function deployRegion(run: RegionRun, options: DeployOptions & { secrets: Redactor }, stop: { signal: AbortSignal; onFailure: () => void }, across: { board: RegionOutputs; references: RegionReference[] }): Promise<RegionDeployReport> {
  const { context, target, region, emit } = run;
  const { project, environment, stackName } = context;
  const { secrets } = options;
  const notStarted = () => regionNotStarted(run, options.signal?.aborted === true);
  if (stop.signal.aborted) return notStarted();
  const plan = packageProject(project, artifactsBucketName(project.name, target.accountId, region), region);
  if (plan.artifacts.length > 0) {
    emit({ code: 'phase', phase: 'package', message: `uploading templates to s3://${plan.bucket}` });
    const uploaded = await awsStep(`upload the nested templates to s3://${plan.bucket} (nothing was deployed)`, async () => {
      await ensureArtifactsBucket(target.s3, plan.bucket, region);
      return uploadArtifacts(target.s3, plan);
    });
    emit({ code: 'package', bucket: plan.bucket, ...uploaded });
  }
  if (stop.signal.aborted) return notStarted();

  emit({ code: 'phase', phase: 'deploy', message: `deploying to ${target.kind === 'local' ? 'the local engine' : `AWS account ${target.accountId}`} in ${region}` });
  const results = new Map<string, StackResult>();
  const graph = projectStackGraph(project, environment);
  const confirmation: Confirmation = { always: target.kind === 'aws', yes: options.yes, ask: options.ask };
  const tags = projectTags(context);
  const safety: DataSafety = {
    backup: options.backup ?? 'auto',
    scope: { project: project.name, environment: environment.env ?? '', region, artifactsBucket: plan.bucket },
    allowReplace: new Set(options.allowReplace),
  };

  const otherRegions = new Map<string, Record<string, string> | undefined>();
  const upstreamOutputs: UpstreamOutputs = (upstream, inRegion) => (inRegion === undefined ? results.get(upstream)?.outputs : otherRegions.get(`${inRegion}/${upstream}`));

  /**
   * One stack, upstream outputs filled in (real values: only writers mask secrets); a missing
   * one fails the stack like any other failure. Its secrets are learned before it shows anything.
   */
  const deployOne = async (id: string): Promise<StackResult> => {
    for (const r of across.references.filter((ref) => ref.from === region && ref.user === id)) otherRegions.set(`${r.to}/${r.stack}`, await across.board.waitFor(r.to, r.stack));
    let deployment: StackDeployment;
    try {
      deployment = stackDeployment(context, plan, tags, id, upstreamOutputs, options.settings);
    } catch (error) {
      if (!(error instanceof StackpilotError)) throw error;
      const failed: StackResult = { outcome: 'failed', reason: error.message, ...(error.hint ? { hint: error.hint } : {}), outputs: {} };
      emit(stackDone({ stack: id, stackName: stackName(id) }, failed, 0));
      return failed;
    }
    secrets.learn(await stackSecrets(context, target, id, upstreamOutputs));
    return deployStack(target, { ...deployment, disableRollback: options.disableRollback === true }, confirmation, safety, emit, options.signal);
  };

  const running = runningSet();
  reportInterrupt(options.signal, running.names, emit);
  const outcomes = await runReadyQueue(
    graph.dependencies,
    async (id) => {
      const result = await running.track(stackName(id), () => deployOne(id));
      results.set(id, result);
      const succeeded = result.outcome === 'succeeded' || result.outcome === 'no-changes';
      across.board.settle(region, id, succeeded ? result.outputs : undefined);
      if (!succeeded) stop.onFailure();
      return succeeded;
    },
    { concurrency: options.concurrency, signal: stop.signal },
  );
  // Once the stacks still running have finished (none is left halfway).
  throwUnreported(outcomes);

  const stacks = new Map<string, StackResult | NodeOutcome>([...outcomes].map(([id, outcome]) => [id, results.get(id) ?? outcome]));
  for (const [id, outcome] of outcomes) {
    if (outcome.status === 'not-started') emit(stackDone({ stack: id, stackName: stackName(id) }, { outcome: 'not-started' }, 0));
  }
  const ok = [...results.values()].every((r) => r.outcome === 'succeeded' || r.outcome === 'no-changes') && results.size === outcomes.size;
  if (!ok) return { ok, stacks, ...(options.signal?.aborted ? { interrupted: true } : {}) };

  emit({ code: 'phase', phase: 'outputs', message: 'outputs' });
  for (const [id, r] of results) emit({ code: 'outputs', stack: id, stackName: stackName(id), outputs: r.outputs });
  return { ok, stacks, outputs: Object.fromEntries([...results].map(([id, r]) => [id, r.outputs])) };
}
