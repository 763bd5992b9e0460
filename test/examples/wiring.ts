import { basename } from 'node:path';
import { exportsOf, importsOf, namesMayMatch, showName, stackInstances } from '../../src/project/exports.ts';
import type { Project } from '../../src/project/project.ts';
import { isObject } from '../../src/template/intrinsics.ts';
import { checkParameterValue } from '../../src/template/parameter-constraints.ts';

/**
 * Wiring facts of a reference project, computed from the project model itself (not from the
 * rules' findings), so these tests check the examples and the model together.
 */

/** Nested stacks as `Parent.LogicalId -> child file`, with what each passes and lacks. */
export function nestedWiring(project: Project) {
  return project.nested.map((link) => {
    const parent = project.templates.get(link.parent)!;
    const child = link.child ? project.templates.get(link.child) : undefined;
    const resource = parent.model.resources.get(link.logicalId)!;
    const passed = isObject(resource.properties.Parameters) ? Object.keys(resource.properties.Parameters) : [];
    const declared = child ? [...child.model.parameters.values()] : [];
    return {
      name: `${basename(link.parent)}:${link.logicalId} -> ${link.child ? basename(link.child) : '(missing)'}`,
      unknown: passed.filter((p) => !declared.some((d) => d.name === p)),
      missing: declared.filter((d) => d.default === undefined && !passed.includes(d.name)).map((d) => d.name),
    };
  });
}

/** Every `Outputs.X` a parent reads from a nested stack, and whether the child declares X. */
export function nestedOutputReads(project: Project): { read: string; exists: boolean }[] {
  const reads: { read: string; exists: boolean }[] = [];
  for (const link of project.nested) {
    const parent = project.templates.get(link.parent)!;
    const child = link.child ? project.templates.get(link.child) : undefined;
    const text = JSON.stringify(parent.body);
    const pattern = new RegExp(`"${link.logicalId}","Outputs\\.([A-Za-z0-9]+)"|\\$\\{${link.logicalId}\\.Outputs\\.([A-Za-z0-9]+)\\}`, 'g');
    for (const m of text.matchAll(pattern)) {
      const output = m[1] ?? m[2];
      reads.push({ read: `${link.logicalId}.Outputs.${output}`, exists: child?.model.outputs.has(output) ?? false });
    }
  }
  return reads;
}

/** For each environment: each import, and the stacks whose exports it matches. */
export function importMatches(project: Project) {
  return project.environments.flatMap((environment) => {
    const instances = stackInstances(project, environment);
    const exports = instances.flatMap(exportsOf);
    return instances.flatMap(importsOf).map((use) => ({
      env: environment.env,
      importer: use.instance.stackId,
      name: showName(use.name),
      exporters: [...new Set(exports.filter((e) => namesMayMatch(e.name, use.name)).map((e) => e.instance.stackId))],
    }));
  });
}

/** Problems with the values each environment gives each stack: unknown keys, bad values, missing required ones. */
export function parameterProblems(project: Project): string[] {
  const problems: string[] = [];
  for (const environment of project.environments) {
    for (const [id, stack] of environment.stacks) {
      const declared = project.templates.get(stack.template)!.model.parameters;
      for (const a of stack.assignments) {
        const decl = declared.get(a.key);
        if (!decl) {
          if (a.scope === 'stack') problems.push(`${environment.env}/${id}: unknown parameter ${a.key}`);
          continue;
        }
        if (a.value !== undefined) for (const p of checkParameterValue(decl, a.value)) problems.push(`${environment.env}/${id}: ${a.key}: ${p}`);
      }
      for (const decl of declared.values()) {
        if (decl.default === undefined && !stack.values.has(decl.name)) problems.push(`${environment.env}/${id}: no value for ${decl.name}`);
      }
    }
    for (const a of environment.unclaimed) problems.push(`${environment.env}: ${a.key} is not a parameter of any stack`);
  }
  return problems;
}
