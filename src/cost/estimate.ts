import { loadDeployContext, type DeployContext } from '../deploy/context.ts';
import { StackpilotError } from '../errors.ts';
import { manifestEnvironment } from '../project/manifest.ts';
import { environmentInRegion, environmentRegions } from '../project/parameter-listing.ts';
import type { ParameterOverride } from '../project/parameter-overrides.ts';
import type { ResolvedEnvironment } from '../project/parameters.ts';
import { isNestedStackType } from '../spec/resource-facts.ts';
import type { TemplateModel } from '../template/model.ts';
import { checkBudgets, readBudget, type BudgetCheck, type BudgetDeclaration } from './budgets.ts';
import { ESTIMATORS } from './estimators/index.ts';
import { sum } from './format.ts';
import { evaluateTemplate, type StackValues } from './evaluate.ts';
import { priceDrafts, type CostLine, type EstimateContext, type NotEstimated } from './lines.ts';
import { bundledPrices, isFreeType, type PriceBook } from './prices.ts';
import { resolveUsage, type Usage, type UsageAssumption, type UsageInput } from './usage.ts';

/** A stack to estimate: its template, its values, and how to reach the template of each nested stack. */
export interface StackInput {
  /** Shown on its lines: the project stack id, then nested stacks' logical ids (`master/ComputeStack`). */
  path: string;
  model: TemplateModel;
  values: StackValues;
  nested(logicalId: string, parameters: Map<string, string | undefined>): StackInput | undefined;
}

export interface RegionEstimate {
  region: string;
  lines: CostLine[];
  notEstimated: NotEstimated[];
  /** Resources that cost nothing of their own (IAM roles, subnets...). */
  freeResources: number;
  budgets: BudgetDeclaration[];
  monthly: number;
}

export interface CostEstimate {
  project: string;
  env?: string;
  currency: 'USD';
  /** The date of the prices and the files that overrode bundled ones. */
  prices: { asOf: string; overrides: string[] };
  regions: RegionEstimate[];
  /** Every region's lines together. */
  monthly: number;
  budgets: BudgetCheck[];
  usage: UsageAssumption[];
}

const MAX_NESTING = 10;

/** Prices each stack and its nested stacks in one region, the way they would deploy. */
export function estimateStacks(stacks: StackInput[], region: string, usage: Usage, prices: PriceBook): RegionEstimate {
  const estimate: RegionEstimate = { region, lines: [], notEstimated: [], freeResources: 0, budgets: [], monthly: 0 };
  const walk = (input: StackInput, depth: number) => {
    const evaluated = evaluateTemplate(input.model, input.values);
    const context: EstimateContext = { region, stack: input.path, resources: evaluated.resources, usage, prices };
    for (const { resource, reason } of evaluated.undecided) estimate.notEstimated.push({ region, stack: input.path, resource: resource.logicalId, type: resource.type, reason });
    for (const resource of evaluated.resources) {
      const skip = (reason: string) => estimate.notEstimated.push({ region, stack: input.path, resource: resource.logicalId, type: resource.type, reason });
      if (isNestedStackType(resource.type)) {
        const child = depth < MAX_NESTING ? input.nested(resource.logicalId, evaluated.nestedParameters.get(resource.logicalId) ?? new Map<string, string | undefined>()) : undefined;
        if (child) walk(child, depth + 1);
        else skip(depth < MAX_NESTING ? 'its template is not part of the project' : `nested more than ${MAX_NESTING} levels deep`);
        continue;
      }
      if (resource.type === 'AWS::Budgets::Budget') estimate.budgets.push(readBudget(resource, input.path, region));
      const estimator = ESTIMATORS.get(resource.type);
      if (!estimator) {
        if (isFreeType(prices, resource.type)) estimate.freeResources++;
        else skip('no price for this resource type');
        continue;
      }
      const drafts = estimator(resource, context);
      if (typeof drafts === 'string') {
        skip(drafts);
        continue;
      }
      if (drafts.length === 0) estimate.freeResources++;
      const priced = priceDrafts(resource, drafts, context);
      if ('notEstimated' in priced) skip(priced.notEstimated);
      else estimate.lines.push(...priced.lines);
    }
  };
  for (const stack of stacks) walk(stack, 0);
  estimate.monthly = sum(estimate.lines);
  return estimate;
}

/** Bedrock tokens belong to no resource: they come from the usage assumptions alone, in each region estimated. */
function addBedrockLines(estimate: RegionEstimate, usage: Usage, prices: PriceBook): RegionEstimate {
  const { region } = estimate;
  const lines: CostLine[] = [];
  for (const model of usage.bedrock) {
    const resource = { logicalId: model.model, type: 'Bedrock tokens', properties: {} };
    const context: EstimateContext = { region, stack: '(usage)', resources: [], usage, prices };
    const note = [`usage.bedrock.${model.model} (${model.source})`];
    const priced = priceDrafts(resource, [
      { service: 'bedrock', price: `${model.model}:input`, quantity: model.inputTokensPerMonth / 1e6, description: 'input tokens', notes: note },
      { service: 'bedrock', price: `${model.model}:output`, quantity: model.outputTokensPerMonth / 1e6, description: 'output tokens', notes: note },
    ], context);
    if ('notEstimated' in priced) estimate.notEstimated.push({ region, stack: '(usage)', resource: model.model, type: 'Bedrock tokens', reason: priced.notEstimated });
    else lines.push(...priced.lines);
  }
  estimate.lines.push(...lines);
  estimate.monthly = sum(estimate.lines);
  return estimate;
}

export interface CostOptions {
  env?: string;
  /** One region; the environment's every region when omitted. */
  region?: string;
  prices?: PriceBook;
  /** Usage figures above the manifest's. */
  usage?: UsageInput;
  /** --parameter values, above every other source. */
  parameters?: ParameterOverride[];
}

/**
 * The monthly estimate of a project in one environment: every stack with its nested stacks,
 * evaluated with that environment's parameters and conditions, in each region it deploys to.
 */
export function estimateProjectCost(path: string, options: CostOptions = {}): CostEstimate {
  const context = loadDeployContext(path, { env: options.env, region: options.region, parameters: options.parameters });
  const { project, environment } = context;
  // A template that cannot be read would count as empty: the estimate stops instead.
  const problems = [...project.diagnostics, ...[...project.templates.values()].flatMap((t) => t.problems)];
  const errors = problems.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    throw new StackpilotError('ProjectInvalid', `${first.file}:${first.line}:${first.column}: ${first.message}`, 'Run stackpilot validate to see every problem, and correct them.');
  }
  const prices = options.prices ?? bundledPrices();
  const usage = projectUsage(context, options.usage);
  const declared = environmentRegions(project, environment.env);
  const regions = options.region ? [options.region] : declared.length > 0 ? declared : [context.region];
  const estimates = regions.map((region) => addBedrockLines(estimateStacks(projectStackInputs(context, environmentInRegion(project, environment, region), region), region, usage, prices), usage, prices));
  const monthly = estimates.reduce((total, r) => total + r.monthly, 0);
  return {
    project: project.name,
    ...(environment.env !== undefined ? { env: environment.env } : {}),
    currency: 'USD',
    prices: { asOf: prices.asOf, overrides: prices.overrides ?? [] },
    regions: estimates,
    monthly,
    budgets: checkBudgets(estimates.flatMap((r) => r.budgets), monthly),
    usage: usage.all(),
  };
}

/** The manifest's usage figures, then the environment's, then the caller's. */
export function projectUsage(context: DeployContext, extra?: UsageInput): Usage {
  const manifest = context.project.manifest;
  const env = context.environment.env;
  const file = context.project.manifestSource?.file ?? 'stackpilot.yaml';
  return resolveUsage([
    { usage: manifest?.usage, source: `${file} usage` },
    { usage: manifestEnvironment(manifest, env)?.usage, source: `${file} environments.${env}.usage` },
    { usage: extra, source: 'given' },
  ]);
}

/** The project's stacks as they would deploy in one region, nested templates found through the project's links. */
export function projectStackInputs(context: DeployContext, environment: ResolvedEnvironment, region: string, only?: string): StackInput[] {
  const { project } = context;
  const input = (path: string, templatePath: string, stackName: string, parameters: Map<string, string | undefined>): StackInput | undefined => {
    const template = project.templates.get(templatePath);
    if (!template) return undefined;
    return {
      path,
      model: template.model,
      values: { region, stackName, parameters },
      nested: (logicalId, given) => {
        const child = project.nested.find((link) => link.parent === templatePath && link.logicalId === logicalId)?.child;
        return child ? input(`${path}/${logicalId}`, child, `${stackName}-${logicalId}`, given) : undefined;
      },
    };
  };
  return project.stacks
    .filter((stack) => only === undefined || stack.id === only)
    .flatMap((stack) => {
      const given = new Map<string, string | undefined>();
      for (const [key, assignment] of environment.stacks.get(stack.id)?.values ?? []) given.set(key, assignment.value);
      const made = input(stack.id, stack.template, context.stackName(stack.id), given);
      return made ? [made] : [];
    });
}
