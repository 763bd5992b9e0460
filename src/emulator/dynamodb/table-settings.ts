import { ServiceError } from '../wire.ts';
import type { DynamoRegion, TableSettings } from './dynamodb-region.ts';

type Input = Record<string, unknown>;

interface SseSpecification {
  Enabled?: boolean;
  SSEType?: string;
  KMSMasterKeyId?: string;
}

interface StreamSpecification {
  StreamEnabled?: boolean;
  StreamViewType?: string;
}

/** Records what CreateTable or UpdateTable said about encryption, streams and deletion protection. */
export function recordTableSettings(region: DynamoRegion, input: Input): void {
  const settings = region.settings(String(input.TableName));
  const sse = input.SSESpecification as SseSpecification | undefined;
  if (sse) {
    const enabled = sse.Enabled === true;
    settings.sse = { enabled, sseType: enabled ? (sse.SSEType ?? 'KMS') : undefined, kmsKeyArn: enabled ? kmsKeyArn(region, sse.KMSMasterKeyId) : undefined };
  }
  const stream = input.StreamSpecification as StreamSpecification | undefined;
  if (stream) {
    settings.stream = stream.StreamEnabled ? { enabled: true, viewType: stream.StreamViewType, label: new Date().toISOString().replace('Z', '') } : { enabled: false, label: settings.stream?.label ?? '' };
  }
  if (typeof input.DeletionProtectionEnabled === 'boolean') settings.deletionProtection = input.DeletionProtectionEnabled;
  region.saveSettings(String(input.TableName));
}

/** The TableDescription fields that come from the emulator's records rather than from dynalite. */
export function describeTableSettings(region: DynamoRegion, table: Record<string, unknown>, settings: TableSettings = region.settings(String(table.TableName))): Record<string, unknown> {
  const fields: Record<string, unknown> = { DeletionProtectionEnabled: settings.deletionProtection === true };
  if (settings.sse?.enabled) fields.SSEDescription = { Status: 'ENABLED', SSEType: settings.sse.sseType, KMSMasterKeyArn: settings.sse.kmsKeyArn };
  if (settings.stream?.enabled) {
    fields.StreamSpecification = { StreamEnabled: true, StreamViewType: settings.stream.viewType };
    fields.LatestStreamLabel = settings.stream.label;
    fields.LatestStreamArn = `${String(table.TableArn)}/stream/${settings.stream.label}`;
  }
  return fields;
}

/** DeleteTable is refused while deletion protection is on, as in DynamoDB. */
export function checkDeletable(region: DynamoRegion, tableName: string): void {
  if (region.settings(tableName).deletionProtection) {
    throw new ServiceError('ValidationException', `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
  }
}

export async function updateContinuousBackups(region: DynamoRegion, input: Input) {
  const tableName = String(input.TableName ?? '');
  await region.describeTable(tableName, 'TableNotFoundException');
  const specification = (input.PointInTimeRecoverySpecification ?? {}) as { PointInTimeRecoveryEnabled?: boolean; RecoveryPeriodInDays?: number };
  const days = specification.RecoveryPeriodInDays ?? 35;
  if (days < 1 || days > 35) throw new ServiceError('ValidationException', 'RecoveryPeriodInDays must be between 1 and 35');
  const settings = region.settings(tableName);
  settings.pointInTimeRecovery = specification.PointInTimeRecoveryEnabled
    ? { enabled: true, recoveryPeriodInDays: days, enabledAt: settings.pointInTimeRecovery?.enabled ? settings.pointInTimeRecovery.enabledAt : Date.now() / 1000 }
    : { enabled: false, recoveryPeriodInDays: days, enabledAt: 0 };
  region.saveSettings(tableName);
  return continuousBackupsDescription(settings);
}

export async function describeContinuousBackups(region: DynamoRegion, input: Input) {
  const tableName = String(input.TableName ?? '');
  await region.describeTable(tableName, 'TableNotFoundException');
  return continuousBackupsDescription(region.settings(tableName));
}

function continuousBackupsDescription(settings: TableSettings) {
  const pitr = settings.pointInTimeRecovery;
  const now = Date.now() / 1000;
  return {
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: pitr?.enabled
        ? {
            PointInTimeRecoveryStatus: 'ENABLED',
            RecoveryPeriodInDays: pitr.recoveryPeriodInDays,
            EarliestRestorableDateTime: Math.max(pitr.enabledAt, now - pitr.recoveryPeriodInDays * 86400),
            LatestRestorableDateTime: now,
          }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  };
}

export async function updateTimeToLive(region: DynamoRegion, input: Input) {
  const tableName = String(input.TableName ?? '');
  await region.describeTable(tableName);
  const specification = (input.TimeToLiveSpecification ?? {}) as { Enabled?: boolean; AttributeName?: string };
  if (!specification.AttributeName) throw new ServiceError('ValidationException', 'TimeToLiveSpecification.AttributeName is required');
  const settings = region.settings(tableName);
  const enabled = specification.Enabled === true;
  if (enabled && settings.timeToLive?.enabled) throw new ServiceError('ValidationException', 'TimeToLive is already enabled');
  if (!enabled && !settings.timeToLive?.enabled) throw new ServiceError('ValidationException', 'TimeToLive is already disabled');
  if (!enabled && settings.timeToLive?.attributeName !== specification.AttributeName) {
    throw new ServiceError('ValidationException', `TimeToLive is active on a different AttributeName: current AttributeName is ${settings.timeToLive?.attributeName}`);
  }
  settings.timeToLive = { enabled, attributeName: specification.AttributeName };
  region.saveSettings(tableName);
  return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: specification.AttributeName } };
}

export async function describeTimeToLive(region: DynamoRegion, input: Input) {
  const tableName = String(input.TableName ?? '');
  await region.describeTable(tableName);
  const ttl = region.settings(tableName).timeToLive;
  return { TimeToLiveDescription: ttl?.enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attributeName } : { TimeToLiveStatus: 'DISABLED' } };
}

// Encryption with the AWS-managed key unless a key id, alias or ARN is given.
function kmsKeyArn(region: DynamoRegion, keyId: string | undefined): string {
  if (keyId?.startsWith('arn:')) return keyId;
  const prefix = `arn:aws:kms:${region.region}:${region.accountId}`;
  if (!keyId) return `${prefix}:alias/aws/dynamodb`;
  return keyId.startsWith('alias/') ? `${prefix}:${keyId}` : `${prefix}:key/${keyId}`;
}
