import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DeployContext } from '../deploy/context.ts';
import { failureInWords } from '../deploy/aws-errors.ts';
import { deployedStackInput } from './deployed.ts';
import { costDelta, type StackCostDelta } from './delta.ts';
import { estimateStacks, projectStackInputs, projectUsage } from './estimate.ts';
import { bundledPrices } from './prices.ts';

/**
 * One project stack's cost delta for plan: the deployed template and parameters against the
 * project's, in the plan's region, with the bundled prices and the manifest's usage. A stack that
 * cannot be estimated, or whose deployed template AWS does not give, gets no delta rather than
 * stopping the plan.
 */
export async function planCostDelta(cfn: CloudFormationClient, context: DeployContext, stackId: string): Promise<StackCostDelta | undefined> {
  try {
    const prices = bundledPrices();
    const usage = projectUsage(context);
    const region = context.region;
    const after = estimateStacks(projectStackInputs(context, context.environment, region, stackId), region, usage, prices);
    const deployed = await deployedStackInput(cfn, context.stackName(stackId), stackId, region);
    return costDelta(deployed && estimateStacks([deployed], region, usage, prices), after);
  } catch (error) {
    // A price missing or an AWS call refused (reading the deployed template): the plan stands without it.
    if (failureInWords(error)) return undefined;
    throw error;
  }
}
