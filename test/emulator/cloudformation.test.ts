import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  GetTemplateSummaryCommand,
  ListChangeSetsCommand,
  ListExportsCommand,
  ListImportsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateTerminationProtectionCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalAws } from '../../src/emulator/local-aws.ts';

const storageTemplate = (retentionDays: number) =>
  JSON.stringify({
    Description: 'Storage for the app',
    Parameters: { Env: { Type: 'String', AllowedValues: ['dev', 'prod'], Description: 'Environment' } },
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'app-data-${Env}' } } },
      RetentionParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Sub': '/app/${Env}/retention' }, Type: 'String', Value: String(retentionDays) } },
    },
    Outputs: {
      BucketName: { Value: { Ref: 'Bucket' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-BucketName' } } },
    },
  });

const consumerTemplate = JSON.stringify({
  Resources: { Pointer: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::ImportValue': 'storage-BucketName' } } } },
});

describe('CloudFormation through the SDK, in-process', () => {
  let local: LocalAws;
  let cloudformation: CloudFormationClient;

  before(async () => {
    local = await LocalAws.open();
    cloudformation = new CloudFormationClient(local.clientConfig());
    await cloudformation.send(new CreateStackCommand({ StackName: 'storage', TemplateBody: storageTemplate(7), Parameters: [{ ParameterKey: 'Env', ParameterValue: 'dev' }], Tags: [{ Key: 'team', Value: 'platform' }] }));
    await local.settled();
  });
  after(() => local.close());

  it('creates a stack whose description parses into typed SDK objects', async () => {
    const [stack] = (await cloudformation.send(new DescribeStacksCommand({ StackName: 'storage' }))).Stacks ?? [];
    assert.equal(stack.StackName, 'storage');
    assert.match(stack.StackId ?? '', /^arn:aws:cloudformation:us-east-1:123456789012:stack\/storage\/[0-9a-f-]{36}$/);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.ok(stack.CreationTime instanceof Date);
    assert.equal(stack.EnableTerminationProtection, false);
    assert.equal(stack.DisableRollback, false);
    assert.deepEqual(stack.Parameters, [{ ParameterKey: 'Env', ParameterValue: 'dev' }]);
    assert.deepEqual(stack.Outputs, [{ OutputKey: 'BucketName', OutputValue: 'app-data-dev', ExportName: 'storage-BucketName' }]);
    assert.deepEqual(stack.Tags, [{ Key: 'team', Value: 'platform' }]);
    // The engine provisioned the bucket through the same emulator.
    await new S3Client(local.clientConfig()).send(new HeadBucketCommand({ Bucket: 'app-data-dev' }));
  });

  it('lists events newest first, resources, template and summaries', async () => {
    const events = (await cloudformation.send(new DescribeStackEventsCommand({ StackName: 'storage' }))).StackEvents ?? [];
    assert.equal(events[0].LogicalResourceId, 'storage');
    assert.equal(events[0].ResourceStatus, 'CREATE_COMPLETE');
    assert.ok(events.every((e) => e.Timestamp instanceof Date));
    assert.ok(events.some((e) => e.LogicalResourceId === 'Bucket' && e.ResourceStatus === 'CREATE_IN_PROGRESS'));

    const resources = (await cloudformation.send(new ListStackResourcesCommand({ StackName: 'storage' }))).StackResourceSummaries ?? [];
    assert.deepEqual(resources.map((r) => [r.LogicalResourceId, r.ResourceType, r.ResourceStatus]).sort(), [
      ['Bucket', 'AWS::S3::Bucket', 'CREATE_COMPLETE'],
      ['RetentionParameter', 'AWS::SSM::Parameter', 'CREATE_COMPLETE'],
    ]);
    const bucket = (await cloudformation.send(new DescribeStackResourceCommand({ StackName: 'storage', LogicalResourceId: 'Bucket' }))).StackResourceDetail;
    assert.equal(bucket?.PhysicalResourceId, 'app-data-dev');
    assert.ok(bucket?.LastUpdatedTimestamp instanceof Date);

    assert.equal((await cloudformation.send(new GetTemplateCommand({ StackName: 'storage' }))).TemplateBody, storageTemplate(7));
    const validated = await cloudformation.send(new ValidateTemplateCommand({ TemplateBody: storageTemplate(7) }));
    assert.equal(validated.Description, 'Storage for the app');
    assert.deepEqual(validated.Parameters?.map((p) => [p.ParameterKey, p.NoEcho, p.Description]), [['Env', false, 'Environment']]);
    const summary = await cloudformation.send(new GetTemplateSummaryCommand({ StackName: 'storage' }));
    assert.deepEqual(summary.ResourceTypes?.sort(), ['AWS::S3::Bucket', 'AWS::SSM::Parameter']);
    assert.deepEqual(summary.Parameters?.[0].ParameterConstraints?.AllowedValues, ['dev', 'prod']);
  });

  it('plans a change set, describes its changes and executes it', async () => {
    const created = await cloudformation.send(
      new CreateChangeSetCommand({ StackName: 'storage', ChangeSetName: 'longer-retention', TemplateBody: storageTemplate(30), Parameters: [{ ParameterKey: 'Env', UsePreviousValue: true }] }),
    );
    assert.match(created.Id ?? '', /^arn:aws:cloudformation:us-east-1:123456789012:changeSet\/longer-retention\//);
    await local.settled();
    const changeSet = await cloudformation.send(new DescribeChangeSetCommand({ StackName: 'storage', ChangeSetName: 'longer-retention' }));
    assert.equal(changeSet.Status, 'CREATE_COMPLETE');
    assert.equal(changeSet.ExecutionStatus, 'AVAILABLE');
    const change = changeSet.Changes?.[0].ResourceChange;
    assert.equal(change?.LogicalResourceId, 'RetentionParameter');
    assert.equal(change?.Action, 'Modify');
    assert.deepEqual(change?.Scope, ['Properties']);
    assert.equal(change?.Details?.[0].Target?.Name, 'Value');
    const listed = await cloudformation.send(new ListChangeSetsCommand({ StackName: 'storage' }));
    assert.deepEqual(listed.Summaries?.map((s) => s.ChangeSetName), ['longer-retention']);

    await cloudformation.send(new ExecuteChangeSetCommand({ StackName: 'storage', ChangeSetName: 'longer-retention' }));
    await local.settled();
    const [stack] = (await cloudformation.send(new DescribeStacksCommand({ StackName: 'storage' }))).Stacks ?? [];
    assert.equal(stack.StackStatus, 'UPDATE_COMPLETE');
    assert.ok(stack.LastUpdatedTime instanceof Date);
  });

  it('lists exports and the stacks that import them', async () => {
    await cloudformation.send(new CreateStackCommand({ StackName: 'consumer', TemplateBody: consumerTemplate }));
    await local.settled();
    const exports = (await cloudformation.send(new ListExportsCommand({}))).Exports ?? [];
    assert.deepEqual(exports.map((e) => [e.Name, e.Value]), [['storage-BucketName', 'app-data-dev']]);
    assert.deepEqual((await cloudformation.send(new ListImportsCommand({ ExportName: 'storage-BucketName' }))).Imports, ['consumer']);
  });

  it('surfaces engine errors as the SDK typed exceptions, with AWS codes, messages and statuses', async () => {
    const missing = await cloudformation.send(new DescribeStacksCommand({ StackName: 'no-such-stack' })).catch((error: unknown) => error);
    assert.ok(missing instanceof CloudFormationServiceException);
    assert.equal(missing.name, 'ValidationError');
    assert.equal(missing.message, 'Stack with id no-such-stack does not exist');
    assert.equal(missing.$fault, 'client');
    assert.equal(missing.$metadata.httpStatusCode, 400);

    await assert.rejects(cloudformation.send(new CreateStackCommand({ StackName: 'storage', TemplateBody: storageTemplate(7), Parameters: [{ ParameterKey: 'Env', ParameterValue: 'dev' }] })), {
      name: 'AlreadyExistsException',
      message: 'Stack [storage] already exists',
    });
    const noChangeSet = await cloudformation.send(new DescribeChangeSetCommand({ StackName: 'storage', ChangeSetName: 'nope' })).catch((error: unknown) => error);
    assert.equal((noChangeSet as Error).name, 'ChangeSetNotFoundException');
    assert.equal((noChangeSet as CloudFormationServiceException).$metadata.httpStatusCode, 404);
  });

  it('honours termination protection, then deletes and lists deleted stacks', async () => {
    await cloudformation.send(new UpdateTerminationProtectionCommand({ StackName: 'consumer', EnableTerminationProtection: true }));
    await assert.rejects(cloudformation.send(new DeleteStackCommand({ StackName: 'consumer' })), { name: 'ValidationError', message: /TerminationProtection/ });
    await cloudformation.send(new UpdateTerminationProtectionCommand({ StackName: 'consumer', EnableTerminationProtection: false }));
    await cloudformation.send(new DeleteStackCommand({ StackName: 'consumer' }));
    await local.settled();
    const summaries = (await cloudformation.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries ?? [];
    assert.deepEqual(summaries.map((s) => s.StackName), ['consumer']);
    assert.ok(summaries[0].DeletionTime instanceof Date);
  });
});
