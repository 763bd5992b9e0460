import type { Capability, Parameter, Tag } from '@aws-sdk/client-cloudformation';
import { writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { StackpilotError } from '../errors.ts';
import { errorsOf, loadDeployContext, type DeployContext, type StackTargetOptions } from './context.ts';
import { projectStackGraph } from '../graph/stack-graph.ts';
import { checkWritable } from '../project/files.ts';
import type { Project, ProjectTemplate } from '../project/project.ts';
import { Redactor } from '../redaction.ts';
import { isNestedStackType } from '../spec/resource-facts.ts';
import { validateProject } from '../validate/validate.ts';
import { awsStep } from './aws-errors.ts';
import type { BackupMode } from './backups.ts';
import type { EventSink } from './events.ts';
import { runHealthChecks } from './health.ts';
import { reportInterrupt, runningSet } from './interrupt.ts';
import { artifactsBucketName, packageProject, type PackagePlan } from './package.ts';
import { runReadyQueue, throwUnreported, type NodeOutcome } from './scheduler.ts';
import { assignedValue, stackSecrets, type UpstreamOutputs } from './secrets.ts';
import { deployStack, stackDone, type Confirmation, type DataSafety, type StackDeployment, type StackResult } from './stack-deploy.ts';
import { openTarget } from './target.ts';
import { ensureArtifactsBucket, uploadArtifacts } from './upload.ts';

export interface DeployOptions extends StackTargetOptions {
  /** How many stacks may deploy at once. */
  concurrency: number;
  yes: boolean;
  ask?: Confirmation['ask'];
  /** Where outputs are written; default `outputs.json` in the project folder. */
  outputsFile?: string;
  /** Backups before change sets that delete data (see backups.ts); default auto. */
  backup?: BackupMode;
  /** --allow-replace: protected resources this deploy may replace or remove (`Logical`, `Child.Logical`). */
  allowReplace?: string[];
  /** Keep a failed stack as it failed (no rollback), for inspection; `stackpilot rollback` rolls it back later. */
  disableRollback?: boolean;
}

export interface DeployReport {
  ok: boolean;
  /** Validation errors that stopped the deploy before anything was touched. */
  diagnostics: Diagnostic[];
  stacks: Map<string, StackResult | NodeOutcome>;
  outputsFile?: string;
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

function writeOutputs(file: string, outputs: Record<string, Record<string, string>>): void {
  try {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(outputs, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    // Checked before the deploy; a disk that fills up since is still no reason for a stack trace.
    throw new StackpilotError('FileUnwritable', `the stacks are deployed, but the outputs file ${file} could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'stackpilot outputs --format json prints the same outputs.');
  }
}

/**
 * What CloudFormation needs to deploy one project stack: its packaged template, its parameter
 * values (outputs of upstream stacks filled in), capabilities and tags.
 */
export function stackDeployment(context: DeployContext, plan: PackagePlan, tags: Tag[], id: string, upstreamOutputs: UpstreamOutputs): StackDeployment {
  const { project, environment } = context;
  const stack = project.stacks.find((s) => s.id === id)!;
  const template = project.templates.get(stack.template)!;
  const packaged = plan.stacks.find((s) => s.stackId === id)!;
  const parameters: Parameter[] = [...(environment.stacks.get(id)?.values.values() ?? [])].map((a) => {
    const value = assignedValue(a, upstreamOutputs);
    if (a.fromOutput && value === undefined) throw new StackpilotError('MissingOutput', `stack ${a.fromOutput.stack} has no output ${a.fromOutput.output} for ${id}'s ${a.key} (deploy ${a.fromOutput.stack} first)`);
    return value === undefined ? { ParameterKey: a.key, UsePreviousValue: true } : { ParameterKey: a.key, ParameterValue: value };
  });
  return {
    id,
    stackName: context.stackName(id),
    ...(packaged.url ? { templateUrl: packaged.url } : { templateBody: packaged.body }),
    parameters,
    capabilities: stack.capabilities.length > 0 ? (stack.capabilities as Capability[]) : requiredCapabilities(project, template),
    tags: [...tags, ...Object.entries(project.manifest?.stacks[id]?.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))],
    incomingAt: modelsByPath(project, template),
    protect: project.manifest?.stacks[id]?.protect ?? project.manifest?.protect ?? false,
  };
}

/** Tags every stack of the project carries. */
export function projectTags(context: DeployContext): Tag[] {
  return Object.entries({ ...context.project.manifest?.tags, 'stackpilot:project': context.project.name, ...(context.environment.env ? { 'stackpilot:environment': context.environment.env } : {}) }).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Validates, packages and deploys a project's stacks: each through a change set, in parallel as
 * far as their dependencies allow, upstream outputs passed to downstream parameters; then writes
 * the outputs and runs the manifest's health checks. Nothing is touched when validation fails.
 */
export async function deployProject(path: string, options: DeployOptions, emit: EventSink): Promise<DeployReport> {
  emit({ code: 'phase', phase: 'validate', message: `validating ${path}` });
  const context = loadDeployContext(path, options);
  const { project, environment, region, stackName } = context;
  const outputsFile = resolve(options.outputsFile ?? join(project.root, 'outputs.json'));
  // The outputs file is written here: it is masked even when no caller asked for the secrets.
  const secrets = options.secrets ?? new Redactor();
  checkWritable(outputsFile, 'the outputs file', 'Create the folder, or choose another file with --outputs-file. Nothing was deployed.');
  const diagnostics = errorsOf(validateProject(project));
  if (diagnostics.length > 0) return { ok: false, diagnostics, stacks: new Map() };

  const target = await openTarget({ target: options.target, region, profile: options.profile, projectRoot: project.root, engine: options.engine });
  try {
    const plan = packageProject(project, artifactsBucketName(project.name, target.accountId, region), region);
    if (plan.artifacts.length > 0) {
      emit({ code: 'phase', phase: 'package', message: `uploading templates to s3://${plan.bucket}` });
      const uploaded = await awsStep(`upload the nested templates to s3://${plan.bucket} (nothing was deployed)`, async () => {
        await ensureArtifactsBucket(target.s3, plan.bucket, region);
        return uploadArtifacts(target.s3, plan);
      });
      emit({ code: 'package', bucket: plan.bucket, ...uploaded });
    }
    if (options.signal?.aborted) {
      for (const { id } of project.stacks) emit(stackDone({ stack: id, stackName: stackName(id) }, { outcome: 'not-started' }, 0));
      return { ok: false, diagnostics: [], stacks: new Map(project.stacks.map(({ id }) => [id, { status: 'not-started' }])), interrupted: true };
    }

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

    const upstreamOutputs: UpstreamOutputs = (upstream) => results.get(upstream)?.outputs;

    /**
     * One stack, upstream outputs filled in (real values: only writers mask secrets); a missing
     * one fails the stack like any other failure. Its secrets are learned before it shows anything.
     */
    const deployOne = async (id: string): Promise<StackResult> => {
      let deployment: StackDeployment;
      try {
        deployment = stackDeployment(context, plan, tags, id, upstreamOutputs);
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
        return result.outcome === 'succeeded' || result.outcome === 'no-changes';
      },
      { concurrency: options.concurrency, signal: options.signal },
    );
    // Once the stacks still running have finished (none is left halfway).
    throwUnreported(outcomes);

    const stacks = new Map<string, StackResult | NodeOutcome>([...outcomes].map(([id, outcome]) => [id, results.get(id) ?? outcome]));
    for (const [id, outcome] of outcomes) {
      if (outcome.status === 'not-started') emit(stackDone({ stack: id, stackName: stackName(id) }, { outcome: 'not-started' }, 0));
    }
    const ok = [...results.values()].every((r) => r.outcome === 'succeeded' || r.outcome === 'no-changes') && results.size === outcomes.size;
    if (!ok) return { ok, diagnostics: [], stacks, ...(options.signal?.aborted ? { interrupted: true } : {}) };

    emit({ code: 'phase', phase: 'outputs', message: 'outputs' });
    const outputs = Object.fromEntries([...results].map(([id, r]) => [id, r.outputs]));
    for (const [id, r] of results) emit({ code: 'outputs', stack: id, stackName: stackName(id), outputs: r.outputs });
    writeOutputs(outputsFile, secrets.redactValue(outputs));

    const healthy = await runHealthChecks(project.manifest?.healthChecks ?? [], outputs, { local: target.kind === 'local' }, emit);
    return { ok: healthy, diagnostics: [], stacks, outputsFile };
  } finally {
    await target.close();
  }
}
