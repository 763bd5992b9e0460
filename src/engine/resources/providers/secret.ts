import { randomInt } from 'node:crypto';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, TagResourceCommand, UntagResourceCommand, UpdateSecretCommand, type SecretsManagerClient, type Tag } from '@aws-sdk/client-secrets-manager';
import { generatedName } from '../../ids.ts';
import { errorName, found, NameTakenError, ProviderError, type ResourceProvider } from '../provider.ts';

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Props) : {});
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `AWS::SecretsManager::Secret`: a real secret; GenerateSecretString makes a random one with its options. */
export const secretProvider: ResourceProvider = {
  async create(request) {
    const p = request.resolved;
    const name = typeof p.Name === 'string' && p.Name !== '' ? p.Name : generatedName(request.stackName, request.logicalId, request.random, 512);
    const taken = () => new NameTakenError(`The operation failed because the secret ${name} already exists.`);
    if (await secretExists(request.clients.secretsManager, name)) throw taken();
    // The ARN comes back from the create; the name is enough to find and delete the secret.
    request.claim(name);
    try {
      const reply = await request.clients.secretsManager.send(new CreateSecretCommand({
        Name: name,
        SecretString: secretValue(p),
        ...(p.Description !== undefined ? { Description: String(p.Description) } : {}),
        ...(p.KmsKeyId !== undefined ? { KmsKeyId: String(p.KmsKeyId) } : {}),
        ...(Array.isArray(p.Tags) ? { Tags: tagsOf(p.Tags) } : {}),
      }));
      return { physicalId: reply.ARN!, attributes: { Id: reply.ARN! } };
    } catch (error) {
      if (errorName(error) === 'ResourceExistsException') throw taken();
      throw error;
    }
  },
  async update(request) {
    const before = request.previousResolved;
    const after = request.resolved;
    const valueChanged = !same(before.SecretString, after.SecretString) || !same(before.GenerateSecretString, after.GenerateSecretString);
    await request.clients.secretsManager.send(new UpdateSecretCommand({
      SecretId: request.physicalId,
      ...(valueChanged ? { SecretString: secretValue(after) } : {}),
      ...(after.Description !== undefined ? { Description: String(after.Description) } : {}),
      ...(after.KmsKeyId !== undefined ? { KmsKeyId: String(after.KmsKeyId) } : {}),
    }));
    await retag(request.clients.secretsManager, request.physicalId, tagsOf(before.Tags), tagsOf(after.Tags));
    return request.attributes;
  },
  exists: (secret, clients) => secretExists(clients.secretsManager, secret),
  async delete(request) {
    try {
      await request.clients.secretsManager.send(new DeleteSecretCommand({ SecretId: request.physicalId, ForceDeleteWithoutRecovery: true }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
  },
};

function tagsOf(tags: unknown): Tag[] {
  return Array.isArray(tags) ? tags.map(obj).map((t) => ({ Key: String(t.Key), Value: String(t.Value) })) : [];
}

/** Brings the secret's tags from `before` to `after`: added or changed ones set, dropped ones removed. */
async function retag(secretsManager: SecretsManagerClient, secretId: string, before: Tag[], after: Tag[]): Promise<void> {
  const changed = after.filter((tag) => !before.some((old) => old.Key === tag.Key && old.Value === tag.Value));
  const removed = before.filter((old) => !after.some((tag) => tag.Key === old.Key)).map((tag) => tag.Key!);
  if (changed.length > 0) await secretsManager.send(new TagResourceCommand({ SecretId: secretId, Tags: changed }));
  if (removed.length > 0) await secretsManager.send(new UntagResourceCommand({ SecretId: secretId, TagKeys: removed }));
}

const secretExists = (secretsManager: SecretsManagerClient, name: string) => found(() => secretsManager.send(new DescribeSecretCommand({ SecretId: name })), ['ResourceNotFoundException']);

/** The value to store; none when neither SecretString nor GenerateSecretString is given (CloudFormation then makes an empty secret). */
function secretValue(p: Props): string | undefined {
  if (typeof p.SecretString === 'string') return p.SecretString;
  if (p.GenerateSecretString === undefined) return undefined;
  const options = obj(p.GenerateSecretString);
  const password = generatePassword(options);
  if (typeof options.SecretStringTemplate !== 'string') return password;
  if (typeof options.GenerateStringKey !== 'string') throw new ProviderError('GenerateStringKey is required with SecretStringTemplate');
  let template: unknown;
  try {
    template = JSON.parse(options.SecretStringTemplate);
  } catch {
    throw new ProviderError('SecretStringTemplate is not valid JSON');
  }
  return JSON.stringify({ ...obj(template), [options.GenerateStringKey]: password });
}

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A password as Secrets Manager's GetRandomPassword makes one: 32 characters unless told, each included type present. */
export function generatePassword(options: Props): string {
  const flag = (name: string) => options[name] === true || options[name] === 'true';
  const excluded = new Set(String(options.ExcludeCharacters ?? ''));
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  const groups = [
    flag('ExcludeLowercase') ? '' : keep('abcdefghijklmnopqrstuvwxyz'),
    flag('ExcludeUppercase') ? '' : keep('ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    flag('ExcludeNumbers') ? '' : keep('0123456789'),
    flag('ExcludePunctuation') ? '' : keep(PUNCTUATION),
    flag('IncludeSpace') ? keep(' ') : '',
  ].filter((g) => g !== '');
  const length = Number(options.PasswordLength ?? 32);
  if (groups.length === 0) throw new ProviderError('GenerateSecretString excludes every character');
  if (!Number.isInteger(length) || length < 1 || length > 4096) throw new ProviderError('PasswordLength must be between 1 and 4096');
  const all = groups.join('');
  const requireEach = options.RequireEachIncludedType === undefined || flag('RequireEachIncludedType');
  const chars = Array.from({ length }, () => all[randomInt(all.length)]);
  if (requireEach && length >= groups.length) {
    const positions = [...Array(length).keys()];
    groups.forEach((group) => {
      const position = positions.splice(randomInt(positions.length), 1)[0];
      chars[position] = group[randomInt(group.length)];
    });
  }
  return chars.join('');
}
