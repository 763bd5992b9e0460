import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, GetParameterCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { LocalAws } from '../../src/emulator/local-aws.ts';

describe('STS, SSM and Secrets Manager emulators through the SDK', () => {
  let local: LocalAws;

  before(async () => {
    local = await LocalAws.open({ accountId: '210987654321', region: 'eu-west-1' });
  });
  after(() => local.close());

  it('answers GetCallerIdentity with the local account', async () => {
    const identity = await new STSClient(local.clientConfig()).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '210987654321');
    assert.equal(identity.Arn, 'arn:aws:iam::210987654321:user/stackpilot-local');
    assert.ok(identity.UserId);
    assert.ok(identity.$metadata.requestId);
  });

  it('versions parameters and selects them by name:version', async () => {
    const ssm = new SSMClient(local.clientConfig());
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db-1.internal', Type: 'String' }))).Version, 1);
    await assert.rejects(ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db-2.internal', Type: 'String' })), { name: 'ParameterAlreadyExists' });
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db-2.internal', Overwrite: true }))).Version, 2);

    const latest = (await ssm.send(new GetParameterCommand({ Name: '/app/db/host' }))).Parameter;
    assert.equal(latest?.Value, 'db-2.internal');
    assert.equal(latest?.Version, 2);
    assert.equal(latest?.ARN, 'arn:aws:ssm:eu-west-1:210987654321:parameter/app/db/host');
    assert.ok(latest?.LastModifiedDate instanceof Date);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/db/host:1' }))).Parameter?.Value, 'db-1.internal');
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/app/db/host:9' })), { name: 'ParameterVersionNotFound' });

    await ssm.send(new PutParameterCommand({ Name: 'zones', Value: 'a,b,c', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: 'api-key', Value: 'k-123', Type: 'SecureString' }));
    const hidden = (await ssm.send(new GetParameterCommand({ Name: 'api-key' }))).Parameter;
    assert.equal(hidden?.Type, 'SecureString');
    assert.notEqual(hidden?.Value, 'k-123');
    assert.equal((await ssm.send(new GetParameterCommand({ Name: 'api-key', WithDecryption: true }))).Parameter?.Value, 'k-123');

    const many = await ssm.send(new GetParametersCommand({ Names: ['zones', 'missing', 'api-key'], WithDecryption: true }));
    assert.deepEqual(many.Parameters?.map((p) => [p.Name, p.Type, p.Value]), [
      ['zones', 'StringList', 'a,b,c'],
      ['api-key', 'SecureString', 'k-123'],
    ]);
    assert.deepEqual(many.InvalidParameters, ['missing']);

    await ssm.send(new DeleteParameterCommand({ Name: 'zones' }));
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: 'zones' })), { name: 'ParameterNotFound' });
    await assert.rejects(ssm.send(new DeleteParameterCommand({ Name: 'zones' })), { name: 'ParameterNotFound' });
    // Other regions have their own parameters.
    await assert.rejects(new SSMClient(local.clientConfig('us-east-1')).send(new GetParameterCommand({ Name: '/app/db/host' })), { name: 'ParameterNotFound' });
  });

  it('stores secrets with ARNs, versions and staging labels', async () => {
    const secrets = new SecretsManagerClient(local.clientConfig());
    const created = await secrets.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: '{"password":"one"}', Description: 'database' }));
    assert.match(created.ARN ?? '', /^arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod\/db-[A-Za-z0-9]{6}$/);
    await assert.rejects(secrets.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: 'x' })), { name: 'ResourceExistsException' });

    const byName = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }));
    assert.equal(byName.SecretString, '{"password":"one"}');
    assert.deepEqual(byName.VersionStages, ['AWSCURRENT']);
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: created.ARN }))).VersionId, created.VersionId);

    const put = await secrets.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: '{"password":"two"}' }));
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db', VersionStage: 'AWSCURRENT' }))).SecretString, '{"password":"two"}');
    const previous = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db', VersionStage: 'AWSPREVIOUS' }));
    assert.equal(previous.VersionId, created.VersionId);
    assert.equal(previous.SecretString, '{"password":"one"}');

    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'prod/db' }));
    assert.equal(described.Description, 'database');
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSPREVIOUS'], [put.VersionId!]: ['AWSCURRENT'] });

    const binary = await secrets.send(new CreateSecretCommand({ Name: 'cert', SecretBinary: Buffer.from([1, 2, 3]) }));
    const binaryValue = await secrets.send(new GetSecretValueCommand({ SecretId: binary.ARN }));
    assert.deepEqual(Buffer.from(binaryValue.SecretBinary!), Buffer.from([1, 2, 3]));

    const scheduled = await secrets.send(new DeleteSecretCommand({ SecretId: 'cert', RecoveryWindowInDays: 7 }));
    assert.ok(scheduled.DeletionDate instanceof Date && scheduled.DeletionDate.getTime() > Date.now() + 6 * 86400_000);
    await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: 'cert' })), { name: 'InvalidRequestException' });
    await secrets.send(new DeleteSecretCommand({ SecretId: 'prod/db', ForceDeleteWithoutRecovery: true }));
    await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' })), {
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  });
});
