import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchWriteItemCommand, DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { deploy, openEngine, outputsOf, physicalIds, stackOf, update, type Harness } from './engine-harness.ts';

/**
 * What a deploy must never do to stored data: updates that AWS applies in place keep every item,
 * and a rollback puts the data plane (not only the stack record) back as it was.
 */
describe('data safety', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const ITEMS = 30;
  const table = (extra: Record<string, unknown>) => ({
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], ...extra },
      },
    },
  });
  const items = async (name: string) => {
    const { Items } = await h.aws.clients.dynamodb.send(new ScanCommand({ TableName: name }));
    return (Items ?? []).map((item) => `${item.pk.S}=${item.note.S}`).sort();
  };

  // Each of these properties is "Update requires: No interruption" for AWS::DynamoDB::Table
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html):
  // the table is updated where it stands, so its items stay.
  it('updates a table holding items in place through billing, throughput, stream, encryption, recovery and tag changes, keeping every item', async () => {
    const onDemand = { BillingMode: 'PAY_PER_REQUEST' };
    const provisioned = (units: number) => ({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: units, WriteCapacityUnits: units } });
    assert.equal(await deploy(h.engine, 'orders', table(onDemand)), 'CREATE_COMPLETE');
    const name = (await physicalIds(h.engine, 'orders')).Table;
    const written = Array.from({ length: ITEMS }, (_, i) => ({ pk: { S: `order-${i}` }, note: { S: `kept-${i}` } }));
    for (let i = 0; i < written.length; i += 25) {
      await h.aws.clients.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [name]: written.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const stored = await items(name);
    assert.equal(stored.length, ITEMS);

    const steps: [string, Record<string, unknown>][] = [
      ['BillingMode to PROVISIONED', provisioned(5)],
      ['ProvisionedThroughput', provisioned(7)],
      ['StreamSpecification', { ...provisioned(7), StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } }],
      ['SSESpecification', { ...provisioned(7), StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' }, SSESpecification: { SSEEnabled: true } }],
      ['PointInTimeRecoverySpecification', { ...provisioned(7), StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' }, SSESpecification: { SSEEnabled: true }, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
      ['Tags', { ...provisioned(7), StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' }, SSESpecification: { SSEEnabled: true }, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, Tags: [{ Key: 'team', Value: 'orders' }] }],
      ['BillingMode back to PAY_PER_REQUEST', onDemand],
    ];
    for (const [change, properties] of steps) {
      assert.equal(await update(h.engine, 'orders', table(properties)), 'UPDATE_COMPLETE', change);
      assert.equal((await physicalIds(h.engine, 'orders')).Table, name, `${change}: the same table`);
      assert.deepEqual(await items(name), stored, `${change}: every item kept`);
    }
    const described = (await h.aws.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table!;
    assert.equal(described.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST', 'the last billing change reached the table');
  });

  it('a billing change reaches the table itself', async () => {
    assert.equal(await deploy(h.engine, 'billing', table({ BillingMode: 'PAY_PER_REQUEST' })), 'CREATE_COMPLETE');
    const name = (await physicalIds(h.engine, 'billing')).Table;
    assert.equal(await update(h.engine, 'billing', table({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } })), 'UPDATE_COMPLETE');
    const described = (await h.aws.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table!;
    assert.deepEqual([described.ProvisionedThroughput?.ReadCapacityUnits, described.ProvisionedThroughput?.WriteCapacityUnits], [3, 4]);
  });

  it('a rollback puts in-place updated resources back in the data plane: a parameter\'s value, a bucket\'s versioning', async () => {
    const stack = (value: string, versioning: string, broken = false) => ({
      Resources: {
        Flag: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/orders/flag', Type: 'String', Value: value } },
        Archive: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'orders-archive', VersioningConfiguration: { Status: versioning } } },
        ...(broken ? { Broken: { Type: 'AWS::SQS::Queue', DependsOn: ['Flag', 'Archive'] } } : {}),
      },
    });
    assert.equal(await deploy(h.engine, 'revert', stack('v1', 'Enabled')), 'CREATE_COMPLETE');
    await h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'orders-archive', Key: 'a.txt', Body: 'one' }));
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    try {
      assert.equal(await update(h.engine, 'revert', stack('v2', 'Suspended', true)), 'UPDATE_ROLLBACK_COMPLETE');
    } finally {
      h.faults.length = 0;
    }
    const events = (await h.engine.describeStackEvents({ StackName: 'revert' })).StackEvents!.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
    assert.ok(events.includes('Flag UPDATE_COMPLETE') && events.includes('Archive UPDATE_COMPLETE'), 'both were updated before the failure');
    assert.equal((await h.aws.clients.ssm.send(new GetParameterCommand({ Name: '/orders/flag' }))).Parameter?.Value, 'v1');
    assert.equal((await h.aws.clients.s3.send(new GetBucketVersioningCommand({ Bucket: 'orders-archive' }))).Status, 'Enabled');
  });

  it('after a parent rolls back, a nested stack whose own update completed shows its previous outputs again', async () => {
    const child = {
      Parameters: { Label: { Type: 'String' } },
      Resources: { Setting: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/orders/label', Type: 'String', Value: { Ref: 'Label' } } } },
      Outputs: { Label: { Value: { 'Fn::GetAtt': ['Setting', 'Value'] } }, Name: { Value: { Ref: 'Setting' } } },
    };
    await h.aws.clients.s3.send(new CreateBucketCommand({ Bucket: 'nested-templates' }));
    await h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'nested-templates', Key: 'child.json', Body: JSON.stringify(child) }));
    const parent = (label: string, broken = false) => ({
      Resources: {
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://nested-templates.s3.amazonaws.com/child.json', Parameters: { Label: label } } },
        ...(broken ? { Broken: { Type: 'AWS::SQS::Queue', DependsOn: 'Child' } } : {}),
      },
      Outputs: { Label: { Value: { 'Fn::GetAtt': ['Child', 'Outputs.Label'] } } },
    });
    assert.equal(await deploy(h.engine, 'parent', parent('blue')), 'CREATE_COMPLETE');
    const childId = (await physicalIds(h.engine, 'parent')).Child;
    assert.deepEqual(await outputsOf(h.engine, childId), { Label: 'blue', Name: '/orders/label' });

    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    try {
      assert.equal(await update(h.engine, 'parent', parent('green', true)), 'UPDATE_ROLLBACK_COMPLETE');
    } finally {
      h.faults.length = 0;
    }
    const childEvents = (await h.engine.describeStackEvents({ StackName: childId })).StackEvents!.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
    assert.ok(childEvents.includes(`${(await stackOf(h.engine, childId)).StackName} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`), 'the child\'s own update had completed');
    assert.equal((await stackOf(h.engine, childId)).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, childId), { Label: 'blue', Name: '/orders/label' });
    assert.deepEqual(await outputsOf(h.engine, 'parent'), { Label: 'blue' });
    assert.equal((await h.aws.clients.ssm.send(new GetParameterCommand({ Name: '/orders/label' }))).Parameter?.Value, 'blue');
  });
});
