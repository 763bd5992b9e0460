import { importMatches, stackInstances } from '../project/exports.ts';
import type { ResolvedEnvironment } from '../project/parameters.ts';
import type { Project, ProjectStack } from '../project/project.ts';
import { dependencyLayers, type DependencyGraph } from './graph.ts';

export interface StackGraph {
  stacks: Map<string, ProjectStack>;
  /** Stack id -> the ids it must wait for. */
  dependencies: DependencyGraph;
  /** Why each edge exists, for display: `dependsOn`, a manifest reference, or an import. */
  reasons: Map<string, string>;
}

const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * The project's stacks and what each must wait for: the manifest's dependsOn and
 * `${stacks.X...}` references, and imports of another stack's exports.
 */
export function projectStackGraph(project: Project, environment: ResolvedEnvironment | undefined = project.environments[0]): StackGraph {
  const stacks = new Map(project.stacks.map((s) => [s.id, s]));
  const dependencies: DependencyGraph = new Map(project.stacks.map((s) => [s.id, [] as string[]]));
  const reasons = new Map<string, string>();
  const add = (from: string, to: string, reason: string) => {
    const list = dependencies.get(from)!;
    if (from === to || list.includes(to)) return;
    list.push(to);
    reasons.set(edgeKey(from, to), reason);
  };
  for (const stack of project.stacks) for (const dep of stack.dependsOn) add(stack.id, dep.id, 'dependsOn');
  if (environment) {
    for (const { use, declaration } of importMatches(stackInstances(project, environment))) {
      if (declaration.instance.stackId !== use.instance.stackId) add(use.instance.stackId, declaration.instance.stackId, `imports ${declaration.output}`);
    }
  }
  return { stacks, dependencies, reasons };
}

export function edgeReason(graph: StackGraph, from: string, to: string): string | undefined {
  return graph.reasons.get(edgeKey(from, to));
}

/** Stacks in deploy order, as layers whose members may deploy at the same time. */
export function deployLayers(graph: StackGraph): string[][] {
  return dependencyLayers(graph.dependencies);
}
