import { paginateListStackResources, type CloudFormationClient } from '@aws-sdk/client-cloudformation';

/** A resource as it stands in a deployed stack: what a change is about to replace or remove. */
export interface LiveResource {
  logicalId: string;
  physicalId: string;
  resourceType: string;
}

/** A deployed stack (a project stack, or one nested below it) and its resources. */
export interface LiveStack {
  stackId: string;
  stackName: string;
  /** Nested stack logical ids from the project stack down to this one (`[]` for the project stack). */
  nestedPath: string[];
  resources: LiveResource[];
}

/** Nested stacks deeper than this are not followed (CloudFormation's own nesting stays far below it). */
const MAX_DEPTH = 20;

/** A deployed stack and the nested stacks below it, parents first, each with the resources it holds now (not deleted, not failed to create). */
export async function liveStacks(cfn: CloudFormationClient, stackId: string, nestedPath: string[] = []): Promise<LiveStack[]> {
  const resources: LiveResource[] = [];
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackId })) {
    for (const r of page.StackResourceSummaries ?? []) {
      // Gone, or never made: nothing of it to protect or back up.
      if (!r.PhysicalResourceId || r.ResourceStatus === 'DELETE_COMPLETE' || r.ResourceStatus === 'CREATE_FAILED') continue;
      resources.push({ logicalId: r.LogicalResourceId!, physicalId: r.PhysicalResourceId, resourceType: r.ResourceType ?? '' });
    }
  }
  // A stack id is its ARN (`arn:aws:cloudformation:...:stack/NAME/uuid`) or its name.
  const stackName = stackId.startsWith('arn:') ? (stackId.split('/')[1] ?? stackId) : stackId;
  const stacks: LiveStack[] = [{ stackId, stackName, nestedPath, resources }];
  if (nestedPath.length >= MAX_DEPTH) return stacks;
  for (const nested of resources.filter((r) => r.resourceType === 'AWS::CloudFormation::Stack')) {
    stacks.push(...(await liveStacks(cfn, nested.physicalId, [...nestedPath, nested.logicalId])));
  }
  return stacks;
}

/** The live stack at a nested path. */
export const stackAt = (stacks: LiveStack[], nestedPath: string[]): LiveStack | undefined => stacks.find((s) => s.nestedPath.join('/') === nestedPath.join('/'));
