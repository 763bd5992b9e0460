import { Command, Option } from 'commander';
import type { Redactor } from '../redaction.ts';
import { EXIT } from './exit-codes.ts';
import { redactingWriters } from './terminal.ts';

interface RefreshFlags {
  env?: string;
  target: 'local' | 'aws';
  profile?: string;
  region?: string;
}

export function regionsCommand(secrets: Redactor): Command {
  const refresh = new Command('refresh')
    .summary("read from AWS which services each of the project's regions offers")
    .description(
      `Asks SSM which services each region of the project offers (the public parameters
/aws/service/global-infrastructure/regions/<region>/services), for every region
an environment (or --env alone), a stack or the region overrides name, and
saves the answer in .stackpilot/region-services.json. validate, plan and deploy
then judge SP5008 with it: a type whose service AWS does not list in a region
is not offered there, and a service AWS lists that the bundled data did not
know in the region is taken as offered. A region AWS does not list yet keeps
the bundled data. Only CloudFormation prefixes that map
to a global-infrastructure service id count (see docs/regions.md); delete the
file to go back to the bundled data alone.

--target aws asks AWS in --region (default us-east-1: AWS answers these
parameters from a few regions only); --target local asks the local engine,
which serves the same tree from the bundled data.

Exit codes: 0 saved, 3 usage, AWS or I/O problem (the previous file is then
left as it was).`,
    )
    .argument('[path]', 'project folder (with stackpilot.yaml)', '.')
    .option('-e, --env <name>', 'only the regions of this environment')
    .addOption(new Option('-t, --target <target>', 'the embedded local engine, or AWS').choices(['local', 'aws']).default('local'))
    .option('--profile <name>', 'AWS profile (aws target; else the standard credential chain)')
    .option('-r, --region <region>', 'the region SSM is asked in (default us-east-1)')
    .action(async (path: string, flags: RefreshFlags) => {
      const { refreshProjectRegions } = await import('../regions/service-refresh.ts');
      const { file, regions, unlisted } = await refreshProjectRegions(path, flags);
      const { out } = redactingWriters(secrets);
      for (const [region, services] of regions) out(`${region}: ${services.length} services\n`);
      for (const region of unlisted) out(`${region}: not listed by AWS (the bundled data stays in use there)\n`);
      out(`saved ${file}\n`);
      process.exitCode = EXIT.ok;
    });
  return new Command('regions')
    .summary('region availability data')
    .description('Region availability of resource types and Bedrock models: see `stackpilot regions refresh --help` and docs/regions.md.')
    .addCommand(refresh.exitOverride());
}
