import { DescribeStackResourceCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { liveStacks } from '../deploy/live-resources.ts';
import { StackpilotError } from '../errors.ts';
import { backupKindOf, type BackupSubject } from './backup.ts';

/**
 * The resources of a stack and its nested stacks that stackpilot can back up (tables, buckets),
 * as they stand: only those CloudFormation holds now.
 */
export async function backupSubjects(cfn: CloudFormationClient, stackName: string): Promise<BackupSubject[]> {
  return (await liveStacks(cfn, stackName)).flatMap((stack) =>
    stack.resources.filter((r) => backupKindOf(r.resourceType)).map((r) => ({ stackName: stack.stackName, logicalId: r.logicalId, physicalId: r.physicalId, resourceType: r.resourceType })),
  );
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
