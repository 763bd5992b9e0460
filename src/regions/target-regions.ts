import { manifestEnvironment } from '../project/manifest.ts';
import type { ResolvedEnvironment } from '../project/parameters.ts';
import type { Project } from '../project/project.ts';

/**
 * The regions a stack of an environment deploys to: the stack's own `region`, else the
 * environment's `regions` list (unless a single other region was chosen with --region), else its
 * one region. Empty when nothing names a region (a template checked on its own).
 */
export function stackRegions(project: Project, environment: ResolvedEnvironment, stackId: string): string[] {
  const manifest = project.manifest;
  const stack = manifest && Object.hasOwn(manifest.stacks, stackId) ? manifest.stacks[stackId] : undefined;
  if (stack?.region) return [stack.region];
  const env = manifestEnvironment(manifest, environment.env);
  const home = env?.region ?? manifest?.region;
  if (env?.regions && (environment.region === undefined || (environment.region === home && env.regions.includes(home)))) return env.regions;
  return environment.region ? [environment.region] : [];
}

/** Every region the project deploys to in its (chosen) environments, and every region its overrides name, sorted. */
export function projectRegions(project: Project): string[] {
  const regions = new Set<string>(project.regionOverrides?.byRegion.keys() ?? []);
  for (const environment of project.environments) {
    for (const stack of project.stacks) for (const region of stackRegions(project, environment, stack.id)) regions.add(region);
  }
  return [...regions].sort();
}
