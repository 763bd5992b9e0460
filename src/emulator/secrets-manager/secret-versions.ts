import { randomUUID } from 'node:crypto';
import { maxResults, page } from '../paging.ts';
import { ServiceError } from '../wire.ts';
import type { Input, StoredSecret } from './secrets.ts';

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
export const PENDING = 'AWSPENDING';
/**
 * Versions without staging labels are deprecated; past 100 versions the oldest deprecated ones go
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html: "Secrets
 * Manager removes outdated versions when there are more than 100").
 */
const MAX_VERSIONS = 100;

export function getSecretValue(secret: StoredSecret, input: Input) {
  const stage = (input.VersionStage as string | undefined) ?? (input.VersionId ? undefined : CURRENT);
  const entry = Object.entries(secret.versions).find(([id, v]) => (input.VersionId === undefined || id === input.VersionId) && (stage === undefined || v.stages.includes(stage)));
  if (!entry) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + (stage ?? String(input.VersionId)));
  const [versionId, version] = entry;
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: versionId,
    SecretString: version.secretString,
    SecretBinary: version.secretBinary,
    VersionStages: version.stages,
    CreatedDate: version.createdDate,
  };
}

/** Adds a version; it becomes AWSCURRENT and the old current one AWSPREVIOUS, unless stages are given. */
export function putSecretValue(secret: StoredSecret, input: Input) {
  if (input.SecretString === undefined && input.SecretBinary === undefined) {
    throw new ServiceError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
  }
  const versionId = (input.ClientRequestToken as string | undefined) ?? randomUUID();
  const previous = secret.versions[versionId];
  if (previous) {
    if (previous.secretString === input.SecretString && previous.secretBinary === input.SecretBinary) {
      return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: previous.stages };
    }
    throw new ServiceError('ResourceExistsException', `A version with VersionId ${versionId} already exists and it has a different secret value.`);
  }
  const stages = (input.VersionStages as string[] | undefined) ?? [CURRENT];
  const now = Date.now() / 1000;
  secret.versions[versionId] = { secretString: input.SecretString as string | undefined, secretBinary: input.SecretBinary as string | undefined, createdDate: now, stages: [] };
  for (const stage of stages) moveStage(secret, stage, versionId);
  pruneDeprecated(secret);
  secret.lastChangedDate = now;
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: stages };
}

/**
 * Puts a staging label on one version, taking it from the version that had it. Moving
 * AWSCURRENT puts AWSPREVIOUS on the version it left
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html).
 */
function moveStage(secret: StoredSecret, stage: string, toVersionId: string | undefined): void {
  const from = Object.entries(secret.versions).find(([, version]) => version.stages.includes(stage));
  if (from && from[0] === toVersionId) return;
  if (from) from[1].stages = from[1].stages.filter((s) => s !== stage);
  if (toVersionId !== undefined) secret.versions[toVersionId].stages.push(stage);
  if (stage === CURRENT && from) moveStage(secret, PREVIOUS, from[0]);
}

/** UpdateSecretVersionStage: moves a label to MoveToVersionId, or removes it from RemoveFromVersionId. */
export function updateVersionStage(secret: StoredSecret, input: Input) {
  const stage = String(input.VersionStage ?? '');
  if (!stage) throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'versionStage' failed to satisfy constraint: Member must not be null");
  const moveTo = input.MoveToVersionId as string | undefined;
  const removeFrom = input.RemoveFromVersionId as string | undefined;
  for (const id of [moveTo, removeFrom]) {
    if (id !== undefined && !secret.versions[id]) throw new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret version: ${id}`);
  }
  const holder = Object.entries(secret.versions).find(([, version]) => version.stages.includes(stage))?.[0];
  if (holder !== undefined && holder !== moveTo && holder !== removeFrom) {
    throw new ServiceError('InvalidParameterException', `The staging label ${stage} is currently attached to version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`);
  }
  if (moveTo === undefined && stage === CURRENT) throw new ServiceError('InvalidParameterException', `You can only remove the staging label ${CURRENT} by moving it to another version with MoveToVersionId.`);
  if (moveTo !== undefined && secret.versions[moveTo].stages.includes(PENDING) && stage === CURRENT) secret.lastRotatedDate = Date.now() / 1000;
  if (moveTo === undefined) moveStage(secret, stage, undefined);
  else moveStage(secret, stage, moveTo);
  pruneDeprecated(secret);
  return { ARN: secret.arn, Name: secret.name };
}

/** ListSecretVersionIds: up to 100 a page, deprecated versions (no label) only with IncludeDeprecated. */
export function listVersionIds(secret: StoredSecret, input: Input) {
  const versions = Object.entries(secret.versions)
    .filter(([, version]) => input.IncludeDeprecated === true || version.stages.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { items, nextToken } = page(versions, ([id]) => id, input, maxResults(input, 100));
  return {
    Versions: items.map(([id, version]) => ({ VersionId: id, VersionStages: version.stages, CreatedDate: version.createdDate })),
    ARN: secret.arn,
    Name: secret.name,
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

/** The labelled versions, as DescribeSecret and ListSecrets show them. */
export function versionIdsToStages(secret: StoredSecret): Record<string, string[]> {
  return Object.fromEntries(Object.entries(secret.versions).filter(([, version]) => version.stages.length > 0).map(([id, version]) => [id, version.stages]));
}

function pruneDeprecated(secret: StoredSecret): void {
  const deprecated = Object.entries(secret.versions)
    .filter(([, version]) => version.stages.length === 0)
    .sort(([, a], [, b]) => a.createdDate - b.createdDate);
  let excess = Object.keys(secret.versions).length - MAX_VERSIONS;
  for (const [id] of deprecated) {
    if (excess-- <= 0) break;
    delete secret.versions[id];
  }
}
