import { toMermaid } from '../graph/render.ts';
import { projectStackGraph } from '../graph/stack-graph.ts';
import { deploymentLabel, projectRelative, type Deployment } from './environments.ts';
import { cell, code, table } from './markdown.ts';
import { GENERATED_MARKER, type PageContext } from './stack-page.ts';
import type { StackPage } from './stack-pages.ts';

/** The cost summary of one deployment, as Markdown; the section is left out when none is given. */
export type CostSummary = (deployment: Pick<Deployment, 'env' | 'region'>) => Promise<string | undefined>;

/** index.md: the project, its environments and regions, the stack graph, and a link to every stack page. */
export function renderIndexPage(pages: StackPage[], context: PageContext, costs: Map<Deployment, string> = new Map()): string {
  const { project } = context;
  const lines = [GENERATED_MARKER, '', `# ${cell(project.name)}: stack reference`, ''];
  lines.push(
    project.manifestSource
      ? `Generated from ${code(projectRelative(project, project.manifestSource.file))} and the templates and parameter files it names.`
      : 'Generated from the templates of this folder.',
  );
  lines.push(...environmentsSection(context), '', '## Stack graph', '', 'A solid arrow goes from a stack to one that waits for it; a dotted one to a nested stack.', '');
  lines.push('```mermaid', toMermaid(project, projectStackGraph(project)), '```', '', '## Stacks', '');
  for (const page of pages) {
    const indent = '  '.repeat(page.nestedPath.length);
    const description = page.template.model.description?.trim().split('\n')[0];
    lines.push(`${indent}- [${cell(page.title)}](${page.file})${description ? `: ${description}` : ''}`);
  }
  if (costs.size > 0) {
    lines.push('', '## Cost summary', '');
    for (const [deployment, markdown] of costs) lines.push(`### ${cell(deploymentLabel(deployment))}`, '', markdown.trim(), '');
    lines.pop();
  }
  return `${lines.join('\n')}\n`;
}

function environmentsSection({ project, deployments }: PageContext): string[] {
  if (deployments.length === 0) return [];
  const rows = deployments.map((d) => {
    const stacks = [...d.resolved.stacks.values()].map((s) => (s.name ? `${cell(s.id)}: ${code(s.name)}` : cell(s.id))).join('<br>');
    const files = [...new Set([...d.resolved.stacks.values()].flatMap((s) => [...s.values.values()].map((a) => a.source.file)))]
      .filter((f) => !f.startsWith('command line'))
      .map((f) => projectRelative(project, f))
      .sort();
    return [cell(d.env), cell(d.region ?? ''), stacks, files.map(code).join('<br>')];
  });
  return ['', '## Environments', '', ...table(['Environment', 'Region', 'Stacks', 'Values from'], rows)];
}
