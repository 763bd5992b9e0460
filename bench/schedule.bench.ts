import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployProject } from '../src/deploy/deploy.ts';
import { operationDelayMs } from '../src/engine/durations.ts';
import { seededRandom } from '../src/engine/ids.ts';
import { dependencyLayers } from '../src/graph/graph.ts';
import { verdict } from './measure.ts';

const STACKS = 40;
/** Simulated AWS durations at a fifth of their real length: a stack takes about 0.2 to 2 seconds. */
const TIME_SCALE = 0.2;
const TYPES = ['AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::SSM::Parameter', 'AWS::Lambda::Function', 'AWS::S3::Bucket'];

/** 40 stacks in a random dependency graph (each on up to three earlier ones), a few resources each, in a chain inside the stack. */
function syntheticProject(dir: string): { graph: Map<string, string[]>; ideal: Map<string, number> } {
  const random = seededRandom(7); // the same project every run
  const graph = new Map<string, string[]>();
  const ideal = new Map<string, number>();
  const stacks: string[] = [];
  for (let i = 0; i < STACKS; i++) {
    const id = `s${String(i).padStart(2, '0')}`;
    const deps = i === 0 ? [] : [...new Set(Array.from({ length: Math.floor(random() * 4) }, () => `s${String(Math.floor(random() * i)).padStart(2, '0')}`))];
    graph.set(id, deps);
    const resources: Record<string, unknown> = {};
    const count = 1 + Math.floor(random() * 3);
    let chain = 0;
    for (let r = 0; r < count; r++) {
      const type = TYPES[Math.floor(random() * TYPES.length)];
      const properties: Record<string, unknown> =
        type === 'AWS::SSM::Parameter' ? { Type: 'String', Value: id } : type === 'AWS::Lambda::Function' ? { Runtime: 'nodejs24.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/bench', Code: { ZipFile: 'exports.handler = async () => 1;' } } : {};
      chain += operationDelayMs(type, 'create', TIME_SCALE) / 1000;
      resources[`R${r}`] = { Type: type, Properties: properties, ...(r > 0 ? { DependsOn: `R${r - 1}` } : {}), ...(type === 'AWS::S3::Bucket' ? { DeletionPolicy: 'Delete' } : {}) };
    }
    ideal.set(id, chain);
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }));
    stacks.push(`  ${id}: { template: ${id}.json${deps.length > 0 ? `, dependsOn: [${deps.join(', ')}]` : ''} }`);
  }
  writeFileSync(join(dir, 'stackpilot.yaml'), `project: bench\nstacks:\n${stacks.join('\n')}\nenvironments:\n  bench: {}\n`);
  return { graph, ideal };
}

/** The longest chain of stack durations through the graph: no schedule can finish sooner. */
function criticalPath(graph: Map<string, string[]>, seconds: Map<string, number>): number {
  const finish = new Map<string, number>();
  for (const layer of dependencyLayers(graph)) {
    for (const id of layer) finish.set(id, Math.max(0, ...graph.get(id)!.map((d) => finish.get(d)!)) + seconds.get(id)!);
  }
  return Math.max(...finish.values());
}

/** Deploys the synthetic project with the ready queue, and sets its time beside the critical path and the other schedules. */
export async function benchSchedule(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stackpilot-bench-'));
  try {
    const { graph, ideal } = syntheticProject(dir);
    const seconds = new Map<string, number>();
    let begin = Infinity;
    let end = 0;
    const report = await deployProject(dir, { target: 'local', concurrency: STACKS, yes: true, engine: { timeScale: TIME_SCALE } }, (event) => {
      if (event.code !== 'stack-done') return;
      // A stack's time runs from its change set's creation to its final status, polling included.
      const now = performance.now();
      seconds.set(event.stack, event.seconds);
      begin = Math.min(begin, now - event.seconds * 1000);
      end = Math.max(end, now);
    });
    if (!report.ok) throw new Error('the synthetic project did not deploy');
    const wall = (end - begin) / 1000;
    // The critical path of the resources' own (simulated) durations: what a perfect orchestrator
    // with no change-set or polling cost would take.
    const critical = criticalPath(graph, ideal);
    const layered = dependencyLayers(graph).reduce((sum, layer) => sum + Math.max(...layer.map((id) => seconds.get(id)!)), 0);
    const sequential = [...seconds.values()].reduce((a, b) => a + b, 0);
    const ratio = wall / critical;
    console.log(`deploy: ${STACKS} stacks in a random dependency graph, simulated durations (time scale ${TIME_SCALE}), ready queue`);
    console.log(`  critical path          ${critical.toFixed(2)} s   (longest chain of the resources' simulated durations)`);
    console.log(`  ready queue (measured) ${wall.toFixed(2)} s   = ${ratio.toFixed(3)} x critical path (target <= 1.15: ${verdict(ratio, 1.15)})`);
    console.log(`  layer by layer         ${layered.toFixed(2)} s   (each layer waits for its slowest stack; from the measured stack times)`);
    console.log(`  one at a time          ${sequential.toFixed(2)} s   (the sum of the measured stack times)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
