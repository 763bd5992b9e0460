import * as z from 'zod';
import { dictionary } from '../emulator/state-files.ts';

/**
 * What templates cannot say about a month of use (requests, GB stored, hours a task runs,
 * tokens through Bedrock), with the defaults a line uses when the manifest says nothing.
 * Figures are per resource (per bucket, per function...) unless the description says otherwise.
 */
export const USAGE_DEFAULTS = {
  apiRequestsPerMonth: { value: 1_000_000, about: 'requests a month per REST or HTTP API' },
  websocketMessagesPerMonth: { value: 1_000_000, about: 'messages a month per WebSocket API' },
  websocketConnectionMinutesPerMonth: { value: 1_000_000, about: 'connection minutes a month per WebSocket API' },
  lambdaInvocationsPerMonth: { value: 1_000_000, about: 'invocations a month per Lambda function' },
  lambdaAverageDurationMs: { value: 200, about: 'average Lambda invocation duration (ms)' },
  xraySampledShare: { value: 0.05, about: 'share of the invocations of a traced function that X-Ray records' },
  dynamodbWritesPerMonth: { value: 1_000_000, about: 'write request units a month per on-demand table' },
  dynamodbReadsPerMonth: { value: 5_000_000, about: 'read request units a month per on-demand table' },
  dynamodbStorageGb: { value: 1, about: 'GB stored per table (also what PITR covers)' },
  s3StorageGb: { value: 10, about: 'GB stored per S3 bucket (Standard)' },
  s3PutRequestsPerMonth: { value: 100_000, about: 'PUT, COPY, POST and LIST requests a month per bucket' },
  s3GetRequestsPerMonth: { value: 1_000_000, about: 'GET requests a month per bucket' },
  ecrStorageGb: { value: 1, about: 'GB of images per ECR repository' },
  natGatewayGbProcessed: { value: 100, about: 'GB a month through each NAT gateway' },
  vpcEndpointGbProcessed: { value: 10, about: 'GB a month through each interface VPC endpoint' },
  loadBalancerCapacityUnits: { value: 1, about: 'average load balancer capacity units (LCU) in use' },
  taskHoursPerMonth: { value: 100, about: 'hours a month a task definition runs when no ECS service runs it (tasks started on demand)' },
  logIngestedGbPerGroup: { value: 1, about: 'GB of log events a month per log group' },
  containerInsightsMetrics: { value: 30, about: 'metrics Container Insights publishes per cluster' },
  cloudfrontGbOut: { value: 100, about: 'GB a month each CloudFront distribution serves' },
  cloudfrontRequestsPerMonth: { value: 1_000_000, about: 'HTTPS requests a month per CloudFront distribution' },
  wafRequestsPerMonth: { value: 1_000_000, about: 'requests a month each web ACL inspects' },
  kinesisPutUnitsPerMonth: { value: 10_000_000, about: 'PUT payload units (25 KB) a month per provisioned stream' },
  kinesisGbPerMonth: { value: 10, about: 'GB written a month per on-demand stream' },
  firehoseGbPerMonth: { value: 10, about: 'GB ingested a month per Firehose stream' },
  glueJobHoursPerMonth: { value: 10, about: 'hours a month each Glue job runs' },
  glueCrawlerDpuHoursPerMonth: { value: 1, about: 'DPU-hours a month each Glue crawler uses' },
  redshiftActiveHoursPerMonth: { value: 60, about: 'hours a month a Redshift Serverless workgroup runs queries' },
  redshiftStorageGb: { value: 10, about: 'GB stored per Redshift Serverless namespace' },
  cognitoMonthlyActiveUsers: { value: 1_000, about: 'monthly active users per user pool' },
  amplifyBuildMinutesPerMonth: { value: 100, about: 'build minutes a month per Amplify app' },
  amplifyGbStored: { value: 1, about: 'GB of build artifacts per Amplify app' },
  amplifyGbServed: { value: 10, about: 'GB a month each Amplify app serves' },
  secretsApiCallsPerMonth: { value: 10_000, about: 'API calls a month per secret' },
  kmsRequestsPerMonth: { value: 10_000, about: 'requests a month per KMS key' },
  sagemakerHoursPerMonth: { value: 730, about: 'hours a month an endpoint instance runs' },
} as const;

export type UsageKey = keyof typeof USAGE_DEFAULTS;

/** `usage:` in stackpilot.yaml (top level, and per environment over it): see docs/manifest.md. Built when a manifest is read. */
export function buildUsageSchema() {
  const count = z.number().nonnegative().finite();
  const tokens = z.object({ inputTokensPerMonth: count, outputTokensPerMonth: count }).strict();
  return z
    .object({
      ...(Object.fromEntries(Object.keys(USAGE_DEFAULTS).map((key) => [key, count.optional()])) as Record<UsageKey, z.ZodOptional<typeof count>>),
      /** Bedrock tokens a month per model id prefix (`anthropic.claude-3-5-sonnet`), in each region estimated. */
      bedrock: z.record(z.string(), tokens).transform((entries) => dictionary<z.output<typeof tokens>>(entries)).optional(),
    })
    .strict();
}

export type UsageInput = z.output<ReturnType<typeof buildUsageSchema>>;

/** One assumption as a line states it: its figure and where it came from. */
export interface UsageAssumption {
  key: string;
  value: number;
  about: string;
  /** `default`, or where the figure was written (`stackpilot.yaml environments.production.usage`). */
  source: string;
}

export interface Usage {
  /** The figure for a key; every line that uses it names it (see `assumption`). */
  get(key: UsageKey): number;
  /** The words a line carries for a key: `s3StorageGb = 10 GB stored per S3 bucket (Standard) (default)`. */
  assumption(key: UsageKey): string;
  bedrock: { model: string; inputTokensPerMonth: number; outputTokensPerMonth: number; source: string }[];
  /** Every assumption with its figure and source, for the report. */
  all(): UsageAssumption[];
}

/** Layers of usage figures, later ones winning, each with where it was written. */
export function resolveUsage(layers: { usage?: UsageInput; source: string }[]): Usage {
  const chosen = new Map<UsageKey, UsageAssumption>();
  for (const key of Object.keys(USAGE_DEFAULTS) as UsageKey[]) chosen.set(key, { key, value: USAGE_DEFAULTS[key].value, about: USAGE_DEFAULTS[key].about, source: 'default' });
  const bedrock = new Map<string, Usage['bedrock'][number]>();
  for (const { usage, source } of layers) {
    if (!usage) continue;
    for (const key of Object.keys(USAGE_DEFAULTS) as UsageKey[]) {
      const value = usage[key];
      if (value !== undefined) chosen.set(key, { key, value, about: USAGE_DEFAULTS[key].about, source });
    }
    for (const [model, figures] of Object.entries(usage.bedrock ?? {})) bedrock.set(model, { model, ...figures, source });
  }
  const entry = (key: UsageKey) => chosen.get(key)!;
  // Formatted once per key: an estimate asks for the same words on many lines.
  const words = new Map<UsageKey, string>();
  return {
    get: (key) => entry(key).value,
    assumption: (key) => {
      let text = words.get(key);
      if (text === undefined) {
        const { value, about, source } = entry(key);
        text = `${key} = ${value.toLocaleString('en-US')}: ${about} (${source})`;
        words.set(key, text);
      }
      return text;
    },
    bedrock: [...bedrock.values()],
    all: () => [...chosen.values()],
  };
}
