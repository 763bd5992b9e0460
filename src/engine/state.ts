import type { PropertyDifference, ResourceDriftStatus } from './drift.ts';
import type { ParameterRecord } from './evaluate/parameters.ts';

/** The engine's records, plain JSON so they persist as they are. Times are ISO strings. */

/** RetainExceptOnCreate keeps a resource as Retain does, except when the operation that made it rolls back. */
export type Policy = 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate';

export interface ResourceRecord {
  logicalId: string;
  type: string;
  physicalId?: string;
  /**
   * The physical id a provider announced just before creating the resource in its data plane,
   * until the create returns: after a crash the resource may exist under it, so rollback and
   * delete remove it by this id.
   */
  claimedId?: string;
  /** Set when the engine, starting, found the resource gone from its data plane (its data lost): shown as drift DELETED. */
  missingSince?: string;
  /** The last drift detection's result for this resource. */
  drift?: ResourceDriftRecord;
  status: string;
  statusReason?: string;
  updatedAt: string;
  /** Evaluated properties, dynamic references left unresolved. */
  properties: Record<string, unknown>;
  /** `Fn::GetAtt` values. */
  attributes: Record<string, unknown>;
  deletionPolicy: Policy;
  updateReplacePolicy: Policy;
  /** Resources this one depends on, so deletion can run in reverse order without the template. */
  dependsOn: string[];
  description?: string;
  metadata?: unknown;
}

/** What a drift detection found for one resource (property values as text, NoEcho values masked). */
export interface ResourceDriftRecord {
  status: ResourceDriftStatus;
  checkedAt: string;
  /** The properties the template sets and the detection compared, as JSON text. */
  expected?: string;
  /** Their values in the data plane, as JSON text. */
  actual?: string;
  differences?: PropertyDifference[];
}

export interface EventRecord {
  eventId: string;
  logicalId: string;
  physicalId?: string;
  type: string;
  timestamp: string;
  status: string;
  reason?: string;
  /** The properties as a JSON string, NoEcho values masked. */
  properties?: string;
  clientRequestToken?: string;
}

export interface OutputRecord {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

/** What an update changed, kept until it is cleaned up or rolled back. */
export interface UpdateJournal {
  previousTemplateBody: string;
  previousParameters: ParameterRecord[];
  previousOutputs: OutputRecord[];
  previousImports: string[];
  previousCapabilities: string[];
  previousTags: { Key: string; Value: string }[];
  /** The stack's settings before the update (absent from journals of earlier versions). */
  previousSettings?: { notificationARNs: string[]; roleARN?: string; description?: string };
  /** Resources as they were before the update, by logical id, for those the update touched. */
  before: Record<string, ResourceRecord | null>;
  /** Replaced resources' previous records: deleted at cleanup, restored by rollback. */
  replaced: Record<string, ResourceRecord>;
  /** Resources the new template drops: deleted at cleanup, kept by rollback. */
  removed: Record<string, ResourceRecord>;
  /** Resources rollback has taken out of the stack and will delete at its cleanup. */
  discard: ResourceRecord[];
}

export interface StackRecord {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  description?: string;
  creationTime: string;
  lastUpdatedTime?: string;
  deletionTime?: string;
  templateBody: string;
  parameters: ParameterRecord[];
  capabilities: string[];
  notificationARNs: string[];
  tags: { Key: string; Value: string }[];
  disableRollback: boolean;
  timeoutInMinutes?: number;
  roleARN?: string;
  terminationProtection: boolean;
  outputs: OutputRecord[];
  /** Export names this stack imports. */
  imports: string[];
  resources: Record<string, ResourceRecord>;
  events: EventRecord[];
  parentId?: string;
  rootId?: string;
  changeSetId?: string;
  journal?: UpdateJournal;
  /** The last drift detection's result for the stack itself. */
  drift?: { status: 'IN_SYNC' | 'DRIFTED'; checkedAt: string };
  /** The stack policy document, as it was set. */
  stackPolicyBody?: string;
  /** The policy that replaces it while one update runs (UpdateStack's StackPolicyDuringUpdateBody). */
  stackPolicyDuringUpdateBody?: string;
}

export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  stackId: string;
  stackName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  status: string;
  statusReason?: string;
  executionStatus: string;
  creationTime: string;
  description?: string;
  templateBody: string;
  parameters: ParameterRecord[];
  capabilities: string[];
  notificationARNs: string[];
  /** RoleARN: the stack's service role once executed (none given keeps the stack's). */
  roleARN?: string;
  tags: { Key: string; Value: string }[];
  /** The Changes list, as DescribeChangeSet returns it (SDK shape, JSON-safe). */
  changes: unknown[];
  includeNestedStacks: boolean;
  /**
   * What DescribeChangeSet with IncludePropertyValues says of values it could not work out (an
   * import of an export that does not exist yet): the change set itself is complete and executable.
   */
  propertyValuesWarning?: string;
  parentChangeSetId?: string;
  rootChangeSetId?: string;
  disableRollback?: boolean;
}

export interface EngineState {
  version: 1;
  stacks: StackRecord[];
  changeSets: ChangeSetRecord[];
}
