import { DescribeStackResourceCommand, ListStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { StackpilotError } from '../errors.ts';
import { backupKindOf, type BackupSubject } from './backup.ts';

/** Nested stacks are followed this deep at most (CloudFormation's own nesting stays far below). */
const MAX_NESTING = 10;

/**
 * The resources of a stack and its nested stacks that stackpilot can back up (tables, buckets),
 * as they stand: only those CloudFormation created and still holds (a physical id, not deleted).
 */
export async function backupSubjects(cfn: CloudFormationClient, stackName: string, depth = 0): Promise<BackupSubject[]> {
  const subjects: BackupSubject[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      if (!r.PhysicalResourceId || /^DELETE_COMPLETE$|^CREATE_FAILED$/.test(r.ResourceStatus ?? '')) continue;
      if (r.ResourceType === 'AWS::CloudFormation::Stack' && depth < MAX_NESTING) subjects.push(...(await backupSubjects(cfn, r.PhysicalResourceId, depth + 1)));
      else if (backupKindOf(r.ResourceType ?? '')) subjects.push({ stackName: nameOf(stackName), logicalId: r.LogicalResourceId!, physicalId: r.PhysicalResourceId, resourceType: r.ResourceType! });
    }
    token = page.NextToken;
  } while (token);
  return subjects;
}

/** The physical id of a stack's resource now (a table or bucket may have been replaced since its backup). */
export async function currentPhysicalId(cfn: CloudFormationClient, stackName: string, logicalId: string): Promise<string> {
  let physicalId: string | undefined;
  try {
    physicalId = (await cfn.send(new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: logicalId }))).StackResourceDetail?.PhysicalResourceId;
  } catch (error) {
    if (!/does not exist|not found/i.test((error as Error).message)) throw error;
  }
  if (!physicalId) throw new StackpilotError('RestoreTargetMissing', `stack ${stackName} has no resource ${logicalId} now`, 'Restore into a new table or bucket instead: --to NAME.');
  return physicalId;
}

// A nested stack is listed by its ARN: its name is the part after `stack/`.
const nameOf = (stack: string) => (stack.startsWith('arn:') ? (stack.split('/')[1] ?? stack) : stack);
