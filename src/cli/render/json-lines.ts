import type { DeployEvent, DeployEventCode, DriftedChange, PreviewedChange, RollbackFailure } from '../../deploy/events.ts';
import type { EventOf } from './lines.ts';

/**
 * `--json` output: an interface other programs read, so its shape only grows.
 *
 * One JSON object per line, one line per event, in the order the events happened:
 *
 *   {"time": "2025-06-01T12:03:04.000Z", "code": "<event code>", ...the event's other fields}
 *
 * - `time`: when stackpilot saw the event, ISO 8601 in UTC.
 * - `code` and the remaining fields: exactly a `DeployEvent` (src/deploy/events.ts), e.g.
 *   `{"time": ..., "code": "resource", "stack": "storage", "stackName": "app-storage-dev",
 *     "logicalId": "Table", "resourceType": "AWS::DynamoDB::Table", "status": "CREATE_FAILED",
 *     "reason": "...", "timestamp": "2025-06-01T12:03:03.512Z", "nestedPath": []}`.
 * - `region`: on every event when the command covers more than one region.
 * - Dates (a resource event's `timestamp`) are ISO 8601 strings; optional fields that are
 *   unset are left out, never null.
 * Readers should ignore codes and fields they do not know.
 *
 * Only the fields the event types declare are written: should an event object carry more at run
 * time (say a resource's properties, copied from an SDK event), that never reaches the output.
 */
export function jsonLine(event: DeployEvent, time: number): string {
  return `${JSON.stringify({ time: new Date(time).toISOString(), ...declaredFields(event) })}\n`;
}

const FIELDS = {
  phase: ['phase', 'message'],
  package: ['bucket', 'uploaded', 'unchanged'],
  'stack-start': ['stack', 'stackName', 'operation', 'resources'],
  'change-preview': ['stack', 'stackName', 'changes'],
  'drift-warning': ['stack', 'stackName', 'resources', 'reason'],
  'backup-start': ['stack', 'stackName', 'logicalId', 'nestedPath', 'kind', 'physicalId'],
  'backup-done': ['stack', 'stackName', 'logicalId', 'nestedPath', 'kind', 'id', 'count'],
  resource: ['stack', 'stackName', 'logicalId', 'resourceType', 'status', 'reason', 'physicalId', 'timestamp', 'nestedPath'],
  'stack-done': ['stack', 'stackName', 'outcome', 'status', 'firstFailure', 'reason', 'hint', 'seconds'],
  outputs: ['stack', 'stackName', 'outputs'],
  'rollback-failures': ['stack', 'stackName', 'failures'],
  health: ['check', 'ok', 'detail'],
  warning: ['message'],
} as const satisfies { [C in DeployEventCode]: readonly Exclude<keyof EventOf<C>, 'code'>[] };
const CHANGE_FIELDS = ['action', 'logicalId', 'resourceType', 'replacement', 'causes', 'nestedPath', 'dataAtRisk', 'properties', 'willFail'] as const satisfies readonly (keyof PreviewedChange)[];
const FAILURE_FIELDS = ['logicalId', 'reason', 'nestedPath'] as const;
const DRIFTED_FIELDS = ['logicalId', 'resourceType', 'nestedPath', 'status', 'properties'] as const satisfies readonly (keyof DriftedChange)[];
const ROLLBACK_FAILURE_FIELDS = ['logicalId', 'resourceType', 'reason', 'nestedPath', 'skipName'] as const satisfies readonly (keyof RollbackFailure)[];

// A field added to an event type fails to compile here (naming it) until it is listed above.
type UnlistedEventField = { [C in DeployEventCode]: Exclude<keyof EventOf<C>, 'code' | 'region' | (typeof FIELDS)[C][number]> }[DeployEventCode];
type UnlistedChangeField = Exclude<keyof PreviewedChange, (typeof CHANGE_FIELDS)[number]>;
type UnlistedDriftedField = Exclude<keyof DriftedChange, (typeof DRIFTED_FIELDS)[number]>;
type UnlistedRollbackFailureField = Exclude<keyof RollbackFailure, (typeof ROLLBACK_FAILURE_FIELDS)[number]>;
true satisfies [UnlistedEventField] extends [never] ? true : UnlistedEventField;
true satisfies [UnlistedChangeField] extends [never] ? true : UnlistedChangeField;
true satisfies [UnlistedDriftedField] extends [never] ? true : UnlistedDriftedField;
true satisfies [UnlistedRollbackFailureField] extends [never] ? true : UnlistedRollbackFailureField;

function pick(source: object, keys: readonly string[]): Record<string, unknown> {
  const values = source as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => values[key] !== undefined).map((key) => [key, values[key]]));
}

function declaredFields(event: DeployEvent): Record<string, unknown> {
  // `region` on every event of a command that covers several regions.
  const fields: Record<string, unknown> = { code: event.code, ...pick(event, ['region']), ...pick(event, FIELDS[event.code]) };
  if (event.code === 'change-preview') fields.changes = event.changes.map((change) => ({ ...pick(change, CHANGE_FIELDS), ...(change.properties ? { properties: change.properties.map((p) => pick(p, ['path', 'before', 'after'])) } : {}) }));
  if (event.code === 'rollback-failures') fields.failures = event.failures.map((failure) => pick(failure, ROLLBACK_FAILURE_FIELDS));
  if (event.code === 'stack-done' && event.firstFailure) fields.firstFailure = pick(event.firstFailure, FAILURE_FIELDS);
  if (event.code === 'drift-warning') fields.resources = event.resources.map((resource) => ({ ...pick(resource, DRIFTED_FIELDS), properties: resource.properties.map((p) => pick(p, ['path', 'expected', 'actual'])) }));
  return fields;
}
