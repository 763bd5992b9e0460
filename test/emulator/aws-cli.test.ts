import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { serveLocalAws, type LocalAwsServer } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

const run = promisify(execFile);

/** Runs the aws CLI against `local serve`, isolated from the user's own AWS configuration, with key `test`/`test` unless given. */
async function aws(server: LocalAwsServer, ...args: string[]): Promise<string> {
  return awsAs(server, { accessKeyId: 'test', secretAccessKey: 'test' }, ...args);
}

async function awsAs(server: LocalAwsServer, credentials: { accessKeyId: string; secretAccessKey: string }, ...args: string[]): Promise<string> {
  const isolated = temporaryFolder('awscli');
  try {
    const { stdout } = await run('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: isolated,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: join(isolated, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(isolated, 'credentials'),
        AWS_PAGER: '',
      },
    });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail('The aws CLI is not on PATH: install it (pip install awscli, or AWS CLI v2) to run these tests.');
    }
    const { stderr } = error as { stderr?: string };
    throw new Error(`aws ${args.join(' ')} failed: ${stderr ?? String(error)}`, { cause: error });
  }
}

// One in-memory local AWS, served for every suite of this file: each uses names of its own.
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

describe('the aws CLI against local serve', () => {
  it('creates and lists buckets, copies files up and presigns a link', async () => {
    await aws(server, 's3api', 'create-bucket', '--bucket', 'cli-bucket');
    const listed = JSON.parse(await aws(server, 's3api', 'list-buckets')) as { Buckets: { Name: string }[] };
    assert.deepEqual(listed.Buckets.map((b) => b.Name), ['cli-bucket']);

    const file = join(temporaryFolder('cli-upload'), 'notes with space.txt');
    writeFileSync(file, 'uploaded by the aws CLI');
    await aws(server, 's3', 'cp', file, 's3://cli-bucket/docs/notes with space.txt');
    const objects = JSON.parse(await aws(server, 's3api', 'list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'docs/')) as { Contents: { Key: string; Size: number }[] };
    assert.deepEqual(objects.Contents.map((o) => [o.Key, o.Size]), [['docs/notes with space.txt', 23]]);

    const link = (await aws(server, 's3', 'presign', 's3://cli-bucket/docs/notes with space.txt')).trim();
    const response = await fetch(link);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'uploaded by the aws CLI');
  });

  it('deploys and describes CloudFormation stacks, and reports their errors', async () => {
    const templateFile = join(temporaryFolder('cli-template'), 'template.json');
    writeFileSync(templateFile, JSON.stringify({ Parameters: { Stage: { Type: 'String' } }, Resources: { Queue: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'Stage' } } } }, Outputs: { Stage: { Value: { Ref: 'Stage' } } } }));
    const created = JSON.parse(
      await aws(server, 'cloudformation', 'create-stack', '--stack-name', 'cli-stack', '--template-body', `file://${templateFile}`, '--parameters', 'ParameterKey=Stage,ParameterValue=beta', '--tags', 'Key=owner,Value=cli'),
    ) as { StackId: string };
    assert.match(created.StackId, /^arn:aws:cloudformation:us-east-1:123456789012:stack\/cli-stack\//);
    await local.settled();
    const described = JSON.parse(await aws(server, 'cloudformation', 'describe-stacks')) as { Stacks: { StackName: string; StackStatus: string; Outputs: unknown; Tags: unknown }[] };
    assert.equal(described.Stacks.length, 1);
    assert.equal(described.Stacks[0].StackName, 'cli-stack');
    assert.equal(described.Stacks[0].StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(described.Stacks[0].Outputs, [{ OutputKey: 'Stage', OutputValue: 'beta' }]);
    assert.deepEqual(described.Stacks[0].Tags, [{ Key: 'owner', Value: 'cli' }]);
    await assert.rejects(aws(server, 'cloudformation', 'describe-stacks', '--stack-name', 'ghost'), /ValidationError.*Stack with id ghost does not exist/s);
  });

  it('talks to DynamoDB and STS', async () => {
    await aws(
      server,
      'dynamodb',
      'create-table',
      '--table-name',
      'cli-table',
      '--key-schema',
      'AttributeName=id,KeyType=HASH',
      '--attribute-definitions',
      'AttributeName=id,AttributeType=S',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    const tables = JSON.parse(await aws(server, 'dynamodb', 'list-tables')) as { TableNames: string[] };
    assert.deepEqual(tables.TableNames, ['cli-table']);
    const identity = JSON.parse(await aws(server, 'sts', 'get-caller-identity')) as { Account: string; Arn: string };
    assert.equal(identity.Account, '123456789012');
    assert.equal(identity.Arn, 'arn:aws:iam::123456789012:user/stackpilot-local');
  });
});

describe('the aws CLI against local serve: CloudFormation as AWS answers it', () => {
  const folder = temporaryFolder('cli-cfn');

  const templateFile = (name: string, body: unknown) => {
    const path = join(folder, name);
    writeFileSync(path, JSON.stringify(body));
    return `file://${path}`;
  };

  it('pages list calls at 100 (AWS API reference: ListExports "If the output exceeds 100 exported output values"); --max-items and --starting-token resume', async () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListExports.html
    const outputs = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`Out${i}`, { Value: `v${i}`, Export: { Name: `cli-export-${i}` } }]));
    await aws(server, 'cloudformation', 'create-stack', '--stack-name', 'cli-exports', '--template-body', templateFile('exports.json', { Resources: { H: { Type: 'AWS::CloudFormation::WaitConditionHandle' } }, Outputs: outputs }));
    await local.settled();
    // The CLI follows every NextToken by itself.
    const all = JSON.parse(await aws(server, 'cloudformation', 'list-exports')) as { Exports: { Name: string }[] };
    assert.equal(new Set(all.Exports.map((e) => e.Name)).size, 150);
    const first = JSON.parse(await aws(server, 'cloudformation', 'list-exports', '--max-items', '120')) as { Exports: unknown[]; NextToken: string };
    assert.equal(first.Exports.length, 120);
    const rest = JSON.parse(await aws(server, 'cloudformation', 'list-exports', '--starting-token', first.NextToken)) as { Exports: { Name: string }[] };
    assert.equal(rest.Exports.length, 30);
    assert.equal(new Set([...first.Exports.map((e) => (e as { Name: string }).Name), ...rest.Exports.map((e) => e.Name)]).size, 150);
    const onePage = JSON.parse(await aws(server, 'cloudformation', 'list-exports', '--no-paginate')) as { Exports: unknown[]; NextToken?: string };
    assert.equal(onePage.Exports.length, 100);
    assert.ok(onePage.NextToken);
  });

  it('takes a stack ARN as --stack-name for change sets, updates and template summaries, and names a deleted stack\'s ARN as AWS does', async () => {
    // Recorded on AWS: localstack/localstack tests/aws/services/cloudformation/api/test_changesets.snapshot.json
    // (test_create_changeset_with_stack_id, test_create_changeset_for_deleted_stack).
    const param = (value: string) => templateFile(`param-${value}.json`, { Resources: { P: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: value } } } });
    const { StackId: arn } = JSON.parse(await aws(server, 'cloudformation', 'create-stack', '--stack-name', 'cli-arn', '--template-body', param('one'))) as { StackId: string };
    await local.settled();
    await aws(server, 'cloudformation', 'create-change-set', '--stack-name', arn, '--change-set-name', 'two', '--template-body', param('two'));
    await local.settled();
    const described = JSON.parse(await aws(server, 'cloudformation', 'describe-change-set', '--stack-name', arn, '--change-set-name', 'two')) as { StackId: string; Status: string };
    assert.deepEqual([described.StackId, described.Status], [arn, 'CREATE_COMPLETE']);
    await aws(server, 'cloudformation', 'execute-change-set', '--stack-name', arn, '--change-set-name', 'two');
    await local.settled();
    await aws(server, 'cloudformation', 'update-stack', '--stack-name', arn, '--template-body', param('three'));
    await local.settled();
    const summary = JSON.parse(await aws(server, 'cloudformation', 'get-template-summary', '--stack-name', arn)) as { ResourceTypes: string[] };
    assert.deepEqual(summary.ResourceTypes, ['AWS::SSM::Parameter']);
    const stacks = JSON.parse(await aws(server, 'cloudformation', 'describe-stacks', '--stack-name', arn)) as { Stacks: { StackStatus: string }[] };
    assert.equal(stacks.Stacks[0].StackStatus, 'UPDATE_COMPLETE');

    await aws(server, 'cloudformation', 'delete-stack', '--stack-name', arn);
    await local.settled();
    await assert.rejects(
      aws(server, 'cloudformation', 'create-change-set', '--stack-name', arn, '--change-set-name', 'revive', '--change-set-type', 'CREATE', '--template-body', param('one')),
      (error: Error) => error.message.includes(`(ValidationError) when calling the CreateChangeSet operation: Stack [${arn}] already exists and cannot be created again with the changeSet [revive].`),
    );
  });
});

/** A Python script run with boto3 against `local serve`, any key, isolated from the user's own AWS configuration. */
async function boto3(server: LocalAwsServer, script: string): Promise<string> {
  const isolated = temporaryFolder('boto3');
  const env = { PATH: process.env.PATH, HOME: isolated, AWS_ACCESS_KEY_ID: 'anything', AWS_SECRET_ACCESS_KEY: 'anything', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: join(isolated, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(isolated, 'credentials'), ENDPOINT: server.url };
  try {
    return (await run('python3', ['-c', `import boto3, json, os\nendpoint = os.environ['ENDPOINT']\n${script}`], { env })).stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    if (/No module named 'boto3'/.test(stderr ?? '')) assert.fail('boto3 is not installed: pip install boto3 (the aws CLI v1 brings botocore) to run this test.');
    throw new Error(`boto3 failed: ${stderr ?? String(error)}`, { cause: error });
  }
}

describe('boto3 against local serve', () => {
  it('works unchanged, with any key: S3, CloudFormation, DynamoDB', async () => {
    const local = await LocalAws.open();
    const server = await serveLocalAws(local, { port: 0 });
    try {
      const out = await boto3(
        server,
        [
          "s3 = boto3.client('s3', endpoint_url=endpoint)",
          "s3.create_bucket(Bucket='boto-bucket')",
          "s3.put_object(Bucket='boto-bucket', Key='a.txt', Body=b'from boto3')",
          "cfn = boto3.client('cloudformation', endpoint_url=endpoint)",
          "cfn.create_stack(StackName='boto-stack', TemplateBody=json.dumps({'Resources': {'Topic': {'Type': 'AWS::SNS::Topic'}}}))",
          "ddb = boto3.client('dynamodb', endpoint_url=endpoint)",
          "print(json.dumps({'body': s3.get_object(Bucket='boto-bucket', Key='a.txt')['Body'].read().decode(), 'stacks': [s['StackName'] for s in cfn.describe_stacks()['Stacks']], 'tables': ddb.list_tables()['TableNames']}))",
        ].join('\n'),
      );
      assert.deepEqual(JSON.parse(out), { body: 'from boto3', stacks: ['boto-stack'], tables: [] });
    } finally {
      await server.close();
      await local.close();
    }
  });
});

describe('the aws CLI against local serve --credentials', () => {
  const team = { accessKeyId: 'AKIATEAMKEY', secretAccessKey: 'team/secret+key' };
  let local: LocalAws;
  let server: LocalAwsServer;

  before(async () => {
    local = await LocalAws.open();
    server = await serveLocalAws(local, { port: 0, credentials: team });
  });
  after(async () => {
    await server.close();
    await local.close();
  });

  it('signs as the server checks, for uploads, listings, presigned links and the other services', async () => {
    await awsAs(server, team, 's3api', 'create-bucket', '--bucket', 'team-bucket');
    const file = join(temporaryFolder('cli-upload'), 'report (final) ü.txt');
    writeFileSync(file, 'signed by the aws CLI');
    await awsAs(server, team, 's3', 'cp', file, 's3://team-bucket/reports/report (final) ü.txt');
    const objects = JSON.parse(await awsAs(server, team, 's3api', 'list-objects-v2', '--bucket', 'team-bucket', '--prefix', 'reports/')) as { Contents: { Key: string }[] };
    assert.deepEqual(objects.Contents.map((o) => o.Key), ['reports/report (final) ü.txt']);
    const link = (await awsAs(server, team, 's3', 'presign', 's3://team-bucket/reports/report (final) ü.txt')).trim();
    const download = await fetch(link);
    assert.equal(download.status, 200);
    assert.equal(await download.text(), 'signed by the aws CLI');
    const stacks = JSON.parse(await awsAs(server, team, 'cloudformation', 'describe-stacks')) as { Stacks: unknown[] };
    assert.deepEqual(stacks.Stacks, []);
    assert.deepEqual((JSON.parse(await awsAs(server, team, 'dynamodb', 'list-tables')) as { TableNames: string[] }).TableNames, []);

    await assert.rejects(awsAs(server, { ...team, secretAccessKey: 'guessed' }, 's3api', 'list-buckets'), /SignatureDoesNotMatch/);
    const forged = (await awsAs(server, { ...team, secretAccessKey: 'guessed' }, 's3', 'presign', 's3://team-bucket/reports/report (final) ü.txt')).trim();
    assert.equal((await fetch(forged)).status, 403);
  });
});
