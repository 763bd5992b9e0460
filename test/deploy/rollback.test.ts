import { ContinueUpdateRollbackCommand, DescribeStackResourceCommand, DescribeStacksCommand, ListStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent, RollbackFailure } from '../../src/deploy/events.ts';
import { rollbackProject, type RollbackOptions } from '../../src/deploy/rollback.ts';
import type { FaultRule } from '../../src/engine/api.ts';
import { StackpilotError } from '../../src/errors.ts';
import { copyExample, savedOutputs, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

async function deploy(path: string, options: Partial<DeployOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deployProject(path, { target: 'local', concurrency: 4, yes: true, ...options }, (e) => events.push(e));
  return { report, events };
}

async function rollback(path: string, options: Partial<RollbackOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await rollbackProject(path, { target: 'local', skip: [], yes: false, ...options }, (e) => events.push(e));
  return { report, events, done: events.flatMap((e) => (e.code === 'stack-done' ? [e] : [])), failures: events.flatMap((e) => (e.code === 'rollback-failures' ? [e.failures] : [])) };
}

const statusOf = async (cfn: CloudFormationClient, name: string) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0].StackStatus;
/** A nested stack of plot-palette-development, by its logical id. */
async function withNested<T>(cfn: CloudFormationClient, logicalId: string, use: (stackId: string) => Promise<T>): Promise<T> {
  const resource = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'plot-palette-development', LogicalResourceId: logicalId }))).StackResourceDetail!;
  return use(resource.PhysicalResourceId!);
}

const shown = (failures: RollbackFailure[]) => failures.map((f) => `${f.skipName} ${f.resourceType} ${f.reason}`);

const appTemplate = (version: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Alerts:
    Type: AWS::SNS::Topic
    Properties: { DisplayName: alerts-${version} }
  Jobs:
    Type: AWS::SQS::Queue
    DependsOn: Alerts
    Properties: { VisibilityTimeout: ${version === 'v1' ? 30 : 60} }
Outputs:
  OrdersTable:
    Value: !Ref Orders
`;

const shopProject = () => writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': appTemplate('v1') });

async function putOrder(dynamodb: DynamoDBClient, table: string): Promise<void> {
  await dynamodb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'order-1' }, total: { N: '42' } } }));
}

async function orderOf(dynamodb: DynamoDBClient, table: string): Promise<string | undefined> {
  return (await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'order-1' } } }))).Item?.total?.N;
}

describe('stackpilot rollback', () => {
  it('lists a resource whose rollback failed, refuses an unknown --skip, asks before skipping, and --skip completes the rollback with the data intact', async () => {
    const dir = shopProject();
    assert.equal((await deploy(dir)).report.ok, true);
    const table = savedOutputs(dir, 'dev').app.OrdersTable;
    await withProjectState(dir, ({ dynamodb }) => putOrder(dynamodb, table));
    // Alerts updates, Jobs fails; putting Alerts back fails too.
    const faults: FaultRule[] = [
      { logicalId: 'Jobs', operation: 'update', phase: 'forward', reason: 'simulated: queue quota' },
      { logicalId: 'Alerts', operation: 'update', phase: 'rollback', reason: 'simulated: topic locked' },
    ];
    writeFileSync(join(dir, 'app.yaml'), appTemplate('v2'));
    const failed = await deploy(dir, { engine: { faults } });
    const done = failed.events.find((e) => e.code === 'stack-done');
    assert.ok(done?.code === 'stack-done');
    assert.equal(done.status, 'UPDATE_ROLLBACK_FAILED');
    assert.match(done.hint ?? '', /stackpilot rollback --skip/);

    const retried = await rollback(dir, { engine: { faults } });
    assert.equal(retried.report.ok, false);
    assert.deepEqual(shown(retried.failures[0]), ['Alerts AWS::SNS::Topic simulated: topic locked'], 'listed before the rollback is continued');
    assert.equal(retried.done[0].status, 'UPDATE_ROLLBACK_FAILED', 'still failing while the cause lasts');
    assert.match(retried.done[0].hint ?? '', /stackpilot rollback .* --stack app --skip Alerts/);

    await assert.rejects(rollback(dir, { skip: ['Orders'], engine: { faults } }), (error: unknown) => error instanceof StackpilotError && /--skip Orders: no resource of that name failed to roll back/.test(error.message) && /Alerts/.test(error.hint ?? ''));
    const unconfirmed = await rollback(dir, { skip: ['Alerts'], engine: { faults } });
    assert.equal(unconfirmed.done[0].outcome, 'needs-action');
    assert.match(unconfirmed.done[0].hint ?? '', /--yes --skip Alerts/);
    await withProjectState(dir, async ({ cloudformation }) => assert.equal(await statusOf(cloudformation, 'shop-dev-app'), 'UPDATE_ROLLBACK_FAILED', 'nothing done without confirmation'));

    const asked: string[] = [];
    const skipped = await rollback(dir, { skip: ['Alerts'], ask: async (question) => (asked.push(question), true), engine: { faults } });
    assert.equal(skipped.report.ok, true);
    assert.match(asked[0], /Skip Alerts in shop-dev-app\?/);
    assert.equal(skipped.done[0].status, 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok(skipped.events.some((e) => e.code === 'resource' && e.logicalId === 'Alerts' && e.reason === 'Resource skipped during rollback'));
    await withProjectState(dir, async ({ cloudformation, dynamodb }) => {
      assert.equal(await statusOf(cloudformation, 'shop-dev-app'), 'UPDATE_ROLLBACK_COMPLETE');
      assert.equal(await orderOf(dynamodb, table), '42', 'the table and its items came through');
    });
    const again = await rollback(dir);
    assert.equal(again.report.ok, true);
    assert.deepEqual([again.done[0].outcome, again.done[0].reason], ['no-changes', 'nothing to roll back (UPDATE_ROLLBACK_COMPLETE)']);
  });

  it('in a nested stack of plot-palette: lists Child.Logical, and --skip Child.Logical completes the rollback at the root', async () => {
    const dir = copyExample('plot-palette');
    assert.equal((await deploy(dir, { env: 'development' })).report.ok, true);
    const jobs = 'plot-palette-jobs-development';
    await withProjectState(dir, async ({ dynamodb }) => dynamodb.send(new PutItemCommand({ TableName: jobs, Item: { job_id: { S: 'job-1' }, user_id: { S: 'u-1' } } })));
    const database = join(dir, 'infrastructure/cloudformation/database-stack.yaml');
    // New tags on JobsTable then QueueTable: QueueTable's update fails, and so does putting JobsTable back.
    writeFileSync(database, readFileSync(database, 'utf8').replace('Value: !Sub plot-palette-jobs-${EnvironmentName}', 'Value: jobs-v2').replace('Value: !Sub plot-palette-queue-${EnvironmentName}', 'Value: queue-v2').replace('  QueueTable:\n    Type: AWS::DynamoDB::Table\n', '  QueueTable:\n    Type: AWS::DynamoDB::Table\n    DependsOn: JobsTable\n'));
    const faults: FaultRule[] = [
      { logicalId: 'QueueTable', operation: 'update', phase: 'forward' },
      { logicalId: 'JobsTable', operation: 'update', phase: 'rollback', reason: 'simulated: table busy' },
    ];
    const failed = await deploy(dir, { env: 'development', engine: { faults } });
    assert.deepEqual(failed.events.flatMap((e) => (e.code === 'stack-done' ? [e.status] : [])), ['UPDATE_ROLLBACK_FAILED']);

    const listed = await rollback(dir, { env: 'development', engine: { faults } });
    assert.deepEqual(shown(listed.failures[0]), ['DatabaseStack.JobsTable AWS::DynamoDB::Table simulated: table busy'], 'the nested resource, not the nested stack');
    assert.equal(listed.done[0].status, 'UPDATE_ROLLBACK_FAILED');
    await withProjectState(dir, async ({ cloudformation }) => {
      const database = (await cloudformation.send(new DescribeStackResourceCommand({ StackName: 'plot-palette-development', LogicalResourceId: 'DatabaseStack' }))).StackResourceDetail!.PhysicalResourceId!;
      assert.equal(await statusOf(cloudformation, database), 'UPDATE_ROLLBACK_FAILED');
      // As on AWS: the call goes to the root, and a nested stack is skipped by its resources.
      await assert.rejects(cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: database })), /is a nested stack: call ContinueUpdateRollback on its root stack plot-palette-development/);
      await assert.rejects(cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: 'plot-palette-development', ResourcesToSkip: ['DatabaseStack'] })), /Nested stack resources can only be skipped when their embedded stack statuses are one of \[DELETE_IN_PROGRESS, DELETE_COMPLETE, DELETE_FAILED\]/);
      await assert.rejects(cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: 'plot-palette-development', ResourcesToSkip: ['DatabaseStack.QueueTable'] })), /DatabaseStack.QueueTable is in UPDATE_COMPLETE state; only resources whose rollback failed/);
      await assert.rejects(cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: 'plot-palette-development', ResourcesToSkip: ['DatabaseStack.Jobs'] })), /DatabaseStack.Jobs is not a resource of stack plot-palette-development or of its nested stacks/);
    });

    const skipped = await rollback(dir, { env: 'development', skip: ['DatabaseStack.JobsTable'], yes: true, engine: { faults } });
    assert.equal(skipped.report.ok, true);
    assert.equal(skipped.done[0].status, 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok(skipped.events.some((e) => e.code === 'resource' && e.nestedPath.join('/') === 'DatabaseStack' && e.logicalId === 'JobsTable' && e.reason === 'Resource skipped during rollback'));
    await withProjectState(dir, async ({ cloudformation, dynamodb }) => {
      const summaries = (await cloudformation.send(new ListStackResourcesCommand({ StackName: 'plot-palette-development' }))).StackResourceSummaries!;
      const database = summaries.find((r) => r.LogicalResourceId === 'DatabaseStack')!.PhysicalResourceId!;
      assert.equal(await statusOf(cloudformation, database), 'UPDATE_ROLLBACK_COMPLETE', 'the nested stack is rolled back with its root');
      const item = await dynamodb.send(new GetItemCommand({ TableName: jobs, Key: { job_id: { S: 'job-1' } } }));
      assert.equal(item.Item?.user_id?.S, 'u-1', 'the jobs table kept its items');
    });
  });

  it('deploy --disable-rollback keeps a failed nested update UPDATE_FAILED down the tree; rollback at the root rolls every level back', async () => {
    const dir = copyExample('plot-palette');
    assert.equal((await deploy(dir, { env: 'development' })).report.ok, true);
    const database = join(dir, 'infrastructure/cloudformation/database-stack.yaml');
    writeFileSync(database, readFileSync(database, 'utf8').replace('Value: !Sub plot-palette-queue-${EnvironmentName}', 'Value: queue-v2'));
    const kept = await deploy(dir, { env: 'development', disableRollback: true, engine: { faults: [{ logicalId: 'QueueTable', operation: 'update' }] } });
    const done = kept.events.find((e) => e.code === 'stack-done');
    assert.ok(done?.code === 'stack-done');
    assert.deepEqual([done.status, done.firstFailure?.nestedPath, done.firstFailure?.logicalId], ['UPDATE_FAILED', ['DatabaseStack'], 'QueueTable']);
    const databaseStatus = (cfn: CloudFormationClient) =>
      withNested(cfn, 'DatabaseStack', async (id) => [await statusOf(cfn, id), (await cfn.send(new DescribeStackResourceCommand({ StackName: id, LogicalResourceId: 'QueueTable' }))).StackResourceDetail!.ResourceStatus]);
    await withProjectState(dir, async ({ cloudformation }) => assert.deepEqual(await databaseStatus(cloudformation), ['UPDATE_FAILED', 'UPDATE_FAILED'], 'the nested stack keeps its failed resource too'));

    const rolledBack = await rollback(dir, { env: 'development' });
    assert.equal(rolledBack.report.ok, true);
    assert.equal(rolledBack.done[0].status, 'UPDATE_ROLLBACK_COMPLETE');
    await withProjectState(dir, async ({ cloudformation }) => assert.deepEqual(await databaseStatus(cloudformation), ['UPDATE_ROLLBACK_COMPLETE', 'UPDATE_COMPLETE']));
  });

  it('deploy --disable-rollback keeps a failed update UPDATE_FAILED with the failed resource; rollback brings it to UPDATE_ROLLBACK_COMPLETE', async () => {
    const dir = shopProject();
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'app.yaml'), appTemplate('v2'));
    const kept = await deploy(dir, { disableRollback: true, engine: { faults: [{ logicalId: 'Jobs', operation: 'update', reason: 'simulated: queue quota' }] } });
    const done = kept.events.find((e) => e.code === 'stack-done');
    assert.ok(done?.code === 'stack-done');
    assert.deepEqual([done.outcome, done.status, done.firstFailure?.logicalId], ['failed', 'UPDATE_FAILED', 'Jobs']);
    assert.match(done.hint ?? '', /--disable-rollback.*stackpilot rollback/);
    const resources = async (cfn: CloudFormationClient) => Object.fromEntries((await cfn.send(new ListStackResourcesCommand({ StackName: 'shop-dev-app' }))).StackResourceSummaries!.map((r) => [r.LogicalResourceId, r.ResourceStatus]));
    await withProjectState(dir, async ({ cloudformation }) => {
      assert.equal(await statusOf(cloudformation, 'shop-dev-app'), 'UPDATE_FAILED');
      assert.deepEqual(await resources(cloudformation), { Orders: 'CREATE_COMPLETE', Alerts: 'UPDATE_COMPLETE', Jobs: 'UPDATE_FAILED' }, 'kept as it failed, for inspection');
    });

    const rolledBack = await rollback(dir);
    assert.equal(rolledBack.report.ok, true);
    assert.deepEqual(rolledBack.events.flatMap((e) => (e.code === 'stack-start' ? [e.operation] : [])), ['rollback']);
    assert.equal(rolledBack.done[0].status, 'UPDATE_ROLLBACK_COMPLETE');
    await withProjectState(dir, async ({ cloudformation }) => {
      const alerts = (await cloudformation.send(new DescribeStackResourceCommand({ StackName: 'shop-dev-app', LogicalResourceId: 'Alerts' }))).StackResourceDetail!;
      assert.equal(alerts.ResourceStatus, 'UPDATE_COMPLETE');
      assert.equal(await statusOf(cloudformation, 'shop-dev-app'), 'UPDATE_ROLLBACK_COMPLETE');
    });
    assert.equal((await deploy(dir)).report.ok, true, 'a later deploy goes through');
  });

  it('deploy --disable-rollback keeps a failed create CREATE_FAILED; rollback rolls it back and says only a new create can follow, which deploy makes', async () => {
    const dir = shopProject();
    const kept = await deploy(dir, { disableRollback: true, engine: { faults: [{ logicalId: 'Jobs', operation: 'create' }] } });
    assert.deepEqual(kept.events.flatMap((e) => (e.code === 'stack-done' ? [e.status] : [])), ['CREATE_FAILED']);
    await withProjectState(dir, async ({ cloudformation }) => {
      const alerts = (await cloudformation.send(new DescribeStackResourceCommand({ StackName: 'shop-dev-app', LogicalResourceId: 'Alerts' }))).StackResourceDetail!;
      assert.equal(alerts.ResourceStatus, 'CREATE_COMPLETE', 'what the create made is kept for inspection');
    });
    const rolledBack = await rollback(dir);
    assert.equal(rolledBack.report.ok, false);
    assert.deepEqual([rolledBack.done[0].outcome, rolledBack.done[0].status], ['needs-action', 'ROLLBACK_COMPLETE']);
    assert.match(rolledBack.done[0].reason ?? '', /^its failed create is rolled back: CloudFormation can neither update nor roll back a stack whose create failed/);
    assert.equal((await deploy(dir)).report.ok, true, 'deploy replaces it, as the hint says');
  });

  it('interrupted before a stack starts: nothing is touched, the stack is reported not started', async () => {
    const dir = shopProject();
    await deploy(dir, { disableRollback: true, engine: { faults: [{ logicalId: 'Jobs', operation: 'create' }] } });
    const stopped = await rollback(dir, { signal: AbortSignal.abort() });
    assert.equal(stopped.report.interrupted, true);
    assert.deepEqual(stopped.done.map((e) => e.outcome), ['not-started']);
    await withProjectState(dir, async ({ cloudformation }) => assert.equal(await statusOf(cloudformation, 'shop-dev-app'), 'CREATE_FAILED'));
  });
});
