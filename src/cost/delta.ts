import type { RegionEstimate } from './estimate.ts';
import { signedMoney, sum } from './format.ts';

/** How a deploy would change a stack's monthly estimate, resource by resource. */
export interface StackCostDelta {
  /** The deployed stack's estimate; undefined for a stack not deployed yet. */
  before?: number;
  after: number;
  change: number;
  /** Resources whose monthly estimate changes, the biggest change first. */
  resources: { stack: string; resource: string; kind: 'added' | 'removed' | 'changed'; change: number }[];
}

/** The two estimates compared resource by resource (nested stacks' resources by their path). */
export function costDelta(before: RegionEstimate | undefined, after: RegionEstimate): StackCostDelta {
  const totals = (estimate: RegionEstimate | undefined) => {
    const byResource = new Map<string, { stack: string; resource: string; monthly: number }>();
    for (const line of estimate?.lines ?? []) {
      const key = `${line.stack}\u0000${line.resource}`;
      const entry = byResource.get(key) ?? byResource.set(key, { stack: line.stack, resource: line.resource, monthly: 0 }).get(key)!;
      entry.monthly += line.monthly;
    }
    return byResource;
  };
  const [was, will] = [totals(before), totals(after)];
  const resources: StackCostDelta['resources'] = [];
  for (const key of new Set([...was.keys(), ...will.keys()])) {
    const [old, next] = [was.get(key), will.get(key)];
    const change = (next?.monthly ?? 0) - (old?.monthly ?? 0);
    const kind = !old ? 'added' : !next ? 'removed' : 'changed';
    if (Math.abs(change) >= 0.005 || kind !== 'changed') resources.push({ stack: (next ?? old)!.stack, resource: (next ?? old)!.resource, kind, change });
  }
  resources.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  const afterTotal = sum(after.lines);
  return { ...(before ? { before: sum(before.lines) } : {}), after: afterTotal, change: afterTotal - (before ? sum(before.lines) : 0), resources };
}

const SHOWN = 5;

/** `+$32.85/month: NatGateway added`, `+$12.00/month: new stack`, `no change to the monthly estimate`. */
export function costDeltaInWords(delta: StackCostDelta): string {
  const amount = `${signedMoney(delta.change)}/month`;
  if (delta.before === undefined) return `${amount}: new stack`;
  if (delta.resources.length === 0) return 'no change to the monthly estimate';
  const named = delta.resources.slice(0, SHOWN).map((r) => (r.kind === 'changed' ? `${r.resource} ${signedMoney(r.change)}` : `${r.resource} ${r.kind}`));
  const more = delta.resources.length - SHOWN;
  return `${amount}: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
