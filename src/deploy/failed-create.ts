import { DeleteStackCommand, DescribeStackEventsCommand, ListStackResourcesCommand, type CloudFormationClient, type StackEvent } from '@aws-sdk/client-cloudformation';
import { DeleteTableCommand, DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteBucketCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import type { EventSink } from './events.ts';
import type { Target } from './target.ts';
import { pauses, watchStack } from './watch.ts';

/**
 * A create that fails rolls back, and keeps what DeletionPolicy Retain protects, nested stacks
 * included (AWS's RetainExceptOnCreate exists for this). What it keeps still holds the names the
 * next create needs, so creating the stack again fails with "already exists". Deploy removes what
 * a failed create kept, once confirmed, as long as it holds no data: a create that never
 * finished left nothing anyone could have relied on.
 */

export interface KeptResource {
  /** `Stack/NestedLogicalId/LogicalId`, for people. */
  path: string;
  type: string;
  physicalId: string;
}

/** Types whose kept resources deploy can remove (the rest are named, and left). */
const REMOVABLE = new Set(['AWS::CloudFormation::Stack', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::SSM::Parameter', 'AWS::SecretsManager::Secret']);

/** What a stack's operations kept by DeletionPolicy (DELETE_SKIPPED), newest first per stack. */
async function keptBy(cfn: CloudFormationClient, stackId: string, path: string): Promise<KeptResource[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId, NextToken: token }));
    events.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token);
  const seen = new Set<string>();
  const kept: KeptResource[] = [];
  for (const event of events) {
    if (event.ResourceStatus !== 'DELETE_SKIPPED' || !event.PhysicalResourceId || seen.has(event.PhysicalResourceId)) continue;
    seen.add(event.PhysicalResourceId);
    kept.push({ path: `${path}/${event.LogicalResourceId}`, type: event.ResourceType ?? '', physicalId: event.PhysicalResourceId });
  }
  return kept;
}

/** What the rollback of a failed create kept: its DELETE_SKIPPED resources, and inside each kept nested stack, what it holds. */
export async function keptByFailedCreate(cfn: CloudFormationClient, stackId: string, stackName: string): Promise<KeptResource[]> {
  const kept = await keptBy(cfn, stackId, stackName);
  const below: KeptResource[] = [];
  for (const nested of kept.filter((k) => k.type === 'AWS::CloudFormation::Stack')) {
    let token: string | undefined;
    do {
      const page = await cfn.send(new ListStackResourcesCommand({ StackName: nested.physicalId, NextToken: token }));
      for (const r of page.StackResourceSummaries ?? []) {
        if (r.PhysicalResourceId && r.ResourceStatus !== 'DELETE_COMPLETE') below.push({ path: `${nested.path}/${r.LogicalResourceId}`, type: r.ResourceType ?? '', physicalId: r.PhysicalResourceId });
      }
      token = page.NextToken;
    } while (token);
  }
  return [...kept, ...below];
}

export interface Removal {
  removed: KeptResource[];
  /** Kept resources that stay because they hold data (or their delete failed): the new create would fail on their names. */
  blocked: { resource: KeptResource; why: string }[];
  /** Kept resources of types deploy does not remove: named, and left to their owner. */
  unsupported: KeptResource[];
}

/**
 * Removes what a failed create kept: a kept nested stack is deleted (and what it keeps in turn is
 * removed too), buckets and tables only when empty, parameters and secrets outright.
 */
export async function removeKept(target: Target, kept: KeptResource[], emit: EventSink): Promise<Removal> {
  const result: Removal = { removed: [], blocked: [], unsupported: [] };
  for (const resource of kept.filter((k) => k.type === 'AWS::CloudFormation::Stack')) {
    const since = new Date();
    await target.cloudformation.send(new DeleteStackCommand({ StackName: resource.physicalId }));
    const stackName = resource.physicalId.split('/')[1] ?? resource.physicalId;
    const deleted = await watchStack(target.cloudformation, resource.physicalId, { stack: resource.path, stackName, since, polling: target.polling }, emit);
    if (deleted.status !== 'DELETE_COMPLETE') {
      result.blocked.push({ resource, why: `its delete ended ${deleted.status}${deleted.statusReason ? `: ${deleted.statusReason}` : ''}` });
      continue;
    }
    result.removed.push(resource);
    const inner = await removeKept(target, await keptBy(target.cloudformation, resource.physicalId, resource.path), emit);
    result.removed.push(...inner.removed);
    result.blocked.push(...inner.blocked);
    result.unsupported.push(...inner.unsupported);
  }
  for (const resource of kept.filter((k) => k.type !== 'AWS::CloudFormation::Stack')) {
    if (!REMOVABLE.has(resource.type)) {
      result.unsupported.push(resource);
      continue;
    }
    const why = await removeOne(target, resource);
    if (why === undefined) result.removed.push(resource);
    else result.blocked.push({ resource, why });
  }
  return result;
}

const notFound = (error: unknown) => ['NoSuchBucket', 'NotFound', 'ResourceNotFoundException', 'ParameterNotFound'].includes((error as { name?: string }).name ?? '');

/** Removes one kept resource of a removable type; why not, when it holds data. Gone already counts as removed. */
async function removeOne(target: Target, resource: KeptResource): Promise<string | undefined> {
  try {
    switch (resource.type) {
      case 'AWS::S3::Bucket': {
        const { Versions = [], DeleteMarkers = [] } = await target.s3.send(new ListObjectVersionsCommand({ Bucket: resource.physicalId, MaxKeys: 1 }));
        if (Versions.length + DeleteMarkers.length > 0) return 'it holds objects';
        await target.s3.send(new DeleteBucketCommand({ Bucket: resource.physicalId }));
        return undefined;
      }
      case 'AWS::DynamoDB::Table': {
        const { Count = 0 } = await target.dynamodb.send(new ScanCommand({ TableName: resource.physicalId, Limit: 1, Select: 'COUNT' }));
        if (Count > 0) return 'it holds items';
        await target.dynamodb.send(new DeleteTableCommand({ TableName: resource.physicalId }));
        await waitUntilTableGone(target, resource.physicalId);
        return undefined;
      }
      case 'AWS::SSM::Parameter':
        await target.ssm.send(new DeleteParameterCommand({ Name: resource.physicalId }));
        return undefined;
      case 'AWS::SecretsManager::Secret':
        await target.secretsManager.send(new DeleteSecretCommand({ SecretId: resource.physicalId, ForceDeleteWithoutRecovery: true }));
        return undefined;
    }
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
  return undefined;
}

async function waitUntilTableGone(target: Target, table: string): Promise<void> {
  const pause = pauses(target.polling);
  for (;;) {
    try {
      await target.dynamodb.send(new DescribeTableCommand({ TableName: table }));
    } catch (error) {
      if (notFound(error)) return;
      throw error;
    }
    await pause();
  }
}
