import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  DeleteSecretCommand,
  type ListSecretsCommandInput,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { LocalAws } from '../../src/emulator/local-aws.ts';

// Shapes, limits and errors below are those of the Secrets Manager API reference:
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecretVersionIds.html (MaxResults 1-100, IncludeDeprecated)
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html (moving AWSCURRENT moves AWSPREVIOUS)
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html and API_Filter.html (filter keys, prefix matching, `!`)
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:rotate-db';

describe('Secrets Manager data-plane calls through the SDK', () => {
  let local: LocalAws;
  let secrets: SecretsManagerClient;

  before(async () => {
    local = await LocalAws.open({ accountId: '123456789012', region: 'us-east-1' });
    secrets = new SecretsManagerClient(local.clientConfig());
  });
  after(() => local.close());

  const stagesOf = async (SecretId: string, IncludeDeprecated = false) =>
    Object.fromEntries(((await secrets.send(new ListSecretVersionIdsCommand({ SecretId, IncludeDeprecated }))).Versions ?? []).map((v) => [v.VersionId!, v.VersionStages ?? []]));

  it('ListSecretVersionIds: the labelled versions, the deprecated ones on request, a page at a time', async () => {
    const v1 = (await secrets.send(new CreateSecretCommand({ Name: 'versions', SecretString: 'one' }))).VersionId!;
    const v2 = (await secrets.send(new PutSecretValueCommand({ SecretId: 'versions', SecretString: 'two' }))).VersionId!;
    const v3 = (await secrets.send(new PutSecretValueCommand({ SecretId: 'versions', SecretString: 'three' }))).VersionId!;
    const pending = (await secrets.send(new PutSecretValueCommand({ SecretId: 'versions', SecretString: 'four', VersionStages: ['AWSPENDING'] }))).VersionId!;
    assert.deepEqual(await stagesOf('versions'), { [v2]: ['AWSPREVIOUS'], [v3]: ['AWSCURRENT'], [pending]: ['AWSPENDING'] });
    // Version 1 lost its last label: deprecated, listed only with IncludeDeprecated, still readable by id.
    assert.deepEqual((await stagesOf('versions', true))[v1], []);
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'versions', VersionId: v1 }))).SecretString, 'one');
    assert.deepEqual(Object.keys((await secrets.send(new DescribeSecretCommand({ SecretId: 'versions' }))).VersionIdsToStages ?? {}).sort(), [v2, v3, pending].sort());

    const first = await secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'versions', IncludeDeprecated: true, MaxResults: 3 }));
    assert.equal(first.Versions?.length, 3);
    assert.equal(first.Name, 'versions');
    assert.ok(first.ARN?.startsWith('arn:aws:secretsmanager:us-east-1:123456789012:secret:versions-'));
    const second = await secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'versions', IncludeDeprecated: true, MaxResults: 3, NextToken: first.NextToken }));
    assert.equal(second.NextToken, undefined);
    assert.deepEqual([...(first.Versions ?? []), ...second.Versions ?? []].map((v) => v.VersionId).sort(), [v1, v2, v3, pending].sort());
    assert.ok(second.Versions?.[0].CreatedDate instanceof Date);

    await assert.rejects(secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'versions', MaxResults: 101 })), { name: 'ValidationException' });
    await assert.rejects(secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'no-such-secret' })), { name: 'ResourceNotFoundException' });
  });

  it('TagResource and UntagResource: tags as DescribeSecret shows them', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 's', Tags: [{ Key: 'env', Value: 'prod' }] }));
    await secrets.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'data' }] }));
    assert.deepEqual((await secrets.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'data' }]);
    await secrets.send(new UntagResourceCommand({ SecretId: 'tagged', TagKeys: ['env'] }));
    assert.deepEqual((await secrets.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags, [{ Key: 'team', Value: 'data' }]);
    await assert.rejects(secrets.send(new TagResourceCommand({ SecretId: 'no-such-secret', Tags: [] })), { name: 'ResourceNotFoundException' });
    await assert.rejects(secrets.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [] })), { name: 'ValidationException' });
    await assert.rejects(secrets.send(new UntagResourceCommand({ SecretId: 'tagged', TagKeys: [] })), { name: 'ValidationException' });
    assert.deepEqual((await secrets.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags, [{ Key: 'team', Value: 'data' }], 'an empty list is refused and changes nothing');
  });

  it('RotateSecret without a rotation function: refused as AWS refuses it', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'unrotated', SecretString: 's' }));
    // The error AWS answers, recorded from the AWS CLI in https://github.com/getmoto/moto/pull/3912.
    await assert.rejects(secrets.send(new RotateSecretCommand({ SecretId: 'unrotated' })), {
      name: 'InvalidRequestException',
      message: 'No Lambda rotation function ARN is associated with this secret.',
    });
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'unrotated' }));
    assert.equal(described.RotationEnabled, false);
    await assert.rejects(secrets.send(new RotateSecretCommand({ SecretId: 'unrotated', RotationLambdaARN: LAMBDA, RotationRules: { AutomaticallyAfterDays: 0 } })), { name: 'InvalidParameterException' });
  });

  it('RotateSecret with a function: records the configuration; the caller does the function part and the stages move as in AWS', async () => {
    const original = (await secrets.send(new CreateSecretCommand({ Name: 'db-credentials', SecretString: 'pw-1' }))).VersionId!;
    const rotation = await secrets.send(new RotateSecretCommand({ SecretId: 'db-credentials', RotationLambdaARN: LAMBDA, RotationRules: { AutomaticallyAfterDays: 30 } }));
    const token = rotation.VersionId!;
    assert.ok(token);
    const configured = await secrets.send(new DescribeSecretCommand({ SecretId: 'db-credentials' }));
    assert.equal(configured.RotationEnabled, true);
    assert.equal(configured.RotationLambdaARN, LAMBDA);
    assert.deepEqual(configured.RotationRules, { AutomaticallyAfterDays: 30 });
    assert.equal(configured.LastRotatedDate, undefined);
    // No function runs locally: the value stays until the function's steps are done.
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'db-credentials' }))).SecretString, 'pw-1');

    // createSecret step: the new value under the rotation's VersionId, labelled AWSPENDING.
    await secrets.send(new PutSecretValueCommand({ SecretId: 'db-credentials', ClientRequestToken: token, SecretString: 'pw-2', VersionStages: ['AWSPENDING'] }));
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'db-credentials', VersionStage: 'AWSPENDING' }))).SecretString, 'pw-2');
    await assert.rejects(secrets.send(new RotateSecretCommand({ SecretId: 'db-credentials' })), { name: 'InvalidRequestException' }, 'a rotation in progress');

    // finishSecret step: AWSCURRENT moves; the version it left becomes AWSPREVIOUS.
    await assert.rejects(secrets.send(new UpdateSecretVersionStageCommand({ SecretId: 'db-credentials', VersionStage: 'AWSCURRENT', MoveToVersionId: token })), { name: 'InvalidParameterException' }, 'RemoveFromVersionId must name the holder');
    await secrets.send(new UpdateSecretVersionStageCommand({ SecretId: 'db-credentials', VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: original }));
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'db-credentials' }))).SecretString, 'pw-2');
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'db-credentials', VersionStage: 'AWSPREVIOUS' }))).SecretString, 'pw-1');
    const rotated = await secrets.send(new DescribeSecretCommand({ SecretId: 'db-credentials' }));
    assert.ok(rotated.LastRotatedDate instanceof Date);
    await secrets.send(new UpdateSecretVersionStageCommand({ SecretId: 'db-credentials', VersionStage: 'AWSPENDING', RemoveFromVersionId: token }));
    assert.deepEqual(rotated.VersionIdsToStages?.[original], ['AWSPREVIOUS']);

    // A second rotation reuses the recorded function and rules; cancelling turns rotation off.
    const again = await secrets.send(new RotateSecretCommand({ SecretId: 'db-credentials', RotateImmediately: false }));
    assert.equal(again.VersionId, undefined);
    await secrets.send(new CancelRotateSecretCommand({ SecretId: 'db-credentials' }));
    const cancelled = await secrets.send(new DescribeSecretCommand({ SecretId: 'db-credentials' }));
    assert.equal(cancelled.RotationEnabled, false);
    assert.equal(cancelled.RotationLambdaARN, LAMBDA);
  });

  it('ListSecrets: filters by name, description, tags and words, negation, planned deletions on request, a page at a time', async () => {
    const other = new SecretsManagerClient(local.clientConfig('eu-central-1'));
    const create = (Name: string, Description: string, Tags: { Key: string; Value: string }[]) => other.send(new CreateSecretCommand({ Name, Description, Tags, SecretString: 's' }));
    await create('prod/DatabaseSecret', 'Primary database', [{ Key: 'env', Value: 'production' }]);
    await create('prod/api-key', 'Key of the partner API', [{ Key: 'env', Value: 'production' }, { Key: 'team', Value: 'web' }]);
    await create('dev/databaseSecret', 'database for tests', [{ Key: 'env', Value: 'dev' }]);
    await create('retired', 'old one', []);
    await other.send(new DeleteSecretCommand({ SecretId: 'retired', RecoveryWindowInDays: 7 }));
    const names = async (input: ListSecretsCommandInput) => {
      const found: string[] = [];
      let token: string | undefined;
      do {
        const reply = await other.send(new ListSecretsCommand({ ...input, NextToken: token }));
        found.push(...(reply.SecretList ?? []).map((secret) => secret.Name!));
        token = reply.NextToken;
      } while (token);
      return found.sort();
    };
    assert.deepEqual(await names({}), ['dev/databaseSecret', 'prod/DatabaseSecret', 'prod/api-key']);
    assert.deepEqual(await names({ MaxResults: 1 }), ['dev/databaseSecret', 'prod/DatabaseSecret', 'prod/api-key']);
    assert.deepEqual(await names({ IncludePlannedDeletion: true }), ['dev/databaseSecret', 'prod/DatabaseSecret', 'prod/api-key', 'retired']);
    // name: prefix, case-sensitive; description: prefix, not case-sensitive.
    assert.deepEqual(await names({ Filters: [{ Key: 'name', Values: ['prod/'] }] }), ['prod/DatabaseSecret', 'prod/api-key']);
    assert.deepEqual(await names({ Filters: [{ Key: 'name', Values: ['Prod/'] }] }), []);
    assert.deepEqual(await names({ Filters: [{ Key: 'description', Values: ['DATABASE'] }] }), ['dev/databaseSecret']);
    assert.deepEqual(await names({ Filters: [{ Key: 'tag-key', Values: ['team'] }] }), ['prod/api-key']);
    assert.deepEqual(await names({ Filters: [{ Key: 'tag-value', Values: ['prod'] }, { Key: 'name', Values: ['!prod/api'] }] }), ['prod/DatabaseSecret']);
    assert.deepEqual(await names({ Filters: [{ Key: 'all', Values: ['database'] }] }), ['dev/databaseSecret', 'prod/DatabaseSecret']);
    // Listed by creation date: oldest first with SortOrder asc, newest first otherwise.
    const created = async (SortOrder?: 'asc' | 'desc') => ((await other.send(new ListSecretsCommand({ SortOrder }))).SecretList ?? []).map((secret) => secret.CreatedDate!.getTime());
    const ascending = await created('asc');
    assert.equal(ascending.length, 3);
    assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
    assert.deepEqual(await created(), [...ascending].reverse());
    const [entry] = (await other.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['prod/api-key'] }] }))).SecretList ?? [];
    assert.deepEqual(Object.values(entry.SecretVersionsToStages ?? {}), [['AWSCURRENT']]);
    await assert.rejects(other.send(new ListSecretsCommand({ MaxResults: 101 })), { name: 'ValidationException' });
    await assert.rejects(other.send(new ListSecretsCommand({ NextToken: 'not-a-token' })), { name: 'InvalidNextTokenException' });
  });
});
