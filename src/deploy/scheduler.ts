import type { DependencyGraph } from '../graph/graph.ts';

export type NodeOutcome =
  | { status: 'succeeded' }
  /** `error` is what the run threw; a run that reported its own failure resolved to false instead. */
  | { status: 'failed'; error?: unknown }
  /** Never started: something failed first, or it waits for a node that did not succeed. */
  | { status: 'not-started' };

export interface ReadyQueueOptions {
  /** How many nodes may run at once (at least 1). */
  concurrency: number;
  /** Called when a node starts, with the nodes running at that moment (for progress and tests). */
  onStart?: (id: string, running: readonly string[]) => void;
  /** Once aborted (an interrupt), no new node starts; the ones in flight finish. */
  signal?: AbortSignal;
}

/**
 * Runs every node of a dependency graph, each the moment all it depends on has succeeded,
 * at most `concurrency` at a time, in the graph's order among those ready. A node fails when
 * its run resolves to false (a failure it reported) or throws. After a failure (or once the
 * signal is aborted) no new node starts; the ones in flight finish. Nodes that never become ready (they wait for a failed
 * node, or sit on a cycle) are reported as not started.
 */
export async function runReadyQueue(graph: DependencyGraph, run: (id: string) => Promise<boolean | void>, options: ReadyQueueOptions): Promise<Map<string, NodeOutcome>> {
  const limit = Math.max(1, Math.floor(options.concurrency));
  const outcomes = new Map<string, NodeOutcome>();
  const pending = [...graph.keys()];
  const running = new Set<string>();
  let failed = false;

  return new Promise((resolve) => {
    const isReady = (id: string) => (graph.get(id) ?? []).every((dep) => !graph.has(dep) || outcomes.get(dep)?.status === 'succeeded');
    const pump = () => {
      while (!failed && !options.signal?.aborted && running.size < limit) {
        const index = pending.findIndex(isReady);
        if (index === -1) break;
        const [id] = pending.splice(index, 1);
        running.add(id);
        options.onStart?.(id, [...running]);
        run(id).then(
          (succeeded) => finish(id, succeeded === false ? { status: 'failed' } : { status: 'succeeded' }),
          (error: unknown) => finish(id, { status: 'failed', error }),
        );
      }
      if (running.size === 0) {
        for (const id of pending) outcomes.set(id, { status: 'not-started' });
        resolve(new Map([...graph.keys()].map((id) => [id, outcomes.get(id)!])));
      }
    };
    const finish = (id: string, outcome: NodeOutcome) => {
      running.delete(id);
      outcomes.set(id, outcome);
      if (outcome.status === 'failed') failed = true;
      pump();
    };
    pump();
  });
}

/** Throws what a node's run threw, once all have ended: a failure no run reported is a bug. */
export function throwUnreported(outcomes: Map<string, NodeOutcome>): void {
  for (const outcome of outcomes.values()) if (outcome.status === 'failed' && 'error' in outcome) throw outcome.error;
}

/** The same graph with every edge turned round: the order to take things down in. */
export function reverseGraph(graph: DependencyGraph): DependencyGraph {
  const reversed: DependencyGraph = new Map([...graph.keys()].map((id) => [id, [] as string[]]));
  for (const [id, deps] of graph) for (const dep of deps) reversed.get(dep)?.push(id);
  return reversed;
}
