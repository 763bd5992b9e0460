import type { Estimator } from '../lines.ts';
import { analyticsEstimators } from './analytics.ts';
import { computeEstimators } from './compute.ts';
import { dataEstimators } from './data.ts';
import { networkEstimators } from './network.ts';
import { operationsEstimators } from './operations.ts';
import { webEstimators } from './web.ts';

/** The estimator of each resource type stackpilot prices. */
export const ESTIMATORS: ReadonlyMap<string, Estimator> = new Map(
  [networkEstimators, computeEstimators, webEstimators, dataEstimators, analyticsEstimators, operationsEstimators].flatMap((family) => Object.entries(family)),
);
