/**
 * Runs work over a dependency graph as a ready pool: a node starts the moment everything it
 * depends on has succeeded, independent nodes run together. After the first failure (or when
 * `stopped()` says so) nothing new starts; work already running finishes. Linear in nodes and
 * edges.
 */
export async function runInDependencyOrder(
  nodes: readonly string[],
  dependenciesOf: (node: string) => readonly string[],
  work: (node: string) => Promise<boolean>,
  stopped: () => boolean = () => false,
): Promise<{ failed: string[] }> {
  const members = new Set(nodes);
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    const deps = new Set(dependenciesOf(node).filter((d) => members.has(d) && d !== node));
    waitingOn.set(node, deps.size);
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list) list.push(node);
      else dependents.set(dep, [node]);
    }
  }
  const ready = nodes.filter((node) => waitingOn.get(node) === 0);
  const failed: string[] = [];
  let running = 0;

  return new Promise((resolve) => {
    const finish = () => resolve({ failed });
    const launch = () => {
      while (ready.length > 0 && failed.length === 0 && !stopped()) {
        const node = ready.shift()!;
        running++;
        work(node).then(
          (ok) => settle(node, ok),
          () => settle(node, false),
        );
      }
      if (running === 0) finish();
    };
    const settle = (node: string, ok: boolean) => {
      running--;
      if (!ok) failed.push(node);
      else for (const next of dependents.get(node) ?? []) {
        const left = waitingOn.get(next)! - 1;
        waitingOn.set(next, left);
        if (left === 0) ready.push(next);
      }
      launch();
    };
    launch();
  });
}

/** The reverse graph: for deletion, a node waits for everything that depends on it. */
export function dependentsOf(nodes: readonly string[], dependenciesOf: (node: string) => readonly string[]): (node: string) => string[] {
  const reversed = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const node of nodes) for (const dep of dependenciesOf(node)) reversed.get(dep)?.push(node);
  return (node) => reversed.get(node) ?? [];
}
