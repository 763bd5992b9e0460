import type { Location } from '../diagnostics.ts';

/** A path into a parsed document: map keys and list indexes from the top. */
export type Path = readonly (string | number)[];

/** Converts character offsets to 1-based line and column numbers. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }

  location(start: number, end: number): Location {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** Where one node of a document sits: its value, its key (map entries), and its children. */
export interface PositionNode {
  start: number;
  end: number;
  keyStart?: number;
  keyEnd?: number;
  children?: Map<string | number, PositionNode>;
}

/** Adds a child position under `parent` (a map key or a list index). */
export function childPosition(parent: PositionNode, key: string | number, keyRange?: [number, number]): PositionNode {
  const node: PositionNode = { start: 0, end: 0 };
  if (keyRange) {
    node.keyStart = keyRange[0];
    node.keyEnd = keyRange[1];
  }
  (parent.children ??= new Map()).set(key, node);
  return node;
}

/**
 * Where each node of a parsed document came from, as a tree that mirrors the document.
 * Values and map keys are kept apart so a finding about a key ("unknown property X") points
 * at the key.
 */
export class SourceMap {
  readonly lines: LineIndex;
  readonly root: PositionNode = { start: 0, end: 0 };

  constructor(text: string) {
    this.lines = new LineIndex(text);
  }

  /**
   * The location of the node at `path` (its key when `at` is 'key' and it has one),
   * falling back to the nearest ancestor, pointing at that ancestor's key.
   */
  locate(path: Path, at: 'key' | 'value' = 'value'): Location {
    let node = this.root;
    let depth = 0;
    for (const part of path) {
      const child = node.children?.get(part) ?? (typeof part === 'number' ? undefined : node.children?.get(Number(part)));
      if (!child) break;
      node = child;
      depth++;
    }
    const preferKey = at === 'key' || depth < path.length;
    if (preferKey && node.keyStart !== undefined) return this.lines.location(node.keyStart, node.keyEnd!);
    return this.lines.location(node.start, node.end);
  }
}
