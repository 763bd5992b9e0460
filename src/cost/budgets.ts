import { listOf, numberOf, objectOf, textOf } from './estimators/values.ts';
import type { EvaluatedResource } from './lines.ts';

/** An `AWS::Budgets::Budget` as it would deploy: its amount a month and the thresholds it alerts at. */
export interface BudgetDeclaration {
  stack: string;
  resource: string;
  region: string;
  /** USD a month; undefined when the template's amount is known only after deploy. */
  monthlyAmount?: number;
  /** Percentages of the amount its notifications alert at (100 when it has none). */
  thresholds: number[];
}

export interface BudgetCheck extends BudgetDeclaration {
  estimate: number;
  /** The estimate as a percentage of the amount. */
  percent?: number;
  /** The thresholds the estimate is above. */
  crossed: number[];
  /** The estimate is above the amount itself. */
  exceeded: boolean;
  note?: string;
}

const MONTHS_PER_TIME_UNIT = new Map([['DAILY', 1 / 30.4167], ['MONTHLY', 1], ['QUARTERLY', 3], ['ANNUALLY', 12]]);

export function readBudget(resource: EvaluatedResource, stack: string, region: string): BudgetDeclaration {
  const budget = objectOf(resource.properties.Budget);
  const limit = objectOf(budget.BudgetLimit);
  const amount = numberOf(limit.Amount);
  const months = MONTHS_PER_TIME_UNIT.get(textOf(budget.TimeUnit) ?? 'MONTHLY');
  const usd = (textOf(limit.Unit) ?? 'USD') === 'USD';
  const thresholds = listOf(resource.properties.NotificationsWithSubscribers)
    .map((n) => objectOf(objectOf(n).Notification))
    .filter((n) => (textOf(n.ThresholdType) ?? 'PERCENTAGE') === 'PERCENTAGE')
    .flatMap((n) => (numberOf(n.Threshold) === undefined ? [] : [numberOf(n.Threshold)!]));
  return {
    stack,
    resource: resource.logicalId,
    region,
    ...(amount !== undefined && months !== undefined && usd ? { monthlyAmount: amount / months } : {}),
    thresholds: thresholds.length > 0 ? [...new Set(thresholds)].sort((a, b) => a - b) : [100],
  };
}

/**
 * Each budget against the estimate. A budget covers the whole account, so it is compared with
 * the environment's whole estimate (every region estimated); one declared in several regions counts once.
 */
export function checkBudgets(budgets: BudgetDeclaration[], estimate: number): BudgetCheck[] {
  const seen = new Set<string>();
  const checks: BudgetCheck[] = [];
  for (const budget of budgets) {
    const key = `${budget.stack}/${budget.resource}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (budget.monthlyAmount === undefined || budget.monthlyAmount <= 0) {
      checks.push({ ...budget, estimate, crossed: [], exceeded: false, note: 'its amount is known only after deploy (or is not in USD): not compared' });
      continue;
    }
    const percent = (estimate / budget.monthlyAmount) * 100;
    checks.push({ ...budget, estimate, percent, crossed: budget.thresholds.filter((t) => percent > t), exceeded: percent > 100 });
  }
  return checks;
}
