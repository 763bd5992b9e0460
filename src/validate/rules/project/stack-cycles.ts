import { findCycles } from '../../../graph/graph.ts';
import { projectStackGraph } from '../../../graph/stack-graph.ts';
import { type ProjectRule, userGuide } from '../../rule.ts';

/** Stacks that depend on each other in a circle (by dependsOn, references or imports), or a template nesting itself, can't deploy. */
export const stackCycles: ProjectRule = {
  scope: 'project',
  id: 'SP5005',
  title: 'Circular dependency between stacks',
  severity: 'error',
  docs: userGuide('using-cfn-nested-stacks.html'),
  check({ project, report }) {
    for (const environment of project.environments.slice(0, 1)) {
      const graph = projectStackGraph(project, environment);
      for (const cycle of findCycles(graph.dependencies)) {
        const first = graph.stacks.get(cycle[0])!;
        const source = project.kind === 'manifest' && project.manifestSource ? project.manifestSource : project.templates.get(first.template)!;
        const path = project.kind === 'manifest' ? ['stacks', cycle[0]] : [];
        report(source, path, `Circular dependency between stacks ${cycle.join(', ')}: none of them can be deployed first`, { at: 'key' });
      }
    }
    const nesting = new Map<string, string[]>();
    for (const link of project.nested) if (link.child) nesting.set(link.parent, [...(nesting.get(link.parent) ?? []), link.child]);
    for (const template of project.templates.keys()) if (!nesting.has(template)) nesting.set(template, []);
    for (const cycle of findCycles(nesting)) {
      const template = project.templates.get(cycle[0])!;
      const link = project.nested.find((l) => l.parent === cycle[0] && l.child && cycle.includes(l.child))!;
      report(template, ['Resources', link.logicalId], `Nested stacks form a loop (${cycle.map((c) => project.templates.get(c)!.file).join(' -> ')} -> ...): the stack would nest itself forever`, { at: 'key' });
    }
  },
};
