import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { RegionalDocuments, dictionary, isJsonObject, problemInEntries } from './state-files.ts';
import { sealedValuesOf, type StateSecrets } from './state-secrets.ts';
import { ServiceError, jsonErrorReply, jsonReply, readJsonBody, targetAction, type LocalReply, type LocalRequest, type ServiceEmulator } from './wire.ts';

interface SecretVersion {
  secretString?: string;
  /** Base64, as awsJson carries blobs. */
  secretBinary?: string;
  createdDate: number;
  stages: string[];
}

interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: { Key: string; Value: string }[];
  createdDate: number;
  lastChangedDate: number;
  /** Set while the secret waits out its recovery window. */
  deletedDate?: number;
  versions: Record<string, SecretVersion>;
}

type SecretTable = Record<string, StoredSecret>;
type Input = Record<string, unknown>;

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

/** Secrets Manager over awsJson 1.1 (`X-Amz-Target: secretsmanager.<Action>`), one table per region. */
export class SecretsManagerEmulator implements ServiceEmulator {
  private readonly tables: RegionalDocuments<SecretTable>;

  /** `secrets` seals the secret values in the files of `dataDir`. */
  constructor(
    private readonly accountId: string,
    dataDir: string | undefined,
    secrets: StateSecrets | undefined,
  ) {
    this.tables = new RegionalDocuments(dataDir && join(dataDir, 'secretsmanager'), (region) => ({
      empty: () => dictionary(),
      check: secretTableProblem,
      adopt: adoptSecretTable,
      ...sealedValuesOf(secrets, mapSecretValues),
      repair: { losing: `the Secrets Manager secrets of ${region}` },
    }));
  }

  /** Reads every region's secrets on disk now, so that damaged state shows when the emulator opens. */
  open(): void {
    this.tables.openAll();
  }

  async handle(request: LocalRequest): Promise<LocalReply> {
    try {
      const input = readJsonBody<Input>(request);
      const document = this.tables.forRegion(request.region);
      const table = document.value;
      const action = targetAction(request);
      const reply = (output: unknown) => {
        if (action !== 'GetSecretValue' && action !== 'DescribeSecret' && action !== 'ListSecrets') document.save();
        return jsonReply(200, output);
      };
      switch (action) {
        case 'CreateSecret':
          return reply(this.createSecret(table, request.region, input));
        case 'GetSecretValue':
          return reply(getSecretValue(findLive(table, input.SecretId), input));
        case 'PutSecretValue':
          return reply(putSecretValue(findLive(table, input.SecretId), input));
        case 'UpdateSecret': {
          const secret = findLive(table, input.SecretId);
          if (input.Description !== undefined) secret.description = String(input.Description);
          if (input.KmsKeyId !== undefined) secret.kmsKeyId = String(input.KmsKeyId);
          secret.lastChangedDate = Date.now() / 1000;
          const hasValue = input.SecretString !== undefined || input.SecretBinary !== undefined;
          return reply(hasValue ? putSecretValue(secret, input) : { ARN: secret.arn, Name: secret.name });
        }
        case 'DescribeSecret':
          return reply(describeSecret(findSecret(table, input.SecretId)));
        case 'ListSecrets':
          return reply({ SecretList: Object.values(table).filter((s) => !s.deletedDate).map(describeSecret) });
        case 'DeleteSecret':
          return reply(deleteSecret(table, input));
        case 'RestoreSecret': {
          const secret = findSecret(table, input.SecretId);
          delete secret.deletedDate;
          return reply({ ARN: secret.arn, Name: secret.name });
        }
        default:
          return jsonErrorReply('InvalidAction', `The action ${action} is not supported by the local Secrets Manager emulator`);
      }
    } catch (error) {
      if (error instanceof ServiceError) return jsonErrorReply(error.code, error.message, error.status);
      throw error;
    }
  }

  private createSecret(table: SecretTable, region: string, input: Input) {
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
      tags: (input.Tags as StoredSecret['tags'] | undefined) ?? [],
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

/** What makes a region's secrets file unusable: the fields the actions rely on. */
function secretTableProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return 'is not a JSON object';
  return problemInEntries(value, (name) => `secret ${name}`, (secret) => {
    if (!isJsonObject(secret)) return 'is not a JSON object';
    if (typeof secret.arn !== 'string') return 'has no ARN';
    if (typeof secret.name !== 'string') return 'has no name';
    if (!Array.isArray(secret.tags)) return 'has no tags list';
    if (!isJsonObject(secret.versions)) return 'has no versions record';
    const broken = Object.values(secret.versions).some((version) => !isJsonObject(version) || !Array.isArray(version.stages));
    return broken ? 'has a version without stages' : undefined;
  });
}

/** A copy of the table with the SecretString and SecretBinary of every version (of every secret) mapped. */
function mapSecretValues(table: SecretTable, map: (value: string) => string): SecretTable {
  const mapVersion = (version: SecretVersion): SecretVersion => ({
    ...version,
    ...(typeof version.secretString === 'string' ? { secretString: map(version.secretString) } : {}),
    ...(typeof version.secretBinary === 'string' ? { secretBinary: map(version.secretBinary) } : {}),
  });
  return Object.fromEntries(
    Object.entries(table).map(([name, secret]) => [name, { ...secret, versions: Object.fromEntries(Object.entries(secret.versions).map(([id, version]) => [id, mapVersion(version)])) }]),
  );
}

// Secret names and version ids (a request's ClientRequestToken) are keys: no prototype for them to reach.
function adoptSecretTable(value: unknown): SecretTable {
  const table = dictionary<StoredSecret>(value as object);
  for (const secret of Object.values(table)) secret.versions = dictionary(secret.versions);
  return table;
}

/** A secret by name, full ARN or partial ARN (the ARN without its random suffix). */
function findSecret(table: SecretTable, secretId: unknown): StoredSecret {
  const id = String(secretId ?? '');
  const secret = table[id] ?? Object.values(table).find((s) => s.arn === id || s.arn.slice(0, -7) === id);
  if (!secret) throw new ServiceError('ResourceNotFoundException', NOT_FOUND);
  return secret;
}

function findLive(table: SecretTable, secretId: unknown): StoredSecret {
  const secret = findSecret(table, secretId);
  if (secret.deletedDate) {
    throw new ServiceError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
  }
  return secret;
}

function getSecretValue(secret: StoredSecret, input: Input) {
  const stage = (input.VersionStage as string | undefined) ?? (input.VersionId ? undefined : 'AWSCURRENT');
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
function putSecretValue(secret: StoredSecret, input: Input) {
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
  const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
  for (const version of Object.values(secret.versions)) {
    if (stages.includes('AWSCURRENT')) version.stages = version.stages.filter((s) => s !== 'AWSPREVIOUS');
    const moved = version.stages.filter((s) => stages.includes(s));
    version.stages = version.stages.filter((s) => !stages.includes(s));
    if (moved.includes('AWSCURRENT')) version.stages.push('AWSPREVIOUS');
  }
  // Versions without any label are deprecated and eventually removed, as in AWS.
  for (const [id, version] of Object.entries(secret.versions)) if (version.stages.length === 0) delete secret.versions[id];
  const now = Date.now() / 1000;
  secret.versions[versionId] = { secretString: input.SecretString as string | undefined, secretBinary: input.SecretBinary as string | undefined, createdDate: now, stages };
  secret.lastChangedDate = now;
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: stages };
}

function describeSecret(secret: StoredSecret) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    CreatedDate: secret.createdDate,
    LastChangedDate: secret.lastChangedDate,
    DeletedDate: secret.deletedDate,
    Tags: secret.tags,
    VersionIdsToStages: Object.fromEntries(Object.entries(secret.versions).map(([id, v]) => [id, v.stages])),
  };
}

function deleteSecret(table: SecretTable, input: Input) {
  const secret = findSecret(table, input.SecretId);
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
