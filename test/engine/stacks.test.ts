import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetBucketCorsCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand, paginateDescribeParameters, PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, stackOf, statusOf, update, type Harness } from './engine-harness.ts';

describe('stack lifecycle', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('creates resources in dependency order with CloudFormation\'s events, then deletes them in reverse', async () => {
    const template = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket' },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { Tags: [{ Key: 'bucket', Value: { Ref: 'Bucket' } }] } },
        Topic: { Type: 'AWS::SNS::Topic', DependsOn: 'Queue' },
      },
      Outputs: { QueueUrl: { Value: { Ref: 'Queue' } }, QueueArn: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] } } },
    };
    const { StackId } = await h.engine.createStack({ StackName: 'orders', TemplateBody: JSON.stringify(template), ClientRequestToken: 'token-1' });
    assert.match(StackId!, /^arn:aws:cloudformation:us-east-1:123456789012:stack\/orders\/[0-9a-f-]{36}$/);
    assert.equal(await statusOf(h.engine, 'orders'), 'CREATE_IN_PROGRESS', 'the call answers before the work is done');
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'orders'), 'CREATE_COMPLETE');
    assert.deepEqual(await eventLines(h.engine, 'orders'), [
      'orders CREATE_IN_PROGRESS',
      'Bucket CREATE_IN_PROGRESS', 'Bucket CREATE_IN_PROGRESS', 'Bucket CREATE_COMPLETE',
      'Queue CREATE_IN_PROGRESS', 'Queue CREATE_IN_PROGRESS', 'Queue CREATE_COMPLETE',
      'Topic CREATE_IN_PROGRESS', 'Topic CREATE_IN_PROGRESS', 'Topic CREATE_COMPLETE',
      'orders CREATE_COMPLETE',
    ]);
    const { StackEvents } = await h.engine.describeStackEvents({ StackName: 'orders' });
    const newest = StackEvents![0];
    assert.equal(newest.ResourceType, 'AWS::CloudFormation::Stack');
    assert.equal(newest.PhysicalResourceId, StackId);
    assert.equal(newest.ClientRequestToken, 'token-1');
    const queueDone = StackEvents!.find((e) => e.LogicalResourceId === 'Queue' && e.ResourceStatus === 'CREATE_COMPLETE')!;
    assert.deepEqual(JSON.parse(queueDone.ResourceProperties!), { Tags: [{ Key: 'bucket', Value: (await physicalIds(h.engine, 'orders')).Bucket }] });

    const ids = await physicalIds(h.engine, 'orders');
    assert.match(ids.Bucket, /^orders-bucket-[a-z0-9]{12}$/, 'generated bucket names are lower case');
    assert.match(ids.Queue, /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/orders-Queue-[A-Z0-9]{12}$/);
    assert.match(ids.Topic, /^arn:aws:sns:us-east-1:123456789012:orders-Topic-[A-Z0-9]{12}$/);
    const outputs = await outputsOf(h.engine, 'orders');
    assert.equal(outputs.QueueUrl, ids.Queue);
    assert.equal(outputs.QueueArn, `arn:aws:sqs:us-east-1:123456789012:${ids.Queue.split('/').pop()}`);
    await h.aws.clients.s3.send(new HeadBucketCommand({ Bucket: ids.Bucket }));

    await h.engine.deleteStack({ StackName: 'orders' });
    await h.engine.settled();
    const lines = await eventLines(h.engine, StackId!);
    assert.deepEqual(lines.slice(11), [
      'orders DELETE_IN_PROGRESS',
      'Topic DELETE_IN_PROGRESS', 'Topic DELETE_COMPLETE',
      'Queue DELETE_IN_PROGRESS', 'Queue DELETE_COMPLETE',
      'Bucket DELETE_IN_PROGRESS', 'Bucket DELETE_COMPLETE',
      'orders DELETE_COMPLETE',
    ]);
    await assert.rejects(h.aws.clients.s3.send(new HeadBucketCommand({ Bucket: ids.Bucket })), { name: 'NotFound' }, 'the bucket is gone from S3');
    await assert.rejects(h.engine.describeStacks({ StackName: 'orders' }), /Stack with id orders does not exist/);
    assert.equal((await stackOf(h.engine, StackId!)).StackStatus, 'DELETE_COMPLETE', 'a deleted stack is describable by id');
    const { StackSummaries } = await h.engine.listStacks({ StackStatusFilter: ['DELETE_COMPLETE'] });
    assert.ok(StackSummaries!.some((s) => s.StackId === StackId && s.DeletionTime instanceof Date));
  });

  it('skips resources and outputs whose condition is false, and evaluates every intrinsic', async () => {
    const template = {
      Parameters: { Env: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' }, Cidr: { Type: 'String', Default: '10.20.0.0/16' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Mappings: { Sizes: { dev: { Count: '2' } } },
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { Ref: 'Cidr' } } },
        Subnet: {
          Type: 'AWS::EC2::Subnet',
          Properties: {
            VpcId: { Ref: 'Vpc' },
            CidrBlock: { 'Fn::Select': [1, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Count'] }, 8] }] },
            AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
            MapPublicIpOnLaunch: { 'Fn::If': ['IsProd', false, { Ref: 'AWS::NoValue' }] },
          },
        },
        Alarm: { Type: 'AWS::SNS::Topic', Condition: 'IsProd' },
        // Refers to the skipped resource only in the branch not taken: created all the same.
        AlarmNotice: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::If': ['IsProd', { Ref: 'Alarm' }, 'no alarm in dev'] } } },
      },
      Outputs: {
        SubnetCidr: { Value: { 'Fn::GetAtt': ['Subnet', 'CidrBlock'] } },
        Zone: { Value: { 'Fn::GetAtt': ['Subnet', 'AvailabilityZone'] } },
        AlarmArn: { Condition: 'IsProd', Value: { Ref: 'Alarm' } },
        Joined: { Value: { 'Fn::Join': [',', [{ Ref: 'AWS::StackName' }, { Ref: 'AWS::AccountId' }]] } },
      },
    };
    assert.equal(await deploy(h.engine, 'network', template), 'CREATE_COMPLETE');
    const ids = await physicalIds(h.engine, 'network');
    assert.deepEqual(Object.keys(ids).sort(), ['AlarmNotice', 'Subnet', 'Vpc']);
    assert.equal((await h.aws.clients.ssm.send(new GetParameterCommand({ Name: ids.AlarmNotice }))).Parameter!.Value, 'no alarm in dev');
    assert.match(ids.Vpc, /^vpc-[0-9a-f]{17}$/);
    assert.match(ids.Subnet, /^subnet-[0-9a-f]{17}$/);
    assert.deepEqual(await outputsOf(h.engine, 'network'), { SubnetCidr: '10.20.1.0/24', Zone: 'us-east-1a', Joined: 'network,123456789012' });
    const { StackEvents } = await h.engine.describeStackEvents({ StackName: 'network' });
    const subnetProps = JSON.parse(StackEvents!.find((e) => e.LogicalResourceId === 'Subnet')!.ResourceProperties!);
    assert.equal('MapPublicIpOnLaunch' in subnetProps, false, 'NoValue removed the property');
  });

  it('a Ref or GetAtt to a resource whose condition is false fails with CloudFormation\'s message', async () => {
    const off = { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } }, Resources: { Off: { Type: 'AWS::SNS::Topic', Condition: 'Never' } } };
    const unresolved = 'Template format error: Unresolved resource dependencies [Off] in the Resources block of the template';
    const byRef = { ...off, Resources: { ...off.Resources, On: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'Off' } } } } };
    assert.equal(await deploy(h.engine, 'ref-off', byRef), 'ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'ref-off', true)).includes(`On CREATE_FAILED ${unresolved}`));
    const byAtt = { ...off, Resources: { ...off.Resources, On: { Type: 'AWS::SNS::Topic' } }, Outputs: { Name: { Value: { 'Fn::GetAtt': ['Off', 'TopicName'] } } } };
    assert.equal(await deploy(h.engine, 'att-off', byAtt), 'ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'att-off', true)).includes(`att-off ROLLBACK_IN_PROGRESS ${unresolved}. Rollback requested by user.`));
  });

  it('creates a resource that depends on two others once, after both, and leaves no stray copy', async () => {
    const parameterCount = async () => {
      let count = 0;
      for await (const page of paginateDescribeParameters({ client: h.aws.clients.ssm }, {})) count += page.Parameters!.length;
      return count;
    };
    const before = await parameterCount();
    const template = {
      Resources: {
        Host: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'db.internal' } },
        Port: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: '5432' } },
        Address: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::Sub': '${Host}:${Port}' } } },
      },
    };
    assert.equal(await deploy(h.engine, 'addresses', template), 'CREATE_COMPLETE');
    const lines = await eventLines(h.engine, 'addresses', true);
    assert.equal(lines[0], 'addresses CREATE_IN_PROGRESS User Initiated');
    assert.equal(lines.filter((l) => l === 'Address CREATE_COMPLETE').length, 1);
    const ids = await physicalIds(h.engine, 'addresses');
    assert.equal((await h.aws.clients.ssm.send(new GetParameterCommand({ Name: ids.Address }))).Parameter!.Value, `${ids.Host}:${ids.Port}`);
    assert.equal(await parameterCount(), before + 3, 'one parameter per resource');
  });

  it('validates parameters with CloudFormation\'s messages', async () => {
    const template = JSON.stringify({
      Parameters: {
        Env: { Type: 'String', AllowedValues: ['dev', 'prod'] },
        Size: { Type: 'Number', MinValue: 1, MaxValue: 10, Default: 2 },
        Name: { Type: 'String', AllowedPattern: '[a-z]+', ConstraintDescription: 'must be lower-case letters', Default: 'abc' },
      },
      Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
    });
    const create = (parameters: Record<string, string>) => h.engine.createStack({ StackName: 'params', TemplateBody: template, Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })) });
    await assert.rejects(create({}), { Code: 'ValidationError', message: 'Parameters: [Env] must have values' });
    await assert.rejects(create({ Env: 'dev', Nope: 'x' }), { message: 'Parameters: [Nope] do not exist in the template' });
    await assert.rejects(create({ Env: 'qa' }), { message: "Parameter 'Env' must be one of AllowedValues" });
    await assert.rejects(create({ Env: 'dev', Size: '11' }), { message: "Parameter 'Size' must be a number not greater than 10" });
    await assert.rejects(create({ Env: 'dev', Size: 'big' }), { message: "Parameter 'Size' must be a number" });
    await assert.rejects(create({ Env: 'dev', Name: 'ABC' }), { message: "Parameter 'Name' must be lower-case letters" });
    await assert.rejects(h.engine.describeStacks({ StackName: 'params' }), /does not exist/, 'nothing was created');
  });

  it('masks NoEcho values in parameters and events, and resolves SSM parameter types and dynamic references', async () => {
    await h.aws.clients.ssm.send(new PutParameterCommand({ Name: '/app/image', Value: 'ami-0abc', Type: 'String' }));
    await h.aws.clients.ssm.send(new PutParameterCommand({ Name: '/app/level', Value: 'debug', Type: 'String' }));
    await h.aws.clients.secretsManager.send(new CreateSecretCommand({ Name: 'db-credentials', SecretString: JSON.stringify({ password: 'hunter2-secret' }) }));
    const template = {
      Parameters: {
        Password: { Type: 'String', NoEcho: true },
        Image: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/image' },
      },
      Resources: {
        Config: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Name: '/app/config', Value: { 'Fn::Sub': '${Password}|${Image}' } } },
        FromSecret: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: '{{resolve:secretsmanager:db-credentials:SecretString:password}}/{{resolve:ssm:/app/level}}' } },
      },
      Outputs: { Image: { Value: { Ref: 'Image' } }, Leaky: { Value: { 'Fn::Sub': 'pw=${Password}' } }, Reference: { Value: { 'Fn::GetAtt': ['FromSecret', 'Value'] } } },
    };
    assert.equal(await deploy(h.engine, 'secrets', template, { Parameters: [{ ParameterKey: 'Password', ParameterValue: 'hunter2-noecho' }] }), 'CREATE_COMPLETE');
    const stack = await stackOf(h.engine, 'secrets');
    assert.deepEqual(stack.Parameters, [
      { ParameterKey: 'Password', ParameterValue: '****' },
      { ParameterKey: 'Image', ParameterValue: '/app/image', ResolvedValue: 'ami-0abc' },
    ]);
    const outputs = await outputsOf(h.engine, 'secrets');
    // Outputs as CloudFormation shows them: one that repeats a NoEcho value shows it (stackpilot masks it where it writes).
    assert.deepEqual(outputs, { Image: 'ami-0abc', Leaky: 'pw=hunter2-noecho', Reference: '{{resolve:secretsmanager:db-credentials:SecretString:password}}/{{resolve:ssm:/app/level}}' });
    const { StackEvents } = await h.engine.describeStackEvents({ StackName: 'secrets' });
    const shown = JSON.stringify(StackEvents);
    assert.equal(shown.includes('hunter2'), false, 'no secret in any event');
    assert.ok(shown.includes('****|ami-0abc'));
    const real = await h.aws.clients.ssm.send(new GetParameterCommand({ Name: '/app/config' }));
    assert.equal(real.Parameter!.Value, 'hunter2-noecho|ami-0abc', 'the data plane got the real values');
    const ids = await physicalIds(h.engine, 'secrets');
    const resolved = await h.aws.clients.ssm.send(new GetParameterCommand({ Name: ids.FromSecret }));
    assert.equal(resolved.Parameter!.Value, 'hunter2-secret/debug');
    assert.match(ids.FromSecret, /^CFN-FromSecret-[A-Z0-9]{12}$/);
  });

  it('reads an SSM parameter of a list type as a list', async () => {
    await h.aws.clients.ssm.send(new PutParameterCommand({ Name: '/app/zones', Value: 'zone-a, zone-b', Type: 'StringList' }));
    const template = {
      Parameters: { Zones: { Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: '/app/zones' } },
      Resources: { Second: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::Select': [1, { Ref: 'Zones' }] } } } },
      Outputs: { Joined: { Value: { 'Fn::Join': ['|', { Ref: 'Zones' }] } } },
    };
    assert.equal(await deploy(h.engine, 'zones', template), 'CREATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'zones'), { Joined: 'zone-a|zone-b' });
    const { Parameter } = await h.aws.clients.ssm.send(new GetParameterCommand({ Name: (await physicalIds(h.engine, 'zones')).Second }));
    assert.equal(Parameter!.Value, 'zone-b');
  });

  it('masks secrets a template carries into a failure reason: events, stack and resource reasons', async () => {
    const secret = 'Sup3rS3cretValue!';
    await h.aws.clients.ssm.send(new PutParameterCommand({ Name: '/app/table-secret', Value: 'S3cureTable?', Type: 'SecureString' }));
    const failing = (properties: Record<string, unknown>, type = 'AWS::SNS::Topic') => ({
      Parameters: { Pw: { Type: 'String', NoEcho: true } },
      Mappings: { M: { a: { b: 'c' } } },
      Resources: { Failing: { Type: type, Properties: properties } },
    });
    const table = (name: unknown, attributeType = 'S') => ({ TableName: name, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: attributeType }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    const cases = {
      'sub-table-name': failing(table({ 'Fn::Sub': '${Pw}' }), 'AWS::DynamoDB::Table'),
      'find-in-map': failing({ DisplayName: { 'Fn::FindInMap': ['M', { Ref: 'Pw' }, 'b'] } }),
      cidr: failing({ DisplayName: { 'Fn::Select': [0, { 'Fn::Cidr': [{ Ref: 'Pw' }, 2, 8] }] } }),
      // Names come from the unresolved text; the data plane gets the resolved value, and quotes it.
      'secure-reference': failing(table('jobs', '{{resolve:ssm-secure:/app/table-secret}}'), 'AWS::DynamoDB::Table'),
    };
    for (const [name, template] of Object.entries(cases)) {
      assert.equal(await deploy(h.engine, name, template, { Parameters: [{ ParameterKey: 'Pw', ParameterValue: secret }], DisableRollback: true }), 'CREATE_FAILED', name);
      const reasons = [
        ...(await eventLines(h.engine, name, true)),
        (await stackOf(h.engine, name)).StackStatusReason,
        ...((await h.engine.describeStackResources({ StackName: name })).StackResources ?? []).map((r) => r.ResourceStatusReason),
      ].join('\n');
      assert.match(reasons, /Failing CREATE_FAILED .*\*\*\*\*/, `${name}: the reason says where the secret was`);
      assert.doesNotMatch(reasons, /Sup3rS3cret|S3cureTable/, name);
    }
    // A condition evaluated while the change set is planned fails it, with the same reason.
    const planned = { ...failing({}), Conditions: { C: { 'Fn::Equals': [{ 'Fn::FindInMap': ['M', { Ref: 'Pw' }, 'b'] }, 'x'] } }, Resources: { Topic: { Type: 'AWS::SNS::Topic', Condition: 'C' } } };
    const { Id } = await h.engine.createChangeSet({ StackName: 'planned', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(planned), Parameters: [{ ParameterKey: 'Pw', ParameterValue: secret }] });
    await h.engine.settled();
    assert.equal((await h.engine.describeChangeSet({ ChangeSetName: Id })).StatusReason, 'Template error: Unable to get mapping for M::****::b');
  });

  it('asks for capabilities as CloudFormation does', async () => {
    const role = (name?: string) => JSON.stringify({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, ...(name ? { RoleName: name } : {}) } } } });
    await assert.rejects(h.engine.createStack({ StackName: 'iam', TemplateBody: role() }), { Code: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_IAM]' });
    await assert.rejects(h.engine.createStack({ StackName: 'iam', TemplateBody: role('deployer'), Capabilities: ['CAPABILITY_IAM'] }), { message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]' });
    assert.equal(await deploy(h.engine, 'iam', role('deployer'), { Capabilities: ['CAPABILITY_NAMED_IAM'] }), 'CREATE_COMPLETE');
    assert.equal((await physicalIds(h.engine, 'iam')).Role, 'deployer');
    const summary = await h.engine.getTemplateSummary({ TemplateBody: role() });
    assert.deepEqual(summary.Capabilities, ['CAPABILITY_IAM']);
    assert.equal(summary.CapabilitiesReason, 'The following resource(s) require capabilities: [AWS::IAM::Role]');
  });

  it('rejects bad names, duplicates, unknown types and broken references before doing anything', async () => {
    const topic = JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } });
    await assert.rejects(h.engine.createStack({ StackName: '1bad', TemplateBody: topic }), { Code: 'ValidationError' });
    await assert.rejects(h.engine.createStack({ StackName: 'x'.repeat(129), TemplateBody: topic }), { Code: 'ValidationError' });
    assert.equal(await deploy(h.engine, 'x'.repeat(128), topic), 'CREATE_COMPLETE', '128 characters is the longest name allowed');
    await assert.rejects(h.engine.createStack({ StackName: undefined!, TemplateBody: topic }), { Code: 'ValidationError', message: "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null" });
    assert.equal(await deploy(h.engine, 'dup', topic), 'CREATE_COMPLETE');
    await assert.rejects(h.engine.createStack({ StackName: 'dup', TemplateBody: topic }), { Code: 'AlreadyExistsException', message: 'Stack [dup] already exists' });
    await assert.rejects(h.engine.createStack({ StackName: 'typo', TemplateBody: JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topik' } } }) }), { message: 'Template format error: Unrecognized resource types: [AWS::SNS::Topik]' });
    await assert.rejects(h.engine.createStack({ StackName: 'ref', TemplateBody: JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'Ghost' } } } } }) }), { message: 'Template format error: Unresolved resource dependencies [Ghost] in the Resources block of the template' });
    await assert.rejects(h.engine.createStack({ StackName: 'att', TemplateBody: JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } }, Outputs: { O: { Value: { 'Fn::GetAtt': ['T', 'Nope'] } } } }) }), { message: 'Template error: resource T does not support attribute type Nope in Fn::GetAtt' });
    await assert.rejects(h.engine.describeStacks({ StackName: 'ghost' }), { Code: 'ValidationError', message: 'Stack with id ghost does not exist' });
  });

  it('configures a bucket in S3 as its properties say', async () => {
    const bucket = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'configured-bucket',
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [{ Id: 'expire', Status: 'Enabled', Prefix: 'tmp/', ExpirationInDays: 7 }] },
        CorsConfiguration: { CorsRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAge: 300 }] },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
        Tags: [{ Key: 'team', Value: 'orders' }],
      },
    };
    assert.equal(await deploy(h.engine, 'configured', { Resources: { Bucket: bucket } }), 'CREATE_COMPLETE');
    const s3 = h.aws.clients.s3;
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'configured-bucket' }))).Status, 'Enabled');
    assert.equal((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'configured-bucket' }))).Rules![0].Expiration!.Days, 7);
    assert.equal((await s3.send(new GetBucketCorsCommand({ Bucket: 'configured-bucket' }))).CORSRules![0].MaxAgeSeconds, 300);
    assert.equal((await s3.send(new GetBucketEncryptionCommand({ Bucket: 'configured-bucket' }))).ServerSideEncryptionConfiguration!.Rules![0].ApplyServerSideEncryptionByDefault!.SSEAlgorithm, 'aws:kms');
    assert.equal((await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'configured-bucket' }))).PublicAccessBlockConfiguration!.BlockPublicAcls, true);
  });

  it('fails to delete a bucket that still holds objects', async () => {
    assert.equal(await deploy(h.engine, 'full', { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'full-bucket-1' } } } }), 'CREATE_COMPLETE');
    await h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'full-bucket-1', Key: 'a.txt', Body: 'data' }));
    await h.engine.deleteStack({ StackName: 'full' });
    await h.engine.settled();
    const stack = await stackOf(h.engine, 'full');
    assert.equal(stack.StackStatus, 'DELETE_FAILED');
    assert.equal(stack.StackStatusReason, 'The following resource(s) failed to delete: [Bucket]. ');
    assert.ok((await eventLines(h.engine, 'full', true)).includes('Bucket DELETE_FAILED The bucket you tried to delete is not empty'));
    await h.engine.deleteStack({ StackName: 'full', RetainResources: ['Bucket'] });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    await h.aws.clients.s3.send(new HeadBucketCommand({ Bucket: 'full-bucket-1' }));
  });

  it('answers custom resources deterministically: properties echo as attributes, anything else fails', async () => {
    const template = (attribute: string) => ({
      Resources: {
        Seed: { Type: 'Custom::Seeder', Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:seed', Rows: '10' } },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': ['Seed', attribute] } } },
      },
    });
    assert.equal(await deploy(h.engine, 'custom', template('Rows')), 'CREATE_COMPLETE');
    const seed = (await physicalIds(h.engine, 'custom')).Seed;
    assert.match(seed, /^custom-Seed-[A-Z0-9]{12}$/);
    const topicName = async () => (await h.engine.describeStackResource({ StackName: 'custom', LogicalResourceId: 'Topic' })).StackResourceDetail!.PhysicalResourceId!;
    const firstTopic = await topicName();
    const rows20 = template('Rows');
    (rows20.Resources.Seed.Properties as Record<string, string>).Rows = '20';
    assert.equal(await update(h.engine, 'custom', rows20), 'UPDATE_COMPLETE');
    assert.equal((await physicalIds(h.engine, 'custom')).Seed, seed, 'an in-place update keeps the physical id');
    assert.equal(await topicName(), firstTopic);
    const { StackEvents } = await h.engine.describeStackEvents({ StackName: 'custom' });
    assert.ok(StackEvents!.some((e) => e.LogicalResourceId === 'Topic' && e.ResourceStatus === 'UPDATE_COMPLETE'), 'the GetAtt of the updated property reached the topic');
    assert.equal(await deploy(h.engine, 'custom-bad', template('Missing')), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'custom-bad', true);
    assert.ok(lines.some((l) => /^Topic CREATE_FAILED CustomResource attribute error: Vendor response doesn't contain Missing key in object arn:aws:cloudformation:us-east-1:123456789012:stack\/custom-bad\/\S+\|Seed\|custom-bad-Seed-[A-Z0-9]{12} in S3 bucket cloudformation-custom-resource-storage-useast1$/.test(l)), lines.join('\n'));
  });

  it('reports templates: GetTemplate, GetTemplateSummary, ValidateTemplate', async () => {
    const text = 'Description: demo\nParameters:\n  Secret:\n    Type: String\n    NoEcho: true\n    Default: s3cret\n    Description: a secret\nResources:\n  T:\n    Type: AWS::SNS::Topic\n';
    assert.equal(await deploy(h.engine, 'tpl', text), 'CREATE_COMPLETE');
    const original = await h.engine.getTemplate({ StackName: 'tpl' });
    assert.equal(original.TemplateBody, text);
    assert.deepEqual(original.StagesAvailable, ['Original', 'Processed']);
    // Without transforms the Processed stage is the template as submitted, YAML kept (recorded on AWS:
    // localstack/localstack tests/aws/services/cloudformation/api/test_stacks.snapshot.json, test_get_template_using_create_stack[yaml]).
    assert.equal((await h.engine.getTemplate({ StackName: 'tpl', TemplateStage: 'Processed' })).TemplateBody, text);
    const validated = await h.engine.validateTemplate({ TemplateBody: text });
    assert.deepEqual(validated.Parameters, [{ ParameterKey: 'Secret', DefaultValue: '****', NoEcho: true, Description: 'a secret' }]);
    assert.equal(validated.Description, 'demo');
    const summary = await h.engine.getTemplateSummary({ StackName: 'tpl' });
    assert.deepEqual(summary.ResourceTypes, ['AWS::SNS::Topic']);
    assert.equal(summary.DeclaredTransforms, undefined, 'an empty list is left out, as AWS does');
    await assert.rejects(h.engine.validateTemplate({ TemplateBody: 'Resources: [' }), /Template format error/);
  });
});
