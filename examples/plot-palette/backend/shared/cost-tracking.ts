/** The CostTracking table's records: a job's spend so far, split by service. */
import { COST_RECORD_RETENTION_DAYS } from './constants.ts';
import { CostBreakdown, validateModel } from './models.ts';
import { calculateCost, fargateCost, s3RequestCost, type TokenUsage } from './pricing.ts';

export interface CostUsage {
  jobId: string;
  /** When the usage was measured; the record's sort key. */
  at: Date;
  model: string;
  tokens: TokenUsage;
  fargate: { vcpu: number; memoryGb: number; hours: number };
  s3: { puts: number; gets: number };
}

const SECONDS_PER_DAY = 86_400;

/** The cost record for a job's usage so far, priced, with its 90-day expiry set. */
export function buildCostBreakdown(usage: CostUsage): CostBreakdown {
  const breakdown = {
    bedrock: calculateCost(usage.tokens, usage.model),
    fargate: fargateCost(usage.fargate),
    s3: s3RequestCost(usage.s3),
  };
  return validateModel(CostBreakdown, {
    job_id: usage.jobId,
    timestamp: usage.at,
    model_id: usage.model,
    bedrock_tokens: usage.tokens.input + usage.tokens.output,
    fargate_hours: usage.fargate.hours,
    s3_operations: usage.s3.puts + usage.s3.gets,
    breakdown,
    estimated_cost: breakdown.bedrock + breakdown.fargate + breakdown.s3,
    ttl: Math.floor(usage.at.getTime() / 1000) + COST_RECORD_RETENTION_DAYS * SECONDS_PER_DAY,
  });
}
