/**
 * What Plot Palette's work costs, from the list prices in constants.ts. Pure functions:
 * the worker calls them after every Bedrock call to enforce the job's budget.
 */
import { FARGATE_SPOT_PRICING, MODEL_PRICING, S3_REQUEST_PRICING, type ModelName, type ModelPrice } from './constants.ts';

export interface TokenUsage {
  input: number;
  output: number;
}

/** An unknown model, or a usage figure that is not a count. */
export class PricingError extends Error {
  override name = 'PricingError';
}

/**
 * The price of a model named by its short name (`claude-sonnet`), its Bedrock model id
 * (`anthropic.claude-3-5-sonnet-20240620-v1:0`) or a cross-region inference profile over that
 * id (`us.anthropic.claude-...`); undefined for a model that has no price here.
 */
export function resolveModel(model: string): (ModelPrice & { name: ModelName }) | undefined {
  const bedrockId = model.replace(/^(us|eu|apac|us-gov)\./, '');
  for (const [name, price] of Object.entries(MODEL_PRICING) as [ModelName, ModelPrice][]) {
    if (model === name || bedrockId === price.bedrockModelId) return { name, ...price };
  }
  return undefined;
}

/** The Bedrock cost in USD of `tokens` on `model`. */
export function calculateCost(tokens: TokenUsage, model: string): number {
  const price = resolveModel(model);
  if (!price) throw new PricingError(`no price for model "${model}"; known models: ${Object.keys(MODEL_PRICING).join(', ')} (or their Bedrock model ids)`);
  requireCount('input tokens', tokens.input);
  requireCount('output tokens', tokens.output);
  return (tokens.input * price.inputPerMillion + tokens.output * price.outputPerMillion) / 1_000_000;
}

/** The cost in USD of a Fargate Spot task of `vcpu` vCPUs and `memoryGb` GB running `hours`. */
export function fargateCost(task: { vcpu: number; memoryGb: number; hours: number }): number {
  for (const [what, value] of Object.entries(task)) {
    if (!Number.isFinite(value) || value < 0) throw new PricingError(`Fargate ${what} must be a non-negative number, got ${value}`);
  }
  return task.hours * (task.vcpu * FARGATE_SPOT_PRICING.vcpuPerHour + task.memoryGb * FARGATE_SPOT_PRICING.gbPerHour);
}

/** The cost in USD of `puts` PUT (and other write) requests and `gets` GET requests to S3. */
export function s3RequestCost(requests: { puts: number; gets: number }): number {
  requireCount('S3 PUT requests', requests.puts);
  requireCount('S3 GET requests', requests.gets);
  return (requests.puts * S3_REQUEST_PRICING.putPerThousand + requests.gets * S3_REQUEST_PRICING.getPerThousand) / 1000;
}

function requireCount(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new PricingError(`${what} must be a whole number of at least 0, got ${value}`);
}
