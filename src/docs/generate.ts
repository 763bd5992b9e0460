import { join, resolve } from 'node:path';
import { StackpilotError } from '../errors.ts';
import { loadProject } from '../project/project.ts';
import { redactText } from '../redaction.ts';
import { shellWord } from '../shell-word.ts';
import { importSites, projectDeployments, type Deployment } from './environments.ts';
import { renderIndexPage, type CostSummary } from './index-page.ts';
import { renderStackPage, type PageContext } from './stack-page.ts';
import { stackPages, type StackPage } from './stack-pages.ts';

export interface DocsOptions {
  /** Output folder; `PATH/docs/reference` when omitted. */
  out?: string;
  /**
   * The cost summary per environment and region, for index.md's "Cost summary" section (left
   * out without it). Meant for src/cost's estimateProjectCost + renderCostMarkdown.
   */
  costSummary?: CostSummary;
}

export interface GeneratedDocs {
  /** Absolute output folder. */
  outDir: string;
  /** Page path relative to outDir (POSIX separators) -> content, sorted by path. */
  files: Map<string, string>;
}

/** Where the reference goes when no --out is given: beside the project's other docs. */
export const DEFAULT_OUT = join('docs', 'reference');

/**
 * The Markdown reference of a project, in memory: index.md and one page per stack and nested
 * stack. The same project gives the same bytes: no dates, no absolute paths, LF line endings.
 */
export async function generateDocs(path: string, options: DocsOptions = {}): Promise<GeneratedDocs> {
  const project = loadProject(path);
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    throw new StackpilotError('ProjectInvalid', `${first.file}:${first.line}:${first.column}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more ${errors.length > 2 ? 'errors' : 'error'})` : ''}`, `Run \`stackpilot validate ${shellWord(path)}\`, fix the errors, then generate the docs again.`);
  }
  const outDir = resolve(options.out ?? join(project.root, DEFAULT_OUT));
  const pages = stackPages(project);
  const deployments = projectDeployments(project, pages);
  const context: PageContext = { project, deployments, imports: importSites(deployments, pages), outDir };
  const costs = new Map<Deployment, string>();
  for (const deployment of options.costSummary ? deployments : []) {
    const markdown = await options.costSummary!({ env: deployment.env, region: deployment.region });
    if (markdown !== undefined) costs.set(deployment, markdown);
  }
  const secrets = secretValues(pages, deployments);
  const files = new Map<string, string>();
  const add = (file: string, content: string) => files.set(file, redactText(content, secrets));
  add('index.md', renderIndexPage(pages, context, costs));
  for (const page of pages) add(page.file, renderStackPage(page, context));
  return { outDir, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/**
 * Every secret value the pages could hold (NoEcho values and defaults, in every deployment):
 * the pages show `****` for them already; this masks them wherever else they might appear.
 */
function secretValues(pages: StackPage[], deployments: Deployment[]): string[] {
  const values = new Set<string>();
  for (const page of pages) {
    for (const p of page.template.model.parameters.values()) {
      if (!p.noEcho) continue;
      if (typeof p.default === 'string') values.add(p.default);
      for (const d of deployments) {
        const value = page.parent ? d.instances.get(page.file)?.scope.parameters.get(p.name) : d.resolved.stacks.get(page.stackId)?.values.get(p.name)?.value;
        if (value !== undefined) values.add(value);
      }
    }
  }
  return [...values];
}
