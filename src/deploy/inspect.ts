import { DescribeStacksCommand, ListStackResourcesCommand, ListStacksCommand, type CloudFormationClient, type Stack, type StackSummary } from '@aws-sdk/client-cloudformation';
import { awsStep } from './aws-errors.ts';
import type { DeployContext } from './context.ts';
import type { UpstreamOutputs } from './secrets.ts';

export interface StackState {
  id: string;
  stackName: string;
  /** Undefined when the stack does not exist. */
  stack?: Stack;
  /** Nested stacks below it, by name, with their statuses. */
  nested: { stackName: string; status: string }[];
  /** Resources of it or its nested stacks whose data is gone (see dataGone). */
  gone: GoneResource[];
}

/** A resource a stack owns that is gone from where it lives: drift DELETED. */
export interface GoneResource {
  stackName: string;
  logicalId: string;
  type: string;
  physicalId: string;
}

/** A stack's outputs as `{"Output": "value"}`: the shape of outputs.json. */
export function outputsOf(stack: Stack): Record<string, string> {
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
}

/** The outputs of the project stacks of one region as they stand, by stack id. */
export function outputsByStack(states: StackState[]): UpstreamOutputs {
  const deployed = new Map(states.flatMap((s) => (s.stack ? [[s.id, outputsOf(s.stack)] as const] : [])));
  // Another region's stacks are not among these.
  return (id, region) => (region === undefined ? deployed.get(id) : undefined);
}

export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** Each project stack as it stands in the target, nested stacks included. An AWS call that fails is a StackpilotError. */
export function projectState(cfn: CloudFormationClient, context: DeployContext): Promise<StackState[]> {
  return awsStep(`read the stacks of ${context.project.name}`, () => readProjectState(cfn, context));
}

async function readProjectState(cfn: CloudFormationClient, context: DeployContext): Promise<StackState[]> {
  const live = await liveStacks(cfn);
  const states: StackState[] = [];
  for (const { id } of context.project.stacks) {
    const stackName = context.stackName(id);
    const stack = await describeStack(cfn, stackName);
    const below = stack ? live.filter((s) => s.RootId === stack.StackId && s.StackId !== stack.StackId) : [];
    const nested = below.map((s) => ({ stackName: s.StackName!, status: s.StackStatus! }));
    states.push({ id, stackName, stack, nested, gone: stack ? await goneFrom(cfn, [stack, ...below]) : [] });
  }
  return states;
}

async function liveStacks(cfn: CloudFormationClient): Promise<StackSummary[]> {
  const live: StackSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStacksCommand({ NextToken: token }));
    live.push(...(page.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE'));
    token = page.NextToken;
  } while (token);
  return live;
}

/**
 * The resources of a stack and its nested stacks whose data is gone: drift DELETED, as the last
 * drift check found it (the local engine checks its data planes every time it starts). Only
 * stacks found DRIFTED are read further.
 */
export async function dataGone(cfn: CloudFormationClient, stack: Stack): Promise<GoneResource[]> {
  const below = (await liveStacks(cfn)).filter((s) => s.RootId === stack.StackId && s.StackId !== stack.StackId);
  return goneFrom(cfn, [stack, ...below]);
}

async function goneFrom(cfn: CloudFormationClient, stacks: (Stack | StackSummary)[]): Promise<GoneResource[]> {
  const gone: GoneResource[] = [];
  for (const stack of stacks.filter((s) => s.DriftInformation?.StackDriftStatus === 'DRIFTED')) {
    let token: string | undefined;
    do {
      const page = await cfn.send(new ListStackResourcesCommand({ StackName: stack.StackId, NextToken: token }));
      for (const r of page.StackResourceSummaries ?? []) {
        if (r.DriftInformation?.StackResourceDriftStatus === 'DELETED') gone.push({ stackName: stack.StackName!, logicalId: r.LogicalResourceId!, type: r.ResourceType!, physicalId: r.PhysicalResourceId ?? '' });
      }
      token = page.NextToken;
    } while (token);
  }
  return gone;
}
