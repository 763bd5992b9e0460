/**
 * What the orchestrator reports while it works: typed, coded events. The library never prints;
 * renderers (a live terminal view, plain CI lines, JSON lines, a log file) decide how to show
 * them, and tests assert on them.
 */

import type { BackupKind } from '../backup/backup.ts';
import type { PropertyChange } from './property-diff.ts';

/** What a stack is doing: deploy's create and update, delete, `rollback` and `cancel` (an update stopped, then rolled back). */
export type StackOperation = 'create' | 'update' | 'delete' | 'rollback' | 'cancel';

/** A resource whose rollback failed (UPDATE_FAILED while its stack is in UPDATE_ROLLBACK_FAILED). */
export interface RollbackFailure {
  logicalId: string;
  resourceType: string;
  reason: string;
  /** Nested stack logical ids from the root down to the stack holding the resource. */
  nestedPath: string[];
  /** How `stackpilot rollback --skip` names it: its path from the root, dot-separated (`DatabaseStack.JobsTable`). */
  skipName: string;
}

/** One row of a change preview, nested stacks' rows included (with the path of stacks above). */
export interface PreviewedChange {
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic';
  logicalId: string;
  resourceType: string;
  /** True, False or Conditional, for Modify. */
  replacement?: string;
  /** The properties whose change causes replacement (or any change, when none does). */
  causes: string[];
  /** Nested stack logical ids from the root down to the stack holding the resource. */
  nestedPath: string[];
  /** The resource holds data that this change deletes (Remove or replacement of a stateful resource without Retain/Snapshot). */
  dataAtRisk: boolean;
  /** For Modify: the properties that change, old and new values (secrets masked), from the deployed and incoming templates. */
  properties?: PropertyChange[];
  /** Why executing this change would fail, known before anything runs (a custom-named resource to replace). */
  willFail?: string;
}

/** A resource changed or deleted outside CloudFormation that an update is about to touch. */
export interface DriftedChange {
  logicalId: string;
  resourceType: string;
  /** Nested stack logical ids from the root down to the stack holding the resource. */
  nestedPath: string[];
  status: 'MODIFIED' | 'DELETED';
  /** The drifted properties the template sets, which the update resets: expected (the template's) and actual values. */
  properties: { path: string; expected: string; actual: string }[];
}

/** Every event; `region` labels it when a command covers more than one region (see src/regions/fanout.ts). */
export type DeployEvent = (
  | { code: 'phase'; phase: 'connect' | 'validate' | 'package' | 'deploy' | 'outputs' | 'health' | 'delete'; message: string }
  | { code: 'package'; bucket: string; uploaded: number; unchanged: number }
  | { code: 'stack-start'; stack: string; stackName: string; operation: StackOperation; resources: number }
  | { code: 'change-preview'; stack: string; stackName: string; changes: PreviewedChange[] }
  /** Before an update: the resources it touches that drifted (their out-of-band changes it reverts), or why drift could not be checked (`reason`). */
  | { code: 'drift-warning'; stack: string; stackName: string; resources: DriftedChange[]; reason?: string }
  /** A resource is being backed up before its stack's change set runs. */
  | { code: 'backup-start'; stack: string; stackName: string; logicalId: string; nestedPath: string[]; kind: BackupKind; physicalId: string }
  /** Its backup is complete and in the catalog: `id` names it, `count` items or objects. */
  | { code: 'backup-done'; stack: string; stackName: string; logicalId: string; nestedPath: string[]; kind: BackupKind; id: string; count: number }
  | {
      code: 'resource';
      stack: string;
      stackName: string;
      logicalId: string;
      resourceType: string;
      status: string;
      reason?: string;
      physicalId?: string;
      timestamp: Date;
      nestedPath: string[];
    }
  | {
      code: 'stack-done';
      stack: string;
      stackName: string;
      /** needs-action: the stack is not healthy, and another command (or a wait) is what it needs: the hint says which. */
      outcome: 'succeeded' | 'no-changes' | 'failed' | 'not-started' | 'awaiting-confirmation' | 'needs-action';
      status?: string;
      /** The first resource that failed, and why: what a person needs first. */
      firstFailure?: { logicalId: string; reason: string; nestedPath: string[] };
      /** Why the stack did not deploy, when it did not: its status reason, or the AWS call that failed and its error. */
      reason?: string;
      /** What to do about it. */
      hint?: string;
      seconds: number;
    }
  | { code: 'outputs'; stack: string; stackName: string; outputs: Record<string, string> }
  | { code: 'rollback-failures'; stack: string; stackName: string; failures: RollbackFailure[] }
  | { code: 'health'; check: string; ok: boolean; detail: string }
  | { code: 'warning'; message: string }
) & { region?: string };

export type DeployEventCode = DeployEvent['code'];

/** A resource named by the nested stacks above it: `ApiStack/HealthFunction`. */
export const resourcePath = (nestedPath: string[], logicalId: string): string => [...nestedPath, logicalId].join('/');

/** A backup kind in words, and what it counts. */
export const BACKUP_KINDS: Record<BackupKind, { name: string; unit: string }> = {
  'dynamodb-table': { name: 'DynamoDB table', unit: 'item' },
  's3-bucket': { name: 'S3 bucket', unit: 'object' },
};

export type StackDoneEvent = Extract<DeployEvent, { code: 'stack-done' }>;

export type EventSink = (event: DeployEvent) => void;

/** Statuses at which a stack operation has ended, for better or worse. */
export function isTerminalStatus(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS');
}

/** Statuses after which a stack is left as it should be. */
export function isSuccessStatus(status: string): boolean {
  return ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'IMPORT_COMPLETE'].includes(status);
}

/** Resource statuses that count as done for progress (a resource in its final state for this operation). */
export function isResourceDone(status: string): boolean {
  return /_(COMPLETE|SKIPPED)$/.test(status) && !status.startsWith('ROLLBACK') && !status.startsWith('UPDATE_ROLLBACK');
}

export function isResourceFailure(status: string): boolean {
  return status.endsWith('_FAILED');
}
