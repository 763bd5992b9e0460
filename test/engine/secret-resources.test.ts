import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { generatePassword } from '../../src/engine/resources/providers/secret.ts';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, update, type Harness } from './engine-harness.ts';

// AWS::SecretsManager::Secret, GenerateSecretString as GetRandomPassword reads its options:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-secretsmanager-secret-generatesecretstring.html
const secret = (properties: Record<string, unknown>) => ({ Resources: { Secret: { Type: 'AWS::SecretsManager::Secret', Properties: properties } } });
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

describe('secrets a stack makes', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const valueOf = async (id: string) => (await h.aws.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: id }))).SecretString!;
  const described = (id: string) => h.aws.clients.secretsManager.send(new DescribeSecretCommand({ SecretId: id }));
  const failure = async (stack: string) => (await eventLines(h.engine, stack, true)).find((l) => l.startsWith('Secret CREATE_FAILED'));

  it('generates a password of 32 characters with every kind of character unless told otherwise', async () => {
    assert.equal(await deploy(h.engine, 'plain-secret', secret({ GenerateSecretString: {} })), 'CREATE_COMPLETE');
    const id = (await physicalIds(h.engine, 'plain-secret')).Secret;
    assert.match((await described(id)).Name!, /^plain-secret-Secret-[A-Za-z0-9]{12}$/, 'a secret without Name is named after its stack and logical id');
    const value = await valueOf(id);
    assert.equal(value.length, 32);
    for (const kind of [/[a-z]/, /[A-Z]/, /[0-9]/, PUNCTUATION]) assert.match(value, kind);
    assert.doesNotMatch(value, / /, 'no space unless IncludeSpace');
    assert.deepEqual([(await described(id)).Description, (await described(id)).KmsKeyId], [undefined, undefined], 'no description or key unless given');
  });

  it('names a secret whose Name is an empty string after its stack, as one without Name', async () => {
    assert.equal(await deploy(h.engine, 'empty-name', secret({ Name: '', SecretString: 'v' })), 'CREATE_COMPLETE');
    const id = (await physicalIds(h.engine, 'empty-name')).Secret;
    assert.match((await described(id)).Name!, /^empty-name-Secret-[A-Za-z0-9]{12}$/);
    assert.equal(await valueOf(id), 'v');
  });

  it('makes an empty secret when given neither SecretString nor GenerateSecretString, as CloudFormation does', async () => {
    assert.equal(await deploy(h.engine, 'empty-secret', secret({ Name: 'empty', Description: 'filled in later' })), 'CREATE_COMPLETE');
    assert.equal((await described('empty')).Description, 'filled in later');
    await assert.rejects(valueOf('empty'), { name: 'ResourceNotFoundException' });
  });

  it('draws a long password from every character but space: none is left out unless excluded', async () => {
    assert.equal(await deploy(h.engine, 'long-secret', secret({ Name: 'long', GenerateSecretString: { PasswordLength: 4096 } })), 'CREATE_COMPLETE');
    const value = await valueOf('long');
    assert.equal(value.length, 4096, 'the longest password Secrets Manager makes');
    // 4096 draws from 94 characters: the chance that one given character never comes up is below 1e-18.
    const printable = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i));
    assert.deepEqual(printable.filter((c) => !value.includes(c)), []);
  });

  it('follows the length, the excluded kinds and characters, and puts the password in the JSON template', async () => {
    const options = { PasswordLength: 40, ExcludePunctuation: true, ExcludeUppercase: 'true', ExcludeCharacters: 'abcdef0123', IncludeSpace: true, RequireEachIncludedType: true, SecretStringTemplate: '{"username":"admin"}', GenerateStringKey: 'password' };
    assert.equal(await deploy(h.engine, 'shaped-secret', secret({ Name: 'shaped', Description: 'the database login', KmsKeyId: 'alias/logins', GenerateSecretString: options })), 'CREATE_COMPLETE');
    const document = JSON.parse(await valueOf('shaped')) as Record<string, string>;
    assert.deepEqual(Object.keys(document), ['username', 'password']);
    assert.equal(document.username, 'admin');
    const password = document.password;
    assert.equal(password.length, 40);
    assert.doesNotMatch(password, /[A-Zabcdef0-3]/);
    assert.doesNotMatch(password, PUNCTUATION);
    for (const kind of [/[g-z]/, /[4-9]/, / /]) assert.match(password, kind, 'RequireEachIncludedType: one of each kind left');
    assert.deepEqual([(await described('shaped')).Description, (await described('shaped')).KmsKeyId], ['the database login', 'alias/logins']);
  });

  it('fails the create with the reason when the generation options cannot work', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['no-key', { SecretStringTemplate: '{}' }, 'GenerateStringKey is required with SecretStringTemplate'],
      ['bad-json', { SecretStringTemplate: '{user', GenerateStringKey: 'password' }, 'SecretStringTemplate is not valid JSON'],
      ['nothing-left', { ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true }, 'GenerateSecretString excludes every character'],
      ['too-long', { PasswordLength: 4097 }, 'PasswordLength must be between 1 and 4096'],
      ['too-short', { PasswordLength: 0 }, 'PasswordLength must be between 1 and 4096'],
      ['fractional', { PasswordLength: 12.5 }, 'PasswordLength must be between 1 and 4096'],
    ];
    for (const [stack, options, reason] of cases) {
      assert.equal(await deploy(h.engine, stack, secret({ GenerateSecretString: options })), 'ROLLBACK_COMPLETE', stack);
      assert.equal(await failure(stack), `Secret CREATE_FAILED ${reason}`, stack);
    }
  });

  it('puts one character of each kind in a password just long enough for all four', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(await deploy(h.engine, `four-${i}`, secret({ Name: `four-${i}`, GenerateSecretString: { PasswordLength: 4 } })), 'CREATE_COMPLETE');
      const value = await valueOf(`four-${i}`);
      assert.equal(value.length, 4);
      for (const kind of [/[a-z]/, /[A-Z]/, /[0-9]/, PUNCTUATION]) assert.match(value, kind);
    }
  });

  it('forces one character of each kind in only when RequireEachIncludedType is on', () => {
    const hasEveryKind = (password: string) => [/[a-z]/, /[A-Z]/, /[0-9]/, PUNCTUATION].every((kind) => kind.test(password));
    const draws = (requireEach: boolean | string) => Array.from({ length: 50 }, () => generatePassword({ PasswordLength: 4, RequireEachIncludedType: requireEach }));
    assert.ok(draws('true').every(hasEveryKind), 'RequireEachIncludedType "true": every password has all four kinds');
    // Drawn freely, 4 characters hold all four kinds with probability 0.067: 50 passwords all holding them is below 1e-58.
    assert.ok(!draws(false).every(hasEveryKind), 'RequireEachIncludedType false: the characters are drawn freely');
  });

  it('a password of one character, and of a single kind, is still made', async () => {
    assert.equal(await deploy(h.engine, 'tiny-secret', secret({ Name: 'tiny', GenerateSecretString: { PasswordLength: 1 } })), 'CREATE_COMPLETE');
    assert.equal((await valueOf('tiny')).length, 1);
    assert.equal(await deploy(h.engine, 'digits-secret', secret({ Name: 'digits', GenerateSecretString: { PasswordLength: 12, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true } })), 'CREATE_COMPLETE');
    assert.match(await valueOf('digits'), /^[0-9]{12}$/);
  });

  it('keeps a generated value through updates that do not touch it, and replaces it when the value properties change', async () => {
    const generated = { GenerateSecretString: { PasswordLength: 24, ExcludePunctuation: true } };
    assert.equal(await deploy(h.engine, 'kept-secret', secret({ Name: 'kept', Description: 'one', ...generated })), 'CREATE_COMPLETE');
    const first = await valueOf('kept');
    assert.equal(await update(h.engine, 'kept-secret', secret({ Name: 'kept', Description: 'two', KmsKeyId: 'alias/kept', ...generated })), 'UPDATE_COMPLETE');
    assert.equal(await valueOf('kept'), first, 'a description change keeps the password');
    assert.deepEqual([(await described('kept')).Description, (await described('kept')).KmsKeyId], ['two', 'alias/kept']);
    assert.equal(await update(h.engine, 'kept-secret', secret({ Name: 'kept', Description: 'two', KmsKeyId: 'alias/kept', GenerateSecretString: { PasswordLength: 30, ExcludePunctuation: true } })), 'UPDATE_COMPLETE');
    const regenerated = await valueOf('kept');
    assert.equal(regenerated.length, 30, 'new generation options make a new password');
    assert.equal(await update(h.engine, 'kept-secret', secret({ Name: 'kept', Description: 'two', KmsKeyId: 'alias/kept', SecretString: 'given' })), 'UPDATE_COMPLETE');
    assert.equal(await valueOf('kept'), 'given');
    assert.equal(await update(h.engine, 'kept-secret', secret({ Name: 'kept', Description: 'two', KmsKeyId: 'alias/kept', SecretString: 'given again' })), 'UPDATE_COMPLETE');
    assert.equal(await valueOf('kept'), 'given again', 'a new SecretString alone reaches the secret');
  });

  it('sets, changes and removes tags on update, keeping the value, the description and the id Fn::GetAtt gives', async () => {
    const tagged = (tags: Record<string, string>) => ({
      ...secret({ Name: 'tagged', SecretString: 'value', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
      Outputs: { Id: { Value: { 'Fn::GetAtt': ['Secret', 'Id'] } } },
    });
    const tagsOf = async () => Object.fromEntries(((await described('tagged')).Tags ?? []).map((t) => [t.Key, t.Value]));
    assert.equal(await deploy(h.engine, 'tagged-secret', tagged({ team: 'data', env: 'dev', old: 'x' })), 'CREATE_COMPLETE');
    assert.deepEqual(await tagsOf(), { team: 'data', env: 'dev', old: 'x' });
    const arn = (await described('tagged')).ARN!;
    assert.deepEqual(await outputsOf(h.engine, 'tagged-secret'), { Id: arn });
    assert.equal(await update(h.engine, 'tagged-secret', tagged({ team: 'data', env: 'prod', added: 'y' })), 'UPDATE_COMPLETE');
    assert.deepEqual(await tagsOf(), { team: 'data', env: 'prod', added: 'y' });
    assert.equal(await valueOf('tagged'), 'value');
    assert.deepEqual([(await described('tagged')).Description, (await described('tagged')).KmsKeyId], [undefined, undefined], 'an update without them leaves no description or key');
    assert.deepEqual(await outputsOf(h.engine, 'tagged-secret'), { Id: arn });
    // A tag changed to the value another tag already has is still a change.
    assert.equal(await update(h.engine, 'tagged-secret', tagged({ team: 'data', env: 'prod', added: 'data' })), 'UPDATE_COMPLETE');
    assert.deepEqual(await tagsOf(), { team: 'data', env: 'prod', added: 'data' });
  });

  it('refuses a name that is taken, and deletes the secret with its stack', async () => {
    await h.aws.clients.secretsManager.send(new CreateSecretCommand({ Name: 'taken', SecretString: 'mine' }));
    assert.equal(await deploy(h.engine, 'taker', secret({ Name: 'taken', SecretString: 'theirs' })), 'ROLLBACK_COMPLETE');
    assert.equal(await failure('taker'), 'Secret CREATE_FAILED The operation failed because the secret taken already exists.');
    assert.equal(await valueOf('taken'), 'mine', 'the existing secret is untouched');

    assert.equal(await deploy(h.engine, 'gone-secret', secret({ Name: 'gone', SecretString: 's' })), 'CREATE_COMPLETE');
    await h.engine.deleteStack({ StackName: 'gone-secret' });
    await h.engine.settled();
    await assert.rejects(described('gone'), { name: 'ResourceNotFoundException' });
    assert.equal(await deploy(h.engine, 'gone-again', secret({ Name: 'gone', SecretString: 's' })), 'CREATE_COMPLETE', 'deleted without a recovery window: the name is free at once');

    await h.aws.clients.secretsManager.send(new DeleteSecretCommand({ SecretId: 'gone', ForceDeleteWithoutRecovery: true }));
    const { StackId } = (await h.engine.describeStacks({ StackName: 'gone-again' })).Stacks![0];
    await h.engine.deleteStack({ StackName: 'gone-again' });
    await h.engine.settled();
    assert.equal((await h.engine.describeStacks({ StackName: StackId })).Stacks![0].StackStatus, 'DELETE_COMPLETE', 'a secret already deleted by hand does not fail the delete');
  });
});
