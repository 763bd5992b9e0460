import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { StackpilotError } from '../errors.ts';
import { saveRefreshedServices } from './refreshed-services.ts';

const GLOBAL_INFRASTRUCTURE = '/aws/service/global-infrastructure';
/** Regions past which a refresh stops: AWS has fewer than 40 today. */
const MAX_REGIONS = 100;
/** Pages of 10 services per region past which a refresh stops (AWS lists a few hundred services). */
const MAX_PAGES = 200;

/** Every region's services, as published under /aws/service/global-infrastructure/regions/<region>/services. */
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
    if (services.length === 0) throw new StackpilotError('UnknownRegion', `AWS lists no services in ${region}`, 'Check the region name; AWS answers the global-infrastructure parameters from a few regions only (us-east-1 is one).');
    found.set(region, services.sort());
  }
  return found;
}


/**
 * Asks AWS (through `ssm`, a client of the aws or the local target) which services each region
 * offers, and saves the answer in the project, where validation reads it (see availability.ts).
 */
export async function refreshRegionServices(ssm: SSMClient, regions: string[], options: { projectRoot: string; target: 'aws' | 'local'; now?: Date }): Promise<{ file: string; regions: Map<string, string[]> }> {
  const found = await fetchRegionServices(ssm, regions);
  const file = saveRefreshedServices(options.projectRoot, {
    refreshedAt: (options.now ?? new Date()).toISOString(),
    target: options.target,
    regions: Object.fromEntries(found),
  });
  return { file, regions: found };
}
