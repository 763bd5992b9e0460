import { dictionary, isJsonObject } from '../state-files.ts';
import type { StateSecrets } from '../state-secrets.ts';
import { mergeTags, withoutTags, type Tag } from '../tags.ts';
import { ServiceError } from '../wire.ts';

export type Input = Record<string, unknown>;

export interface SecretVersion {
  secretString?: string;
  /** Base64, as awsJson carries blobs. */
  secretBinary?: string;
  createdDate: number;
  stages: string[];
}

export interface RotationRules {
  AutomaticallyAfterDays?: number;
  Duration?: string;
  ScheduleExpression?: string;
}

export interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  createdDate: number;
  lastChangedDate: number;
  /** Set while the secret waits out its recovery window. */
  deletedDate?: number;
  versions: Record<string, SecretVersion>;
  rotationEnabled?: boolean;
  rotationLambdaArn?: string;
  rotationRules?: RotationRules;
  lastRotatedDate?: number;
}

export const NOT_FOUND = "Secrets Manager can't find the specified secret.";

/** What makes a stored secret unusable: the fields the actions rely on. */
export function secretProblem(secret: Record<string, unknown>): string | undefined {
  if (typeof secret.arn !== 'string') return 'has no ARN';
  if (typeof secret.name !== 'string') return 'has no name';
  if (!Array.isArray(secret.tags)) return 'has no tags list';
  if (!isJsonObject(secret.versions)) return 'has no versions record';
  const broken = Object.values(secret.versions).some((version) => !isJsonObject(version) || !Array.isArray(version.stages));
  return broken ? 'has a version without stages' : undefined;
}

// Version ids (a request's ClientRequestToken) are keys: no prototype for them to reach.
export function adoptSecret(value: unknown): StoredSecret {
  const secret = value as StoredSecret;
  return { ...secret, versions: dictionary(secret.versions) };
}

/** Seals the SecretString and SecretBinary of every version when written; opens them when read. */
export function sealingOf(secrets: StateSecrets) {
  const mapValues = (secret: StoredSecret, map: (value: string) => string): StoredSecret => ({
    ...secret,
    versions: dictionary(
      Object.fromEntries(
        Object.entries(secret.versions).map(([id, version]) => [
          id,
          {
            ...version,
            ...(typeof version.secretString === 'string' ? { secretString: map(version.secretString) } : {}),
            ...(typeof version.secretBinary === 'string' ? { secretBinary: map(version.secretBinary) } : {}),
          },
        ]),
      ),
    ),
  });
  return {
    seal: (secret: StoredSecret) => mapValues(secret, (value) => secrets.seal(value)),
    open: (secret: StoredSecret) => mapValues(secret, (value) => secrets.unseal(value)),
  };
}

/** A secret by name, full ARN or partial ARN (the ARN without its random suffix). */
export function findSecret(table: Record<string, StoredSecret>, secretId: unknown): StoredSecret {
  const id = String(secretId ?? '');
  const secret = table[id] ?? Object.values(table).find((s) => s.arn === id || s.arn.slice(0, -7) === id);
  if (!secret) throw new ServiceError('ResourceNotFoundException', NOT_FOUND);
  return secret;
}

export function findLive(table: Record<string, StoredSecret>, secretId: unknown): StoredSecret {
  const secret = findSecret(table, secretId);
  if (secret.deletedDate) {
    throw new ServiceError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
  }
  return secret;
}

/** TagResource: adds tags, a key already there taking the new value. */
export function tagSecret(secret: StoredSecret, tags: Tag[]): Record<string, never> {
  secret.tags = mergeTags(secret.tags, tags);
  return {};
}

export function untagSecret(secret: StoredSecret, keys: string[]): Record<string, never> {
  secret.tags = withoutTags(secret.tags, keys);
  return {};
}
