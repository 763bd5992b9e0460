import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findCycles, dependencyLayers } from '../../src/graph/graph.ts';
import { toDot, toMermaid } from '../../src/graph/render.ts';
import { projectStackGraph } from '../../src/graph/stack-graph.ts';
import { loadProject } from '../../src/project/project.ts';
import { REPO, runCli } from '../helpers.ts';

describe('dependency graphs', () => {
  it('finds every cycle, self-loops included, and leaves acyclic parts alone', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    assert.deepEqual(findCycles(graph).map((c) => c.sort()), [['a', 'b', 'c'], ['d']]);
  });

  it('puts each node in the first layer after everything it depends on', () => {
    const graph = new Map([
      ['web', ['api', 'cdn']],
      ['api', ['db', 'network']],
      ['db', ['network']],
      ['network', []],
      ['cdn', []],
    ]);
    assert.deepEqual(dependencyLayers(graph), [['network', 'cdn'], ['db'], ['api'], ['web']]);
  });
});

describe('stackpilot graph', () => {
  it('draws separate stacks with what each waits for (Mermaid)', () => {
    const project = loadProject(join(REPO, 'examples/concert-platform'), { env: 'development' });
    const mermaid = toMermaid(project, projectStackGraph(project));
    assert.ok(mermaid.startsWith('graph TD\n'));
    assert.match(mermaid, /^ {2}networking -->\|dependsOn\| storage$/m);
    assert.match(mermaid, /^ {2}compute -->\|dependsOn\| tracing$/m);
  });

  it('draws nested stacks under their parent, and which sibling outputs each is given (DOT)', () => {
    const project = loadProject(join(REPO, 'examples/plot-palette'), { env: 'development' });
    const dot = toDot(project, projectStackGraph(project));
    assert.match(dot, /^digraph "plot-palette" \{/);
    assert.match(dot, /"master" -> "master\/NetworkStack" \[style=dashed\];/);
    assert.match(dot, /"master\/NetworkStack" -> "master\/APIStack" \[label="outputs"\];/);
    assert.equal((dot.match(/style=dashed/g) ?? []).length, 9);
  });

  it('prints from the command line, Mermaid by default', () => {
    const r = runCli(['graph', 'examples/collab-platform']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /main -\.-> main_CdnStack/);
    assert.equal(runCli(['graph', 'examples/collab-platform', '--format', 'png']).code, 3);
  });
});
