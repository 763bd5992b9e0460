import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { RegionalItems, type ItemTable } from './item-files.ts';
import { describeSecret, listSecrets } from './secrets-manager/list-secrets.ts';
import { cancelRotation, rotateSecret } from './secrets-manager/rotation.ts';
import { getSecretValue, listVersionIds, putSecretValue, updateVersionStage } from './secrets-manager/secret-versions.ts';
import { adoptSecret, findLive, findSecret, sealingOf, secretProblem, tagSecret, untagSecret, type Input, type StoredSecret } from './secrets-manager/secrets.ts';
import { dictionary } from './state-files.ts';
import type { StateSecrets } from './state-secrets.ts';
import { requireSome, type Tag } from './tags.ts';
import { ServiceError, jsonErrorReply, jsonReply, readJsonBody, targetAction, type LocalReply, type LocalRequest, type ServiceEmulator } from './wire.ts';

type Secrets = ItemTable<StoredSecret>;

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Secrets Manager over awsJson 1.1 (`X-Amz-Target: secretsmanager.<Action>`), one table per
 * region, one file per secret (see item-files.ts).
 */
export class SecretsManagerEmulator implements ServiceEmulator {
  private readonly tables: RegionalItems<StoredSecret>;

  /** `secrets` seals the secret values in the files of `dataDir`. */
  constructor(
    private readonly accountId: string,
    dataDir: string | undefined,
    secrets: StateSecrets | undefined,
  ) {
    this.tables = new RegionalItems(dataDir && join(dataDir, 'secretsmanager'), (region) => ({
      kind: 'secret',
      losing: `the Secrets Manager secrets of ${region}`,
      keyOf: (secret) => secret.name,
      check: secretProblem,
      adopt: adoptSecret,
      ...(secrets ? { mapSecrets: sealingOf(secrets) } : {}),
    }));
  }

  /** Reads every region's secrets on disk now, so that damaged state shows when the emulator opens. */
  open(): void {
    this.tables.openAll();
  }

  async handle(request: LocalRequest): Promise<LocalReply> {
    try {
      const input = readJsonBody<Input>(request);
      return jsonReply(200, this.act(targetAction(request), input, this.tables.forRegion(request.region), request.region));
    } catch (error) {
      if (error instanceof ServiceError) return jsonErrorReply(error.code, error.message, error.status);
      throw error;
    }
  }

  private act(action: string, input: Input, secrets: Secrets, region: string): unknown {
    const table = secrets.items;
    // A change to one secret, then that secret written alone (see ItemTable.save).
    const changing = <T>(secret: StoredSecret, change: (secret: StoredSecret) => T): T => {
      const result = change(secret);
      secrets.save(secret.name);
      return result;
    };
    switch (action) {
      case 'CreateSecret': {
        const created = this.createSecret(table, region, input);
        secrets.save(created.Name);
        return created;
      }
      case 'GetSecretValue':
        return getSecretValue(findLive(table, input.SecretId), input);
      case 'PutSecretValue':
        return changing(findLive(table, input.SecretId), (secret) => putSecretValue(secret, input));
      case 'UpdateSecret':
        return changing(findLive(table, input.SecretId), (secret) => updateSecret(secret, input));
      case 'DescribeSecret':
        return describeSecret(findSecret(table, input.SecretId));
      case 'ListSecrets':
        return listSecrets(table, input);
      case 'ListSecretVersionIds':
        return listVersionIds(findSecret(table, input.SecretId), input);
      case 'UpdateSecretVersionStage':
        return changing(findLive(table, input.SecretId), (secret) => updateVersionStage(secret, input));
      case 'TagResource':
        return changing(findLive(table, input.SecretId), (secret) => tagSecret(secret, requireSome<Tag>(input.Tags, 'tags')));
      case 'UntagResource':
        return changing(findLive(table, input.SecretId), (secret) => untagSecret(secret, requireSome<string>(input.TagKeys, 'tagKeys')));
      case 'RotateSecret':
        return changing(findLive(table, input.SecretId), (secret) => rotateSecret(secret, input));
      case 'CancelRotateSecret':
        return changing(findLive(table, input.SecretId), cancelRotation);
      case 'DeleteSecret': {
        const secret = findSecret(table, input.SecretId);
        return changing(secret, () => deleteSecret(table, secret, input));
      }
      case 'RestoreSecret':
        return changing(findSecret(table, input.SecretId), (secret) => {
          delete secret.deletedDate;
          return { ARN: secret.arn, Name: secret.name };
        });
      default:
        throw new ServiceError('InvalidAction', `The action ${action} is not supported by the local Secrets Manager emulator`);
    }
  }

  private createSecret(table: Record<string, StoredSecret>, region: string, input: Input): { ARN: string; Name: string; VersionId?: string } {
    const name = String(input.Name ?? '');
    if (!name) throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    const existing = table[name];
    if (existing?.deletedDate) {
      throw new ServiceError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
    }
    if (existing) throw new ServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    const now = Date.now() / 1000;
    const suffix = Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join('');
    const secret: StoredSecret = {
      arn: `arn:aws:secretsmanager:${region}:${this.accountId}:secret:${name}-${suffix}`,
      name,
      description: input.Description as string | undefined,
      kmsKeyId: input.KmsKeyId as string | undefined,
      tags: (input.Tags as Tag[] | undefined) ?? [],
      createdDate: now,
      lastChangedDate: now,
      versions: dictionary(),
    };
    table[name] = secret;
    if (input.SecretString === undefined && input.SecretBinary === undefined) return { ARN: secret.arn, Name: name };
    const { VersionId } = putSecretValue(secret, input);
    return { ARN: secret.arn, Name: name, VersionId };
  }
}

function updateSecret(secret: StoredSecret, input: Input) {
  if (input.Description !== undefined) secret.description = String(input.Description);
  if (input.KmsKeyId !== undefined) secret.kmsKeyId = String(input.KmsKeyId);
  secret.lastChangedDate = Date.now() / 1000;
  const hasValue = input.SecretString !== undefined || input.SecretBinary !== undefined;
  return hasValue ? putSecretValue(secret, input) : { ARN: secret.arn, Name: secret.name };
}

function deleteSecret(table: Record<string, StoredSecret>, secret: StoredSecret, input: Input) {
  if (input.ForceDeleteWithoutRecovery === true && input.RecoveryWindowInDays !== undefined) {
    throw new ServiceError('InvalidParameterException', "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  const now = Date.now() / 1000;
  if (input.ForceDeleteWithoutRecovery === true) {
    delete table[secret.name];
    return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
  }
  const days = Number(input.RecoveryWindowInDays ?? 30);
  if (!(days >= 7 && days <= 30)) throw new ServiceError('InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  secret.deletedDate ??= now;
  return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletedDate + days * 86400 };
}
