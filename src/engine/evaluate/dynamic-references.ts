import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { EvaluationError } from './evaluation-error.ts';

const REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]+)\}\}/g;

export interface SecretSources {
  ssm: SSMClient;
  secretsManager: SecretsManagerClient;
}

/** Whether a value holds a `{{resolve:...}}` dynamic reference anywhere. */
export function hasDynamicReference(value: unknown): boolean {
  return JSON.stringify(value)?.includes('{{resolve:') ?? false;
}

/** One `{{resolve:service:reference}}` in a text. */
export interface DynamicReference {
  service: 'ssm' | 'ssm-secure' | 'secretsmanager';
  reference: string;
}

/** Whether a reference resolves to a secret (ssm-secure, secretsmanager), which is never shown. */
export const isSecureReference = (ref: DynamicReference): boolean => ref.service !== 'ssm';

/** The dynamic references in a text, in order. */
export function dynamicReferences(text: string): DynamicReference[] {
  return [...text.matchAll(REFERENCE)].map(([, service, reference]) => ({ service: service as DynamicReference['service'], reference }));
}

/** The value a reference stands for, read from the account as it is now. */
export function readReference(ref: DynamicReference, sources: SecretSources): Promise<string> {
  return ref.service === 'secretsmanager' ? readSecret(ref.reference, sources.secretsManager) : readParameter(ref.reference, sources.ssm);
}

/**
 * Replaces every `{{resolve:ssm|ssm-secure|secretsmanager:...}}` in a value's strings with the
 * referenced value. Only the provider that creates the resource sees the result: the engine
 * keeps, shows and compares the unresolved text, so resolved secrets never reach events,
 * outputs or DescribeStacks. `onSecret` learns each secure value resolved (to mask it in reasons).
 */
export async function resolveDynamicReferences<T>(value: T, sources: SecretSources, onSecret: (value: string) => void = () => {}): Promise<T> {
  if (!hasDynamicReference(value)) return value;
  return (await walk(value, (text) => resolveText(text, sources, onSecret))) as T;
}

async function walk(value: unknown, resolve: (text: string) => Promise<string>): Promise<unknown> {
  if (typeof value === 'string') return value.includes('{{resolve:') ? resolve(value) : value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => walk(item, resolve)));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await walk(item, resolve)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

async function resolveText(text: string, sources: SecretSources, onSecret: (value: string) => void): Promise<string> {
  const values = await Promise.all(
    dynamicReferences(text).map(async (ref) => {
      const value = await readReference(ref, sources);
      if (isSecureReference(ref)) onSecret(value);
      return value;
    }),
  );
  let i = 0;
  return text.replace(REFERENCE, () => values[i++]);
}

/** `name` or `name:version`. */
async function readParameter(reference: string, ssm: SSMClient): Promise<string> {
  const match = /^(.+?)(?::(\d+))?$/.exec(reference)!;
  const name = match[2] ? `${match[1]}:${match[2]}` : match[1];
  try {
    const reply = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return reply.Parameter?.Value ?? '';
  } catch (error) {
    if ((error as { name?: string }).name === 'ParameterNotFound' || (error as { name?: string }).name === 'ParameterVersionNotFound') {
      throw new EvaluationError(`Unable to fetch parameters [${name}] from parameter store for this account.`);
    }
    throw error;
  }
}

/** `secret-id[:SecretString[:json-key[:version-stage[:version-id]]]]`, where the id may be a full ARN (with colons). */
async function readSecret(reference: string, secrets: SecretsManagerClient): Promise<string> {
  const parts = reference.split(':');
  const idLength = parts[0] === 'arn' ? 7 : 1;
  const secretId = parts.slice(0, idLength).join(':');
  const [field = 'SecretString', jsonKey = '', versionStage = '', versionId = ''] = parts.slice(idLength);
  if (field !== 'SecretString') throw new EvaluationError(`Dynamic reference {{resolve:secretsmanager:${reference}}}: only SecretString can be referenced`);
  let secretString: string;
  try {
    const reply = await secrets.send(new GetSecretValueCommand({ SecretId: secretId, ...(versionStage ? { VersionStage: versionStage } : {}), ...(versionId ? { VersionId: versionId } : {}) }));
    secretString = reply.SecretString ?? '';
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') throw new EvaluationError(`Secrets Manager can't find the specified secret. (Secret: ${secretId})`);
    throw error;
  }
  if (!jsonKey) return secretString;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new EvaluationError(`Could not parse SecretString JSON of ${secretId}`);
  }
  const value = parsed !== null && typeof parsed === 'object' && Object.hasOwn(parsed, jsonKey) ? (parsed as Record<string, unknown>)[jsonKey] : undefined;
  if (value === undefined) throw new EvaluationError(`Could not find SecretString JSON key ${jsonKey} in ${secretId}`);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
