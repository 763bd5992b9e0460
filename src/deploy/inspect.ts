import { DescribeStacksCommand, ListStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { awsStep } from './aws-errors.ts';
import type { DeployContext } from './context.ts';

export interface StackState {
  id: string;
  stackName: string;
  /** Undefined when the stack does not exist. */
  stack?: Stack;
  /** Nested stacks below it, by name, with their statuses. */
  nested: { stackName: string; status: string }[];
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
  const live: { StackName?: string; StackStatus?: string; StackId?: string; RootId?: string }[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStacksCommand({ NextToken: token }));
    live.push(...(page.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE'));
    token = page.NextToken;
  } while (token);
  const states: StackState[] = [];
  for (const { id } of context.project.stacks) {
    const stackName = context.stackName(id);
    const stack = await describeStack(cfn, stackName);
    const nested = stack ? live.filter((s) => s.RootId === stack.StackId && s.StackId !== stack.StackId).map((s) => ({ stackName: s.StackName!, status: s.StackStatus! })) : [];
    states.push({ id, stackName, stack, nested });
  }
  return states;
}
