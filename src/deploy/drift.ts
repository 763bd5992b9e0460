import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  ListStackResourcesCommand,
  type CloudFormationClient,
  type DescribeStackDriftDetectionStatusCommandOutput,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { StackpilotError } from '../errors.ts';
import { awsStep, failureInWords } from './aws-errors.ts';
import { inEveryRegion } from '../regions/fanout.ts';
import type { DeployContext, StackTargetOptions } from './context.ts';
import { describeStack, outputsByStack, projectState } from './inspect.ts';
import { projectSecrets } from './secrets.ts';
import type { Target } from './target.ts';
import { pauses, type Polling } from './watch.ts';

/** One property a resource's actual configuration differs in, from what its template sets. */
export interface PropertyDrift {
  /** `/VersioningConfiguration/Status`. */
  path: string;
  expected: string;
  actual: string;
  difference: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

/** A resource changed (MODIFIED) or deleted (DELETED) outside CloudFormation. */
export interface DriftedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  status: 'MODIFIED' | 'DELETED';
  properties: PropertyDrift[];
}

/** The drift of one stack, as its own detection found it (nested stacks are detected apart). */
export interface StackDrift {
  stackName: string;
  /** Logical ids of the nested-stack resources from the project stack down to this one; empty for the project stack. */
  nestedPath: string[];
  /** FAILED: the detection failed or could not start (`reason` says why); what it found is still listed. */
  status: 'IN_SYNC' | 'DRIFTED' | 'FAILED';
  reason?: string;
  resources: DriftedResource[];
}

/** A project stack with the drift of it and of each stack nested below it; none when it is not deployed. */
export interface ProjectStackDrift {
  id: string;
  stackName: string;
  /** Set when the check covers several regions. */
  region?: string;
  deployed: boolean;
  stacks: StackDrift[];
}

/** Whether anything was found drifted, or could not be checked. */
export const hasDrift = (drift: ProjectStackDrift[]) => drift.some((p) => p.stacks.some((s) => s.status !== 'IN_SYNC'));

/**
 * The drift of a project's stacks in the target (see projectDrift): the project read, its secrets
 * learned (for whatever writes the result to redact), `stack` checked to be one of its stacks.
 */
export async function checkProjectDrift(path: string, options: StackTargetOptions & { stack?: string }): Promise<ProjectStackDrift[]> {
  const { results } = await inEveryRegion(path, options, () => {}, async ({ context, target, region, labelled }) => {
    const ids = context.project.stacks.map((s) => s.id);
    if (options.stack !== undefined && !ids.includes(options.stack)) {
      throw new StackpilotError('UnknownStack', `${context.project.name} has no stack ${options.stack}`, `Its stacks: ${ids.join(', ')}.`);
    }
    const states = await projectState(target.cloudformation, context);
    options.secrets?.learn(await projectSecrets(context, target, outputsByStack(states)));
    const drift = await awsStep(`detect drift on the stacks of ${context.project.name}${labelled ? ` in ${region}` : ''}`, () => projectDrift(target, context, options.stack));
    return labelled ? drift.map((d) => ({ ...d, region })) : drift;
  });
  return [...results.values()].flat();
}

/**
 * Detects drift on each stack of the project (or only `only`) and on every stack nested below it,
 * one detection per stack, as CloudFormation detects per stack. A detection that fails is reported
 * on its stack; the other stacks are still checked.
 */
export async function projectDrift(target: Target, context: DeployContext, only?: string): Promise<ProjectStackDrift[]> {
  const ids = context.project.stacks.map((s) => s.id).filter((id) => only === undefined || id === only);
  const result: ProjectStackDrift[] = [];
  for (const id of ids) {
    const stackName = context.stackName(id);
    const stack = await describeStack(target.cloudformation, stackName);
    const deployed = stack !== undefined && stack.StackStatus !== 'REVIEW_IN_PROGRESS';
    result.push({ id, stackName, deployed, stacks: deployed ? await stackTreeDrift(target.cloudformation, stack.StackId!, stackName, target.polling) : [] });
  }
  return result;
}

/**
 * The drift of a stack and of the stacks nested below it, parents first; `include` chooses the
 * nested stacks (by their path) worth a detection, with what is below them.
 */
export async function stackTreeDrift(cfn: CloudFormationClient, stackId: string, stackName: string, polling: Polling, include: (nestedPath: string[]) => boolean = () => true, nestedPath: string[] = []): Promise<StackDrift[]> {
  const own = await stackDrift(cfn, stackId, stackName, polling, nestedPath);
  const below: StackDrift[] = [];
  for (const child of await nestedStacks(cfn, stackId)) {
    const path = [...nestedPath, child.logicalId];
    if (include(path)) below.push(...(await stackTreeDrift(cfn, child.physicalId, child.stackName, polling, include, path)));
  }
  return [own, ...below];
}

/** One stack's drift: DetectStackDrift, waited for, then the resources it found drifted. An AWS error is the detection's failure. */
export async function stackDrift(cfn: CloudFormationClient, stackId: string, stackName: string, polling: Polling, nestedPath: string[] = []): Promise<StackDrift> {
  try {
    const { StackDriftDetectionId } = await cfn.send(new DetectStackDriftCommand({ StackName: stackId }));
    const detection = await detectionDone(cfn, StackDriftDetectionId!, polling);
    const resources = await driftedResources(cfn, stackId);
    if (detection.DetectionStatus === 'DETECTION_FAILED') return { stackName, nestedPath, status: 'FAILED', reason: detection.DetectionStatusReason ?? 'drift detection failed', resources };
    return { stackName, nestedPath, status: detection.StackDriftStatus === 'DRIFTED' || resources.length > 0 ? 'DRIFTED' : 'IN_SYNC', resources };
  } catch (error) {
    const failure = failureInWords(error);
    if (!failure) throw error;
    return { stackName, nestedPath, status: 'FAILED', reason: failure.message, resources: [] };
  }
}

async function detectionDone(cfn: CloudFormationClient, detectionId: string, polling: Polling): Promise<DescribeStackDriftDetectionStatusCommandOutput> {
  const pause = pauses(polling);
  for (;;) {
    const status = await cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }));
    if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') return status;
    await pause();
  }
}

async function driftedResources(cfn: CloudFormationClient, stackId: string): Promise<DriftedResource[]> {
  const drifts: StackResourceDrift[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: stackId, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: token }));
    drifts.push(...(page.StackResourceDrifts ?? []));
    token = page.NextToken;
  } while (token);
  return drifts.map((d) => ({
    logicalId: d.LogicalResourceId!,
    type: d.ResourceType!,
    physicalId: d.PhysicalResourceId ?? '',
    status: d.StackResourceDriftStatus as DriftedResource['status'],
    properties: (d.PropertyDifferences ?? []).map((p) => ({ path: p.PropertyPath!, expected: p.ExpectedValue ?? 'null', actual: p.ActualValue ?? 'null', difference: p.DifferenceType! })),
  }));
}

async function nestedStacks(cfn: CloudFormationClient, stackId: string): Promise<{ logicalId: string; physicalId: string; stackName: string }[]> {
  const nested: { logicalId: string; physicalId: string; stackName: string }[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackId, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.ResourceType !== 'AWS::CloudFormation::Stack' || !r.PhysicalResourceId || r.ResourceStatus?.startsWith('DELETE_')) continue;
      nested.push({ logicalId: r.LogicalResourceId!, physicalId: r.PhysicalResourceId, stackName: /:stack\/([^/]+)\//.exec(r.PhysicalResourceId)?.[1] ?? r.PhysicalResourceId });
    }
    token = page.NextToken;
  } while (token);
  return nested;
}

/** A drifted property in words: `BillingMode: PROVISIONED → PAY_PER_REQUEST`, `Tags/0 removed`. */
export function propertyDriftInWords(p: PropertyDrift): string {
  const path = p.path.replace(/^\//, '');
  if (p.difference === 'REMOVE') return `${path}: ${p.expected} → (removed)`;
  if (p.difference === 'ADD') return `${path}: (none) → ${p.actual} (added)`;
  return `${path}: ${p.expected} → ${p.actual}`;
}
