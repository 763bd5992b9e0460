import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultRule } from '../../src/engine/api.ts';
import { Engine } from '../../src/engine/engine.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** A seeded random source (mulberry32), for reproducible names. */
export function seeded(seed = 42): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Harness {
  engine: Engine;
  aws: LocalAws;
  faults: FaultRule[];
  close(): Promise<void>;
}

/** An engine over a fresh in-memory local AWS account. */
export async function openEngine(options: { stateDir?: string; timeScale?: number; aws?: LocalAws } = {}): Promise<Harness> {
  const aws = options.aws ?? (await LocalAws.open({ accountId: ACCOUNT, region: REGION }));
  const faults: FaultRule[] = [];
  const engine = new Engine({ region: REGION, accountId: ACCOUNT, clients: aws.clients, faults, random: seeded(), stateDir: options.stateDir, timeScale: options.timeScale });
  await engine.load();
  return {
    engine,
    aws,
    faults,
    close: async () => {
      await engine.settled();
      if (!options.aws) await aws.close();
    },
  };
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'stackpilot-engine-'));

export async function stackOf(engine: Engine, name: string) {
  const { Stacks } = await engine.describeStacks({ StackName: name });
  return Stacks![0];
}

export async function statusOf(engine: Engine, name: string): Promise<string> {
  return (await stackOf(engine, name)).StackStatus!;
}

export async function outputsOf(engine: Engine, name: string): Promise<Record<string, string>> {
  const stack = await stackOf(engine, name);
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
}

/** Events oldest first as `LogicalId STATUS` lines (optionally with the reason), easy to assert on. */
export async function eventLines(engine: Engine, name: string, withReason = false): Promise<string[]> {
  const { StackEvents } = await engine.describeStackEvents({ StackName: name });
  return StackEvents!.slice().reverse().map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}${withReason && e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : ''}`);
}

export async function physicalIds(engine: Engine, name: string): Promise<Record<string, string>> {
  const { StackResources } = await engine.describeStackResources({ StackName: name });
  return Object.fromEntries(StackResources!.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
}

/** Creates a stack and waits for the engine to finish. */
export async function deploy(engine: Engine, name: string, template: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  await engine.createStack({ StackName: name, TemplateBody: typeof template === 'string' ? template : JSON.stringify(template), ...extra });
  await engine.settled();
  return statusOf(engine, name);
}

export async function update(engine: Engine, name: string, template: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  await engine.updateStack({ StackName: name, TemplateBody: typeof template === 'string' ? template : JSON.stringify(template), ...extra });
  await engine.settled();
  return statusOf(engine, name);
}
