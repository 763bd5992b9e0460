/**
 * Plot Palette's application constants: job lifecycle, export formats and the prices that
 * cost tracking and budget enforcement work from. Prices are USD, on-demand list prices in
 * us-east-1; a change of price is a change here and nowhere else.
 */

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'BUDGET_EXCEEDED', 'CANCELLED'] as const;

/** Statuses a job never leaves: the worker has stopped and the cost is final. */
export const TERMINAL_JOB_STATUSES: readonly (typeof JOB_STATUSES)[number][] = ['COMPLETED', 'FAILED', 'BUDGET_EXCEEDED', 'CANCELLED'];

export const EXPORT_FORMATS = ['JSONL', 'PARQUET', 'CSV'] as const;

export interface ModelPrice {
  /** The Bedrock model id the worker invokes. */
  bedrockModelId: string;
  /** USD per million input tokens. */
  inputPerMillion: number;
  /** USD per million output tokens. */
  outputPerMillion: number;
}

/** Bedrock on-demand prices per million tokens, by the short names templates and jobs use. */
export const MODEL_PRICING = {
  'claude-sonnet': { bedrockModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0', inputPerMillion: 3.0, outputPerMillion: 15.0 },
  'llama-3.1-70b': { bedrockModelId: 'meta.llama3-1-70b-instruct-v1:0', inputPerMillion: 0.99, outputPerMillion: 0.99 },
  'llama-3.1-8b': { bedrockModelId: 'meta.llama3-1-8b-instruct-v1:0', inputPerMillion: 0.3, outputPerMillion: 0.6 },
  'mistral-7b': { bedrockModelId: 'mistral.mistral-7b-instruct-v0:2', inputPerMillion: 0.15, outputPerMillion: 0.2 },
} as const satisfies Record<string, ModelPrice>;
export type ModelName = keyof typeof MODEL_PRICING;

/** Fargate Spot (Linux/x86), per hour. */
export const FARGATE_SPOT_PRICING = { vcpuPerHour: 0.01246, gbPerHour: 0.00127 } as const;

/** S3 Standard request prices, per thousand requests. */
export const S3_REQUEST_PRICING = { putPerThousand: 0.005, getPerThousand: 0.0004 } as const;

/** The worker writes a checkpoint to S3 after this many generated records. */
export const CHECKPOINT_INTERVAL = 50;

/** The worker checks the job's budget before every Bedrock call, so overspend is one call at most. */
export const BUDGET_CHECK_INTERVAL_CALLS = 1;

/** Cost records expire from the CostTracking table this long after their timestamp (its TTL). */
export const COST_RECORD_RETENTION_DAYS = 90;

/** The Jobs and Templates tables' index of a user's items (Jobs: sorted by `created_at`). */
export const USER_ID_INDEX = 'user-id-index';

