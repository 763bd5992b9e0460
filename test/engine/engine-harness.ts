import { temporaryFolder } from '../helpers.ts';
import type { FaultRule } from '../../src/engine/api.ts';
import { seededRandom } from '../../src/engine/ids.ts';
import * as CFN from '@aws-sdk/client-cloudformation';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudFormationApi } from '../../src/engine/api.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** A seeded random source, for reproducible names. */
export const seeded = (seed = 42) => seededRandom(seed);

/**
 * The engine as a client sees it: every CloudFormation action sent through the SDK v3
 * CloudFormationClient over the local wire protocol (never a call into the engine itself),
 * plus `settled()` to wait for background operations.
 */
export type CloudFormationOverSdk = CloudFormationApi & { settled(): Promise<void> };

export interface Harness {
  engine: CloudFormationOverSdk;
  aws: LocalAws;
  faults: FaultRule[];
  close(): Promise<void>;
}

function overSdk(aws: LocalAws): { api: CloudFormationOverSdk; client: CloudFormationClient } {
  const client = new CloudFormationClient(aws.clientConfig(REGION));
  const api = new Proxy({} as CloudFormationOverSdk, {
    get(_, action: string) {
      if (action === 'settled') return () => aws.settled();
      const Command = (CFN as unknown as Record<string, new (input: unknown) => Parameters<CloudFormationClient['send']>[0]>)[`${action[0].toUpperCase()}${action.slice(1)}Command`];
      if (!Command) throw new Error(`no SDK command for ${action}`);
      return (input: unknown) => client.send(new Command(input));
    },
  });
  return { api, client };
}

/** A fresh in-memory local AWS account whose engine the SDK drives; state in `stateDir` when given. */
export async function openEngine(options: { stateDir?: string; timeScale?: number } = {}): Promise<Harness> {
  const faults: FaultRule[] = [];
  const aws = await LocalAws.open({ accountId: ACCOUNT, region: REGION, engine: { faults, random: seeded(), stateDir: options.stateDir, timeScale: options.timeScale } });
  const { api, client } = overSdk(aws);
  return {
    engine: api,
    aws,
    faults,
    close: async () => {
      await aws.settled();
      client.destroy();
      await aws.close();
    },
  };
}

export const tempDir = () => temporaryFolder('engine');

export async function stackOf(engine: CloudFormationOverSdk, name: string) {
  const { Stacks } = await engine.describeStacks({ StackName: name });
  return Stacks![0];
}

export async function statusOf(engine: CloudFormationOverSdk, name: string): Promise<string> {
  return (await stackOf(engine, name)).StackStatus!;
}

export async function outputsOf(engine: CloudFormationOverSdk, name: string): Promise<Record<string, string>> {
  const stack = await stackOf(engine, name);
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
}

/** Events oldest first as `LogicalId STATUS` lines (optionally with the reason), easy to assert on. */
export async function eventLines(engine: CloudFormationOverSdk, name: string, withReason = false): Promise<string[]> {
  const StackEvents: CFN.StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await engine.describeStackEvents({ StackName: name, NextToken: token });
    StackEvents.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token);
  return StackEvents.slice().reverse().map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}${withReason && e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : ''}`);
}

export async function physicalIds(engine: CloudFormationOverSdk, name: string): Promise<Record<string, string>> {
  const { StackResources } = await engine.describeStackResources({ StackName: name });
  return Object.fromEntries(StackResources!.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
}

/** Creates a stack and waits for the engine to finish. */
export async function deploy(engine: CloudFormationOverSdk, name: string, template: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  await engine.createStack({ StackName: name, TemplateBody: typeof template === 'string' ? template : JSON.stringify(template), ...extra });
  await engine.settled();
  return statusOf(engine, name);
}

export async function update(engine: CloudFormationOverSdk, name: string, template: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  await engine.updateStack({ StackName: name, TemplateBody: typeof template === 'string' ? template : JSON.stringify(template), ...extra });
  await engine.settled();
  return statusOf(engine, name);
}

