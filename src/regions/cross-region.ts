import type { DeployContext } from '../deploy/context.ts';
import { StackpilotError } from '../errors.ts';

/**
 * `${regions.REGION.stacks.ID.outputs.KEY}` in a region's parameters: that region's stack waits
 * for the stack in the named region, and gets its output. Checked before anything is touched.
 */

export interface RegionReference {
  /** The region whose stack uses the value. */
  from: string;
  /** The stack using it, and the parameter. */
  user: string;
  key: string;
  /** The region and stack whose output it is. */
  to: string;
  stack: string;
  output: string;
  /** file:line:column of the value. */
  where: string;
}

/** Every cross-region output reference of the regions of a run. */
export function regionReferences(contexts: DeployContext[]): RegionReference[] {
  return contexts.flatMap(({ region, environment }) =>
    [...environment.stacks].flatMap(([user, stack]) =>
      [...stack.values.values()].flatMap((a) => {
        const ref = a.fromOutput;
        if (ref?.region === undefined) return [];
        const at = a.source.map.locate(a.source.valuePath);
        return [{ from: region, user, key: a.key, to: ref.region, stack: ref.stack, output: ref.output!, where: `${a.source.file}:${at.line}:${at.column}` }];
      }),
    ),
  );
}

/**
 * The run's regions in an order where every region comes after those it refers to (so a
 * region-concurrency limit or regionOrder: sequential never waits on a region not started), and
 * the regions outside the run whose deployed outputs are read. A cycle between regions, or a
 * region the environment does not cover, is an error naming the value's place.
 */
export function orderByReferences(running: string[], declared: readonly string[], references: RegionReference[], options: { sequential: boolean }): { order: string[]; outside: string[] } {
  for (const r of references) {
    if (!running.includes(r.to) && !declared.includes(r.to)) {
      throw new StackpilotError('RegionReferenceUnknown', `${r.where}: ${r.key} of ${r.user} in ${r.from} refers to ${r.to}, a region this environment does not cover`, `Its regions are ${declared.join(', ')}.`);
    }
    if (options.sequential && running.includes(r.to) && running.indexOf(r.to) > running.indexOf(r.from)) {
      throw new StackpilotError('RegionReferenceOrder', `${r.where}: ${r.key} of ${r.user} in ${r.from} refers to ${r.to}, which regionOrder: sequential deploys later`, 'List the region it refers to first in regions:.');
    }
  }
  const across = references.filter((r) => r.to !== r.from && running.includes(r.to));
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (region: string, path: RegionReference[]) => {
    if (order.includes(region)) return;
    if (visiting.has(region)) {
      const cycle = path.slice(path.findIndex((r) => r.from === region));
      throw new StackpilotError('RegionCycle', `${cycle[0].where}: regions refer to each other's outputs in a cycle: ${[...cycle.map((r) => r.from), region].join(' → ')}`, `One region must deploy first: ${cycle.map((r) => `${r.where} (${r.from} → ${r.to})`).join(', ')}.`);
    }
    visiting.add(region);
    for (const r of across.filter((a) => a.from === region)) visit(r.to, [...path, r]);
    visiting.delete(region);
    order.push(region);
  };
  for (const region of running) visit(region, []);
  return { order, outside: [...new Set(references.filter((r) => !running.includes(r.to)).map((r) => r.to))] };
}

/**
 * The outputs each region's stacks end with in this run, for the regions waiting on them. Every
 * stack of a region is settled when the region ends (with undefined when it did not deploy), so
 * nothing waits forever.
 */
export class RegionOutputs {
  private readonly settled = new Map<string, { promise: Promise<Record<string, string> | undefined>; resolve: (outputs: Record<string, string> | undefined) => void }>();

  private entry(region: string, stack: string) {
    const key = `${region}/${stack}`;
    let entry = this.settled.get(key);
    if (!entry) {
      let resolve!: (outputs: Record<string, string> | undefined) => void;
      const promise = new Promise<Record<string, string> | undefined>((r) => (resolve = r));
      this.settled.set(key, (entry = { promise, resolve }));
    }
    return entry;
  }

  /** Resolves once the stack has deployed in that region (or will not). */
  waitFor(region: string, stack: string): Promise<Record<string, string> | undefined> {
    return this.entry(region, stack).promise;
  }

  settle(region: string, stack: string, outputs: Record<string, string> | undefined): void {
    this.entry(region, stack).resolve(outputs);
  }

  /** A region is over: its stacks not settled yet did not deploy. */
  settleRegion(region: string, stacks: string[]): void {
    for (const stack of stacks) this.settle(region, stack, undefined);
  }
}
