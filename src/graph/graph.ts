/** A directed graph of named nodes, each pointing at the nodes it depends on. */
export type DependencyGraph = Map<string, string[]>;

/**
 * The cycles of a graph: each strongly connected component with more than one node, or a
 * node that depends on itself (Tarjan's algorithm, iterative so deep graphs can't overflow).
 */
export function findCycles(graph: DependencyGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];

  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, next] = frame;
      if (next === 0) {
        index.set(node, counter);
        low.set(node, counter);
        counter++;
        stack.push(node);
        onStack.add(node);
      }
      const edges = (graph.get(node) ?? []).filter((n) => graph.has(n));
      if (next < edges.length) {
        frame[1]++;
        const target = edges[next];
        if (!index.has(target)) work.push([target, 0]);
        else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(node)!));
      }
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}

/**
 * Nodes in layers: each layer depends only on earlier ones (the order a deploy can follow;
 * within a layer, nodes keep the order of the graph). Nodes on a cycle are left out.
 */
export function dependencyLayers(graph: DependencyGraph): string[][] {
  const remaining = new Map([...graph].map(([node, deps]) => [node, new Set(deps.filter((d) => graph.has(d) && d !== node))]));
  const layers: string[][] = [];
  for (;;) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([node]) => node);
    if (ready.length === 0) break;
    layers.push(ready);
    for (const node of ready) remaining.delete(node);
    for (const deps of remaining.values()) for (const node of ready) deps.delete(node);
  }
  return layers;
}
