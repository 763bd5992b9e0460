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

/**
 * Replaces every `{{resolve:ssm|ssm-secure|secretsmanager:...}}` in a value's strings with the
 * referenced value. Only the provider that creates the resource sees the result: the engine
 * keeps, shows and compares the unresolved text, so resolved secrets never reach events,
 * outputs or DescribeStacks.
 */
export async function resolveDynamicReferences<T>(value: T, sources: SecretSources): Promise<T> {
  if (!hasDynamicReference(value)) return value;
  return (await walk(value, sources)) as T;
}

async function walk(value: unknown, sources: SecretSources): Promise<unknown> {
  if (typeof value === 'string') return value.includes('{{resolve:') ? resolveText(value, sources) : value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => walk(item, sources)));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await walk(item, sources)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

async function resolveText(text: string, sources: SecretSources): Promise<string> {
  const matches = [...text.matchAll(REFERENCE)];
  const values = await Promise.all(matches.map(([, service, rest]) => (service === 'secretsmanager' ? readSecret(rest, sources.secretsManager) : readParameter(rest, sources.ssm))));
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
