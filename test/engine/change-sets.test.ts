import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { deploy, eventLines, openEngine, physicalIds, stackOf, statusOf, type CloudFormationOverSdk, type Harness } from './engine-harness.ts';

const template = (opts: { key?: string; display?: string; queue?: boolean } = {}) => ({
  Parameters: { Env: { Type: 'String', Default: 'dev' } },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: opts.key ?? 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: opts.key ?? 'pk', KeyType: 'HASH' }] } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::Sub': `${opts.display ?? 'orders'}-\${Env}` } } },
    Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'Table' } } },
    ...(opts.queue === false ? {} : { Queue: { Type: 'AWS::SQS::Queue' } }),
  },
});

async function changeSet(engine: CloudFormationOverSdk, input: Record<string, unknown>) {
  await engine.createChangeSet({ StackName: 'shop', ...input } as never);
  await engine.settled();
  return engine.describeChangeSet({ StackName: 'shop', ChangeSetName: input.ChangeSetName as string });
}

describe('change sets', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('a CREATE change set makes a REVIEW_IN_PROGRESS stack, lists Adds, and creates it when executed', async () => {
    const described = await changeSet(h.engine, { ChangeSetName: 'initial', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(template()) });
    assert.equal(described.Status, 'CREATE_COMPLETE');
    assert.equal(described.ExecutionStatus, 'AVAILABLE');
    assert.match(described.ChangeSetId!, /^arn:aws:cloudformation:us-east-1:123456789012:changeSet\/initial\//);
    assert.deepEqual(described.Changes!.map((c) => `${c.ResourceChange!.Action} ${c.ResourceChange!.LogicalResourceId}`).sort(), ['Add Param', 'Add Queue', 'Add Table', 'Add Topic']);
    assert.equal(await statusOf(h.engine, 'shop'), 'REVIEW_IN_PROGRESS');
    await h.engine.executeChangeSet({ StackName: 'shop', ChangeSetName: 'initial' });
    await h.engine.settled();
    const stack = await stackOf(h.engine, 'shop');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.ChangeSetId, described.ChangeSetId);
    assert.equal((await h.engine.describeChangeSet({ ChangeSetName: described.ChangeSetId })).ExecutionStatus, 'EXECUTE_COMPLETE');
    assert.deepEqual((await eventLines(h.engine, 'shop')).slice(0, 2), ['shop REVIEW_IN_PROGRESS', 'shop CREATE_IN_PROGRESS']);
  });

  it('an UPDATE change set describes Modify, Remove and Replacement with Details', async () => {
    const described = await changeSet(h.engine, {
      ChangeSetName: 'rekey',
      TemplateBody: JSON.stringify(template({ key: 'id', display: 'shop', queue: false })),
      Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
    });
    assert.equal(described.Status, 'CREATE_COMPLETE');
    const byId = Object.fromEntries(described.Changes!.map((c) => [c.ResourceChange!.LogicalResourceId, c.ResourceChange!]));
    const ids = await physicalIds(h.engine, 'shop');
    assert.deepEqual(byId.Table, {
      Action: 'Modify', LogicalResourceId: 'Table', PhysicalResourceId: ids.Table, ResourceType: 'AWS::DynamoDB::Table', Replacement: 'True', Scope: ['Properties'],
      Details: [
        { Target: { Attribute: 'Properties', Name: 'AttributeDefinitions', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'DirectModification' },
        { Target: { Attribute: 'Properties', Name: 'KeySchema', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'DirectModification' },
      ],
    });
    assert.equal(byId.Topic.Replacement, 'False');
    assert.deepEqual(byId.Topic.Details, [{ Target: { Attribute: 'Properties', Name: 'DisplayName', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }]);
    assert.deepEqual(byId.Param.Details, [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'Table' }]);
    assert.deepEqual(byId.Queue, { Action: 'Remove', LogicalResourceId: 'Queue', PhysicalResourceId: ids.Queue, ResourceType: 'AWS::SQS::Queue', PolicyAction: 'Delete', Scope: [], Details: [] });
    assert.deepEqual(await physicalIds(h.engine, 'shop'), ids, 'describing changes nothing');

    const paramOnly = await changeSet(h.engine, { ChangeSetName: 'prod', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] });
    assert.deepEqual(paramOnly.Changes!.map((c) => c.ResourceChange!.Details), [[{ Target: { Attribute: 'Properties', Name: 'DisplayName', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: 'Env' }]]);
    // The executed CREATE change set is no longer listed (see change-set-lifecycle.test.ts for the sources).
    assert.deepEqual((await h.engine.listChangeSets({ StackName: 'shop' })).Summaries!.map((s) => s.ChangeSetName), ['rekey', 'prod']);

    await h.engine.executeChangeSet({ StackName: 'shop', ChangeSetName: 'rekey' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'shop'), 'UPDATE_COMPLETE');
    assert.notEqual((await physicalIds(h.engine, 'shop')).Table, ids.Table);
    // Executing one change set deletes the stack's others, as AWS does.
    await assert.rejects(h.engine.describeChangeSet({ StackName: 'shop', ChangeSetName: 'prod' }), { Code: 'ChangeSetNotFound' });
    await assert.rejects(h.engine.executeChangeSet({ StackName: 'shop', ChangeSetName: 'rekey' }), { Code: 'InvalidChangeSetStatus' });
  });

  it('a change set says what a removal keeps, which changes are tags, which replace conditionally, and which attribute a change comes from', async () => {
    const table = (key: string, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::DynamoDB::Table', ...extra, Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }], KeySchema: [{ AttributeName: key, KeyType: 'HASH' }] } });
    // v2: a new tenancy, new tags and no display name, a new key (replaces Orders), a new type for Feed, Ledger and History removed.
    const version = (v2: boolean) => ({
      Resources: {
        Network: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', InstanceTenancy: v2 ? 'dedicated' : 'default', Tags: [{ Key: 'tier', Value: v2 ? 'b' : 'a' }] } },
        Alerts: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: 'team', Value: v2 ? 'billing' : 'ops' }], ...(v2 ? {} : { DisplayName: 'alerts' }) } },
        // Refers to Alerts, which is changed in place: its id stays, so this resource does not change.
        AlertsName: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'Alerts' } } },
        Orders: table(v2 ? 'id' : 'pk'),
        OrdersArn: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::Join': [' ', [{ Ref: 'AWS::Region' }, { 'Fn::GetAtt': ['Orders', 'Arn'] }, { Ref: 'Orders' }]] } } },
        OrdersName: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::Join': [' ', [{ Ref: 'AWS::Region' }, { Ref: 'Orders' }]] } } },
        Feed: { Type: v2 ? 'AWS::SQS::Queue' : 'AWS::SNS::Topic' },
        ...(v2 ? {} : { Ledger: table('id', { DeletionPolicy: 'Retain' }), History: table('id', { DeletionPolicy: 'Snapshot' }) }),
      },
    });
    assert.equal(await deploy(h.engine, 'details', version(false)), 'CREATE_COMPLETE');
    await h.engine.createChangeSet({ StackName: 'details', ChangeSetName: 'v2', TemplateBody: JSON.stringify(version(true)) });
    await h.engine.settled();
    const described = await h.engine.describeChangeSet({ StackName: 'details', ChangeSetName: 'v2' });
    const byId = Object.fromEntries(described.Changes!.map((c) => [c.ResourceChange!.LogicalResourceId!, c.ResourceChange!] as const));
    // One change that may replace and one that never does: the resource may be replaced.
    assert.equal(byId.Network.Replacement, 'Conditional');
    assert.deepEqual(byId.Network.Details!.map((d) => `${d.Target!.Name} ${d.Target!.RequiresRecreation}`).sort(), ['InstanceTenancy Conditionally', 'Tags Never']);
    assert.equal(byId.AlertsName, undefined, 'an in-place change leaves what refers to the resource alone');
    assert.deepEqual(byId.Alerts.Scope, ['Tags', 'Properties']);
    assert.deepEqual(byId.Alerts.Details, [
      { Target: { Attribute: 'Tags', Name: 'Tags', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'DirectModification' },
      { Target: { Attribute: 'Properties', Name: 'DisplayName', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'DirectModification' },
    ]);
    assert.equal(byId.Orders.Replacement, 'True');
    assert.deepEqual(byId.OrdersArn.Details, [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceAttribute', CausingEntity: 'Orders.Arn' }]);
    assert.deepEqual(byId.OrdersName.Details, [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'Orders' }]);
    assert.deepEqual([byId.Feed.Action, byId.Feed.ResourceType, byId.Feed.Replacement], ['Modify', 'AWS::SQS::Queue', 'True'], 'a new type replaces');
    assert.equal(byId.Ledger.PolicyAction, 'Retain');
    assert.equal(byId.History.PolicyAction, 'Snapshot');
  });

  it('a resource an update failed to create is listed as added by the next change set', async () => {
    const v1 = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } };
    const v2 = { Resources: { ...v1.Resources, Queue: { Type: 'AWS::SQS::Queue' } } };
    assert.equal(await deploy(h.engine, 'half-grown', v1), 'CREATE_COMPLETE');
    h.faults.push({ stackName: 'half-grown', logicalId: 'Queue', operation: 'create' });
    await h.engine.updateStack({ StackName: 'half-grown', TemplateBody: JSON.stringify(v2), DisableRollback: true });
    await h.engine.settled();
    h.faults.length = 0;
    assert.equal(await statusOf(h.engine, 'half-grown'), 'UPDATE_FAILED');
    const v3 = { Resources: { ...v2.Resources, Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v3' } } } };
    await h.engine.createChangeSet({ StackName: 'half-grown', ChangeSetName: 'retry', TemplateBody: JSON.stringify(v3) });
    await h.engine.settled();
    const described = await h.engine.describeChangeSet({ StackName: 'half-grown', ChangeSetName: 'retry' });
    assert.deepEqual(described.Changes!.map((c) => `${c.ResourceChange!.Action} ${c.ResourceChange!.LogicalResourceId}`).sort(), ['Add Queue', 'Modify Topic']);
  });

  it('a change set with no changes fails with AWS\'s reason, and can be deleted', async () => {
    const described = await changeSet(h.engine, { ChangeSetName: 'same', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Env', UsePreviousValue: true }] });
    assert.equal(described.Status, 'FAILED');
    assert.equal(described.ExecutionStatus, 'UNAVAILABLE');
    assert.equal(described.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    await h.engine.deleteChangeSet({ StackName: 'shop', ChangeSetName: 'same' });
    await assert.rejects(h.engine.describeChangeSet({ StackName: 'shop', ChangeSetName: 'same' }), { Code: 'ChangeSetNotFound', message: 'ChangeSet [same] does not exist' });
  });

  it('a change caused by a replaced resource names that resource, not the unchanged parameters beside it', async () => {
    const named = (topicName: string) => ({
      Parameters: { Team: { Type: 'String' }, Region: { Type: 'String' } },
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: topicName } },
        Pointer: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::Sub': '${Region}/${Team}/${Topic}' } } },
      },
    });
    const parameters = [{ ParameterKey: 'Team', ParameterValue: 'blue' }, { ParameterKey: 'Region', ParameterValue: 'west' }];
    assert.equal(await deploy(h.engine, 'causes', named('alerts-v1'), { Parameters: parameters }), 'CREATE_COMPLETE');
    await h.engine.createChangeSet({ StackName: 'causes', ChangeSetName: 'rename', TemplateBody: JSON.stringify(named('alerts-v2')), Parameters: parameters });
    await h.engine.settled();
    const described = await h.engine.describeChangeSet({ StackName: 'causes', ChangeSetName: 'rename' });
    const pointer = described.Changes?.find((c) => c.ResourceChange?.LogicalResourceId === 'Pointer')?.ResourceChange;
    assert.deepEqual(pointer?.Details, [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'Topic' }]);
  });

  it('a change set whose resource properties cannot be evaluated fails with the reason, rather than listing no change', async () => {
    const subnets = (block: string) => ({
      Parameters: { Block: { Type: 'String', Default: block } },
      Resources: {
        FirstSubnet: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::Select': [0, { 'Fn::Cidr': [{ Ref: 'Block' }, 2, 8] }] } } },
        Pointer: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'FirstSubnet' } } },
      },
    });
    assert.equal(await deploy(h.engine, 'network', subnets('10.0.0.0/16')), 'CREATE_COMPLETE');
    await h.engine.createChangeSet({ StackName: 'network', ChangeSetName: 'bad-block', TemplateBody: JSON.stringify(subnets('10.0.0.0/16')), Parameters: [{ ParameterKey: 'Block', ParameterValue: 'ten-dot-zero' }] });
    await h.engine.settled();
    const described = await h.engine.describeChangeSet({ StackName: 'network', ChangeSetName: 'bad-block' });
    assert.equal(described.Status, 'FAILED');
    assert.equal(described.ExecutionStatus, 'UNAVAILABLE');
    assert.match(described.StatusReason!, /Fn::Cidr: ten-dot-zero is not a CIDR block/);
  });

  it('IncludeNestedStacks makes a change set for each modified nested stack', async () => {
    await h.aws.clients.s3.send(new CreateBucketCommand({ Bucket: 'cs-templates' }));
    const child = (name: string) => ({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: name } } } });
    await h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'cs-templates', Key: 'child.json', Body: JSON.stringify(child('one')) }));
    const parent = (version: string) => ({ Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://cs-templates.s3.amazonaws.com/child.json', Tags: [{ Key: 'v', Value: version }] } } } });
    assert.equal(await deploy(h.engine, 'family', parent('1')), 'CREATE_COMPLETE');
    await h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'cs-templates', Key: 'child.json', Body: JSON.stringify(child('two')) }));
    await h.engine.createChangeSet({ StackName: 'family', ChangeSetName: 'deep', TemplateBody: JSON.stringify(parent('2')), IncludeNestedStacks: true });
    await h.engine.settled();
    const root = await h.engine.describeChangeSet({ StackName: 'family', ChangeSetName: 'deep' });
    const nested = root.Changes![0].ResourceChange!;
    assert.equal(nested.Action, 'Modify');
    assert.ok(nested.ChangeSetId);
    const childSet = await h.engine.describeChangeSet({ ChangeSetName: nested.ChangeSetId });
    assert.equal(childSet.ParentChangeSetId, root.ChangeSetId);
    assert.equal(childSet.RootChangeSetId, root.ChangeSetId);
    assert.equal(childSet.StackId, nested.PhysicalResourceId);
    assert.deepEqual(childSet.Changes!.map((c) => `${c.ResourceChange!.Action} ${c.ResourceChange!.LogicalResourceId}`), ['Modify Topic']);
    await h.engine.executeChangeSet({ ChangeSetName: root.ChangeSetId });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'family'), 'UPDATE_COMPLETE');
    assert.equal((await h.engine.describeChangeSet({ ChangeSetName: nested.ChangeSetId })).ExecutionStatus, 'EXECUTE_COMPLETE');

    // The child's properties unchanged (another resource of the parent changes), its template changed behind the same URL: the child is listed as modified.
    await h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'cs-templates', Key: 'child.json', Body: JSON.stringify(child('three')) }));
    const withAlerts = { Resources: { ...parent('2').Resources, Alerts: { Type: 'AWS::SNS::Topic' } } };
    await h.engine.createChangeSet({ StackName: 'family', ChangeSetName: 'child-only', TemplateBody: JSON.stringify(withAlerts) });
    await h.engine.settled();
    const childOnly = await h.engine.describeChangeSet({ StackName: 'family', ChangeSetName: 'child-only' });
    assert.deepEqual(childOnly.Changes!.map((c) => `${c.ResourceChange!.Action} ${c.ResourceChange!.LogicalResourceId}`).sort(), ['Add Alerts', 'Modify Child']);
  });

  it('rejects change sets the way CloudFormation does', async () => {
    await assert.rejects(h.engine.createChangeSet({ StackName: 'nothing-here', ChangeSetName: 'x', TemplateBody: JSON.stringify(template()) }), { message: 'Stack [nothing-here] does not exist' });
    await assert.rejects(h.engine.createChangeSet({ StackName: 'shop', ChangeSetName: 'again', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(template()) }), { Code: 'ValidationError' });
    await h.engine.createChangeSet({ StackName: 'shop', ChangeSetName: 'twice', TemplateBody: JSON.stringify(template({ display: 'twice' })) });
    await assert.rejects(h.engine.createChangeSet({ StackName: 'shop', ChangeSetName: 'twice', TemplateBody: JSON.stringify(template()) }), { Code: 'AlreadyExistsException', message: 'ChangeSet [twice] already exists' });
  });
});
