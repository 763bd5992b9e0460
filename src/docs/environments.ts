import { relative, resolve, sep } from 'node:path';
import { importMatches, stackInstances, type StackInstance } from '../project/exports.ts';
import { environmentInRegion, environmentRegions } from '../project/parameter-listing.ts';
import type { ResolvedEnvironment } from '../project/parameters.ts';
import type { Project } from '../project/project.ts';
import type { StackPage } from './stack-pages.ts';

/** One environment in one of its regions: what a deploy there would give each stack. */
export interface Deployment {
  /** The environment's name; `default` for a project without a manifest. */
  env: string;
  region?: string;
  resolved: ResolvedEnvironment;
  /** The stack instance behind each page (by page file), with the parameter values it receives. */
  instances: Map<string, StackInstance>;
}

/** Every environment of the project in every region it deploys to, in manifest order. */
export function projectDeployments(project: Project, pages: StackPage[]): Deployment[] {
  return project.environments.flatMap((environment) => {
    const regions = environmentRegions(project, environment.env);
    return (regions.length > 0 ? regions : [environment.region]).map((region) => {
      const resolved = region === undefined ? environment : environmentInRegion(project, environment, region);
      return { env: environment.env ?? 'default', region, resolved, instances: instancesByPage(stackInstances(project, resolved), pages) };
    });
  });
}

/** Pairs instances with pages: both walk each stack's nested stacks depth first, in template order. */
function instancesByPage(instances: StackInstance[], pages: StackPage[]): Map<string, StackInstance> {
  const byPage = new Map<string, StackInstance>();
  let next = 0;
  for (const instance of instances) {
    const page = pages[next];
    if (page && page.stackId === instance.stackId && page.template === instance.template) {
      byPage.set(page.file, instance);
      next++;
    }
  }
  return byPage;
}

/** Where an export is imported: the importing page and resource, in which deployments. */
export interface ImportSite {
  page: StackPage;
  /** The resource or output that imports it (`Resources.X` -> `X`). */
  logicalId: string;
  deployments: string[];
}

/** The label of a deployment in text: `production (us-west-2)`. */
export const deploymentLabel = (d: Pick<Deployment, 'env' | 'region'>) => (d.region ? `${d.env} (${d.region})` : d.env);

/** Who imports each export, keyed by `page file#output`, as names can be matched before deploying. */
export function importSites(deployments: Deployment[], pages: StackPage[]): Map<string, ImportSite[]> {
  const sites = new Map<string, ImportSite[]>();
  for (const deployment of deployments) {
    const pageOf = new Map([...deployment.instances].map(([file, instance]) => [instance, pages.find((p) => p.file === file)!]));
    for (const { use, declaration } of importMatches([...deployment.instances.values()])) {
      const key = `${pageOf.get(declaration.instance)!.file}#${declaration.output}`;
      const page = pageOf.get(use.instance)!;
      const logicalId = String(use.path[1]);
      const list = sites.get(key) ?? [];
      let site = list.find((s) => s.page === page && s.logicalId === logicalId);
      if (!site) list.push((site = { page, logicalId, deployments: [] }));
      if (!site.deployments.includes(deploymentLabel(deployment))) site.deployments.push(deploymentLabel(deployment));
      sites.set(key, list);
    }
  }
  return sites;
}

/** A file as shown in findings, made relative to the project root (POSIX separators): the docs hold no absolute or working-folder paths. */
export function projectRelative(project: Project, shown: string): string {
  return relative(project.root, resolve(shown)).split(sep).join('/');
}
