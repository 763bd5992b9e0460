import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { serveLocalAws, type LocalAwsServer } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { rawRequest, sigV4Authorization } from './raw-http.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('local serve over HTTP', () => {
  let local: LocalAws;
  let server: LocalAwsServer;

  before(async () => {
    local = await LocalAws.open();
    server = await serveLocalAws(local, { port: 0 });
  });
  after(async () => {
    await server.close();
    await local.close();
  });

  it('listens on 127.0.0.1 and serves SDK clients using the ordinary HTTP transport', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'served-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'served-bucket', Key: 'hello.txt', Body: 'over the wire', ContentType: 'text/plain' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'served-bucket', Key: 'hello.txt' }));
    assert.equal(await got.Body?.transformToString(), 'over the wire');
    // The same data plane as in-process clients.
    const inProcess = await new S3Client(local.clientConfig()).send(new GetObjectCommand({ Bucket: 'served-bucket', Key: 'hello.txt' }));
    assert.equal(await inProcess.Body?.transformToString(), 'over the wire');

    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: server.url, credentials });
    await dynamodb.send(new CreateTableCommand({ TableName: 'served', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    assert.deepEqual((await dynamodb.send(new ListTablesCommand({}))).TableNames, ['served']);
    const identity = await new STSClient({ region: 'us-east-1', endpoint: server.url, credentials }).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '123456789012');

    const cloudformation = new CloudFormationClient({ region: 'eu-west-1', endpoint: server.url, credentials });
    const template = JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } } } });
    const { StackId } = await cloudformation.send(new CreateStackCommand({ StackName: 'served-stack', TemplateBody: template }));
    assert.match(StackId ?? '', /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/served-stack\//);
    await local.settled();
    const [stack] = (await cloudformation.send(new DescribeStacksCommand({ StackName: 'served-stack' }))).Stacks ?? [];
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    await assert.rejects(cloudformation.send(new DescribeStacksCommand({ StackName: 'missing' })), { name: 'ValidationError', message: 'Stack with id missing does not exist' });
  });

  it('serves presigned GETs (query-string authentication) within their lifetime', async () => {
    const s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'presigned-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'presigned-bucket', Key: 'reports/q1 final.csv', Body: 'a,b\n1,2\n', ContentType: 'text/csv' }));
    const served = new S3Client({ region: 'us-east-1', endpoint: server.url, credentials, forcePathStyle: true });
    const presign = (Key: string, options: { expiresIn?: number; signingDate?: Date } = {}) => getSignedUrl(served, new GetObjectCommand({ Bucket: 'presigned-bucket', Key }), options);

    const response = await fetch(await presign('reports/q1 final.csv'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/csv');
    assert.equal(await response.text(), 'a,b\n1,2\n');

    const missing = await fetch(await presign('nope.csv'));
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<Code>NoSuchKey<\/Code>/);

    const expired = await fetch(await presign('reports/q1 final.csv', { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) }));
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);

    const tooLong = new URL(await presign('reports/q1 final.csv'));
    tooLong.searchParams.set('X-Amz-Expires', '604801');
    const refused = await fetch(tooLong);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /<Code>AuthorizationQueryParametersError<\/Code><Message>X-Amz-Expires must be less than a week/);
  });

  it('understands virtual-host-style bucket addressing', async () => {
    const s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'vhost-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'site/index.html', Body: '<h1>hi</h1>' }));
    for (const host of [`vhost-bucket.localhost:${server.port}`, `vhost-bucket.s3.localhost:${server.port}`]) {
      const overHttp = await rawRequest(server.port, { host, path: '/site/index.html', headers: sigV4Authorization('s3') });
      assert.deepEqual([overHttp.status, overHttp.body], [200, '<h1>hi</h1>'], host);
    }
    const pathStyle = await rawRequest(server.port, { host: `s3.localhost:${server.port}`, path: '/vhost-bucket/site/index.html', headers: sigV4Authorization('s3') });
    assert.deepEqual([pathStyle.status, pathStyle.body], [200, '<h1>hi</h1>']);

    const virtualHosted = new S3Client({ ...local.clientConfig(), forcePathStyle: false });
    const got = await virtualHosted.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'site/index.html' }));
    assert.equal(await got.Body?.transformToString(), '<h1>hi</h1>');
  });

  it('answers malformed and unknown requests with AWS error documents', async () => {
    const s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'strict-bucket' }));
    const malformed = await rawRequest(server.port, { path: '/strict-bucket?tagging', method: 'PUT', headers: sigV4Authorization('s3'), body: '<Tagging><TagSet><Tag></TagSet></Tagging>' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body, /<Error><Code>MalformedXML<\/Code>/);

    const unknownAction = await rawRequest(server.port, {
      path: '/',
      method: 'POST',
      headers: { ...sigV4Authorization('cloudformation'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeStackSet&Version=2010-05-15&StackSetName=x',
    });
    assert.equal(unknownAction.status, 400);
    assert.match(unknownAction.body, /<ErrorResponse xmlns="http:\/\/cloudformation.amazonaws.com\/doc\/2010-05-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });
});
