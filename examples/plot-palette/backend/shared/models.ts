/**
 * The records Plot Palette keeps, checked at every boundary: requests coming in, items read
 * from DynamoDB, checkpoints read from S3. Field names are the stored attribute names
 * (snake_case), so a model and its item are the same shape; timestamps are `Date` in code
 * and ISO 8601 strings in storage.
 */
import { z } from 'zod';
import { EXPORT_FORMATS, JOB_STATUSES } from './constants.ts';
import { resolveModel } from './pricing.ts';

/** A point in time: a `Date`, or an ISO 8601 date-time with `Z` or an offset, as read from storage. */
const timestamp = z.union([z.date(), z.iso.datetime({ offset: true }).transform((text) => new Date(text))]);
const id = z.string().min(1);
const count = z.int().nonnegative();
const usd = z.number().nonnegative();

/** A Bedrock model that cost tracking can price: a short name or a Bedrock model id. */
const modelId = z.string().refine((model) => resolveModel(model) !== undefined, { message: 'is not a model Plot Palette can price (see MODEL_PRICING)' });

/** A dotted path into a seed record, such as `author.biography`. */
const fieldPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted field path such as author.biography');

export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.output<typeof JobStatus>;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.output<typeof ExportFormat>;

/** A generation job: an item of the Jobs table. */
export const JobConfig = z
  .object({
    job_id: id,
    user_id: id,
    status: JobStatus,
    created_at: timestamp,
    updated_at: timestamp,
    /** What to generate: template, seed data, record count, output format... as the API accepted it. */
    config: z.record(z.string(), z.unknown()),
    budget_limit: z.number().positive(),
    tokens_used: count.default(0),
    records_generated: count.default(0),
    cost_estimate: usd.default(0),
  })
  .refine((job) => job.updated_at >= job.created_at, { message: 'is earlier than created_at', path: ['updated_at'] })
  .describe('JobConfig');
export type JobConfig = z.output<typeof JobConfig>;

/** One prompt in a multi-step template; later steps can use earlier steps' answers. */
export const TemplateStep = z.object({
  id: z.string().regex(/^[A-Za-z_][\w-]*$/, 'must start with a letter or _ and hold letters, digits, _ or -'),
  model: modelId.optional(),
  prompt: z.string().min(1),
});
export type TemplateStep = z.output<typeof TemplateStep>;

/** A versioned prompt template: an item of the Templates table. */
export const TemplateDefinition = z.object({
  template_id: id,
  version: z.int().positive(),
  name: z.string().min(1),
  user_id: id,
  template_definition: z.object({
    steps: z
      .array(TemplateStep)
      .min(1)
      .refine((steps) => new Set(steps.map((s) => s.id)).size === steps.length, { message: 'step ids must be unique' }),
  }),
  /** The seed-data fields the prompts read. */
  schema_requirements: z.array(fieldPath).default([]),
  created_at: timestamp,
  is_public: z.boolean().default(false),
}).describe('TemplateDefinition');
export type TemplateDefinition = z.output<typeof TemplateDefinition>;

/** Where a worker stands in a job, written to S3 as JSON so a reclaimed Spot task can resume. */
export const CheckpointState = z.object({
  job_id: id,
  records_generated: count,
  current_batch: count,
  tokens_used: count,
  cost_accumulated: usd,
  last_updated: timestamp,
  /** Generator-specific position (seed cursor, step outputs), opaque to everything else. */
  resume_state: z.record(z.string(), z.unknown()).default({}),
}).describe('CheckpointState');
export type CheckpointState = z.output<typeof CheckpointState>;

/** One point of a job's cost over time: an item of the CostTracking table. */
export const CostBreakdown = z.object({
  job_id: id,
  timestamp,
  model_id: modelId,
  bedrock_tokens: count,
  fargate_hours: z.number().nonnegative(),
  s3_operations: count,
  /** USD by service; `estimated_cost` is their sum. */
  breakdown: z.object({ bedrock: usd, fargate: usd, s3: usd }),
  estimated_cost: usd,
  /** When DynamoDB may expire the record, in epoch seconds (the table's TTL attribute). */
  ttl: z.int().positive(),
}).describe('CostBreakdown');
export type CostBreakdown = z.output<typeof CostBreakdown>;

/** A record that failed its model's checks; the message names every field at fault. */
export class ModelValidationError extends Error {
  constructor(
    readonly model: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`invalid ${model}: ${issues.map((issue) => `${issue.path.join('.') || '(record)'} ${issue.message}`).join('; ')}`);
    this.name = 'ModelValidationError';
  }
}

/** Checks `value` against one of the models above, throwing a ModelValidationError that names it. */
export function validateModel<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ModelValidationError(schema.description ?? 'record', result.error.issues);
  return result.data;
}

/** The JSON of a checkpoint, as written to S3. */
export function checkpointToJson(state: CheckpointState): string {
  return JSON.stringify(validateModel(CheckpointState, state));
}

/** A checkpoint read back from S3; malformed JSON or a wrong shape is a ModelValidationError. */
export function parseCheckpoint(json: string): CheckpointState {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ModelValidationError('CheckpointState', [{ code: 'custom', path: [], message: `is not JSON (${(error as Error).message})`, input: json }]);
  }
  return validateModel(CheckpointState, value);
}
