import type * as CFN from '@aws-sdk/client-cloudformation';
import { isObject } from '../template/intrinsics.ts';
import type { TemplateModel } from '../template/model.ts';
import { valueText } from '../template/parameter-constraints.ts';
import { resourceFacts } from '../spec/resource-facts.ts';
import { requiredCapabilities } from './capabilities.ts';
import { currentDrift } from './drift.ts';
import type { EventRecord, ResourceRecord, StackRecord } from './state.ts';

/**
 * The engine's records as the API shows them: SDK shapes, dates as Dates, NoEcho parameter values
 * as `****`. Outputs are shown as they are, as CloudFormation shows them (an output that repeats a
 * NoEcho value shows it): the stacks that take them as parameters need the real value.
 */

const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

/** A list member AWS leaves out of a reply when the list is empty. */
const unlessEmpty = <K extends string, T>(key: K, items: T[]) => (items.length > 0 ? ({ [key]: items } as Record<K, T[]>) : {});

/**
 * A stack as DescribeStacks shows it. As recorded on AWS: Parameters, Capabilities and Outputs
 * left out when empty, Tags and NotificationARNs always there, an empty RollbackConfiguration;
 * a deleted stack without ChangeSetId nor EnableTerminationProtection.
 */
export function stackView(stack: StackRecord): CFN.Stack {
  const deleted = stack.status === 'DELETE_COMPLETE';
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ...(stack.changeSetId && !deleted ? { ChangeSetId: stack.changeSetId } : {}),
    ...(stack.description !== undefined ? { Description: stack.description } : {}),
    ...unlessEmpty(
      'Parameters',
      stack.parameters.map((p) => ({
        ParameterKey: p.key,
        ParameterValue: p.noEcho ? '****' : p.value,
        ...(p.resolvedValue !== undefined ? { ResolvedValue: p.noEcho ? '****' : p.resolvedValue } : {}),
      })),
    ),
    CreationTime: date(stack.creationTime),
    ...(stack.lastUpdatedTime ? { LastUpdatedTime: date(stack.lastUpdatedTime) } : {}),
    ...(stack.deletionTime ? { DeletionTime: date(stack.deletionTime) } : {}),
    StackStatus: stack.status as CFN.StackStatus,
    ...(stack.statusReason ? { StackStatusReason: stack.statusReason } : {}),
    DisableRollback: stack.disableRollback,
    NotificationARNs: stack.notificationARNs,
    RollbackConfiguration: {},
    ...(stack.timeoutInMinutes !== undefined ? { TimeoutInMinutes: stack.timeoutInMinutes } : {}),
    ...unlessEmpty('Capabilities', stack.capabilities as CFN.Capability[]),
    ...unlessEmpty(
      'Outputs',
      stack.outputs.map((o) => ({
        OutputKey: o.key,
        OutputValue: o.value,
        ...(o.description ? { Description: o.description } : {}),
        ...(o.exportName !== undefined ? { ExportName: o.exportName } : {}),
      })),
    ),
    ...(stack.roleARN ? { RoleARN: stack.roleARN } : {}),
    Tags: stack.tags,
    ...(deleted ? {} : { EnableTerminationProtection: stack.terminationProtection }),
    ...(stack.parentId ? { ParentId: stack.parentId, RootId: stack.rootId } : {}),
    DriftInformation: stackDrift(stack),
  };
}

/**
 * A stack's drift as its last detection found it, and DRIFTED whenever a resource's data was
 * found gone since (the engine looks for it every time it starts).
 */
function stackDrift(stack: StackRecord): CFN.StackDriftInformation {
  const missing = Object.values(stack.resources).map((r) => r.missingSince).filter((t) => t !== undefined).sort();
  const lastMissing = missing[missing.length - 1];
  if (lastMissing !== undefined && (!stack.drift || stack.drift.checkedAt < lastMissing)) return { StackDriftStatus: 'DRIFTED', LastCheckTimestamp: date(lastMissing) };
  return stack.drift ? { StackDriftStatus: stack.drift.status, LastCheckTimestamp: date(stack.drift.checkedAt) } : { StackDriftStatus: 'NOT_CHECKED' };
}

function resourceDrift(resource: ResourceRecord): CFN.StackResourceDriftInformation {
  const drift = currentDrift(resource);
  return drift ? { StackResourceDriftStatus: drift.status, LastCheckTimestamp: date(drift.checkedAt) } : { StackResourceDriftStatus: 'NOT_CHECKED' };
}

export function stackSummaryView(stack: StackRecord): CFN.StackSummary {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ...(stack.description !== undefined ? { TemplateDescription: stack.description } : {}),
    CreationTime: date(stack.creationTime),
    ...(stack.lastUpdatedTime ? { LastUpdatedTime: date(stack.lastUpdatedTime) } : {}),
    ...(stack.deletionTime ? { DeletionTime: date(stack.deletionTime) } : {}),
    StackStatus: stack.status as CFN.StackStatus,
    ...(stack.statusReason ? { StackStatusReason: stack.statusReason } : {}),
    ...(stack.parentId ? { ParentId: stack.parentId, RootId: stack.rootId } : {}),
    DriftInformation: stackDrift(stack),
  };
}

export function eventView(stack: StackRecord, event: EventRecord): CFN.StackEvent {
  return {
    StackId: stack.stackId,
    EventId: event.eventId,
    StackName: stack.stackName,
    LogicalResourceId: event.logicalId,
    // Empty until the resource has one, as AWS shows the first CREATE_IN_PROGRESS.
    PhysicalResourceId: event.physicalId ?? '',
    ResourceType: event.type,
    Timestamp: date(event.timestamp),
    ResourceStatus: event.status as CFN.ResourceStatus,
    ...(event.reason ? { ResourceStatusReason: event.reason } : {}),
    ...(event.properties !== undefined ? { ResourceProperties: event.properties } : {}),
    ...(event.clientRequestToken ? { ClientRequestToken: event.clientRequestToken } : {}),
  };
}

export function resourceView(stack: StackRecord, resource: ResourceRecord): CFN.StackResource & CFN.StackResourceDetail & CFN.StackResourceSummary {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    ...((resource.physicalId ?? resource.claimedId) !== undefined ? { PhysicalResourceId: resource.physicalId ?? resource.claimedId } : {}),
    ResourceType: resource.type,
    Timestamp: date(resource.updatedAt),
    LastUpdatedTimestamp: date(resource.updatedAt),
    ResourceStatus: resource.status as CFN.ResourceStatus,
    ...(resource.statusReason ? { ResourceStatusReason: resource.statusReason } : {}),
    ...(resource.metadata !== undefined ? { Metadata: JSON.stringify(resource.metadata) } : {}),
    DriftInformation: resourceDrift(resource),
  };
}

/**
 * What GetTemplateSummary and ValidateTemplate report about a template. As recorded on AWS, an
 * empty Capabilities or DeclaredTransforms list is left out, and each resource type lists its
 * logical ids with the identifier properties an import would take.
 */
export function templateSummary(body: Record<string, unknown>, model: TemplateModel) {
  const { capabilities, reason } = requiredCapabilities(model);
  return {
    Parameters: [...model.parameters.values()].map((p) => ({
      ParameterKey: p.name,
      ...(p.default !== undefined ? { DefaultValue: p.noEcho ? '****' : valueText(p.default) } : {}),
      ParameterType: p.type,
      NoEcho: p.noEcho,
      ...(p.description !== undefined ? { Description: p.description } : {}),
      ParameterConstraints: p.allowedValues ? { AllowedValues: p.allowedValues.map(valueText) } : {},
    })),
    ...(model.description !== undefined ? { Description: model.description } : {}),
    ...unlessEmpty('Capabilities', capabilities as CFN.Capability[]),
    ...(reason ? { CapabilitiesReason: reason } : {}),
    ResourceTypes: [...new Set([...model.resources.values()].map((r) => r.type))],
    ...(typeof body.AWSTemplateFormatVersion === 'string' ? { Version: body.AWSTemplateFormatVersion } : {}),
    ...(isObject(body.Metadata) ? { Metadata: JSON.stringify(body.Metadata) } : {}),
    ...unlessEmpty('DeclaredTransforms', model.transforms),
    ResourceIdentifierSummaries: resourceIdentifierSummaries(model),
  };
}

function resourceIdentifierSummaries(model: TemplateModel): CFN.ResourceIdentifierSummary[] {
  const byType = new Map<string, string[]>();
  for (const resource of model.resources.values()) byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource.logicalId]);
  const facts = resourceFacts();
  return [...byType].map(([type, logicalIds]) => {
    const resource = facts.resource(type);
    // Only identifiers a template sets (SSM::Parameter's Name), not ones AWS makes up (SNS::Topic's TopicArn).
    const identifiers = resource ? resource.primaryIdentifier.filter((name) => name in resource.properties) : [];
    return { ResourceType: type, LogicalResourceIds: logicalIds, ...unlessEmpty('ResourceIdentifiers', identifiers) };
  });
}
