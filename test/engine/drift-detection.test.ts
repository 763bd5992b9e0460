import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, DetectStackResourceDriftCommand, ListStackResourcesCommand, type DescribeStackDriftDetectionStatusCommandInput, type DetectStackResourceDriftCommandInput, type StackResourceDrift } from '@aws-sdk/client-cloudformation';
import { TagResourceCommand, UpdateContinuousBackupsCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DeleteBucketTaggingCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';
import { openEngine, stackOf, type Harness } from './engine-harness.ts';

const template = JSON.stringify({
  Parameters: { ApiKey: { Type: 'String', NoEcho: true } },
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'drift-invoices', VersioningConfiguration: { Status: 'Enabled' }, Tags: [{ Key: 'team', Value: 'billing' }] } },
    Setting: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/shop/mode', Type: 'String', Value: 'live' } },
    Key: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/shop/key', Type: 'String', Value: { Ref: 'ApiKey' } } },
    Untouched: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/shop/untouched', Type: 'String', Value: 'same' } },
    Jobs: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'drift-jobs',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        Tags: [{ Key: 'team', Value: 'data' }],
      },
    },
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'drift-secret', Description: 'API credentials', SecretString: 'hunter22' } },
    Topic: { Type: 'AWS::SNS::Topic' },
  },
});

describe('drift detection over the SDK', () => {
  let harness: Harness;
  before(async () => {
    harness = await openEngine();
    await harness.engine.createStack({ StackName: 'shop', TemplateBody: template, Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'sk-live-123456' }] });
    await harness.engine.settled();
  });
  after(() => harness.close());

  async function detect(): Promise<Map<string, StackResourceDrift>> {
    const { StackDriftDetectionId } = await harness.engine.detectStackDrift({ StackName: 'shop' });
    await harness.engine.settled();
    const status = await harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId });
    assert.equal(status.DetectionStatus, 'DETECTION_COMPLETE');
    const { StackResourceDrifts } = await harness.engine.describeStackResourceDrifts({ StackName: 'shop' });
    return new Map(StackResourceDrifts!.map((d) => [d.LogicalResourceId!, d]));
  }

  it('finds a freshly created stack in sync, and leaves types it cannot read unchecked', async () => {
    const drifts = await detect();
    assert.deepEqual([...drifts.values()].map((d) => `${d.LogicalResourceId} ${d.StackResourceDriftStatus}`).sort(), ['Bucket IN_SYNC', 'Jobs IN_SYNC', 'Key IN_SYNC', 'Secret IN_SYNC', 'Setting IN_SYNC', 'Untouched IN_SYNC']);
    const stack = await stackOf(harness.engine, 'shop');
    assert.equal(stack.DriftInformation?.StackDriftStatus, 'IN_SYNC');
    assert.ok(stack.DriftInformation?.LastCheckTimestamp);
    const { StackResourceSummaries } = await harness.engine.listStackResources({ StackName: 'shop' });
    assert.equal(StackResourceSummaries!.find((r) => r.LogicalResourceId === 'Topic')?.DriftInformation?.StackResourceDriftStatus, 'NOT_CHECKED');
  });

  it('reports changes made through the SDK as MODIFIED, property by property, and the untouched as IN_SYNC', async () => {
    const { s3, ssm, dynamodb, secretsManager } = harness.aws.clients;
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'drift-invoices', VersioningConfiguration: { Status: 'Suspended' } }));
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'drift-invoices' }));
    await ssm.send(new PutParameterCommand({ Name: '/shop/mode', Value: 'maintenance', Overwrite: true }));
    await ssm.send(new PutParameterCommand({ Name: '/shop/key', Value: 'rotated-by-hand', Overwrite: true }));
    await dynamodb.send(new UpdateTableCommand({ TableName: 'drift-jobs', BillingMode: 'PAY_PER_REQUEST' }));
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: 'drift-jobs', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: false } }));
    await dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: 'drift-jobs', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
    await dynamodb.send(new TagResourceCommand({ ResourceArn: `arn:aws:dynamodb:us-east-1:123456789012:table/drift-jobs`, Tags: [{ Key: 'owner', Value: 'ops' }] }));
    await secretsManager.send(new UpdateSecretCommand({ SecretId: 'drift-secret', Description: 'changed by hand' }));

    const drifts = await detect();
    const differences = (id: string) => drifts.get(id)!.PropertyDifferences!.map((d) => `${d.DifferenceType} ${d.PropertyPath}: ${d.ExpectedValue} -> ${d.ActualValue}`);
    assert.equal(drifts.get('Bucket')?.StackResourceDriftStatus, 'MODIFIED');
    assert.deepEqual(differences('Bucket'), ['NOT_EQUAL /VersioningConfiguration/Status: Enabled -> Suspended', 'REMOVE /Tags/0: {"Key":"team","Value":"billing"} -> null']);
    assert.deepEqual(differences('Setting'), ['NOT_EQUAL /Value: live -> maintenance']);
    // DynamoDB forgets a disabled TTL's attribute name, as AWS does.
    assert.deepEqual(differences('Jobs'), [
      'NOT_EQUAL /BillingMode: PROVISIONED -> PAY_PER_REQUEST',
      'REMOVE /TimeToLiveSpecification/AttributeName: expires -> null',
      'NOT_EQUAL /TimeToLiveSpecification/Enabled: true -> false',
      'NOT_EQUAL /PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled: true -> false',
      // A tag added through TagResource; `team` is as the template says.
      'ADD /Tags/0: null -> {"Key":"owner","Value":"ops"}',
    ]);
    assert.deepEqual(differences('Secret'), ['NOT_EQUAL /Description: API credentials -> changed by hand']);
    // A value that came from a NoEcho parameter is masked wherever the drift shows it.
    assert.deepEqual(differences('Key'), ['NOT_EQUAL /Value: **** -> rotated-by-hand']);
    assert.doesNotMatch(JSON.stringify([...drifts.values()]), /sk-live-123456/);
    assert.equal(drifts.get('Untouched')?.StackResourceDriftStatus, 'IN_SYNC');
    assert.equal(drifts.get('Setting')!.PhysicalResourceId, '/shop/mode');
    assert.deepEqual(JSON.parse(drifts.get('Setting')!.ExpectedProperties!), { Type: 'String', Value: 'live' });
    assert.deepEqual(JSON.parse(drifts.get('Setting')!.ActualProperties!), { Type: 'String', Value: 'maintenance' });

    const stack = await stackOf(harness.engine, 'shop');
    assert.equal(stack.DriftInformation?.StackDriftStatus, 'DRIFTED');
    const modified = await harness.engine.describeStackResourceDrifts({ StackName: 'shop', StackResourceDriftStatusFilters: ['MODIFIED'] });
    assert.deepEqual(modified.StackResourceDrifts!.map((d) => d.LogicalResourceId).sort(), ['Bucket', 'Jobs', 'Key', 'Secret', 'Setting']);
  });

  it('reports a resource whose data is gone as DELETED, and one resource on its own through DetectStackResourceDrift', async () => {
    await harness.aws.clients.ssm.send(new DeleteParameterCommand({ Name: '/shop/untouched' }));
    const { StackResourceDrift } = await harness.engine.detectStackResourceDrift({ StackName: 'shop', LogicalResourceId: 'Untouched' });
    assert.equal(StackResourceDrift?.StackResourceDriftStatus, 'DELETED');
    assert.equal(StackResourceDrift?.ActualProperties, undefined);
    const { StackResourceSummaries } = await harness.engine.listStackResources({ StackName: 'shop' });
    assert.equal(StackResourceSummaries!.find((r) => r.LogicalResourceId === 'Untouched')?.DriftInformation?.StackResourceDriftStatus, 'DELETED');
    const { StackResourceDrift: topic } = await harness.engine.detectStackResourceDrift({ StackName: 'shop', LogicalResourceId: 'Topic' });
    assert.equal(topic?.StackResourceDriftStatus, 'NOT_CHECKED');
    // A stack detection counts the deleted resource among the drifted ones, with the 5 modified.
    const { StackDriftDetectionId } = await harness.engine.detectStackDrift({ StackName: 'shop' });
    await harness.engine.settled();
    const status = await harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId });
    assert.deepEqual([status.DetectionStatus, status.StackDriftStatus, status.DriftedStackResourceCount], ['DETECTION_COMPLETE', 'DRIFTED', 6]);
  });

  it('pages the results and refuses unknown detections and resources', async () => {
    const first = await harness.engine.describeStackResourceDrifts({ StackName: 'shop', MaxResults: 2 });
    assert.equal(first.StackResourceDrifts!.length, 2);
    const rest = await harness.engine.describeStackResourceDrifts({ StackName: 'shop', NextToken: first.NextToken });
    assert.equal(rest.StackResourceDrifts!.length, 4);
    await assert.rejects(harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId: 'no-such-id' }), { message: 'Drift detection with id no-such-id does not exist' });
    await assert.rejects(harness.engine.detectStackResourceDrift({ StackName: 'shop', LogicalResourceId: 'Nope' }), /Resource Nope does not exist for stack shop/);
    // The SDK sends a call without its required members as it is: refused as AWS refuses it.
    const nullAt = (member: string) => ({ Code: 'ValidationError', message: `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null` });
    await assert.rejects(harness.engine.describeStackDriftDetectionStatus({} as DescribeStackDriftDetectionStatusCommandInput), nullAt('stackDriftDetectionId'));
    await assert.rejects(harness.engine.detectStackResourceDrift({ StackName: 'shop' } as DetectStackResourceDriftCommandInput), nullAt('logicalResourceId'));
    await assert.rejects(harness.engine.detectStackDrift({ StackName: 'nope' }), /Stack with id nope does not exist/);
    await assert.rejects(harness.engine.detectStackDrift({ StackName: 'shop', LogicalResourceIds: ['Nope'] }), /Resource Nope does not exist for stack shop/);
    for (const MaxResults of [0, 101]) {
      await assert.rejects(harness.engine.describeStackResourceDrifts({ StackName: 'shop', MaxResults }), { Code: 'ValidationError', message: new RegExp(`Value '${MaxResults}' at 'maxResults' failed to satisfy constraint`) });
    }
    assert.equal((await harness.engine.describeStackResourceDrifts({ StackName: 'shop', MaxResults: 100 })).StackResourceDrifts!.length, 6);
    assert.equal((await harness.engine.describeStackResourceDrifts({ StackName: 'shop', MaxResults: 1 })).StackResourceDrifts!.length, 1);
    const { StackId } = await harness.engine.createStack({ StackName: 'gone', TemplateBody: JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } } } }) });
    await harness.engine.settled();
    await harness.engine.deleteStack({ StackName: 'gone' });
    await harness.engine.settled();
    await assert.rejects(harness.engine.detectStackDrift({ StackName: StackId }), { Code: 'ValidationError', message: `Stack with id ${StackId} does not exist` });
  });

  it('remembers the last 1000 detections: an older one is forgotten', async () => {
    await harness.engine.createStack({ StackName: 'often-checked', TemplateBody: JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } } } }) });
    await harness.engine.settled();
    const ids: string[] = [];
    for (let i = 0; i < 1001; i++) ids.push((await harness.engine.detectStackDrift({ StackName: 'often-checked' })).StackDriftDetectionId!);
    await harness.engine.settled();
    await assert.rejects(harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId: ids[0] }), { message: `Drift detection with id ${ids[0]} does not exist` });
    assert.equal((await harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId: ids[1] })).DetectionStatus, 'DETECTION_COMPLETE');
  });

  it('leaves unchecked the resources of a failed delete, deleted or not', async () => {
    const flags = { Resources: { Kept: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/flags/kept', Type: 'String', Value: 'on' } }, Gone: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/flags/gone', Type: 'String', Value: 'on' } } } };
    await harness.engine.createStack({ StackName: 'flags', TemplateBody: JSON.stringify(flags) });
    await harness.engine.settled();
    harness.faults.push({ stackName: 'flags', logicalId: 'Kept', operation: 'delete' });
    await harness.engine.deleteStack({ StackName: 'flags' });
    await harness.engine.settled();
    harness.faults.length = 0;
    assert.equal((await stackOf(harness.engine, 'flags')).StackStatus, 'DELETE_FAILED');
    const { StackDriftDetectionId } = await harness.engine.detectStackDrift({ StackName: 'flags' });
    await harness.engine.settled();
    const status = await harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId });
    assert.deepEqual([status.DetectionStatus, status.StackDriftStatus, status.DriftedStackResourceCount], ['DETECTION_COMPLETE', 'IN_SYNC', 0]);
    const { StackResourceSummaries } = await harness.engine.listStackResources({ StackName: 'flags' });
    assert.deepEqual(StackResourceSummaries!.map((r) => `${r.LogicalResourceId} ${r.DriftInformation?.StackResourceDriftStatus}`).sort(), ['Gone NOT_CHECKED', 'Kept NOT_CHECKED']);
  });

  it('checks only the resources named, and refuses a stack in the middle of an operation', async () => {
    await harness.aws.clients.ssm.send(new PutParameterCommand({ Name: '/shop/untouched', Type: 'String', Value: 'same' }));
    // Setting is put back too, but not named: it keeps its MODIFIED until a detection checks it.
    await harness.aws.clients.ssm.send(new PutParameterCommand({ Name: '/shop/mode', Value: 'live', Overwrite: true }));
    const { StackDriftDetectionId } = await harness.engine.detectStackDrift({ StackName: 'shop', LogicalResourceIds: ['Untouched'] });
    await harness.engine.settled();
    const status = await harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId });
    // Untouched is back in sync; the others keep what the last detection found (5 MODIFIED).
    assert.deepEqual([status.DetectionStatus, status.StackDriftStatus, status.DriftedStackResourceCount], ['DETECTION_COMPLETE', 'DRIFTED', 5]);
    const { StackResourceDrifts } = await harness.engine.describeStackResourceDrifts({ StackName: 'shop', StackResourceDriftStatusFilters: ['IN_SYNC'] });
    assert.deepEqual(StackResourceDrifts!.map((d) => d.LogicalResourceId), ['Untouched']);
    // An empty list names no resource in particular: every one is checked, Setting back in sync.
    const all = await harness.engine.detectStackDrift({ StackName: 'shop', LogicalResourceIds: [] });
    await harness.engine.settled();
    assert.equal((await harness.engine.describeStackDriftDetectionStatus({ StackDriftDetectionId: all.StackDriftDetectionId })).DriftedStackResourceCount, 4);

    await harness.engine.updateStack({ StackName: 'shop', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'sk-live-654321' }] });
    await assert.rejects(harness.engine.detectStackDrift({ StackName: 'shop' }), /Drift detection cannot be performed on stack \[shop\] while it is in UPDATE_IN_PROGRESS state/);
    await harness.engine.settled();
  });
});

describe('a DELETED found by drift detection, across restarts', () => {
  it('stays until the engine, starting, finds the resource back', async () => {
    const dataDir = join(temporaryFolder('drift'), '.stackpilot', 'local');
    const resourceDrift = async () => {
      const local = await LocalAws.open({ dataDir });
      const cfn = new CloudFormationClient(local.clientConfig());
      try {
        const summaries = (await cfn.send(new ListStackResourcesCommand({ StackName: 'flags' }))).StackResourceSummaries!;
        return summaries[0].DriftInformation?.StackResourceDriftStatus;
      } finally {
        cfn.destroy();
        await local.close();
      }
    };
    const local = await LocalAws.open({ dataDir });
    const cfn = new CloudFormationClient(local.clientConfig());
    await cfn.send(new CreateStackCommand({ StackName: 'flags', TemplateBody: JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/flags/beta', Type: 'String', Value: 'on' } } } }) }));
    await local.settled();
    const stackDrift = async () => (await cfn.send(new DescribeStacksCommand({ StackName: 'flags' }))).Stacks![0].DriftInformation?.StackDriftStatus;
    // One resource found in sync says nothing of the stack; one found gone makes it DRIFTED.
    assert.equal((await cfn.send(new DetectStackResourceDriftCommand({ StackName: 'flags', LogicalResourceId: 'Flag' }))).StackResourceDrift?.StackResourceDriftStatus, 'IN_SYNC');
    assert.equal(await stackDrift(), 'NOT_CHECKED');
    await local.clients.ssm.send(new DeleteParameterCommand({ Name: '/flags/beta' }));
    assert.equal((await cfn.send(new DetectStackResourceDriftCommand({ StackName: 'flags', LogicalResourceId: 'Flag' }))).StackResourceDrift?.StackResourceDriftStatus, 'DELETED');
    assert.equal(await stackDrift(), 'DRIFTED');
    cfn.destroy();
    await local.close();
    assert.equal(await resourceDrift(), 'DELETED');

    const again = await LocalAws.open({ dataDir });
    await again.clients.ssm.send(new PutParameterCommand({ Name: '/flags/beta', Type: 'String', Value: 'on' }));
    await again.close();
    assert.equal(await resourceDrift(), 'NOT_CHECKED');
  });
});
