import { Command, Option } from 'commander';
import type { CostEstimate } from '../cost/estimate.ts';
import { StackpilotError } from '../errors.ts';
import type { ParameterOverride } from '../project/parameter-overrides.ts';
import type { Redactor } from '../redaction.ts';
import { EXIT } from './exit-codes.ts';
import { withParameterOption } from './options.ts';
import { comparisonTable, costTable } from './render/cost.ts';
import { colorsFor, redactingWriters } from './terminal.ts';

interface CostFlags {
  env?: string;
  region?: string;
  format: 'table' | 'json' | 'markdown';
  compare?: string;
  prices?: string;
  parameter: ParameterOverride[];
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

export function costCommand(secrets: Redactor): Command {
  return withParameterOption(new Command('cost'))
    .summary('estimate what a project costs a month, from its templates and bundled prices')
    .description(
      `Estimates the monthly cost of every stack of a project (nested stacks included) in one
environment, offline: each template is evaluated as it would deploy there (its parameter
values, its Conditions, the region), and each resource priced from the bundled AWS list prices
(data/prices.json, with their date and source page). Every line shows its quantity, unit,
unit price and what it assumes.

What a template cannot say (requests a month, GB stored, hours a task runs, Bedrock tokens)
comes from the manifest's usage: figures (top level, then the environment's; see
docs/manifest.md), else from documented defaults; every line that depends on one names it.
A resource type without a price is listed as not estimated, never counted as zero.

--parameter KEY=VALUE (STACK.KEY=VALUE for one stack) prices a value other than the project's.
Regions: --region, else every region the environment deploys to.
--prices FILE merges a JSON or YAML file shaped like data/prices.json over the bundled prices.
--compare ENV|REGION puts a second estimate beside the first: another environment, or the
same environment in another region.
Budgets: each AWS::Budgets::Budget the project declares is compared with the whole estimate
(a budget counts the whole account), with a warning at each alert threshold it is above.

Formats: table (default), json (the estimate as one document: project, env, currency, prices,
regions[] with lines[], notEstimated[], monthly; monthly; budgets[]; usage[]), markdown.

Exit codes: 0 estimated, 1 the estimate is above a budget's amount (100 %), 2 the project
has errors (a template that cannot be read: run stackpilot validate), 3 usage or I/O problem (unknown environment, unreadable or malformed --prices file).`,
    )
    .argument('[path]', 'project folder, manifest, folder of templates or template', '.')
    .option('-e, --env <name>', 'environment to estimate (required when the manifest has several)')
    .option('-r, --region <region>', 'one region (default: every region of the environment)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .option('--compare <env-or-region>', 'a second environment, or region, shown beside the first')
    .option('--prices <file>', 'prices merged over the bundled ones (JSON or YAML, shaped like data/prices.json)')
    .action(async (path: string, flags: CostFlags) => {
      const { estimateProjectCost } = await import('../cost/estimate.ts');
      const { bundledPrices, readPriceOverrides, withOverrides } = await import('../cost/prices.ts');
      const { renderCostMarkdown } = await import('../cost/markdown.ts');
      const prices = flags.prices ? withOverrides(bundledPrices(), readPriceOverrides(flags.prices), flags.prices) : bundledPrices();
      const parameters = flags.parameter;
      let estimate: CostEstimate;
      try {
        estimate = estimateProjectCost(path, { env: flags.env, region: flags.region, prices, parameters });
      } catch (error) {
        if (!(error instanceof StackpilotError) || error.code !== 'ProjectInvalid') throw error;
        process.stderr.write(secrets.redact(`error: ${error.message}\n  ${error.hint ?? ''}\n`));
        process.exitCode = EXIT.findings;
        return;
      }
      let other: CostEstimate | undefined;
      if (flags.compare !== undefined) {
        other = REGION.test(flags.compare)
          ? estimateProjectCost(path, { env: flags.env, region: flags.compare, prices, parameters })
          : estimateProjectCost(path, { env: flags.compare, region: flags.region, prices, parameters });
      }
      const writers = redactingWriters(secrets);
      const colors = colorsFor(process.stdout);
      if (flags.format === 'json') writers.out(`${JSON.stringify(other ? { estimate, compare: other } : estimate, null, 2)}\n`);
      else if (flags.format === 'markdown') writers.out(renderCostMarkdown(estimate) + (other ? `\n${renderCostMarkdown(other)}` : ''));
      else {
        const lines = costTable(estimate, colors);
        if (other) lines.push('', colors.bold('Compared'), ...comparisonTable(estimate, other, colors));
        writers.out(`${lines.join('\n')}\n`);
      }
      process.exitCode = estimate.budgets.some((b) => b.exceeded) ? EXIT.failed : EXIT.ok;
    });
}
