import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, GetParameterCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { serveLocalAws, type LocalAwsServer } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { rawRequest, sigV4Authorization } from './raw-http.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const JSON_SERVICES = [
  { service: 'ssm', target: 'AmazonSSM.GetParameter', contentType: 'application/x-amz-json-1.1' },
  { service: 'secretsmanager', target: 'secretsmanager.GetSecretValue', contentType: 'application/x-amz-json-1.1' },
  { service: 'dynamodb', target: 'DynamoDB_20120810.DeleteTable', contentType: 'application/x-amz-json-1.0' },
  { service: 'dynamodb', target: 'DynamoDB_20120810.DescribeTimeToLive', contentType: 'application/x-amz-json-1.0' },
  { service: 'dynamodb', target: 'DynamoDB_20120810.ListTables', contentType: 'application/x-amz-json-1.0' },
];

/** `<a><a>...</a></a>`, `depth` levels deep. */
function nested(depth: number, inner = ''): string {
  return `${'<a>'.repeat(depth)}${inner}${'</a>'.repeat(depth)}`;
}

describe('hostile requests to local serve', () => {
  let local: LocalAws;
  let server: LocalAwsServer;
  let s3: S3Client;

  before(async () => {
    local = await LocalAws.open();
    server = await serveLocalAws(local, { port: 0 });
    s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'hostile-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'hostile-bucket', Key: 'kept.txt', Body: 'still here' }));
  });
  after(async () => {
    s3.destroy();
    await server.close();
    await local.close();
  });

  it('answers a JSON body that is not an object with a SerializationException, as AWS does', async () => {
    for (const { service, target, contentType } of JSON_SERVICES) {
      for (const body of ['null', '[]', '42', '"name"', '{"Name":']) {
        const reply = await rawRequest(server.port, { path: '/', method: 'POST', headers: { ...sigV4Authorization(service), 'x-amz-target': target, 'content-type': contentType }, body });
        assert.equal(reply.status, 400, `${target} with ${body}: ${reply.body}`);
        // DynamoDB qualifies its error names (`com.amazonaws.dynamodb.v20120810#...`); the SDK reads the part after `#`.
        assert.equal(String(reply.headers['x-amzn-errortype']).replace(/^.*#/, ''), 'SerializationException', `${target} with ${body}: ${reply.body}`);
      }
    }
  });

  it('answers XML nested beyond any S3 document with MalformedXML, not a crash', async () => {
    for (const [path, method] of [
      ['/hostile-bucket/kept.txt?tagging', 'PUT'],
      ['/hostile-bucket?delete', 'POST'],
      ['/hostile-bucket?cors', 'PUT'],
    ] as const) {
      const reply = await rawRequest(server.port, { path, method, headers: sigV4Authorization('s3'), body: nested(100_000) });
      assert.equal(reply.status, 400, `${method} ${path}: ${reply.body.slice(0, 300)}`);
      assert.match(reply.body, /<Code>MalformedXML<\/Code>/);
    }
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: 'hostile-bucket', Key: 'kept.txt' }));
    assert.deepEqual(tags.TagSet, []);
  });

  it('answers a character reference to no character, and a copy source that is not URL-encoding, as client errors', async () => {
    const badReference = await rawRequest(server.port, {
      path: '/hostile-bucket/kept.txt?tagging',
      method: 'PUT',
      headers: sigV4Authorization('s3'),
      body: '<Tagging><TagSet><Tag><Key>&#x110000;</Key><Value>v</Value></Tag></TagSet></Tagging>',
    });
    assert.equal(badReference.status, 400);
    assert.match(badReference.body, /<Code>MalformedXML<\/Code>/);

    const badCopySource = await rawRequest(server.port, { path: '/hostile-bucket/copy.txt', method: 'PUT', headers: { ...sigV4Authorization('s3'), 'x-amz-copy-source': '/hostile-bucket/%E0%A4%A' } });
    assert.equal(badCopySource.status, 400);
    assert.match(badCopySource.body, /<Code>InvalidArgument<\/Code>/);
  });

  it('keeps SSM parameters and secrets named like Object.prototype members as any other name', async () => {
    const ssm = new SSMClient({ region: 'us-east-1', endpoint: server.url, credentials });
    const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: server.url, credentials });
    try {
      for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
        await assert.rejects(ssm.send(new GetParameterCommand({ Name: name })), { name: 'ParameterNotFound' }, `parameter ${name} before it is put`);
        await ssm.send(new PutParameterCommand({ Name: name, Type: 'String', Value: `value of ${name}` }));
        assert.equal((await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value, `value of ${name}`);
        await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: name })), { name: 'ResourceNotFoundException' }, `secret ${name} before it is created`);
        await secrets.send(new CreateSecretCommand({ Name: name, SecretString: `secret of ${name}` }));
        assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, `secret of ${name}`);
        assert.equal((await secrets.send(new DescribeSecretCommand({ SecretId: name }))).Name, name);
      }
      const { Parameters, InvalidParameters } = await ssm.send(new GetParametersCommand({ Names: ['__proto__', 'toString', 'valueOf'] }));
      assert.deepEqual(Parameters?.map((p) => p.Name).sort(), ['__proto__', 'toString']);
      assert.deepEqual(InvalidParameters, ['valueOf']);
      assert.deepEqual((await secrets.send(new ListSecretsCommand({}))).SecretList?.map((s) => s.Name).sort(), ['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
      await ssm.send(new DeleteParameterCommand({ Name: '__proto__' }));
      await assert.rejects(ssm.send(new GetParameterCommand({ Name: '__proto__' })), { name: 'ParameterNotFound' });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    } finally {
      ssm.destroy();
      secrets.destroy();
    }
  });
});
