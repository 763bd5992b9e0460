import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { assertInOrder } from '../helpers.ts';
import { deploy, eventLines, openEngine, physicalIds, stackOf, statusOf, update, type CloudFormationOverSdk, type Harness } from './engine-harness.ts';

const table = (key: string) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }], KeySchema: [{ AttributeName: key, KeyType: 'HASH' }] },
});

async function waitForEvent(engine: CloudFormationOverSdk, stack: string, line: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if ((await eventLines(engine, stack)).includes(line)) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`no event ${line}`);
}

describe('failure and rollback', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('a failed create rolls back, deleting what it created', async () => {
    h.faults.push({ logicalId: 'Second', operation: 'create', reason: 'Quota exceeded' });
    const template = { Resources: { First: { Type: 'AWS::SNS::Topic' }, Second: { Type: 'AWS::SQS::Queue', DependsOn: 'First' }, Third: { Type: 'AWS::SNS::Topic', DependsOn: 'Second' } } };
    assert.equal(await deploy(h.engine, 'broken', template), 'ROLLBACK_COMPLETE');
    h.faults.length = 0;
    const lines = await eventLines(h.engine, 'broken', true);
    assert.deepEqual(lines.slice(4), [
      'Second CREATE_IN_PROGRESS',
      'Second CREATE_FAILED Quota exceeded',
      'broken ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Second]. Rollback requested by user.',
      'Second DELETE_IN_PROGRESS',
      'Second DELETE_COMPLETE',
      'First DELETE_IN_PROGRESS',
      'First DELETE_COMPLETE',
      'broken ROLLBACK_COMPLETE',
    ]);
    assert.equal(lines.some((l) => l.startsWith('Third')), false, 'nothing after the failure starts');
  });

  it('a failed create cancels the creations still under way, and the rollback deletes them', async () => {
    const slow = await openEngine({ timeScale: 0.05 });
    slow.faults.push({ logicalId: 'Quick', operation: 'create', reason: 'Quota exceeded' });
    const template = { Resources: { Quick: { Type: 'AWS::SNS::Topic' }, Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } } };
    assert.equal(await deploy(slow.engine, 'halted', template), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(slow.engine, 'halted', true);
    assertInOrder(lines, 'Quick CREATE_FAILED Quota exceeded', 'Server CREATE_FAILED Resource creation cancelled', 'halted ROLLBACK_COMPLETE');
    assert.equal(lines.includes('Server CREATE_COMPLETE'), false, 'the server was never made');
    await slow.close();
  });

  it('a failed update cancels the changes still under way: a resource being added is never made', async () => {
    const slow = await openEngine({ timeScale: 0.05 });
    const template = (display: string, server: boolean) => ({ Resources: { Quick: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: display } }, ...(server ? { Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } } : {}) } });
    assert.equal(await deploy(slow.engine, 'paced', template('v1', false)), 'CREATE_COMPLETE');
    slow.faults.push({ logicalId: 'Quick', operation: 'update', phase: 'forward', reason: 'Topic locked' });
    assert.equal(await update(slow.engine, 'paced', template('v2', true)), 'UPDATE_ROLLBACK_COMPLETE');
    const lines = await eventLines(slow.engine, 'paced', true);
    assertInOrder(lines, 'Quick UPDATE_FAILED Topic locked', 'Server CREATE_FAILED Resource creation cancelled', 'paced UPDATE_ROLLBACK_COMPLETE');
    assert.equal(lines.includes('Server CREATE_COMPLETE'), false, 'the server was never made');
    await slow.close();
  });

  it('a bucket made, then refused its configuration, is deleted by the rollback: in a create and as a replacement', async () => {
    const buckets = async () => ((await h.aws.clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!).filter((name) => name.startsWith('refused-'));
    const bucket = (name: string, status: string) => ({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: name, VersioningConfiguration: { Status: status } } } } });
    assert.equal(await deploy(h.engine, 'refused', bucket('refused-first', 'Bogus')), 'ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'refused', true)).some((l) => l.startsWith('Bucket CREATE_FAILED Resource handler returned message')));
    assert.deepEqual(await buckets(), [], 'nothing is left that no stack owns');

    assert.equal(await deploy(h.engine, 'replaced', bucket('refused-v1', 'Enabled')), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'replaced', bucket('refused-v2', 'Bogus')), 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'replaced', true)).some((l) => l.startsWith('Bucket UPDATE_FAILED Resource handler returned message')));
    assert.deepEqual(await buckets(), ['refused-v1'], 'the replacement is gone, the original kept');
    assert.equal((await physicalIds(h.engine, 'replaced')).Bucket, 'refused-v1');
  });

  it('a bucket that failed before it was made needs no delete: the rollback completes', async () => {
    h.faults.push({ logicalId: 'Bucket', operation: 'create', reason: 'Bucket limit reached' });
    assert.equal(await deploy(h.engine, 'never-made', { Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }), 'ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assertInOrder(await eventLines(h.engine, 'never-made', true), 'Bucket CREATE_FAILED Bucket limit reached', 'Bucket DELETE_COMPLETE', 'never-made ROLLBACK_COMPLETE');
  });

  it('a failed create whose rollback cannot delete a resource ends ROLLBACK_FAILED, naming it', async () => {
    h.faults.push({ logicalId: 'Second', operation: 'create' }, { logicalId: 'First', operation: 'delete', phase: 'rollback', reason: 'Topic in use' });
    const template = { Resources: { First: { Type: 'AWS::SNS::Topic' }, Second: { Type: 'AWS::SQS::Queue', DependsOn: 'First' } } };
    assert.equal(await deploy(h.engine, 'half-undone', template), 'ROLLBACK_FAILED');
    h.faults.length = 0;
    assert.equal((await stackOf(h.engine, 'half-undone')).StackStatusReason, 'The following resource(s) failed to delete: [First]. ');
    assert.ok((await eventLines(h.engine, 'half-undone', true)).includes('First DELETE_FAILED Topic in use'));
  });

  it('a failed create cancels the resources still being created: none is left made (DisableRollback shows it)', async () => {
    const slow = await openEngine({ timeScale: 0.01 });
    try {
      slow.faults.push({ logicalId: 'Queue', operation: 'create' });
      // The queue fails after 10 ms while the instance is still being made (300 ms).
      const template = { Resources: { Queue: { Type: 'AWS::SQS::Queue' }, Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } } };
      assert.equal(await deploy(slow.engine, 'cut-short', template, { DisableRollback: true }), 'CREATE_FAILED');
      const { StackResources } = await slow.engine.describeStackResources({ StackName: 'cut-short' });
      const server = StackResources!.find((r) => r.LogicalResourceId === 'Server')!;
      assert.equal(server.ResourceStatus, 'CREATE_FAILED');
      assert.equal(server.ResourceStatusReason, 'Resource creation cancelled');
      assert.equal(server.PhysicalResourceId, undefined, 'no instance was made');
      assert.equal((await stackOf(slow.engine, 'cut-short')).StackStatusReason, 'The following resource(s) failed to create: [Queue, Server]. ');
    } finally {
      await slow.close();
    }
  });

  it('after a failure, no resource starts, even one whose dependency completes afterwards', async () => {
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    // Config is being made when Broken fails; Reader, waiting on it, must not start once it completes.
    const template = {
      Resources: {
        Config: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } },
        Broken: { Type: 'AWS::SQS::Queue' },
        Reader: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'Config' } } },
      },
    };
    assert.equal(await deploy(h.engine, 'stops-starting', template, { DisableRollback: true }), 'CREATE_FAILED');
    h.faults.length = 0;
    const lines = await eventLines(h.engine, 'stops-starting');
    assert.ok(lines.includes('Config CREATE_COMPLETE'), 'what was under way finishes');
    assert.equal(lines.some((l) => l.startsWith('Reader')), false, 'nothing new starts');
  });

  it('deleting a stack whose update rollback failed also deletes what the update had created', async () => {
    const v1 = { Resources: { Setting: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/ledger/setting', Type: 'String', Value: 'v1' } } } };
    assert.equal(await deploy(h.engine, 'ledger', v1), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Broken', operation: 'create' }, { logicalId: 'Setting', operation: 'update', phase: 'rollback' });
    const v2 = {
      Resources: {
        Setting: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/ledger/setting', Type: 'String', Value: 'v2' } },
        Added: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/ledger/added', Type: 'String', Value: 'new' } },
        Broken: { Type: 'AWS::SQS::Queue', DependsOn: ['Setting', 'Added'] },
      },
    };
    assert.equal(await update(h.engine, 'ledger', v2), 'UPDATE_ROLLBACK_FAILED');
    h.faults.length = 0;
    await h.engine.deleteStack({ StackName: 'ledger' });
    await h.engine.settled();
    const [summary] = (await h.engine.listStacks({})).StackSummaries!.filter((s) => s.StackName === 'ledger');
    assert.equal(summary.StackStatus, 'DELETE_COMPLETE');
    for (const name of ['/ledger/setting', '/ledger/added']) {
      await assert.rejects(h.aws.clients.ssm.send(new GetParameterCommand({ Name: name })), { name: 'ParameterNotFound' }, `${name} is gone`);
    }
  });

  it('a delete retried after a failure leaves alone what the first attempt deleted or retained', async () => {
    const tableNamed = (name: string) => ({ Type: 'AWS::DynamoDB::Table', Properties: { TableName: name, ...table('pk').Properties } });
    const itemIn = async (name: string) => (await h.aws.clients.dynamodb.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'kept' } } }))).Item;
    const put = (name: string) => h.aws.clients.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'kept' } } }));
    assert.equal(await deploy(h.engine, 'archive-v1', { Resources: { Archive: tableNamed('archive'), Ledger: tableNamed('ledger-book'), Queue: { Type: 'AWS::SQS::Queue' } } }), 'CREATE_COMPLETE');
    await put('ledger-book');
    h.faults.push({ stackName: 'archive-v1', logicalId: 'Queue', operation: 'delete' }, { stackName: 'archive-v1', logicalId: 'Ledger', operation: 'delete' });
    await h.engine.deleteStack({ StackName: 'archive-v1' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'archive-v1'), 'DELETE_FAILED');
    // The first attempt deleted the table `archive`; another stack now has a table of that name.
    assert.equal(await deploy(h.engine, 'archive-v2', { Resources: { Archive: tableNamed('archive') } }), 'CREATE_COMPLETE');
    await put('archive');
    // The second attempt keeps the ledger, as asked; the queue still fails.
    h.faults.splice(1, 1);
    await h.engine.deleteStack({ StackName: 'archive-v1', RetainResources: ['Ledger'] });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'archive-v1'), 'DELETE_FAILED');
    h.faults.length = 0;
    await h.engine.deleteStack({ StackName: 'archive-v1' });
    await h.engine.settled();
    const [summary] = (await h.engine.listStacks({})).StackSummaries!.filter((s) => s.StackName === 'archive-v1');
    assert.equal(summary.StackStatus, 'DELETE_COMPLETE');
    assert.ok(await itemIn('archive'), 'the other stack\'s table keeps its items');
    assert.ok(await itemIn('ledger-book'), 'the retained table keeps its items');
  });

  it('DisableRollback leaves CREATE_FAILED; RollbackStack rolls it back later', async () => {
    h.faults.push({ type: 'AWS::SQS::Queue', operation: 'create' });
    const template = { Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Queue: { Type: 'AWS::SQS::Queue', DependsOn: 'Topic' } } };
    assert.equal(await deploy(h.engine, 'kept', template, { DisableRollback: true }), 'CREATE_FAILED');
    h.faults.length = 0;
    assert.equal((await physicalIds(h.engine, 'kept')).Topic !== undefined, true, 'what was created is still there to inspect');
    await h.engine.rollbackStack({ StackName: 'kept' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'kept'), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'kept', true);
    assertInOrder(lines, 'kept ROLLBACK_IN_PROGRESS User Initiated', 'Topic DELETE_COMPLETE');
  });

  it('a failed update rolls back to the previous resources, physical ids, data and template', async () => {
    const v1 = { Resources: { Table: table('pk'), Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v1' } } } };
    assert.equal(await deploy(h.engine, 'orders', v1), 'CREATE_COMPLETE');
    const before = await physicalIds(h.engine, 'orders');
    await h.aws.clients.dynamodb.send(new PutItemCommand({ TableName: before.Table, Item: { pk: { S: 'o-1' } } }));
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    const v2 = {
      Resources: {
        Table: table('id'),
        Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v2' } },
        Added: { Type: 'AWS::SQS::Queue' },
        Broken: { Type: 'AWS::SQS::Queue', DependsOn: ['Table', 'Topic', 'Added'] },
      },
    };
    assert.equal(await update(h.engine, 'orders', v2), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assert.deepEqual(await physicalIds(h.engine, 'orders'), before);
    const item = await h.aws.clients.dynamodb.send(new GetItemCommand({ TableName: before.Table, Key: { pk: { S: 'o-1' } } }));
    assert.ok(item.Item, 'the original table and its items are back');
    assert.equal((await h.engine.getTemplate({ StackName: 'orders' })).TemplateBody, JSON.stringify(v1));
    const stack = await stackOf(h.engine, 'orders');
    assert.equal(stack.StackStatusReason, undefined);
    const lines = await eventLines(h.engine, 'orders', true);
    assert.ok(lines.includes('orders UPDATE_IN_PROGRESS User Initiated'));
    const rollback = lines.findIndex((l) => l.startsWith('orders UPDATE_ROLLBACK_IN_PROGRESS'));
    assert.equal(lines[rollback], 'orders UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Broken]. ', 'CloudFormation\'s words: the update added Broken');
    const after = lines.slice(rollback);
    assert.ok(after.includes('orders UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'));
    for (const id of ['Added', 'Broken', 'Table']) assert.ok(after.includes(`${id} DELETE_COMPLETE`), `${id} removed at cleanup`);
    assertInOrder(after, 'Topic UPDATE_COMPLETE', 'orders UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    // The replaced table and the topic updated in place each show their revert, as on AWS.
    for (const id of ['Table', 'Topic']) assertInOrder(after, `${id} UPDATE_IN_PROGRESS`, `${id} UPDATE_COMPLETE`);
    assert.equal(after.at(-1), 'orders UPDATE_ROLLBACK_COMPLETE');
  });

  it('a failed update reverts a chain of in-place updates in the data plane, each after what it depends on', async () => {
    const param = (name: string, value: string, dependsOn?: string) => ({ Type: 'AWS::SSM::Parameter', ...(dependsOn ? { DependsOn: dependsOn } : {}), Properties: { Name: `/chain/${name}`, Type: 'String', Value: value } });
    const chain = (value: string) => ({ Resources: { First: param('first', value), Second: param('second', value, 'First'), Third: param('third', value, 'Second') } });
    assert.equal(await deploy(h.engine, 'chain', chain('v1')), 'CREATE_COMPLETE');
    // First and Second are updated; Third's own update fails before it reaches Parameter Store.
    h.faults.push({ logicalId: 'Third', operation: 'update', phase: 'forward', reason: 'Parameter locked' });
    assert.equal(await update(h.engine, 'chain', chain('v2')), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    for (const name of ['first', 'second', 'third']) {
      const stored = await h.aws.clients.ssm.send(new GetParameterCommand({ Name: `/chain/${name}` }));
      assert.equal(stored.Parameter?.Value, 'v1', `/chain/${name} holds its value from before the update`);
    }
    const { StackResources } = await h.engine.describeStackResources({ StackName: 'chain' });
    assert.deepEqual(StackResources?.map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`).sort(), ['First UPDATE_COMPLETE', 'Second UPDATE_COMPLETE', 'Third UPDATE_COMPLETE']);
    const lines = await eventLines(h.engine, 'chain', true);
    const after = lines.slice(lines.findIndex((l) => l.startsWith('chain UPDATE_ROLLBACK_IN_PROGRESS')));
    assert.ok(after.length > 1, 'the rollback has events');
    assertInOrder(after, 'First UPDATE_COMPLETE', 'Second UPDATE_IN_PROGRESS', 'Second UPDATE_COMPLETE', 'Third UPDATE_IN_PROGRESS', 'Third UPDATE_COMPLETE', 'chain UPDATE_ROLLBACK_COMPLETE');
  });

  it('a failed update puts back the capabilities and tags the stack had', async () => {
    const tags = (team: string) => [{ Key: 'team', Value: team }];
    assert.equal(await deploy(h.engine, 'settings', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }, { Capabilities: ['CAPABILITY_IAM'], Tags: tags('blue') }), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    const failing = { Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Broken: { Type: 'AWS::SQS::Queue' } } };
    assert.equal(await update(h.engine, 'settings', failing, { Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'], Tags: tags('red') }), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    const stack = await stackOf(h.engine, 'settings');
    assert.deepEqual([stack.Capabilities, stack.Tags], [['CAPABILITY_IAM'], tags('blue')]);
  });

  it('a failed update that adds a parameter rolls back to the parameters the stack had', async () => {
    const topic = { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'Name' } } } };
    assert.equal(await deploy(h.engine, 'grown', { Parameters: { Name: { Type: 'String' } }, Resources: topic }, { Parameters: [{ ParameterKey: 'Name', ParameterValue: 'one' }] }), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    const grown = { Parameters: { Name: { Type: 'String' }, Size: { Type: 'Number' } }, Resources: { ...topic, Broken: { Type: 'AWS::SQS::Queue', DependsOn: 'Topic' } } };
    const status = await update(h.engine, 'grown', grown, { Parameters: [{ ParameterKey: 'Name', ParameterValue: 'two' }, { ParameterKey: 'Size', ParameterValue: '3' }] });
    h.faults.length = 0;
    assert.equal(status, 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual((await stackOf(h.engine, 'grown')).Parameters, [{ ParameterKey: 'Name', ParameterValue: 'one' }]);
  });

  it('DisableRollback leaves UPDATE_FAILED; RollbackStack restores the previous state', async () => {
    assert.equal(await deploy(h.engine, 'paused', { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v1' } } } }), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Queue', operation: 'create' });
    const status = await update(h.engine, 'paused', { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v2' } }, Queue: { Type: 'AWS::SQS::Queue', DependsOn: 'Topic' } } }, { DisableRollback: true });
    h.faults.length = 0;
    assert.equal(status, 'UPDATE_FAILED');
    await h.engine.rollbackStack({ StackName: 'paused' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'paused'), 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(Object.keys(await physicalIds(h.engine, 'paused')), ['Topic']);
    assert.ok((await eventLines(h.engine, 'paused', true)).includes('paused UPDATE_ROLLBACK_IN_PROGRESS User Initiated'));
  });

  it('a stack left UPDATE_FAILED can be updated again, and the fixed update completes', async () => {
    const topic = (name: string) => ({ Type: 'AWS::SNS::Topic', Properties: { DisplayName: name } });
    assert.equal(await deploy(h.engine, 'fixed', { Resources: { Topic: topic('v1') } }), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Queue', operation: 'create' });
    assert.equal(await update(h.engine, 'fixed', { Resources: { Topic: topic('v2'), Queue: { Type: 'AWS::SQS::Queue', DependsOn: 'Topic' } } }, { DisableRollback: true }), 'UPDATE_FAILED');
    h.faults.length = 0;
    assert.equal(await update(h.engine, 'fixed', { Resources: { Topic: topic('v3'), Queue: { Type: 'AWS::SQS::Queue', DependsOn: 'Topic' } } }), 'UPDATE_COMPLETE');
    assert.deepEqual(Object.keys(await physicalIds(h.engine, 'fixed')).sort(), ['Queue', 'Topic']);
  });

  it('a replacement that fails before anything is made leaves the original current, with its data, for RollbackStack', async () => {
    assert.equal(await deploy(h.engine, 'unreplaced', { Resources: { Table: table('pk') } }), 'CREATE_COMPLETE');
    const before = await physicalIds(h.engine, 'unreplaced');
    await h.aws.clients.dynamodb.send(new PutItemCommand({ TableName: before.Table, Item: { pk: { S: 'o-1' } } }));
    h.faults.push({ logicalId: 'Table', operation: 'create', reason: 'Table limit reached' });
    assert.equal(await update(h.engine, 'unreplaced', { Resources: { Table: table('id') } }, { DisableRollback: true }), 'UPDATE_FAILED');
    h.faults.length = 0;
    assert.ok((await eventLines(h.engine, 'unreplaced', true)).includes('Table UPDATE_FAILED Table limit reached'));
    assert.deepEqual(await physicalIds(h.engine, 'unreplaced'), before, 'the stack still names the original table');
    await h.engine.rollbackStack({ StackName: 'unreplaced' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'unreplaced'), 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(await physicalIds(h.engine, 'unreplaced'), before);
    const item = await h.aws.clients.dynamodb.send(new GetItemCommand({ TableName: before.Table, Key: { pk: { S: 'o-1' } } }));
    assert.ok(item.Item, 'the original table kept its items');
  });

  it('a revert that fails leaves UPDATE_ROLLBACK_FAILED; ContinueUpdateRollback skipping it completes', async () => {
    const slow = await openEngine({ timeScale: 0.01 });
    const v1 = { Resources: { Fast: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v1' } }, Slow: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', Tags: [{ Key: 'topic', Value: { Ref: 'Fast' } }] } } } };
    assert.equal(await deploy(slow.engine, 'stuck', v1), 'CREATE_COMPLETE');
    slow.faults.push({ logicalId: 'Slow' });
    const v2 = structuredClone(v1);
    v2.Resources.Fast.Properties.DisplayName = 'v2';
    v2.Resources.Slow.Properties.ImageId = 'ami-2';
    await slow.engine.updateStack({ StackName: 'stuck', TemplateBody: JSON.stringify(v2) });
    await waitForEvent(slow.engine, 'stuck', 'Fast UPDATE_COMPLETE');
    slow.faults.push({ logicalId: 'Fast', operation: 'update', reason: 'Topic policy locked' });
    await slow.engine.settled();
    const stack = await stackOf(slow.engine, 'stuck');
    assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_FAILED');
    assert.equal(stack.StackStatusReason, 'The following resource(s) failed to update: [Fast]. ');
    const lines = await eventLines(slow.engine, 'stuck', true);
    assert.ok(lines.includes('stuck UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Slow]. '), 'the update\'s failure names the resource');
    assert.ok(lines.includes('Fast UPDATE_FAILED Topic policy locked'), 'the revert\'s failure is shown with its reason');

    await slow.engine.continueUpdateRollback({ StackName: 'stuck' });
    await slow.engine.settled();
    assert.equal(await statusOf(slow.engine, 'stuck'), 'UPDATE_ROLLBACK_FAILED', 'still failing while the fault lasts');
    assert.ok((await eventLines(slow.engine, 'stuck', true)).includes('stuck UPDATE_ROLLBACK_IN_PROGRESS User Initiated'), 'the retried rollback says who asked for it');

    await slow.engine.continueUpdateRollback({ StackName: 'stuck', ResourcesToSkip: ['Fast'] });
    await slow.engine.settled();
    assert.equal(await statusOf(slow.engine, 'stuck'), 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok((await eventLines(slow.engine, 'stuck', true)).includes('Fast UPDATE_COMPLETE Resource skipped during rollback'));
    await slow.close();
  });

  it('a failed update names the resources it failed to add apart from those it failed to change, as CloudFormation does', async () => {
    assert.equal(await deploy(h.engine, 'two-ways', { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v1' } } } }), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Topic', operation: 'update' }, { logicalId: 'Added', operation: 'create' });
    assert.equal(await update(h.engine, 'two-ways', { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v2' } }, Added: { Type: 'AWS::SQS::Queue' } } }), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    const lines = await eventLines(h.engine, 'two-ways', true);
    assert.ok(lines.includes('two-ways UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Added]. The following resource(s) failed to update: [Topic]. '), lines.join('\n'));
  });

  it('OnFailure DELETE deletes a stack whose create failed, once it has rolled back', async () => {
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    await h.engine.createStack({ StackName: 'throwaway', TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Broken: { Type: 'AWS::SQS::Queue', DependsOn: 'Topic' } } }), OnFailure: 'DELETE' });
    await h.engine.settled();
    h.faults.length = 0;
    const [summary] = (await h.engine.listStacks({})).StackSummaries!.filter((s) => s.StackName === 'throwaway');
    assert.equal(summary.StackStatus, 'DELETE_COMPLETE');
    assert.equal(await deploy(h.engine, 'kept-whole', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }, { OnFailure: 'DELETE' }), 'CREATE_COMPLETE', 'a create that succeeds is kept');
  });

  it('CancelUpdateStack is refused while a stack is being created, and the create goes on', async () => {
    const slow = await openEngine({ timeScale: 0.01 });
    await slow.engine.createStack({ StackName: 'growing', TemplateBody: JSON.stringify({ Resources: { Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } } }) });
    await assert.rejects(slow.engine.cancelUpdateStack({ StackName: 'growing' }), { name: 'ValidationError', message: 'CancelUpdateStack cannot be called from current stack status' });
    await slow.engine.settled();
    assert.equal(await statusOf(slow.engine, 'growing'), 'CREATE_COMPLETE');
    await slow.close();
  });

  it('CancelUpdateStack stops an update in progress and rolls it back', async () => {
    const slow = await openEngine({ timeScale: 0.01 });
    assert.equal(await deploy(slow.engine, 'cancelled', { Resources: { Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } } }), 'CREATE_COMPLETE');
    const before = await physicalIds(slow.engine, 'cancelled');
    await slow.engine.updateStack({ StackName: 'cancelled', TemplateBody: JSON.stringify({ Resources: { Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-2' } } } }) });
    await assert.rejects(slow.engine.cancelUpdateStack({ StackName: 'nope' }), /does not exist/);
    await slow.engine.cancelUpdateStack({ StackName: 'cancelled' });
    await slow.engine.settled();
    assert.equal(await statusOf(slow.engine, 'cancelled'), 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(await physicalIds(slow.engine, 'cancelled'), before);
    assert.ok((await eventLines(slow.engine, 'cancelled', true)).includes('Server UPDATE_FAILED Resource update cancelled'));
    await assert.rejects(slow.engine.cancelUpdateStack({ StackName: 'cancelled' }), /CancelUpdateStack cannot be called from current stack status/);
    await slow.close();
  });

  it('CancelUpdateStack stops an in-place update before it reaches the resource, and rolls it back even with rollback disabled', async () => {
    const slow = await openEngine({ timeScale: 0.05 });
    const server = (release: string) => JSON.stringify({ Resources: { Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', Tags: [{ Key: 'release', Value: release }] } } } });
    assert.equal(await deploy(slow.engine, 'stopped', server('one')), 'CREATE_COMPLETE');
    const before = await physicalIds(slow.engine, 'stopped');
    await slow.engine.updateStack({ StackName: 'stopped', TemplateBody: server('two'), DisableRollback: true });
    await slow.engine.cancelUpdateStack({ StackName: 'stopped' });
    await slow.engine.settled();
    assert.equal(await statusOf(slow.engine, 'stopped'), 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(await physicalIds(slow.engine, 'stopped'), before, 'updated in place, never replaced');
    const lines = await eventLines(slow.engine, 'stopped', true);
    assert.ok(lines.includes('Server UPDATE_FAILED Resource update cancelled'), lines.join('\n'));
    await slow.close();
  });
});
