import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { serveLocalAws, type LocalAwsServer } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';

const TEAM = { accessKeyId: 'AKIATEAMKEY', secretAccessKey: 'team/secret+key' };

/** One client of each service for `server`, signing with `credentials`; no retries, so a refusal is the answer. */
function clients(server: LocalAwsServer, credentials: { accessKeyId: string; secretAccessKey: string }, extra: { systemClockOffset?: number } = {}) {
  const config = { region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1, ...extra };
  return {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    cloudformation: new CloudFormationClient(config),
    sts: new STSClient(config),
    dynamodb: new DynamoDBClient(config),
    ssm: new SSMClient(config),
    secrets: new SecretsManagerClient(config),
  };
}

describe('presigned URLs', () => {
  let local: LocalAws;
  let server: LocalAwsServer;
  let s3: S3Client;

  before(async () => {
    local = await LocalAws.open();
    server = await serveLocalAws(local, { port: 0 });
    s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'links' }));
    await s3.send(new PutObjectCommand({ Bucket: 'links', Key: 'kept.txt', Body: 'still here' }));
  });
  after(async () => {
    s3.destroy();
    await server.close();
    await local.close();
  });

  it('refuses presigned URLs whose date is not a date, or is yet to come, as S3 does', async () => {
    const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'links', Key: 'kept.txt' }), { expiresIn: 60 }));
    assert.equal((await fetch(url)).status, 200);

    for (const date of ['99999999T999999Z', '20251301T000000Z', '20250230T120000Z', '20250101T250000Z', '2025-01-01T00:00:00Z']) {
      url.searchParams.set('X-Amz-Date', date);
      const reply = await fetch(url);
      assert.equal(reply.status, 400, date);
      assert.match(await reply.text(), /<Code>AuthorizationQueryParametersError<\/Code><Message>X-Amz-Date must be in the ISO8601 Long Format/, date);
    }

    const future = await fetch(await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'links', Key: 'kept.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() + 3_600_000) }));
    assert.equal(future.status, 403);
    assert.match(await future.text(), /<Code>AccessDenied<\/Code><Message>Request is not valid yet<\/Message>/);

    const withoutExpiry = new URL(url);
    withoutExpiry.searchParams.delete('X-Amz-Expires');
    const incomplete = await fetch(withoutExpiry);
    assert.equal(incomplete.status, 400);
    assert.match(await incomplete.text(), /<Code>AuthorizationQueryParametersError<\/Code><Message>Query-string authentication version 4 requires/);
  });

  it('are S3\'s alone: a signed query does not authenticate another service\'s action', async () => {
    const link = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'links', Key: 'kept.txt' }), { expiresIn: 60 }));
    const credential = link.searchParams.get('X-Amz-Credential')!.replace('/s3/', '/cloudformation/');
    link.pathname = '/';
    link.search = `Action=DescribeStacks&Version=2010-05-15&${link.search.slice(1)}`;
    link.searchParams.set('X-Amz-Credential', credential);
    const reply = await fetch(link);
    assert.equal(reply.status, 403);
    assert.match(await reply.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  });
});

describe('local serve --credentials', () => {
  let local: LocalAws;
  let server: LocalAwsServer;

  before(async () => {
    local = await LocalAws.open();
    server = await serveLocalAws(local, { port: 0, credentials: TEAM });
  });
  after(async () => {
    await server.close();
    await local.close();
  });

  it('answers every service signed with the key pair it was given', async () => {
    const { s3, cloudformation, sts, dynamodb, ssm, secrets } = clients(server, TEAM);
    await s3.send(new CreateBucketCommand({ Bucket: 'team-bucket' }));
    // Keys whose signed paths need encoding, one way in S3 and another in the other services.
    const keys = ['plain.txt', 'with space/and+plus&amp=equals.txt', 'ünï/cødé ☃.txt', "quote's (paren) *star*!.txt"];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'team-bucket', Key, Body: `body of ${Key}`, Metadata: { owner: 'team' } }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'team-bucket', Prefix: 'with space/', Delimiter: '/', MaxKeys: 10 }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['with space/and+plus&amp=equals.txt']);
    for (const Key of keys) assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'team-bucket', Key }))).Body?.transformToString(), `body of ${Key}`);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'team-bucket', Key: keys[2] }))).Metadata?.owner, 'team');
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: 'team-bucket', Delete: { Objects: [{ Key: keys[0] }] } }));
    assert.deepEqual(deleted.Deleted?.map((d) => d.Key), [keys[0]]);

    const link = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'team-bucket', Key: keys[2], ResponseContentDisposition: 'attachment; filename="snow.txt"' }), { expiresIn: 60 });
    const download = await fetch(link);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-disposition'), 'attachment; filename="snow.txt"');

    const template = JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } } } });
    await cloudformation.send(new CreateStackCommand({ StackName: 'team-stack', TemplateBody: template, Parameters: [], Tags: [{ Key: 'team', Value: 'a b&c' }] }));
    assert.equal((await cloudformation.send(new DescribeStacksCommand({ StackName: 'team-stack' }))).Stacks?.[0].StackName, 'team-stack');
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '123456789012');

    await dynamodb.send(new CreateTableCommand({ TableName: 'team-table', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await dynamodb.send(new PutItemCommand({ TableName: 'team-table', Item: { id: { S: 'one' }, note: { S: 'ünï' } } }));
    assert.equal((await dynamodb.send(new GetItemCommand({ TableName: 'team-table', Key: { id: { S: 'one' } } }))).Item?.note.S, 'ünï');
    await ssm.send(new PutParameterCommand({ Name: '/team/flag', Type: 'SecureString', Value: 'on' }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/team/flag', WithDecryption: true }))).Parameter?.Value, 'on');
    await secrets.send(new CreateSecretCommand({ Name: 'team-secret', SecretString: 'hunter2' }));
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'team-secret' }))).SecretString, 'hunter2');
    await local.settled();
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (InvalidSignatureException in the JSON services), and an unknown key, as AWS does', async () => {
    const wrongSecret = clients(server, { ...TEAM, secretAccessKey: 'guessed' });
    await assert.rejects(wrongSecret.s3.send(new ListObjectsV2Command({ Bucket: 'team-bucket' })), { name: 'SignatureDoesNotMatch' });
    await assert.rejects(wrongSecret.cloudformation.send(new DescribeStacksCommand({})), { name: 'SignatureDoesNotMatch' });
    await assert.rejects(wrongSecret.sts.send(new GetCallerIdentityCommand({})), { name: 'SignatureDoesNotMatch' });
    await assert.rejects(wrongSecret.dynamodb.send(new GetItemCommand({ TableName: 'team-table', Key: { id: { S: 'one' } } })), { name: 'InvalidSignatureException' });
    await assert.rejects(wrongSecret.ssm.send(new GetParameterCommand({ Name: '/team/flag' })), { name: 'InvalidSignatureException' });
    await assert.rejects(wrongSecret.secrets.send(new GetSecretValueCommand({ SecretId: 'team-secret' })), { name: 'InvalidSignatureException' });

    const unknownKey = clients(server, { accessKeyId: 'AKIAOTHER', secretAccessKey: TEAM.secretAccessKey });
    await assert.rejects(unknownKey.s3.send(new ListObjectsV2Command({ Bucket: 'team-bucket' })), { name: 'InvalidAccessKeyId' });
    await assert.rejects(unknownKey.cloudformation.send(new DescribeStacksCommand({})), { name: 'InvalidClientTokenId' });
    await assert.rejects(unknownKey.secrets.send(new GetSecretValueCommand({ SecretId: 'team-secret' })), { name: 'UnrecognizedClientException' });

    const wrongLink = await getSignedUrl(wrongSecret.s3, new GetObjectCommand({ Bucket: 'team-bucket', Key: 'plain.txt' }), { expiresIn: 60 });
    const refused = await fetch(wrongLink);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it('refuses a signed request altered on the way: another object, another body, another time', async () => {
    const { s3, secrets } = clients(server, TEAM);
    const link = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'team-bucket', Key: 'with space/and+plus&amp=equals.txt' }), { expiresIn: 60 }));
    link.pathname = link.pathname.replace('equals', 'other');
    assert.equal((await fetch(link)).status, 403);

    // The body is signed: a request whose body changed after signing asks for something else.
    // Typed loosely: the middleware stack's types are the SDK's internals.
    const alterBody = (next: any) => async (args: any) => {
      const request = args.request as { body: string; headers: Record<string, string> };
      request.body = JSON.stringify({ SecretId: 'team-secret', VersionStage: 'AWSPREVIOUS' });
      request.headers['content-length'] = String(Buffer.byteLength(request.body));
      return next(args);
    };
    secrets.middlewareStack.addRelativeTo(alterBody, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'alterBody' });
    await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: 'team-secret' })), { name: 'InvalidSignatureException' });

    const anHourSlow = clients(server, TEAM, { systemClockOffset: -3_600_000 });
    await assert.rejects(anHourSlow.s3.send(new ListObjectsV2Command({ Bucket: 'team-bucket' })), { name: 'RequestTimeTooSkewed' });
    await assert.rejects(anHourSlow.dynamodb.send(new GetItemCommand({ TableName: 'team-table', Key: { id: { S: 'one' } } })), { name: 'InvalidSignatureException', message: /Signature expired/ });
  });
});
