import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeTableCommand, GetItemCommand, ListBackupsCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { assertInOrder } from '../helpers.ts';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, stackOf, update, type Harness } from './engine-harness.ts';

const keyed = (key: string, extra: Record<string, unknown> = {}, policies: Record<string, string> = {}) => ({
  Type: 'AWS::DynamoDB::Table',
  ...policies,
  Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }], KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], ...extra },
});

describe('stack updates', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const putItem = (table: string, key: string, id: string) => h.aws.clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { [key]: { S: id }, note: { S: 'keep me' } } }));
  const getItem = async (table: string, key: string, id: string) => (await h.aws.clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { [key]: { S: id } } }))).Item;
  const tableExists = (table: string) => h.aws.clients.dynamodb.send(new DescribeTableCommand({ TableName: table })).then(() => true, () => false);

  it('updates in place when nothing requires replacement, keeping physical ids and data', async () => {
    assert.equal(await deploy(h.engine, 'inplace', { Resources: { Table: keyed('pk'), Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'one' } } } }), 'CREATE_COMPLETE');
    const before = await physicalIds(h.engine, 'inplace');
    await putItem(before.Table, 'pk', 'order-1');
    const status = await update(h.engine, 'inplace', {
      Resources: { Table: keyed('pk', { TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }), Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'two' } } },
    });
    assert.equal(status, 'UPDATE_COMPLETE');
    assert.deepEqual(await physicalIds(h.engine, 'inplace'), before);
    assert.equal((await getItem(before.Table, 'pk', 'order-1'))?.note.S, 'keep me', 'the table kept its items');
    const lines = (await eventLines(h.engine, 'inplace')).slice(8);
    assert.deepEqual(lines.filter((l) => l.startsWith('Topic')), ['Topic UPDATE_IN_PROGRESS', 'Topic UPDATE_COMPLETE']);
    assert.deepEqual(lines.filter((l) => l.startsWith('inplace')), ['inplace UPDATE_IN_PROGRESS', 'inplace UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'inplace UPDATE_COMPLETE']);
  });

  it('an attribute read from a property follows its in-place update; the others stay', async () => {
    const ide = (name: string) => ({
      Resources: { Ide: { Type: 'AWS::Cloud9::EnvironmentEC2', Properties: { Name: name, InstanceType: 't3.small', ImageId: 'amazonlinux-2023-x86_64' } } },
      Outputs: { Name: { Value: { 'Fn::GetAtt': ['Ide', 'Name'] } }, Arn: { Value: { 'Fn::GetAtt': ['Ide', 'Arn'] } } },
    });
    assert.equal(await deploy(h.engine, 'ide', ide('first')), 'CREATE_COMPLETE');
    const before = await outputsOf(h.engine, 'ide');
    assert.equal(before.Name, 'first');
    assert.equal(await update(h.engine, 'ide', ide('second')), 'UPDATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'ide'), { Name: 'second', Arn: before.Arn });
  });

  it('an in-place update keeps the attributes AWS made at create: generated ids and the creation time', async () => {
    const network = (dnsHostnames: boolean, description: string) => ({
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: dnsHostnames } },
        Queries: { Type: 'AWS::Athena::WorkGroup', Properties: { Name: 'queries', Description: description } },
      },
      Outputs: {
        SecurityGroup: { Value: { 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] } },
        NetworkAcl: { Value: { 'Fn::GetAtt': ['Vpc', 'DefaultNetworkAcl'] } },
        Created: { Value: { 'Fn::GetAtt': ['Queries', 'CreationTime'] } },
      },
    });
    assert.equal(await deploy(h.engine, 'made-at-create', network(false, 'first')), 'CREATE_COMPLETE');
    const before = await outputsOf(h.engine, 'made-at-create');
    assert.match(before.SecurityGroup, /^sg-[0-9a-f]{17}$/);
    assert.equal(await update(h.engine, 'made-at-create', network(true, 'second')), 'UPDATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'made-at-create'), before);
  });

  it('an update that changes nothing is refused', async () => {
    const template = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } };
    assert.equal(await deploy(h.engine, 'noop', template), 'CREATE_COMPLETE');
    await assert.rejects(h.engine.updateStack({ StackName: 'noop', TemplateBody: JSON.stringify(template, null, 4) }), { Code: 'ValidationError', message: 'No updates are to be performed.' });
    await assert.rejects(h.engine.updateStack({ StackName: 'noop', UsePreviousTemplate: true }), { message: 'No updates are to be performed.' });
  });

  it('replaces a resource: the new one first, the old one deleted at cleanup, and its data with it', async () => {
    assert.equal(await deploy(h.engine, 'replace', { Resources: { Table: keyed('pk') }, Outputs: { Name: { Value: { Ref: 'Table' } } } }), 'CREATE_COMPLETE');
    const old = (await physicalIds(h.engine, 'replace')).Table;
    await putItem(old, 'pk', 'order-1');
    assert.equal(await update(h.engine, 'replace', { Resources: { Table: keyed('id') }, Outputs: { Name: { Value: { Ref: 'Table' } } } }), 'UPDATE_COMPLETE');
    const now = (await physicalIds(h.engine, 'replace')).Table;
    assert.notEqual(now, old);
    assert.match(now, /^replace-Table-[A-Z0-9]{12}$/);
    assert.equal(await tableExists(old), false, 'the old table is deleted with its items');
    assert.equal(await getItem(now, 'id', 'order-1'), undefined);
    assert.equal((await stackOf(h.engine, 'replace')).Outputs![0].OutputValue, now);
    const { StackEvents } = await h.engine.describeStackEvents({ StackName: 'replace' });
    const updateEvents = StackEvents!.slice(0, 8).reverse().map((e) => `${e.LogicalResourceId} ${e.ResourceStatus} ${e.PhysicalResourceId} ${e.ResourceStatusReason ?? ''}`.trim());
    assert.deepEqual(updateEvents.slice(1, 7), [
      `Table UPDATE_IN_PROGRESS ${old} Requested update requires the creation of a new physical resource; hence creating one.`,
      `Table UPDATE_IN_PROGRESS ${now} Resource creation Initiated`,
      `Table UPDATE_COMPLETE ${now}`,
      `replace UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ${StackEvents![0].StackId}`,
      `Table DELETE_IN_PROGRESS ${old}`,
      `Table DELETE_COMPLETE ${old}`,
    ]);
  });

  it('UpdateReplacePolicy Retain keeps the replaced table and its items', async () => {
    assert.equal(await deploy(h.engine, 'retain-replaced', { Resources: { Table: keyed('pk', {}, { UpdateReplacePolicy: 'Retain' }) } }), 'CREATE_COMPLETE');
    const old = (await physicalIds(h.engine, 'retain-replaced')).Table;
    await putItem(old, 'pk', 'order-1');
    assert.equal(await update(h.engine, 'retain-replaced', { Resources: { Table: keyed('id', {}, { UpdateReplacePolicy: 'Retain' }) } }), 'UPDATE_COMPLETE');
    assert.ok((await eventLines(h.engine, 'retain-replaced')).includes('Table DELETE_SKIPPED'));
    assert.equal((await getItem(old, 'pk', 'order-1'))?.note.S, 'keep me');
  });

  it('refuses to replace a custom-named resource, and rolls back', async () => {
    assert.equal(await deploy(h.engine, 'named', { Resources: { Table: keyed('pk', { TableName: 'orders-table' }) } }), 'CREATE_COMPLETE');
    await putItem('orders-table', 'pk', 'order-1');
    assert.equal(await update(h.engine, 'named', { Resources: { Table: keyed('id', { TableName: 'orders-table' }) } }), 'UPDATE_ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'named', true);
    assert.ok(lines.includes('Table UPDATE_FAILED CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename orders-table and update the stack again.'), lines.join('\n'));
    assert.equal((await stackOf(h.engine, 'named')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal((await getItem('orders-table', 'pk', 'order-1'))?.note.S, 'keep me');
    assert.equal(await update(h.engine, 'named', { Resources: { Table: keyed('id', { TableName: 'orders-table-v2' }) } }), 'UPDATE_COMPLETE', 'renaming allows the replacement');
    assert.equal((await physicalIds(h.engine, 'named')).Table, 'orders-table-v2');
  });

  it('a "maybe" property replaces when its value changes, and updates in place when it is added or removed', async () => {
    const vpc = (tenancy?: string) => ({ Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', ...(tenancy ? { InstanceTenancy: tenancy } : {}) } } } });
    assert.equal(await deploy(h.engine, 'maybe', vpc()), 'CREATE_COMPLETE');
    const first = (await physicalIds(h.engine, 'maybe')).Vpc;
    assert.equal(await update(h.engine, 'maybe', vpc('default')), 'UPDATE_COMPLETE');
    assert.equal((await physicalIds(h.engine, 'maybe')).Vpc, first);
    assert.equal(await update(h.engine, 'maybe', vpc('dedicated')), 'UPDATE_COMPLETE');
    const second = (await physicalIds(h.engine, 'maybe')).Vpc;
    assert.notEqual(second, first);
    assert.equal(await update(h.engine, 'maybe', vpc()), 'UPDATE_COMPLETE');
    assert.equal((await physicalIds(h.engine, 'maybe')).Vpc, second);
  });

  it('changing a resource\'s type replaces it; added resources are created and removed ones deleted at cleanup', async () => {
    assert.equal(await deploy(h.engine, 'shape', { Resources: { Thing: { Type: 'AWS::SNS::Topic' }, Gone: { Type: 'AWS::SQS::Queue' } } }), 'CREATE_COMPLETE');
    const before = await physicalIds(h.engine, 'shape');
    assert.equal(await update(h.engine, 'shape', { Resources: { Thing: { Type: 'AWS::SQS::Queue' }, Fresh: { Type: 'AWS::Logs::LogGroup' } } }), 'UPDATE_COMPLETE');
    const after = await physicalIds(h.engine, 'shape');
    assert.deepEqual(Object.keys(after).sort(), ['Fresh', 'Thing']);
    assert.match(after.Thing, /^https:\/\/sqs\./);
    const lines = await eventLines(h.engine, 'shape');
    assertInOrder(lines, 'Fresh CREATE_COMPLETE', 'shape UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Gone DELETE_COMPLETE');
    assert.notEqual(after.Thing, before.Thing);
  });

  it('DeletionPolicy Retain keeps a table and its items after the stack is deleted; Snapshot backs it up', async () => {
    assert.equal(await deploy(h.engine, 'keep', { Resources: { Kept: keyed('pk', {}, { DeletionPolicy: 'Retain' }), Snap: keyed('pk', {}, { DeletionPolicy: 'Snapshot' }), Dropped: keyed('pk') } }), 'CREATE_COMPLETE');
    const ids = await physicalIds(h.engine, 'keep');
    await putItem(ids.Kept, 'pk', 'order-1');
    await h.engine.deleteStack({ StackName: 'keep' });
    await h.engine.settled();
    const lines = await eventLines(h.engine, (await h.engine.listStacks({})).StackSummaries!.find((s) => s.StackName === 'keep')!.StackId!);
    assert.ok(lines.includes('Kept DELETE_SKIPPED'));
    assert.equal((await getItem(ids.Kept, 'pk', 'order-1'))?.note.S, 'keep me');
    assert.equal(await tableExists(ids.Dropped), false);
    assert.equal(await tableExists(ids.Snap), false);
    const backups = async (table: string) => (await h.aws.clients.dynamodb.send(new ListBackupsCommand({ TableName: table }))).BackupSummaries ?? [];
    assert.equal((await backups(ids.Snap)).length, 1, 'Snapshot made a backup before deleting');
    assert.deepEqual(await backups(ids.Dropped), [], 'Delete (the default) makes no backup');
  });

  it('a resource\'s Metadata shows its references resolved, follows an update, comes back with a rollback and goes with the template\'s', async () => {
    const metadata = async () => JSON.parse((await h.engine.describeStackResource({ StackName: 'described', LogicalResourceId: 'Param' })).StackResourceDetail!.Metadata ?? 'null') as unknown;
    const param = (value: string, extra: Record<string, unknown>) => ({ Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Param: { Type: 'AWS::SSM::Parameter', DependsOn: 'Topic', Properties: { Type: 'String', Value: value }, ...extra } } });
    assert.equal(await deploy(h.engine, 'described', param('one', { Metadata: { Topic: { Ref: 'Topic' }, Release: 'one' } })), 'CREATE_COMPLETE');
    const topic = (await physicalIds(h.engine, 'described')).Topic;
    assert.deepEqual(await metadata(), { Topic: topic, Release: 'one' });
    assert.equal(await update(h.engine, 'described', param('two', { Metadata: { Topic: { Ref: 'Topic' }, Release: 'two' } })), 'UPDATE_COMPLETE');
    assert.deepEqual(await metadata(), { Topic: topic, Release: 'two' });

    h.faults.push({ logicalId: 'Param', operation: 'update' });
    assert.equal(await update(h.engine, 'described', param('three', { Metadata: { Release: 'three' } })), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assert.deepEqual(await metadata(), { Topic: topic, Release: 'two' }, 'the rollback restores the Metadata with the resource');

    assert.equal(await update(h.engine, 'described', param('four', {})), 'UPDATE_COMPLETE');
    assert.equal(await metadata(), null, 'a Metadata the template dropped is gone');

    // A reference to what does not exist yet (no dependency orders them) is shown as written.
    const early = { Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'v' }, Metadata: { Next: { Ref: 'Later' } } }, Later: { Type: 'AWS::SNS::Topic', DependsOn: 'Param' } } };
    assert.equal(await deploy(h.engine, 'early', early), 'CREATE_COMPLETE');
    const shown = (await h.engine.describeStackResource({ StackName: 'early', LogicalResourceId: 'Param' })).StackResourceDetail!.Metadata!;
    assert.deepEqual(JSON.parse(shown), { Next: { Ref: 'Later' } });
  });

  it('after an update, deleting the stack still deletes a resource\'s dependents before it; a failed delete can be retried', async () => {
    const template = (name: string) => ({ Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Queue: { Type: 'AWS::SQS::Queue', DependsOn: 'Topic', Properties: { DelaySeconds: name === 'one' ? 0 : 5 } } } });
    assert.equal(await deploy(h.engine, 'ordered', template('one')), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'ordered', template('two')), 'UPDATE_COMPLETE');
    h.faults.push({ logicalId: 'Topic', operation: 'delete', reason: 'Topic is in use' });
    await h.engine.deleteStack({ StackName: 'ordered' });
    await h.engine.settled();
    h.faults.length = 0;
    const stack = await stackOf(h.engine, 'ordered');
    assert.equal(stack.StackStatus, 'DELETE_FAILED');
    const { StackResources } = await h.engine.describeStackResources({ StackName: 'ordered' });
    assert.deepEqual(StackResources!.map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`).sort(), ['Queue DELETE_COMPLETE', 'Topic DELETE_FAILED']);
    await h.engine.deleteStack({ StackName: 'ordered' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    const lines = await eventLines(h.engine, stack.StackId!, true);
    assertInOrder(lines, 'Queue DELETE_COMPLETE', 'Topic DELETE_IN_PROGRESS', 'Topic DELETE_FAILED Topic is in use', 'Topic DELETE_COMPLETE');
  });

  it('DeletionPolicy RetainExceptOnCreate deletes a table whose creation rolls back, and keeps one the stack made before', async () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html: "If the stack
    // operation that created the resource is rolled back, CloudFormation deletes the resource."
    const kept = { DeletionPolicy: 'RetainExceptOnCreate' };
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    assert.equal(await deploy(h.engine, 'fresh-start', { Resources: { Table: keyed('pk', {}, kept), Broken: { Type: 'AWS::SNS::Topic', DependsOn: 'Table' } } }), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'fresh-start');
    assert.ok(lines.includes('Table DELETE_COMPLETE'), lines.join('\n'));

    assert.equal(await deploy(h.engine, 'grows', { Resources: { Old: keyed('pk', {}, kept) } }), 'CREATE_COMPLETE');
    const added = { Old: keyed('pk', {}, kept), Added: keyed('pk', {}, kept), Broken: { Type: 'AWS::SNS::Topic', DependsOn: 'Added' } };
    assert.equal(await update(h.engine, 'grows', { Resources: added }), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assert.ok((await eventLines(h.engine, 'grows')).includes('Added DELETE_COMPLETE'), 'what the rolled back update made is deleted');
    const old = (await physicalIds(h.engine, 'grows')).Old;
    await h.engine.deleteStack({ StackName: 'grows' });
    await h.engine.settled();
    assert.equal(await tableExists(old), true, 'deleting the stack keeps what it made');
  });

  it('a stack that rolled back its creation can only be deleted', async () => {
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    assert.equal(await deploy(h.engine, 'rolled', { Resources: { Broken: { Type: 'AWS::SNS::Topic' } } }), 'ROLLBACK_COMPLETE');
    h.faults.length = 0;
    const stack = await stackOf(h.engine, 'rolled');
    await assert.rejects(h.engine.updateStack({ StackName: 'rolled', TemplateBody: JSON.stringify({ Resources: { Fixed: { Type: 'AWS::SNS::Topic' } } }) }), { message: `Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.` });
    await h.engine.deleteStack({ StackName: 'rolled' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
  });
});
