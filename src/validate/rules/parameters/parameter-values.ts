import type { ParameterAssignment } from '../../../project/parameters.ts';
import { regionOutputReference } from '../../../project/placeholders.ts';
import { awsShapeProblems, checkParameterValue, parameterValueToString } from '../../../template/parameter-constraints.ts';
import { type ProjectRule, userGuide } from '../../rule.ts';

const isDynamicReference = (value: string) => /\{\{resolve:[a-z-]+:/.test(value);

/**
 * The values parameter files, the manifest and region overrides give each stack: known keys,
 * values that satisfy the template's constraints, and a value for every required parameter.
 */
export const parameterValues: ProjectRule = {
  scope: 'project',
  id: 'SP2010',
  title: 'Parameter values',
  severity: 'error',
  docs: userGuide('parameters-section-structure.html'),
  check({ project, report }) {
    const checked = new Set<ParameterAssignment>();
    // Per template and parameter, the environments that deploy a Default AWS would reject.
    const deployedPlaceholders = new Map<string, { template: string; name: string; problems: string[]; envs: string[] }>();
    for (const environment of project.environments) {
      const where = environment.env ? ` (environment ${environment.env})` : '';
      for (const [id, stack] of environment.stacks) {
        const template = project.templates.get(stack.template);
        if (!template?.body) continue;
        const declared = template.model.parameters;
        for (const assignment of stack.assignments) {
          if (checked.has(assignment)) continue;
          checked.add(assignment);
          const { key, source } = assignment;
          const decl = declared.get(key);
          if (!decl) {
            if (assignment.scope === 'stack') report(source, source.keyPath, `${key} is not a parameter of ${template.file}${project.kind === 'manifest' ? ` (stack ${id})` : ''}`, { at: 'key' });
            continue;
          }
          if (assignment.fromOutput) {
            const other = project.stacks.find((s) => s.id === assignment.fromOutput!.stack);
            const otherTemplate = other && project.templates.get(other.template);
            if (otherTemplate && !otherTemplate.model.outputs.has(assignment.fromOutput.output!)) {
              report(source, source.valuePath, `Stack ${assignment.fromOutput.stack} has no output ${assignment.fromOutput.output}`);
            }
            continue;
          }
          if (assignment.value === undefined || isDynamicReference(assignment.value)) continue;
          for (const problem of checkParameterValue(decl, assignment.value)) report(source, source.valuePath, `${key}: ${problem}`);
        }
        // Without a manifest, validate checks required values only when values were given at all;
        // plan and deploy need them whatever was given.
        if (project.kind !== 'manifest' && !project.valuesRequired && stack.assignments.length === 0) continue;
        const missing = [...declared.values()].filter((d) => d.default === undefined && !stack.values.has(d.name)).map((d) => d.name);
        if (missing.length > 0 && project.kind !== 'manifest' && !stack.assignments.some((a) => a.scope !== 'command-line')) {
          // No file to add the values to: each parameter's declaration, and the flags that give values.
          for (const name of missing) {
            const key = project.kind === 'directory' ? `${id}.${name}` : name;
            report(template, ['Parameters', name], `No value for parameter ${name} of ${template.file}: it has no Default; give one with --parameter ${key}=VALUE or in a --parameters file`, { at: 'key' });
          }
        } else if (missing.length > 0) {
          const [source, path] = missingValueLocation(project, id, environment.env);
          report(source, path, `No value for ${missing.join(', ')} of ${template.file}${where}: these parameters have no Default`);
        }
        if (environment.env === undefined) continue;
        for (const decl of declared.values()) {
          const value = Array.isArray(decl.default) ? undefined : parameterValueToString(decl.default);
          if (value === undefined || stack.values.has(decl.name)) continue;
          const problems = awsShapeProblems(decl, value, false);
          if (problems.length === 0) continue;
          const key = JSON.stringify([stack.template, decl.name]);
          const entry = deployedPlaceholders.get(key) ?? { template: stack.template, name: decl.name, problems, envs: [] };
          entry.envs.push(environment.env);
          deployedPlaceholders.set(key, entry);
        }
      }
      for (const assignment of environment.unclaimed) {
        if (checked.has(assignment)) continue;
        checked.add(assignment);
        report(assignment.source, assignment.source.keyPath, `${assignment.key} is not a parameter of any stack of the project`, { at: 'key' });
      }
    }
    for (const { template, name, problems, envs } of deployedPlaceholders.values()) {
      const which = envs.length === 1 ? `Environment ${envs[0]} deploys` : `Environments ${envs.join(', ')} deploy`;
      report(project.templates.get(template)!, ['Parameters', name, 'Default'], `${which} the Default of ${name}, which AWS will reject: ${problems.join('; ')}. Give ${name} a value for ${envs.length === 1 ? 'it' : 'them'} (a parameter file, the manifest, or --parameter)`);
    }
    for (const [region, overrides] of project.regionOverrides?.byRegion ?? []) {
      for (const override of overrides) {
        const targets = [...project.templates.values()].filter((t) => project.stacks.some((s) => s.template === t.absolutePath) && t.model.parameters.has(override.key));
        if (targets.length === 0) {
          report(override.source, override.source.keyPath, `${override.key} (for ${region}) is not a parameter of any stack, so it is not applied`, { at: 'key', severity: 'warning' });
        }
        // Another region's output is known only at deploy time.
        if (regionOutputReference(override.value)) continue;
        for (const template of targets) {
          for (const problem of checkParameterValue(template.model.parameters.get(override.key)!, override.value)) report(override.source, override.source.valuePath, `${override.key} for ${region}: ${problem}`);
        }
      }
    }
  },
};

/** Where to point when a stack lacks a value: the manifest's environment, or the first parameter file. */
function missingValueLocation(project: Parameters<ProjectRule['check']>[0]['project'], stackId: string, env: string | undefined) {
  if (project.kind === 'manifest' && project.manifestSource) {
    return [project.manifestSource, env ? ['environments', env] : ['stacks', stackId]] as const;
  }
  const stack = project.environments[0]?.stacks.get(stackId);
  const first = stack?.assignments[0]?.source;
  return [first ?? project.templates.get(stack!.template)!, []] as const;
}
