import type { CostLine } from './lines.ts';
import type { CostEstimate, RegionEstimate } from './estimate.ts';

/** The monthly total of some lines. */
export const sum = (lines: { monthly: number }[]) => lines.reduce((total, line) => total + line.monthly, 0);

/** `$1,234.56`; `-$3.10` below zero. */
export function money(amount: number): string {
  const rounded = Math.round(amount * 100) / 100;
  const text = Math.abs(rounded).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${rounded < 0 ? '-' : ''}$${text}`;
}

/** A unit price as the price list writes it: as many decimals as it has (`$0.0000133334`). */
export function unitMoney(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 10 })}`;
}

/** `+$32.85` / `-$4.10`: a change of a monthly figure. */
export function signedMoney(amount: number): string {
  return `${amount >= 0 ? '+' : ''}${money(amount)}`;
}

/** A line's description with its figures: `node hours (2 × cache.t3.micro)`. */
export function describeLine(line: CostLine): string {
  return line.detail ? `${line.description} (${line.detail})` : line.description;
}

export function quantity(amount: number): string {
  return amount.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A line's quantity with its unit: `730 hour`, `5 × 1M read request units` for a unit that is itself a count. */
export function quantityWithUnit(line: CostLine): string {
  return `${quantity(line.quantity)}${/^\d/.test(line.unit) ? ' ×' : ''} ${line.unit}`;
}

/** The assumptions of an estimate numbered once each, and each line's numbers, for footnotes. */
export function numberAssumptions(lines: CostLine[]): { notes: string[]; of: (line: CostLine) => number[] } {
  const numbers = new Map<string, number>();
  for (const line of lines) for (const text of line.assumptions) if (!numbers.has(text)) numbers.set(text, numbers.size + 1);
  return { notes: [...numbers.keys()], of: (line) => line.assumptions.map((text) => numbers.get(text)!) };
}

/** Lines grouped by stack, then service, in the order they were priced. */
export function groupLines(region: RegionEstimate): { stack: string; monthly: number; services: { service: string; lines: CostLine[] }[] }[] {
  const stacks = new Map<string, Map<string, CostLine[]>>();
  for (const line of region.lines) {
    const services = stacks.get(line.stack) ?? stacks.set(line.stack, new Map()).get(line.stack)!;
    (services.get(line.service) ?? services.set(line.service, []).get(line.service)!).push(line);
  }
  return [...stacks].map(([stack, services]) => ({
    stack,
    monthly: sum([...services.values()].flat()),
    services: [...services].map(([service, lines]) => ({ service, lines })),
  }));
}

/** How an estimate is named in headings: `plot-palette production (us-east-1, us-west-2)`. */
export function estimateTitle(estimate: CostEstimate): string {
  return `${estimate.project}${estimate.env ? ` ${estimate.env}` : ''} (${estimate.regions.map((r) => r.region).join(', ')})`;
}

export interface ComparisonRow {
  stack: string;
  resource: string;
  description: string;
  left: number;
  right: number;
}

/** Two estimates line by line (regions added together): what each costs a month on each side. */
export function compareEstimates(left: CostEstimate, right: CostEstimate): ComparisonRow[] {
  const rows = new Map<string, ComparisonRow>();
  const add = (estimate: CostEstimate, side: 'left' | 'right') => {
    for (const line of estimate.regions.flatMap((r) => r.lines)) {
      const key = `${line.stack}\u0000${line.resource}\u0000${line.description}`;
      const row = rows.get(key) ?? rows.set(key, { stack: line.stack, resource: line.resource, description: line.description, left: 0, right: 0 }).get(key)!;
      row[side] += line.monthly;
    }
  };
  add(left, 'left');
  add(right, 'right');
  return [...rows.values()];
}
