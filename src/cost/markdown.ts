import type { CostEstimate } from './estimate.ts';
import { describeLine, estimateTitle, groupLines, money, numberAssumptions, quantityWithUnit, unitMoney } from './format.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** An estimate as Markdown (for generated docs): per region a table by stack and service, totals, what was not estimated, assumptions and budgets. */
export function renderCostMarkdown(estimate: CostEstimate): string {
  const out: string[] = [`## Monthly cost estimate: ${estimateTitle(estimate)}`, ''];
  out.push(`Prices of ${estimate.prices.asOf} (USD, on-demand list prices${estimate.prices.overrides.length > 0 ? `; overridden by ${estimate.prices.overrides.join(', ')}` : ''}). **Total: ${money(estimate.monthly)} a month.**`, '');
  const numbering = numberAssumptions(estimate.regions.flatMap((r) => r.lines));
  for (const region of estimate.regions) {
    out.push(`### ${region.region}: ${money(region.monthly)} a month`, '');
    out.push('| Stack | Service | Resource | Line | Quantity | Unit price | Monthly | Assumptions |', '|---|---|---|---|---:|---:|---:|---|');
    for (const stack of groupLines(region)) {
      for (const { service, lines } of stack.services) {
        for (const line of lines) {
          const notes = numbering.of(line).map((n) => `[${n}]`).join(' ');
          out.push(`| ${cell(stack.stack)} | ${cell(service)} | ${cell(line.resource)} | ${cell(describeLine(line))} | ${cell(quantityWithUnit(line))} | ${unitMoney(line.unitPrice)} | ${money(line.monthly)} | ${notes} |`);
        }
      }
      out.push(`| **${cell(stack.stack)}** | | | | | | **${money(stack.monthly)}** | |`);
    }
    out.push('');
    if (region.notEstimated.length > 0) {
      out.push('Not estimated:', '');
      for (const n of region.notEstimated) out.push(`- ${n.stack} ${n.resource} (${n.type}): ${n.reason}`);
      out.push('');
    }
  }
  if (numbering.notes.length > 0) {
    out.push('Assumptions:', '');
    numbering.notes.forEach((note, i) => out.push(`${i + 1}. ${note}`));
    out.push('');
  }
  for (const budget of estimate.budgets) {
    if (budget.percent === undefined || budget.monthlyAmount === undefined) out.push(`- Budget ${budget.stack} ${budget.resource}: ${budget.note ?? 'not compared'}`);
    else out.push(`- Budget ${budget.stack} ${budget.resource}: the estimate is ${budget.percent.toFixed(1)}% of ${money(budget.monthlyAmount)}${budget.crossed.length > 0 ? `, above its ${budget.crossed.join(', ')}% alert${budget.crossed.length > 1 ? 's' : ''}` : ''}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
