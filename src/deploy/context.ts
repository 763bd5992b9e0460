import type { Diagnostic } from '../diagnostics.ts';
import { StackpilotError } from '../errors.ts';
import type { ResolvedEnvironment } from '../project/parameters.ts';
import type { ParameterOverride } from '../project/parameter-overrides.ts';
import { loadProject, type Project } from '../project/project.ts';
import type { Redactor } from '../redaction.ts';
import type { StackSettings } from './stack-settings.ts';
import type { TargetOptions } from './target.ts';

/** A project with one environment and region chosen: what every command that touches stacks starts from. */
export interface DeployContext {
  project: Project;
  environment: ResolvedEnvironment;
  region: string;
  /** The CloudFormation name of a project stack in this environment (a plain function, safe to take out). */
  stackName: (id: string) => string;
}

/** Where and against which account a command reaches a project's stacks. */
export interface StackTargetOptions {
  env?: string;
  target: 'local' | 'aws';
  region?: string;
  /** --regions: several of the environment's regions (see src/regions/fanout.ts). */
  regions?: string[];
  profile?: string;
  /** Local target only: injected faults and simulated resource durations. */
  engine?: TargetOptions['engine'];
  /** Aborted on an interrupt (Ctrl-C): nothing new starts, what runs is let finish. */
  signal?: AbortSignal;
  /** --parameter values, above every other source of parameter values. */
  parameters?: ParameterOverride[];
  /** The day validation judges lifecycle dates by (YYYY-MM-DD; default today, UTC): plan's --as-of. */
  today?: string;
  /** --parameters FILE (a single template or a folder). */
  parametersFile?: string;
  /** --stack-name (a single template). */
  stackName?: string;
  /** --capabilities, --tag, --role-arn, --notification-arn, --termination-protection: plan and deploy. */
  settings?: StackSettings;
  /** Learns the run's secrets (NoEcho values, secure dynamic references) as the command finds them, for whatever writes to redact. */
  secrets?: Redactor;
}

/** What a command's flags say about the project: environment, region, and values and names given on the command line. */
export interface ProjectChoice {
  env?: string;
  region?: string;
  parameters?: ParameterOverride[];
  /** --parameters FILE: values for a single template or a folder of templates. */
  parametersFile?: string;
  /** --stack-name: the CloudFormation name of a single template's stack. */
  stackName?: string;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export function loadDeployContext(path: string, options: ProjectChoice): DeployContext {
  // The project resolves each environment's region (--region, the environment's, the manifest's)
  // and applies that region's overrides.
  const project = loadProject(path, { env: options.env, region: options.region, parameters: options.parameters, parametersFile: options.parametersFile, valuesRequired: true });
  if (project.kind === 'manifest' && options.env === undefined && project.environments.length > 1) {
    const names = project.environments.map((e) => e.env).join(', ');
    throw new StackpilotError('EnvironmentRequired', `${project.name} has several environments: choose one with --env`, `Environments: ${names}.`);
  }
  if (project.kind === 'manifest' && project.environments.length === 0) {
    throw new StackpilotError('ManifestInvalid', `${project.manifestSource?.file ?? 'stackpilot.yaml'} cannot be read`, 'Run stackpilot validate to see why.');
  }
  if (options.stackName !== undefined) checkStackNameFlag(project, options.stackName);
  const environment = project.environments[0];
  const region = environment.region ?? 'us-east-1';
  const stackName = (id: string) => environment.stacks.get(id)?.name ?? unnamedStackName(project, id, options.stackName);
  return { project, environment, region, stackName };
}

function checkStackNameFlag(project: Project, name: string): void {
  if (project.kind !== 'template') {
    const where = project.kind === 'manifest' ? 'stackpilot.yaml names its stacks (name: under each stack)' : 'a folder\'s stacks are named <folder>-<file>';
    throw new StackpilotError('StackNameNotApplicable', `--stack-name applies to a single template: ${where}`, 'Give the template itself as PATH, or leave --stack-name out.');
  }
  if (!STACK_NAME.test(name)) throw new StackpilotError('StackNameInvalid', `--stack-name ${name}: not a CloudFormation stack name`, 'A stack name starts with a letter and has up to 128 letters, digits and hyphens.');
}

/**
 * The name of a stack without a manifest: a template's is --stack-name or its file's name; a
 * folder's are `<folder>-<file>`, so two projects' `bucket.yaml` do not meet in one account.
 */
function unnamedStackName(project: Project, id: string, given: string | undefined): string {
  if (given !== undefined) return given;
  const base = (project.kind === 'directory' ? `${project.name}-${id}` : id.split('/').pop()!).replace(/[^A-Za-z0-9-]/g, '-').replace(/^[^A-Za-z]+/, '');
  return (base || project.name.replace(/[^A-Za-z0-9-]/g, '-').replace(/^[^A-Za-z]+/, '') || 'stack').slice(0, 128);
}

export function errorsOf(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** The same finding from several regions' views of one template is one finding. */
export function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.rule}:${d.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}
