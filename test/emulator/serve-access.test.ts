import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { serveLocalAws, type LocalAwsServer } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { rawRequest, sigV4Authorization } from './raw-http.ts';

const ATTACKER = 'http://attacker.example';
const APP = 'http://app.example:3000';
const victimTemplate = JSON.stringify({
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'victim-table', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } },
  },
});
const deleteTwoObjects = '<Delete><Object><Key>a.txt</Key></Object><Object><Key>b.txt</Key></Object></Delete>';

// A browser on another site's page, and a page that DNS rebinding has pointed at the server.
describe('local serve refuses requests that are not its own clients\'', () => {
  let local: LocalAws;
  let server: LocalAwsServer;
  let own: string;

  before(async () => {
    local = await LocalAws.open();
    server = await serveLocalAws(local, { port: 0, allowedHosts: ['host.docker.internal'] });
    own = `127.0.0.1:${server.port}`;
    await new CloudFormationClient(local.clientConfig()).send(new CreateStackCommand({ StackName: 'victim', TemplateBody: victimTemplate }));
    await local.settled();
    const s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'victim-bucket' }));
    for (const Key of ['a.txt', 'b.txt']) await s3.send(new PutObjectCommand({ Bucket: 'victim-bucket', Key, Body: Key }));
    await new SecretsManagerClient(local.clientConfig()).send(new CreateSecretCommand({ Name: 'victim-secret', SecretString: 'hunter2' }));
  });
  after(async () => {
    await server.close();
    await local.close();
  });

  /** The victim's stack, table, objects and secret, as they were. */
  async function assertUntouched(): Promise<void> {
    const [stack] = (await new CloudFormationClient(local.clientConfig()).send(new DescribeStacksCommand({ StackName: 'victim' }))).Stacks ?? [];
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal((await new DynamoDBClient(local.clientConfig()).send(new DescribeTableCommand({ TableName: 'victim-table' }))).Table?.TableStatus, 'ACTIVE');
    const objects = await new S3Client(local.clientConfig()).send(new ListObjectsV2Command({ Bucket: 'victim-bucket' }));
    assert.deepEqual(objects.Contents?.map((o) => o.Key), ['a.txt', 'b.txt']);
    const stacks = (await new CloudFormationClient(local.clientConfig()).send(new DescribeStacksCommand({}))).Stacks ?? [];
    assert.deepEqual(stacks.map((s) => s.StackName), ['victim']);
  }

  it('refuses a cross-site GET that would delete a stack (an <img> tag), whatever its Host', async () => {
    const path = '/?Action=DeleteStack&StackName=victim&Version=2010-05-15';
    const attempts: Record<string, string>[] = [
      { host: 'attacker.example', origin: ATTACKER },
      { host: own, origin: ATTACKER },
      { host: own, 'sec-fetch-site': 'cross-site' },
      { host: own, 'sec-fetch-site': 'same-site' },
      { host: own, origin: 'null' },
    ];
    for (const { host, ...headers } of attempts) {
      const reply = await rawRequest(server.port, { host, path, headers });
      assert.equal(reply.status, 403, JSON.stringify(headers));
      assert.match(reply.body, /<ErrorResponse xmlns="http:\/\/cloudformation.amazonaws.com\/doc\/2010-05-15\/"><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code>/);
    }
    const foreignHost = await rawRequest(server.port, { host: 'attacker.example', path });
    assert.match(foreignHost.body, /answers requests addressed to 127\.0\.0\.1:\d+, localhost:\d+, \[::1\]:\d+, \*\.localhost:\d+, host\.docker\.internal, not to attacker\.example.*--allow-host/);
    const crossSite = await rawRequest(server.port, { path, headers: { origin: ATTACKER } });
    assert.match(crossSite.body, /refused a cross-site request from http:\/\/attacker\.example: cloudformation answers no browser page of another site/);
    await local.settled();
    await assertUntouched();
  });

  it('refuses an unsigned request, even from no browser at all, as AWS does', async () => {
    const deleteStack = await rawRequest(server.port, { path: '/?Action=DeleteStack&StackName=victim&Version=2010-05-15' });
    assert.equal(deleteStack.status, 403);
    assert.match(deleteStack.body, /<Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/);

    const form = `Action=CreateStack&Version=2010-05-15&StackName=planted&TemplateBody=${encodeURIComponent(victimTemplate.replace('victim-table', 'planted-table'))}`;
    for (const headers of [{ origin: ATTACKER }, {}] as Record<string, string>[]) {
      const createStack = await rawRequest(server.port, { path: '/', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form });
      assert.equal(createStack.status, 403);
      assert.match(createStack.body, /<Code>(AccessDenied|MissingAuthenticationToken)<\/Code>/);
    }

    const getSecret = await rawRequest(server.port, { path: '/', method: 'POST', headers: { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1' }, body: '{"SecretId":"victim-secret"}' });
    assert.equal(getSecret.status, 400);
    assert.equal(getSecret.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    assert.doesNotMatch(getSecret.body, /hunter2/);

    const listObjects = await rawRequest(server.port, { path: '/victim-bucket' });
    assert.equal(listObjects.status, 403);
    assert.match(listObjects.body, /<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
    await local.settled();
    await assertUntouched();
  });

  it('refuses a cross-site form that posts an S3 batch delete as text/plain', async () => {
    for (const headers of [{ origin: ATTACKER }, { 'sec-fetch-site': 'cross-site' }, { origin: ATTACKER, ...sigV4Authorization('s3') }] as Record<string, string>[]) {
      const reply = await rawRequest(server.port, { path: '/victim-bucket?delete', method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: deleteTwoObjects });
      assert.equal(reply.status, 403, JSON.stringify(headers));
      assert.match(reply.body, /<Error><Code>AccessDenied<\/Code><Message>stackpilot local serve refused a cross-site request from .*: no CORS rule of the bucket allows it/);
    }
    await assertUntouched();
  });

  it('refuses a page that DNS rebinding points at the server, signed or not', async () => {
    for (const host of [`rebind.attacker.example:${server.port}`, 'rebind.attacker.example', `localhost:${server.port + 1}`, `127.0.0.1.attacker.example:${server.port}`]) {
      for (const signed of [{}, sigV4Authorization('secretsmanager')]) {
        const reply = await rawRequest(server.port, {
          host,
          path: '/',
          method: 'POST',
          headers: { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1', ...signed },
          body: '{"SecretId":"victim-secret"}',
        });
        assert.equal(reply.status, 403, host);
        assert.equal(reply.headers['x-amzn-errortype'], 'AccessDeniedException');
        assert.doesNotMatch(reply.body, /hunter2/);
      }
    }
  });

  it('answers signed requests addressed by its own names, from its own pages, and from names allowed with --allow-host', async () => {
    const secret = { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1', ...sigV4Authorization('secretsmanager') };
    const own = [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `LocalHost.:${server.port}`, 'host.docker.internal', 'host.docker.internal:8080'];
    for (const host of own) {
      const reply = await rawRequest(server.port, { host, path: '/', method: 'POST', headers: secret, body: '{"SecretId":"victim-secret"}' });
      assert.equal(reply.status, 200, `${host}: ${reply.body}`);
      assert.equal(JSON.parse(reply.body).SecretString, 'hunter2');
    }
    for (const headers of [{ origin: `http://127.0.0.1:${server.port}` }, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }] as Record<string, string>[]) {
      const reply = await rawRequest(server.port, { path: '/', method: 'POST', headers: { ...secret, ...headers }, body: '{"SecretId":"victim-secret"}' });
      assert.equal(reply.status, 200, JSON.stringify(headers));
    }
  });

  it('serves every SDK client over HTTP with whatever access key it is given', async () => {
    const config = { region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'AKIAANYTHING', secretAccessKey: 'whatever' } };
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'victim-bucket', Key: 'a.txt' }))).Body?.transformToString(), 'a.txt');
    assert.equal((await new DynamoDBClient(config).send(new DescribeTableCommand({ TableName: 'victim-table' }))).Table?.TableName, 'victim-table');
    assert.equal((await new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: 'victim' }))).Stacks?.[0].StackName, 'victim');
    const ssm = new SSMClient(config);
    await ssm.send(new PutParameterCommand({ Name: '/any/key', Type: 'String', Value: 'works' }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/any/key' }))).Parameter?.Value, 'works');
    assert.equal((await new SecretsManagerClient(config).send(new GetSecretValueCommand({ SecretId: 'victim-secret' }))).SecretString, 'hunter2');
  });

  it('lets a browser reach a bucket as its CORS configuration allows, preflight included, and no further', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'web-assets' }));
    await s3.send(new PutObjectCommand({ Bucket: 'web-assets', Key: 'logo.svg', Body: '<svg/>', ContentType: 'image/svg+xml' }));
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: 'web-assets',
        CORSConfiguration: { CORSRules: [{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 }] },
      }),
    );

    const preflight = await rawRequest(server.port, {
      path: '/web-assets/logo.svg',
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'Content-Type, X-Amz-Date', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(preflight.status, 200, preflight.body);
    assert.equal(preflight.headers['access-control-allow-origin'], APP);
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET, PUT');
    assert.equal(preflight.headers['access-control-allow-headers'], 'content-type, x-amz-date');
    assert.equal(preflight.headers['access-control-max-age'], '600');

    const link = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'web-assets', Key: 'logo.svg' }), { expiresIn: 60 });
    const download = await fetch(link, { headers: { origin: APP, 'sec-fetch-site': 'cross-site' } });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('access-control-allow-origin'), APP);
    assert.equal(download.headers.get('access-control-expose-headers'), 'ETag');
    assert.equal(await download.text(), '<svg/>');

    const refused = [
      // Another origin, a method the rule does not allow, a header it does not allow, a bucket without CORS.
      rawRequest(server.port, { path: '/web-assets/logo.svg', method: 'OPTIONS', headers: { origin: ATTACKER, 'access-control-request-method': 'GET' } }),
      rawRequest(server.port, { path: '/web-assets/logo.svg', method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'DELETE' } }),
      rawRequest(server.port, { path: '/web-assets/logo.svg', method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } }),
      rawRequest(server.port, { path: '/victim-bucket/a.txt', method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET' } }),
    ];
    for (const reply of await Promise.all(refused)) {
      assert.equal(reply.status, 403);
      assert.match(reply.body, /<Code>AccessForbidden<\/Code><Message>CORSResponse: /);
      assert.equal(reply.headers['access-control-allow-origin'], undefined);
    }
    const otherOrigin = await fetch(link, { headers: { origin: ATTACKER } });
    assert.equal(otherOrigin.status, 403);
    const deleteFromApp = await rawRequest(server.port, { path: '/web-assets/logo.svg', method: 'DELETE', headers: { origin: APP, ...sigV4Authorization('s3') } });
    assert.equal(deleteFromApp.status, 403);
    const preflightOtherService = await rawRequest(server.port, { path: '/?Action=DescribeStacks', method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET' } });
    assert.equal(preflightOtherService.status, 403);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'web-assets', Key: 'logo.svg' }))).ContentLength, 6);
    s3.destroy();
  });
});
