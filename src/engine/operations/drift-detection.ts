import { randomUUID } from 'node:crypto';
import type * as CFN from '@aws-sdk/client-cloudformation';
import { maskForms, redactText, secretForms } from '../../redaction.ts';
import { EngineError, missingMember, type Reply } from '../api.ts';
import { currentDrift, resourceDrift, stackDriftStatus } from '../drift.ts';
import { nextTokenOf, pageOf, PAGE_SIZE } from '../pages.ts';
import { actualPropertiesReader } from '../resources/actual-properties.ts';
import { maskedJson, secretsOf, type EngineRuntime } from '../runtime.ts';
import type { ResourceDriftRecord, ResourceRecord, StackRecord } from '../state.ts';

const validation = (message: string) => new EngineError('ValidationError', message);

/** Detection runs kept for DescribeStackDriftDetectionStatus, oldest forgotten first: `local serve` may run for days. */
const KEPT_DETECTIONS = 1000;

interface Detection {
  id: string;
  stackId: string;
  status: 'DETECTION_IN_PROGRESS' | 'DETECTION_COMPLETE' | 'DETECTION_FAILED';
  reason?: string;
  driftStatus?: 'IN_SYNC' | 'DRIFTED';
  drifted?: number;
  timestamp: string;
}

/** A resource whose drift can be checked: it exists (settled, with a physical id) and is not being deleted. */
const isCheckable = (r: ResourceRecord) => r.physicalId !== undefined && !r.status.endsWith('_IN_PROGRESS') && !r.status.startsWith('DELETE_') && r.status !== 'CREATE_FAILED';

/**
 * CloudFormation's drift detection over the engine's stacks. DetectStackDrift answers at once
 * with an id and runs in the background; each resource's result is kept in its record (and so
 * persisted), the stack's in the stack record; the detection runs themselves live in memory
 * (AWS keeps them "for a time that may vary"). A nested stack is its own stack: detection on
 * its parent does not reach its resources.
 */
export class DriftDetections {
  private readonly detections = new Map<string, Detection>();

  constructor(private readonly runtime: EngineRuntime) {}

  detectStack(input: CFN.DetectStackDriftCommandInput): Reply<CFN.DetectStackDriftCommandOutput> {
    const stack = this.checkable(input.StackName);
    const only = input.LogicalResourceIds && input.LogicalResourceIds.length > 0 ? new Set(input.LogicalResourceIds) : undefined;
    for (const id of only ?? []) {
      if (!Object.hasOwn(stack.resources, id)) throw validation(`Resource ${id} does not exist for stack ${stack.stackName}`);
    }
    // Not from the engine's random source: a detection before an update must not change the names the update draws.
    const detection: Detection = { id: randomUUID(), stackId: stack.stackId, status: 'DETECTION_IN_PROGRESS', timestamp: this.runtime.now() };
    this.detections.set(detection.id, detection);
    if (this.detections.size > KEPT_DETECTIONS) this.detections.delete(this.detections.keys().next().value!);
    this.runtime.background(() => this.run(detection, stack, only));
    return { StackDriftDetectionId: detection.id };
  }

  status(input: CFN.DescribeStackDriftDetectionStatusCommandInput): Reply<CFN.DescribeStackDriftDetectionStatusCommandOutput> {
    if (input.StackDriftDetectionId === undefined) throw missingMember('stackDriftDetectionId');
    const detection = this.detections.get(input.StackDriftDetectionId);
    if (!detection) throw validation(`Drift detection with id ${input.StackDriftDetectionId} does not exist`);
    const done = detection.status !== 'DETECTION_IN_PROGRESS';
    return {
      StackId: detection.stackId,
      StackDriftDetectionId: detection.id,
      ...(done && detection.driftStatus ? { StackDriftStatus: detection.driftStatus } : {}),
      DetectionStatus: detection.status,
      ...(detection.reason ? { DetectionStatusReason: detection.reason } : {}),
      ...(done && detection.drifted !== undefined ? { DriftedStackResourceCount: detection.drifted } : {}),
      Timestamp: new Date(detection.timestamp),
    };
  }

  async detectResource(input: CFN.DetectStackResourceDriftCommandInput): Promise<Reply<CFN.DetectStackResourceDriftCommandOutput>> {
    const stack = this.checkable(input.StackName);
    if (input.LogicalResourceId === undefined) throw missingMember('logicalResourceId');
    const resource = Object.hasOwn(stack.resources, input.LogicalResourceId) ? stack.resources[input.LogicalResourceId] : undefined;
    if (!resource) throw validation(`Resource ${input.LogicalResourceId} does not exist for stack ${stack.stackName}`);
    await this.checkResource(stack, resource);
    return { StackResourceDrift: driftView(stack, resource, resource.drift!) };
  }

  resourceDrifts(input: CFN.DescribeStackResourceDriftsCommandInput): Reply<CFN.DescribeStackResourceDriftsCommandOutput> {
    const stack = this.runtime.store.get(input.StackName);
    const size = input.MaxResults ?? PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > PAGE_SIZE) throw validation(`1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${PAGE_SIZE}`);
    // Resources never checked are not listed (nor, unless asked for, those whose type is not checked).
    const wanted = new Set<string>(input.StackResourceDriftStatusFilters?.length ? input.StackResourceDriftStatusFilters : ['IN_SYNC', 'MODIFIED', 'DELETED']);
    const checked = Object.values(stack.resources).flatMap((r) => {
      const drift = currentDrift(r);
      return drift && wanted.has(drift.status) ? [driftView(stack, r, drift)] : [];
    });
    const page = pageOf(checked, input.NextToken, size);
    return { StackResourceDrifts: page.items, ...nextTokenOf(page) };
  }

  /** A stack drift can be detected on: one that exists and is not in the middle of an operation. */
  private checkable(stackName: string | undefined): StackRecord {
    const stack = this.runtime.store.get(stackName);
    if (stack.status === 'DELETE_COMPLETE') throw validation(`Stack with id ${stackName ?? ''} does not exist`);
    if (stack.status.endsWith('_IN_PROGRESS')) throw validation(`Drift detection cannot be performed on stack [${stack.stackName}] while it is in ${stack.status} state`);
    return stack;
  }

  private async run(detection: Detection, stack: StackRecord, only: Set<string> | undefined): Promise<void> {
    const failures: string[] = [];
    for (const resource of Object.values(stack.resources)) {
      if (only && !only.has(resource.logicalId)) continue;
      try {
        await this.checkResource(stack, resource);
      } catch (error) {
        failures.push(`Failed to detect drift on resource [${resource.logicalId}]: ${(error as Error).message}`);
      }
    }
    const statuses = Object.values(stack.resources).map((r) => currentDrift(r)?.status ?? 'NOT_CHECKED');
    detection.driftStatus = stackDriftStatus(statuses);
    detection.drifted = statuses.filter((s) => s === 'MODIFIED' || s === 'DELETED').length;
    detection.status = failures.length > 0 ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE';
    // An SDK error can quote a value, a NoEcho one included: masked as every reason the engine records.
    if (failures.length > 0) detection.reason = redactText(failures.join('; '), secretsOf(stack.parameters));
    stack.drift = { status: detection.driftStatus, checkedAt: this.runtime.now() };
    this.runtime.store.changed(stack);
  }

  /** Compares one resource with its data plane and records the result in its record. */
  private async checkResource(stack: StackRecord, resource: ResourceRecord): Promise<void> {
    const reader = actualPropertiesReader(resource.type);
    if (!reader || !isCheckable(resource)) {
      if (resource.drift?.status === 'NOT_CHECKED') return;
      resource.drift = { status: 'NOT_CHECKED', checkedAt: this.runtime.now() };
    } else {
      const expected = Object.fromEntries(reader.properties.filter((name) => Object.hasOwn(resource.properties, name)).map((name) => [name, resource.properties[name]]));
      const actual = await reader.read(resource.physicalId!, this.runtime.options.clients);
      const result = resourceDrift(expected, actual);
      const secrets = secretsOf(stack.parameters);
      const forms = secretForms(secrets);
      resource.drift = {
        status: result.status,
        checkedAt: this.runtime.now(),
        expected: maskedJson(expected, secrets),
        ...(actual ? { actual: maskedJson(actual, secrets) } : {}),
        differences: result.differences.map((d) => ({ ...d, ExpectedValue: maskForms(d.ExpectedValue, forms), ActualValue: maskForms(d.ActualValue, forms) })),
      };
      // The start-up check's mark follows what the data plane holds now.
      if (result.status === 'DELETED') resource.missingSince ??= resource.drift.checkedAt;
      else delete resource.missingSince;
    }
    this.runtime.store.changed(stack, resource.logicalId);
  }
}

function driftView(stack: StackRecord, resource: ResourceRecord, drift: ResourceDriftRecord): CFN.StackResourceDrift {
  return {
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    ...(resource.physicalId !== undefined ? { PhysicalResourceId: resource.physicalId } : {}),
    ResourceType: resource.type,
    ...(drift.expected !== undefined ? { ExpectedProperties: drift.expected } : {}),
    ...(drift.actual !== undefined ? { ActualProperties: drift.actual } : {}),
    PropertyDifferences: drift.differences ?? [],
    StackResourceDriftStatus: drift.status,
    Timestamp: new Date(drift.checkedAt),
  };
}
