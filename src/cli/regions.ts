import { Command } from 'commander';
import { EXIT } from './exit-codes.ts';
import { withTargetOptions, type TargetFlags } from './options.ts';
import { redactingWriters } from './terminal.ts';
import type { Redactor } from '../redaction.ts';

export function regionsCommand(secrets: Redactor): Command {
  const refresh = withTargetOptions(new Command('refresh'))
    .summary("read from AWS which services each of the project's regions offers")
    .description(
      `Asks SSM, under the public parameters /aws/service/global-infrastructure/regions/<region>/services,
which services each region the project deploys to offers (every environment's regions, or --env's,
stacks' own regions and the regions the overrides name), and saves the answer in
.stackpilot/region-services.json. validate, plan and deploy then judge SP5007 with it: a type whose
service AWS does not list in a region is not offered there, and a service AWS lists that the bundled
data (CloudFormation resource types of its date) did not know in the region is taken as offered.
Only services whose CloudFormation prefix maps to a global-infrastructure id count (see
docs/regions.md); delete the file to go back to the bundled data.
--region is the region SSM is asked in (default us-east-1: AWS answers these parameters from a few
regions only). --target local reads the local engine's copy of the bundled data (for tests).

Exit codes: 0 saved, 3 usage, AWS or I/O problem (the previous file is then left as it was).`,
    )
    .action(async (path: string, flags: TargetFlags) => {
      const { refreshProjectRegions } = await import('../regions/service-refresh.ts');
      const { file, regions } = await refreshProjectRegions(path, flags);
      const { out } = redactingWriters(secrets);
      for (const [region, services] of regions) out(`${region}: ${services.length} services\n`);
      out(`saved ${file}\n`);
      process.exitCode = EXIT.ok;
    });
  return new Command('regions').summary('region availability data').description('Region availability: see `stackpilot regions refresh --help` and docs/regions.md.').addCommand(refresh.exitOverride());
}
