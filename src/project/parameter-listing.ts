import { parameterValueToString } from '../template/parameter-constraints.ts';
import { manifestEnvironment } from './manifest.ts';
import { resolveEnvironment, type ParameterAssignment, type ResolvedEnvironment } from './parameters.ts';
import type { Project } from './project.ts';

/** One parameter of a stack as plan shows it: its value and where that value came from. */
export interface ListedParameter {
  key: string;
  /** As shown: `****` for NoEcho, `${stacks.ID.outputs.KEY}` for a value known at deploy time. */
  value: string;
  secret: boolean;
  from: 'file' | 'template default' | 'command line';
  /** Where the value is written (`from: file`), 1-based. */
  file?: string;
  line?: number;
  column?: number;
  /** The region whose overrides gave the value. */
  region?: string;
  /** The whole provenance in words: `parameters/prod.json:3:5`, `regions.json:15:5, region us-west-2`, `template default`. */
  source: string;
}

export const MASK = '****';

/** The regions an environment deploys to: its `regions`, else its one region. */
export function environmentRegions(project: Project, env: string | undefined): string[] {
  const manifest = project.manifest;
  const declared = manifestEnvironment(manifest, env);
  if (declared?.regions && declared.regions.length > 0) return declared.regions;
  const one = declared?.region ?? manifest?.region;
  return one ? [one] : [];
}

/** The same environment, its values resolved for another region (that region's overrides applied). */
export function environmentInRegion(project: Project, environment: ResolvedEnvironment, region: string): ResolvedEnvironment {
  return region === environment.region ? environment : resolveEnvironment(project, { ...environment.inputs, region });
}

function provenance(assignment: ParameterAssignment): Pick<ListedParameter, 'from' | 'file' | 'line' | 'column' | 'region' | 'source'> {
  if (assignment.scope === 'command-line') return { from: 'command line', source: 'command line' };
  const { file, map, keyPath } = assignment.source;
  const { line, column } = map.locate(keyPath, 'key');
  const region = assignment.region;
  return { from: 'file', file, line, column, ...(region ? { region } : {}), source: `${file}:${line}:${column}${region ? `, region ${region}` : ''}` };
}

function shownValue(assignment: ParameterAssignment): string {
  if (assignment.value !== undefined) return assignment.value;
  if (assignment.fromOutput) return `\${${assignment.fromOutput.region ? `regions.${assignment.fromOutput.region}.` : ''}stacks.${assignment.fromOutput.stack}.outputs.${assignment.fromOutput.output}}`;
  return '(previous value)';
}

/**
 * The values one stack's parameters get in an environment (in the region it was resolved for:
 * see environmentInRegion), in the template's order, each with where it came from. Parameters
 * with neither a value nor a Default are left out (validation reports them).
 */
export function listStackParameters(project: Project, environment: ResolvedEnvironment, stackId: string): ListedParameter[] {
  const stack = project.stacks.find((s) => s.id === stackId);
  const template = stack && project.templates.get(stack.template);
  if (!template) return [];
  const assigned = environment.stacks.get(stackId)?.values ?? new Map<string, ParameterAssignment>();
  const listed: ListedParameter[] = [];
  for (const declaration of template.model.parameters.values()) {
    const secret = declaration.noEcho;
    const assignment = assigned.get(declaration.name);
    if (assignment) {
      listed.push({ key: declaration.name, value: secret ? MASK : shownValue(assignment), secret, ...provenance(assignment) });
      continue;
    }
    const fallback = declaration.default === undefined ? undefined : parameterValueToString(declaration.default);
    if (fallback !== undefined) listed.push({ key: declaration.name, value: secret ? MASK : fallback, secret, from: 'template default', source: 'template default' });
  }
  return listed;
}
