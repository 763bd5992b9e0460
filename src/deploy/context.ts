import type { Diagnostic } from '../diagnostics.ts';
import { StackpilotError } from '../errors.ts';
import type { ResolvedEnvironment } from '../project/parameters.ts';
import type { ParameterOverride } from '../project/parameter-overrides.ts';
import { loadProject, type Project } from '../project/project.ts';
import type { Redactor } from '../redaction.ts';
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
  /** Learns the run's secrets (NoEcho values, secure dynamic references) as the command finds them, for whatever writes to redact. */
  secrets?: Redactor;
}

export function loadDeployContext(path: string, options: { env?: string; region?: string; parameters?: ParameterOverride[] }): DeployContext {
  // The project resolves each environment's region (--region, the environment's, the manifest's)
  // and applies that region's overrides.
  const project = loadProject(path, { env: options.env, region: options.region, parameters: options.parameters });
  if (project.kind === 'manifest' && options.env === undefined && project.environments.length > 1) {
    const names = project.environments.map((e) => e.env).join(', ');
    throw new StackpilotError('EnvironmentRequired', `${project.name} has several environments: choose one with --env`, `Environments: ${names}.`);
  }
  if (project.kind === 'manifest' && project.environments.length === 0) {
    throw new StackpilotError('ManifestInvalid', `${project.manifestSource?.file ?? 'stackpilot.yaml'} cannot be read`, 'Run stackpilot validate to see why.');
  }
  const environment = project.environments[0];
  const region = environment.region ?? 'us-east-1';
  const stackName = (id: string) => {
    const named = environment.stacks.get(id)?.name;
    if (named) return named;
    // A template or folder without a manifest: the stack is named after its file.
    const base = id.split('/').pop()!.replace(/[^A-Za-z0-9-]/g, '-').replace(/^[^A-Za-z]+/, '');
    return (base || project.name).slice(0, 128);
  };
  return { project, environment, region, stackName };
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
