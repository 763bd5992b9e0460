import { parameterValueToString } from '../template/parameter-constraints.ts';
import type { Path, SourceMap } from '../template/source-map.ts';
import type { ParameterFile } from './parameter-file.ts';
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
  /** `stack` values name their stack; `shared` and `region` ones apply wherever the key is declared. */
  scope: 'stack' | 'shared' | 'region';
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
}

export interface EnvironmentInputs {
  env?: string;
  region?: string;
  sharedParameterFiles?: ParameterFile[];
  /** Parameter files per stack id. */
  parameterFiles?: Map<string, ParameterFile[]>;
}

/**
 * The parameter values each stack gets in one environment, by the precedence in
 * docs/manifest.md: stack values, shared files, shared values, stack files, the environment's
 * values for the stack, then region overrides.
 */
export function resolveEnvironment(project: Project, inputs: EnvironmentInputs): ResolvedEnvironment {
  const manifest = project.manifest;
  const manifestSource = project.manifestSource;
  const resolved: ResolvedEnvironment = { env: inputs.env, region: inputs.region, stacks: new Map(), unclaimed: [] };

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

  const env = inputs.env !== undefined ? manifest?.environments[inputs.env] : undefined;
  const shared = [
    ...(inputs.sharedParameterFiles ?? []).flatMap((f) => fromFile(f, 'shared')),
    ...fromManifest(env?.parameters, ['environments', inputs.env ?? '', 'parameters'], 'shared'),
  ];
  const regional = inputs.region
    ? (project.regionOverrides?.byRegion.get(inputs.region) ?? []).map((o): ParameterAssignment => {
        // A region's value may be another region's output, known at deploy time.
        const fromOutput = regionOutputReference(o.value);
        return { key: o.key, value: fromOutput ? undefined : o.value, ...(fromOutput ? { fromOutput } : {}), source: o.source, scope: 'region' };
      })
    : [];
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
