import { unitPrice, type PriceBook } from './prices.ts';
import type { Usage, UsageKey } from './usage.ts';

/** One priced part of a resource's month: quantity × unit price, and the assumptions behind it. */
export interface CostLine {
  region: string;
  /** The stack path: a project stack id, then the logical ids of the nested stacks down to it (`master/ComputeStack`). */
  stack: string;
  resource: string;
  type: string;
  /** The price book's service name (`AWS Fargate`). */
  service: string;
  /** What is priced, the same whatever the figures (lines are matched on it across environments). */
  description: string;
  /** The figures behind the quantity (`2 × cache.t3.micro`), shown beside the description. */
  detail?: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  monthly: number;
  /** What the figure rests on that the template does not say: usage assumptions, values known only after deploy. */
  assumptions: string[];
}

/** A resource the estimate could not price, and why (never counted as zero without saying so). */
export interface NotEstimated {
  region: string;
  stack: string;
  resource: string;
  type: string;
  reason: string;
}

/** A resource as it would deploy: its properties evaluated for the environment and region. */
export interface EvaluatedResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  /** What its evaluation assumed (a Condition that depends on a value known only after deploy). */
  notes?: string[];
}

/** What an estimator is given besides its resource: the stack's other resources, the region, usage and prices. */
export interface EstimateContext {
  region: string;
  stack: string;
  resources: EvaluatedResource[];
  usage: Usage;
  prices: PriceBook;
}

export const HOURS_PER_MONTH = 730;

/** A line to be priced: the price to use and how much of it a month. */
export interface LineDraft {
  service: string;
  price: string;
  quantity: number;
  description: string;
  detail?: string;
  /** Usage keys the quantity comes from (named on the line). */
  usage?: UsageKey[];
  /** Other assumptions, in words. */
  notes?: string[];
}

/** The outcome of pricing one resource: lines, or why it could not be priced. */
export type Priced = { lines: CostLine[] } | { notEstimated: string };

/** Prices drafts for one resource; a price missing for the region makes the resource not estimated, never zero. */
export function priceDrafts(resource: EvaluatedResource, drafts: LineDraft[], context: EstimateContext): Priced {
  const lines: CostLine[] = [];
  for (const draft of drafts) {
    const price = unitPrice(context.prices, draft.service, draft.price, context.region);
    if (!price) return { notEstimated: `no ${draft.service} price "${draft.price}" for ${context.region} in the price book` };
    const billable = Math.max(0, draft.quantity - (price.free ?? 0));
    const assumptions = [...(draft.usage ?? []).map((key) => context.usage.assumption(key)), ...(draft.notes ?? []), ...(resource.notes ?? [])];
    const free = price.free ? `${draft.quantity.toLocaleString('en-US')} ${price.unit}, the first ${price.free.toLocaleString('en-US')} free` : undefined;
    const detail = [draft.detail, free].filter(Boolean).join('; ');
    lines.push({
      region: context.region,
      stack: context.stack,
      resource: resource.logicalId,
      type: resource.type,
      service: context.prices.services[draft.service].name,
      description: draft.description,
      ...(detail !== '' ? { detail } : {}),
      quantity: billable,
      unit: price.unit,
      unitPrice: price.price,
      monthly: billable * price.price,
      assumptions,
    });
  }
  return { lines };
}

/** Lines for one resource, `[]` when it costs nothing as configured, or why it cannot be estimated. */
export type Estimator = (resource: EvaluatedResource, context: EstimateContext) => LineDraft[] | string;
