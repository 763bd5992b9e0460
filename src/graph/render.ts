import { basename } from 'node:path';
import type { Project } from '../project/project.ts';
import { references } from '../template/intrinsics.ts';
import { edgeReason, type StackGraph } from './stack-graph.ts';

/** A picture of the project: its stacks, what each waits for, and the nested stacks inside them. */
interface Picture {
  nodes: { id: string; label: string; nested: boolean }[];
  /** `from` waits for `to`. */
  waits: { from: string; to: string; label?: string }[];
  /** `parent` creates `child` as a nested stack. */
  nests: { parent: string; child: string; label: string }[];
}

function picture(project: Project, graph: StackGraph): Picture {
  const nodes: Picture['nodes'] = [];
  const nests: Picture['nests'] = [];
  const nodeFor = new Map<string, string>(); // template path -> node id of the stack using it
  for (const stack of project.stacks) {
    nodes.push({ id: stack.id, label: stack.id, nested: false });
    nodeFor.set(stack.template, stack.id);
  }
  // Nested stacks, breadth first from each stack's template; a template reached twice is drawn once.
  const queue = project.stacks.map((s) => s.template);
  while (queue.length > 0) {
    const parentTemplate = queue.shift()!;
    for (const link of project.nested.filter((l) => l.parent === parentTemplate && l.child)) {
      const known = nodeFor.get(link.child!);
      const id = known ?? `${nodeFor.get(parentTemplate)}/${link.logicalId}`;
      if (!known) {
        nodes.push({ id, label: `${link.logicalId}\n${basename(link.child!)}`, nested: true });
        nodeFor.set(link.child!, id);
        queue.push(link.child!);
      }
      nests.push({ parent: nodeFor.get(parentTemplate)!, child: id, label: link.logicalId });
    }
  }
  const waits: Picture['waits'] = [...graph.dependencies].flatMap(([from, deps]) => deps.map((to) => ({ from, to, label: edgeReason(graph, from, to) })));
  // Nested stacks of one parent wait for the siblings whose outputs they are given.
  for (const link of project.nested.filter((l) => l.child)) {
    const parent = project.templates.get(link.parent)!;
    const from = nodeFor.get(link.child!)!;
    const siblings = new Set(references(parent.model.resources.get(link.logicalId)!.properties).map((r) => r.name));
    for (const other of project.nested) {
      if (other.parent === link.parent && other.child && siblings.has(other.logicalId)) waits.push({ from, to: nodeFor.get(other.child)!, label: 'outputs' });
    }
  }
  return { nodes, waits, nests };
}

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

/** Mermaid flowchart: solid arrows from a stack to the stacks it waits for, dotted ones to nested stacks. */
export function toMermaid(project: Project, graph: StackGraph): string {
  const p = picture(project, graph);
  const lines = ['graph TD'];
  for (const n of p.nodes) {
    const label = n.label.replaceAll('"', "'").replaceAll('\n', '<br/>');
    lines.push(n.nested ? `  ${safeId(n.id)}(["${label}"])` : `  ${safeId(n.id)}["${label}"]`);
  }
  for (const e of p.waits) lines.push(`  ${safeId(e.to)} -->${e.label ? `|${e.label}|` : ''} ${safeId(e.from)}`);
  for (const e of p.nests) lines.push(`  ${safeId(e.parent)} -.-> ${safeId(e.child)}`);
  return lines.join('\n');
}

/** Graphviz DOT, same picture: an edge from each stack to the ones deployed after it. */
export function toDot(project: Project, graph: StackGraph): string {
  const p = picture(project, graph);
  const quote = (s: string) => JSON.stringify(s);
  const lines = [`digraph ${quote(project.name)} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const n of p.nodes) lines.push(`  ${quote(n.id)} [label=${quote(n.label)}${n.nested ? ', style=rounded' : ''}];`);
  for (const e of p.waits) lines.push(`  ${quote(e.to)} -> ${quote(e.from)}${e.label ? ` [label=${quote(e.label)}]` : ''};`);
  for (const e of p.nests) lines.push(`  ${quote(e.parent)} -> ${quote(e.child)} [style=dashed];`);
  lines.push('}');
  return lines.join('\n');
}
