import { parameterValueToString } from '../template/parameter-constraints.ts';
import { SourceMap, type Path } from '../template/source-map.ts';
import { manifestEnvironment } from './manifest.ts';
import type { ParameterFile } from './parameter-file.ts';
import { overrideName, type ParameterOverride } from './parameter-overrides.ts';
import { expandPlaceholders, regionOutputReference, type StackReference } from './placeholders.ts';
import type { Project } from './project.ts';

/** Where a parameter value was written. */
export interface ValueSource {
  file: string;
  map: SourceMap;
  keyPath: Path;
  valuePath: Path;
}

export interface ParameterAssignment {
  key: string;
  /** The value, placeholders expanded; undefined when it comes from another stack's outputs or UsePreviousValue. */
  value?: string;
  /** `${stacks.ID.outputs.KEY}` (or `${regions.R.stacks.ID.outputs.KEY}`): known only once that stack is deployed. */
  fromOutput?: StackReference;
  source: ValueSource;
  /** `stack` values name their stack; `shared` and `region` ones apply wherever the key is declared; `command-line` ones (--parameter) either. */
  scope: 'stack' | 'shared' | 'region' | 'command-line';
  /** The region whose overrides gave the value (scope `region`). */
  region?: string;
}

export interface ResolvedStack {
  id: string;
  /** The CloudFormation stack name, when the project gives one. */
  name?: string;
  template: string;
  /** The value each parameter ends up with (template defaults not included). */
  values: Map<string, ParameterAssignment>;
  /** Every value given to this stack, overridden ones and undeclared keys included. */
  assignments: ParameterAssignment[];
}

export interface ResolvedEnvironment {
  env?: string;
  region?: string;
  stacks: Map<string, ResolvedStack>;
  /** Shared values that no stack declares (region overrides are checked on their own). */
  unclaimed: ParameterAssignment[];
  /** What it was resolved from: the same inputs give the environment in another region (see environmentInRegion). */
  inputs: EnvironmentInputs;
}

export interface EnvironmentInputs {
  env?: string;
  region?: string;
  sharedParameterFiles?: ParameterFile[];
  /** Parameter files per stack id. */
  parameterFiles?: Map<string, ParameterFile[]>;
  /** --parameter values: above everything else. */
  commandLine?: ParameterOverride[];
}

/** A command-line value has no file: findings about it point at the flag that gave it. */
function commandLineSource(override: ParameterOverride): ValueSource {
  return { file: `command line (--parameter ${overrideName(override)})`, map: new SourceMap(''), keyPath: [], valuePath: [] };
}

/**
 * The parameter values each stack gets in one environment, by the precedence in
 * docs/manifest.md: stack values, shared files, shared values, stack files, the environment's
 * values for the stack, region overrides, then the command line (--parameter).
 */
export function resolveEnvironment(project: Project, inputs: EnvironmentInputs): ResolvedEnvironment {
  const manifest = project.manifest;
  const manifestSource = project.manifestSource;
  const resolved: ResolvedEnvironment = { env: inputs.env, region: inputs.region, stacks: new Map(), unclaimed: [], inputs };

  const stackName = (id: string, depth = 0): string | undefined => {
    const stack = project.stacks.find((s) => s.id === id);
    if (!stack || !manifest || depth > 5) return undefined;
    const pattern = stack.namePattern ?? '${project}-${env}-${id}';
    const expansion = expandPlaceholders(pattern.replaceAll('${id}', id), {
      project: manifest.project,
      env: inputs.env,
      region: inputs.region,
      stackName: (other) => stackName(other, depth + 1),
    });
    return expansion.unresolved.length === 0 ? expansion.text : undefined;
  };

  const fromFile = (file: ParameterFile, scope: ParameterAssignment['scope']): ParameterAssignment[] =>
    file.entries.map((e) => ({ key: e.key, value: e.value, source: { file: file.file, map: file.map, keyPath: e.keyPath, valuePath: e.valuePath }, scope }));

  const fromManifest = (values: Record<string, unknown> | undefined, base: Path, scope: ParameterAssignment['scope']): ParameterAssignment[] => {
    if (!values || !manifestSource || !manifest) return [];
    return Object.entries(values).map(([key, raw]) => {
      const path = [...base, key];
      const expansion = expandPlaceholders(parameterValueToString(raw) ?? '', { project: manifest.project, env: inputs.env, region: inputs.region, stackName });
      const output = expansion.references.find((r) => r.output !== undefined);
      return {
        key,
        value: expansion.deferred || expansion.unresolved.length > 0 ? undefined : expansion.text,
        fromOutput: output,
        source: { file: manifestSource.file, map: manifestSource.map, keyPath: path, valuePath: path },
        scope,
      };
    });
  };

  const env = manifestEnvironment(manifest, inputs.env);
  const shared = [
    ...(inputs.sharedParameterFiles ?? []).flatMap((f) => fromFile(f, 'shared')),
    ...fromManifest(env?.parameters, ['environments', inputs.env ?? '', 'parameters'], 'shared'),
  ];
  const region = inputs.region;
  const regional = region
    ? (project.regionOverrides?.byRegion.get(region) ?? []).map((o): ParameterAssignment => {
        // A region's value may be another region's output, known at deploy time.
        const fromOutput = regionOutputReference(o.value);
        return { key: o.key, value: fromOutput ? undefined : o.value, ...(fromOutput ? { fromOutput } : {}), source: o.source, scope: 'region', region };
      })
    : [];
  const commandLine = (inputs.commandLine ?? []).map((o) => ({ stack: o.stack, assignment: { key: o.key, value: o.value, source: commandLineSource(o), scope: 'command-line' } satisfies ParameterAssignment }));
  const claimed = new Set<ParameterAssignment>();

  for (const stack of project.stacks) {
    const template = project.templates.get(stack.template);
    const declared = template?.model.parameters ?? new Map();
    const ordered = [
      ...fromManifest(manifest?.stacks[stack.id]?.parameters, ['stacks', stack.id, 'parameters'], 'stack'),
      ...shared.filter((a) => declared.has(a.key)),
      ...(inputs.parameterFiles?.get(stack.id) ?? []).flatMap((f) => fromFile(f, 'stack')),
      ...fromManifest(env?.stacks?.[stack.id]?.parameters, ['environments', inputs.env ?? '', 'stacks', stack.id, 'parameters'], 'stack'),
      ...regional.filter((a) => declared.has(a.key)),
      ...commandLine.filter((c) => (c.stack === undefined || c.stack === stack.id) && declared.has(c.assignment.key)).map((c) => c.assignment),
    ];
    const values = new Map<string, ParameterAssignment>();
    for (const assignment of ordered) {
      if (assignment.scope !== 'stack') claimed.add(assignment);
      if (declared.has(assignment.key)) values.set(assignment.key, assignment);
    }
    resolved.stacks.set(stack.id, { id: stack.id, name: stackName(stack.id), template: stack.template, values, assignments: ordered });
  }
  resolved.unclaimed = shared.filter((a) => !claimed.has(a));
  return resolved;
}
