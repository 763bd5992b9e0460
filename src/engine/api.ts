import type * as CFN from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { StateSecrets } from '../emulator/state-secrets.ts';

/**
 * The contract between the local CloudFormation engine (src/engine) and the wire protocols
 * that serve it (src/emulator): one method per CloudFormation action, taking and returning the
 * AWS SDK v3 shapes, so the engine behaves exactly as the API the SDK was written against.
 */

/** An action's reply without the SDK's transport metadata. */
export type Reply<T> = Omit<T, '$metadata'>;

export interface CloudFormationApi {
  createStack(input: CFN.CreateStackCommandInput): Promise<Reply<CFN.CreateStackCommandOutput>>;
  updateStack(input: CFN.UpdateStackCommandInput): Promise<Reply<CFN.UpdateStackCommandOutput>>;
  deleteStack(input: CFN.DeleteStackCommandInput): Promise<Reply<CFN.DeleteStackCommandOutput>>;
  describeStacks(input: CFN.DescribeStacksCommandInput): Promise<Reply<CFN.DescribeStacksCommandOutput>>;
  listStacks(input: CFN.ListStacksCommandInput): Promise<Reply<CFN.ListStacksCommandOutput>>;
  describeStackEvents(input: CFN.DescribeStackEventsCommandInput): Promise<Reply<CFN.DescribeStackEventsCommandOutput>>;
  describeStackResource(input: CFN.DescribeStackResourceCommandInput): Promise<Reply<CFN.DescribeStackResourceCommandOutput>>;
  describeStackResources(input: CFN.DescribeStackResourcesCommandInput): Promise<Reply<CFN.DescribeStackResourcesCommandOutput>>;
  listStackResources(input: CFN.ListStackResourcesCommandInput): Promise<Reply<CFN.ListStackResourcesCommandOutput>>;
  getTemplate(input: CFN.GetTemplateCommandInput): Promise<Reply<CFN.GetTemplateCommandOutput>>;
  getTemplateSummary(input: CFN.GetTemplateSummaryCommandInput): Promise<Reply<CFN.GetTemplateSummaryCommandOutput>>;
  validateTemplate(input: CFN.ValidateTemplateCommandInput): Promise<Reply<CFN.ValidateTemplateCommandOutput>>;
  createChangeSet(input: CFN.CreateChangeSetCommandInput): Promise<Reply<CFN.CreateChangeSetCommandOutput>>;
  describeChangeSet(input: CFN.DescribeChangeSetCommandInput): Promise<Reply<CFN.DescribeChangeSetCommandOutput>>;
  executeChangeSet(input: CFN.ExecuteChangeSetCommandInput): Promise<Reply<CFN.ExecuteChangeSetCommandOutput>>;
  deleteChangeSet(input: CFN.DeleteChangeSetCommandInput): Promise<Reply<CFN.DeleteChangeSetCommandOutput>>;
  listChangeSets(input: CFN.ListChangeSetsCommandInput): Promise<Reply<CFN.ListChangeSetsCommandOutput>>;
  listExports(input: CFN.ListExportsCommandInput): Promise<Reply<CFN.ListExportsCommandOutput>>;
  listImports(input: CFN.ListImportsCommandInput): Promise<Reply<CFN.ListImportsCommandOutput>>;
  continueUpdateRollback(input: CFN.ContinueUpdateRollbackCommandInput): Promise<Reply<CFN.ContinueUpdateRollbackCommandOutput>>;
  rollbackStack(input: CFN.RollbackStackCommandInput): Promise<Reply<CFN.RollbackStackCommandOutput>>;
  cancelUpdateStack(input: CFN.CancelUpdateStackCommandInput): Promise<Reply<CFN.CancelUpdateStackCommandOutput>>;
  updateTerminationProtection(input: CFN.UpdateTerminationProtectionCommandInput): Promise<Reply<CFN.UpdateTerminationProtectionCommandOutput>>;
  getStackPolicy(input: CFN.GetStackPolicyCommandInput): Promise<Reply<CFN.GetStackPolicyCommandOutput>>;
  setStackPolicy(input: CFN.SetStackPolicyCommandInput): Promise<Reply<CFN.SetStackPolicyCommandOutput>>;
  detectStackDrift(input: CFN.DetectStackDriftCommandInput): Promise<Reply<CFN.DetectStackDriftCommandOutput>>;
  describeStackDriftDetectionStatus(input: CFN.DescribeStackDriftDetectionStatusCommandInput): Promise<Reply<CFN.DescribeStackDriftDetectionStatusCommandOutput>>;
  describeStackResourceDrifts(input: CFN.DescribeStackResourceDriftsCommandInput): Promise<Reply<CFN.DescribeStackResourceDriftsCommandOutput>>;
  detectStackResourceDrift(input: CFN.DetectStackResourceDriftCommandInput): Promise<Reply<CFN.DetectStackResourceDriftCommandOutput>>;
}

/**
 * An error the CloudFormation API returns, with AWS's code and message
 * (`ValidationError`, `AlreadyExistsException`, `ChangeSetNotFound`, `InsufficientCapabilitiesException`,
 * `TokenAlreadyExistsException`, `OperationInProgressException`, ...). The protocol layer turns it
 * into an `ErrorResponse` with that Code, Message and the HTTP status.
 */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** AWS's refusal of a call that leaves out a required member (the SDK sends what it is given). */
export const missingMember = (member: string) => new EngineError('ValidationError', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

/** The services the engine provisions resources through, as SDK v3 clients (of the local emulator or of AWS). */
export interface AwsClients {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  ssm: SSMClient;
  secretsManager: SecretsManagerClient;
}

export type FaultPhase = 'forward' | 'rollback';

/** A fault to inject: fail matching resource operations with a reason, to drive failure and rollback. */
export interface FaultRule {
  logicalId?: string;
  type?: string;
  stackName?: string;
  /** Fail only in this region's engine (one local account serves every region). */
  region?: string;
  operation?: 'create' | 'update' | 'delete';
  /**
   * Fail only while the stack goes forward (a create, an update, its cleanup) or only while it
   * rolls back (an update's resources reverted, a failed create's deleted); both when omitted.
   */
  phase?: FaultPhase;
  /** Fail with this probability (0..1); always when omitted. */
  probability?: number;
  /** The ResourceStatusReason of the failure. */
  reason?: string;
}

export interface EngineOptions {
  region: string;
  accountId: string;
  clients: AwsClients;
  /** Folder for the engine's state (written atomically); in memory when omitted. */
  stateDir?: string;
  /** Seals NoEcho parameter values in the state files; by default with a key in stateDir (`secrets.key`). */
  secrets?: StateSecrets;
  faults?: FaultRule[];
  /** Multiplies realistic per-type resource durations; 0 (the default) means no delay. */
  timeScale?: number;
  /** Random source (tests pass a seeded one for reproducible names and fault draws). */
  random?: () => number;
}
