import type { Colors } from '../../validate/format/text.ts';
import type { CostEstimate } from '../../cost/estimate.ts';
import { compareEstimates, describeLine, estimateTitle, groupLines, money, numberAssumptions, quantityWithUnit, signedMoney, unitMoney } from '../../cost/format.ts';
import { formatColumns } from './columns.ts';

/** An estimate as a terminal table: per region, lines grouped by stack and service, totals, then notes. */
export function costTable(estimate: CostEstimate, colors: Colors): string[] {
  const out = [colors.bold(`${estimateTitle(estimate)}: monthly estimate, prices of ${estimate.prices.asOf} (USD)`)];
  const numbering = numberAssumptions(estimate.regions.flatMap((r) => r.lines));
  for (const region of estimate.regions) {
    out.push('', colors.cyan(region.region));
    // Headings sit outside the columns, so a long stack or service name does not widen them.
    const entries: (string | string[])[] = [];
    for (const stack of groupLines(region)) {
      entries.push(`  ${colors.bold(stack.stack)}`);
      for (const { service, lines } of stack.services) {
        entries.push(`    ${service}`);
        for (const line of lines) {
          const notes = numbering.of(line).map((n) => `[${n}]`).join('');
          entries.push([`      ${line.resource}`, describeLine(line), quantityWithUnit(line), `× ${unitMoney(line.unitPrice)}`, money(line.monthly), colors.dim(notes)]);
        }
      }
      entries.push(['', '', '', `${stack.stack} total`, colors.bold(money(stack.monthly)), '']);
    }
    entries.push(['', '', '', `${region.region} total`, colors.bold(money(region.monthly)), '']);
    const formatted = formatColumns(entries.filter((e) => Array.isArray(e)));
    let next = 0;
    for (const entry of entries) out.push(Array.isArray(entry) ? formatted[next++] : entry);
    if (region.freeResources > 0) out.push(colors.dim(`  ${region.freeResources} more resources cost nothing of their own (IAM roles, subnets, routes...)`));
    if (region.notEstimated.length > 0) {
      out.push(colors.yellow('  Not estimated (not counted in the total):'));
      for (const n of region.notEstimated) out.push(`    ${n.stack} ${n.resource} (${n.type}): ${n.reason}`);
    }
  }
  if (numbering.notes.length > 0) {
    out.push('', colors.bold('Assumptions'));
    numbering.notes.forEach((note, i) => out.push(`  [${i + 1}] ${note}`));
  }
  const budgets = budgetLines(estimate, colors);
  if (budgets.length > 0) out.push('', colors.bold('Budgets'), ...budgets);
  out.push('', colors.bold(`Total: ${money(estimate.monthly)} a month`));
  return out;
}

/** Each budget against the estimate: a warning at every alert threshold the estimate is above. */
export function budgetLines(estimate: CostEstimate, colors: Colors): string[] {
  return estimate.budgets.map((budget) => {
    const name = `${budget.stack} ${budget.resource}`;
    if (budget.percent === undefined || budget.monthlyAmount === undefined) return `  ${name}: ${budget.note ?? 'not compared'}`;
    const share = `the estimate ${money(budget.estimate)} is ${budget.percent.toFixed(1)}% of its ${money(budget.monthlyAmount)} a month`;
    if (budget.crossed.length === 0) return `  ${colors.green('✔')} ${name}: ${share}, below its alerts at ${budget.thresholds.join(', ')}%`;
    const mark = budget.exceeded ? colors.red('✖') : colors.yellow('⚠');
    return `  ${mark} ${name}: ${share}: above its alert${budget.crossed.length > 1 ? 's' : ''} at ${budget.crossed.join(', ')}% (account-wide: the budget counts every cost of the account)`;
  });
}

/** Two estimates side by side, line by line, with the difference. */
export function comparisonTable(left: CostEstimate, right: CostEstimate, colors: Colors): string[] {
  const rows: string[][] = [[colors.bold('Stack'), colors.bold('Resource'), colors.bold('Line'), colors.bold(estimateTitle(left)), colors.bold(estimateTitle(right)), colors.bold('Difference')]];
  for (const row of compareEstimates(left, right)) {
    const difference = row.right - row.left;
    const shown = Math.abs(difference) < 0.005 ? '' : difference > 0 ? colors.red(signedMoney(difference)) : colors.green(signedMoney(difference));
    rows.push([row.stack, row.resource, row.description, row.left === 0 && row.right !== 0 ? colors.dim('-') : money(row.left), row.right === 0 && row.left !== 0 ? colors.dim('-') : money(row.right), shown]);
  }
  rows.push([colors.bold('Total'), '', '', colors.bold(money(left.monthly)), colors.bold(money(right.monthly)), colors.bold(signedMoney(right.monthly - left.monthly))]);
  return formatColumns(rows);
}
