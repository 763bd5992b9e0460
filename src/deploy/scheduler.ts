import type { DependencyGraph } from '../graph/graph.ts';

export type NodeOutcome =
  | { status: 'succeeded' }
  | { status: 'failed'; error: unknown }
  /** Never started: something failed first, or it waits for a node that did not succeed. */
  | { status: 'not-started' };

export interface ReadyQueueOptions {
  /** How many nodes may run at once (at least 1). */
  concurrency: number;
  /** Called when a node starts, with the nodes running at that moment (for progress and tests). */
  onStart?: (id: string, running: readonly string[]) => void;
}

/**
 * Runs every node of a dependency graph, each the moment all it depends on has succeeded,
 * at most `concurrency` at a time, in the graph's order among those ready. After a failure no
 * new node starts; the ones in flight finish. Nodes that never become ready (they wait for a
 * failed node, or sit on a cycle) are reported as not started.
 */
export async function runReadyQueue(graph: DependencyGraph, run: (id: string) => Promise<void>, options: ReadyQueueOptions): Promise<Map<string, NodeOutcome>> {
  const limit = Math.max(1, Math.floor(options.concurrency));
  const outcomes = new Map<string, NodeOutcome>();
  const pending = [...graph.keys()];
  const running = new Set<string>();
  let failed = false;

  return new Promise((resolve) => {
    const isReady = (id: string) => (graph.get(id) ?? []).every((dep) => !graph.has(dep) || outcomes.get(dep)?.status === 'succeeded');
    const pump = () => {
      while (!failed && running.size < limit) {
        const index = pending.findIndex(isReady);
        if (index === -1) break;
        const [id] = pending.splice(index, 1);
        running.add(id);
        options.onStart?.(id, [...running]);
        run(id).then(
          () => finish(id, { status: 'succeeded' }),
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

/** The same graph with every edge turned round: the order to take things down in. */
export function reverseGraph(graph: DependencyGraph): DependencyGraph {
  const reversed: DependencyGraph = new Map([...graph.keys()].map((id) => [id, [] as string[]]));
  for (const [id, deps] of graph) for (const dep of deps) reversed.get(dep)?.push(id);
  return reversed;
}
