import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsErrorInWords } from '../deploy/aws-errors.ts';
import { openTarget } from '../deploy/target.ts';
import { StackpilotError } from '../errors.ts';
import { loadProject } from '../project/project.ts';
import { saveRefreshedServices } from './refreshed-services.ts';
import { projectRegions } from './target-regions.ts';

const GLOBAL_INFRASTRUCTURE = '/aws/service/global-infrastructure';
/** Regions past which a refresh stops: AWS has fewer than 40 today. */
const MAX_REGIONS = 100;
/** Pages of 10 services per region past which a refresh stops (AWS lists a few hundred services). */
const MAX_PAGES = 200;

/**
 * Every region's services, as published under /aws/service/global-infrastructure/regions/<region>/services.
 * A region AWS lists nothing for (too new to be published) is left out; none listed at all is an error.
 */
export async function fetchRegionServices(ssm: SSMClient, regions: string[]): Promise<Map<string, string[]>> {
  if (regions.length > MAX_REGIONS) throw new StackpilotError('TooManyRegions', `${regions.length} regions to refresh: at most ${MAX_REGIONS}`, 'Name fewer regions.');
  const found = new Map<string, string[]>();
  for (const region of regions) {
    const services: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: `${GLOBAL_INFRASTRUCTURE}/regions/${region}/services`, NextToken: nextToken }));
      for (const parameter of page.Parameters ?? []) if (parameter.Value) services.push(parameter.Value);
      nextToken = page.NextToken;
      if (++pages > MAX_PAGES) throw new StackpilotError('RefreshTooLong', `AWS listed more than ${MAX_PAGES} pages of services for ${region}`, 'Report this: stackpilot expects a few hundred services per region.');
    } while (nextToken);
    if (services.length > 0) found.set(region, services.sort());
  }
  if (found.size === 0) throw new StackpilotError('NoRegionServices', `AWS lists no services in ${regions.join(', ')}`, 'Check the region names, and ask SSM in a region that answers the global-infrastructure parameters (--region us-east-1).');
  return found;
}

export interface RegionRefresh {
  file: string;
  /** Region -> the service ids AWS lists there. */
  regions: Map<string, string[]>;
  /** Regions AWS lists nothing for: the bundled data stays in use there. */
  unlisted: string[];
}

/**
 * Asks AWS (through `ssm`, a client of the aws or the local target) which services each region
 * offers, and saves the answer in the project, where validation reads it (see availability.ts).
 */
export async function refreshRegionServices(ssm: SSMClient, regions: string[], options: { projectRoot: string; target: 'aws' | 'local'; now?: Date }): Promise<RegionRefresh> {
  const found = await fetchRegionServices(ssm, regions);
  const file = saveRefreshedServices(options.projectRoot, {
    refreshedAt: (options.now ?? new Date()).toISOString(),
    target: options.target,
    regions: Object.fromEntries(found),
  });
  return { file, regions: found, unlisted: regions.filter((r) => !found.has(r)) };
}

export interface ProjectRefreshOptions {
  env?: string;
  target: 'aws' | 'local';
  profile?: string;
  /** The region SSM is asked in: AWS answers the global-infrastructure parameters from a few regions only. */
  region?: string;
}

/** `stackpilot regions refresh`: the services of every region the project at `path` deploys to, saved in the project. */
export async function refreshProjectRegions(path: string, options: ProjectRefreshOptions): Promise<RegionRefresh> {
  const project = loadProject(path, { env: options.env });
  const regions = projectRegions(project);
  if (regions.length === 0) throw new StackpilotError('NoRegions', `${path}: the project names no region to refresh`, 'Refresh a project whose stackpilot.yaml names its region or its environments\' regions.');
  const target = await openTarget({ target: options.target, region: options.region ?? 'us-east-1', profile: options.profile, projectRoot: project.root });
  try {
    return await refreshRegionServices(target.ssm, regions, { projectRoot: project.root, target: options.target });
  } catch (error) {
    const failure = awsErrorInWords(error);
    if (!failure) throw error;
    throw new StackpilotError('RegionRefreshFailed', `cannot read the regions' services from SSM: ${failure.message}`, failure.hint);
  } finally {
    await target.close();
  }
}
