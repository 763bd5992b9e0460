import { CreateChangeSetCommand, DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deleteProject } from '../../src/deploy/delete.ts';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { copyExample, EXAMPLES_DAY, savedOutputs, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

async function deploy(path: string, options: Partial<DeployOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deployProject(path, { target: 'local', concurrency: 4, yes: false, today: EXAMPLES_DAY, ...options }, (e) => events.push(e));
  return { report, events };
}

describe('stackpilot deploy on the local engine', () => {
  it('deploys plot-palette: the master and its nine nested stacks, outputs written; a second run changes nothing', async () => {
    const dir = copyExample('plot-palette');
    const { report, events } = await deploy(dir, { env: 'development' });
    assert.equal(report.ok, true);
    assert.deepEqual(events.filter((e) => e.code === 'package').map((e) => e.code === 'package' && e.uploaded), [9]);
    const outputs = savedOutputs(dir, 'development');
    for (const key of ['ApiEndpoint', 'UserPoolId', 'UserPoolClientId', 'FrontendUrl', 'BucketName', 'ECSClusterName']) assert.ok(outputs.master[key], key);
    const health = events.flatMap((e) => (e.code === 'health' ? [`${e.ok} ${e.check}`] : []));
    assert.deepEqual(health.slice(0, 2), ['true output master.ApiEndpoint', 'true output master.FrontendUrl'], 'the manifest\'s health checks ran');
    const nestedResources = events.filter((e) => e.code === 'resource' && e.nestedPath.length > 0);
    assert.ok(nestedResources.length > 50, 'progress includes the nested stacks\' resources');

    await withProjectState(dir, async ({ cloudformation: cfn }) => {
      const stacks = (await cfn.send(new ListStacksCommand({}))).StackSummaries!;
      assert.equal(stacks.length, 10);
      assert.ok(stacks.every((s) => s.StackStatus === 'CREATE_COMPLETE'));
      assert.equal(stacks.filter((s) => s.ParentId).length, 9);
    });

    const again = await deploy(dir, { env: 'development' });
    assert.equal(again.report.ok, true);
    assert.deepEqual(again.events.filter((e) => e.code === 'stack-done').map((e) => e.code === 'stack-done' && e.outcome), ['no-changes']);
    assert.deepEqual(again.events.filter((e) => e.code === 'package').map((e) => e.code === 'package' && [e.uploaded, e.unchanged]), [[0, 9]]);
  });

  it('deploys the collaborative platform and its six nested stacks, and deletes it', async () => {
    const dir = copyExample('collab-platform');
    const { report } = await deploy(dir, { env: 'dev' });
    assert.equal(report.ok, true);
    const outputs = savedOutputs(dir, 'dev');
    assert.ok(outputs.main.ApplicationUrl && outputs.main.WebSocketUrl);
    await withProjectState(dir, async ({ cloudformation: cfn }) => {
      const stacks = (await cfn.send(new ListStacksCommand({}))).StackSummaries!.filter((s) => s.StackStatus === 'CREATE_COMPLETE');
      assert.equal(stacks.length, 7);
    });
    const removed = await deleteProject(dir, { env: 'dev', target: 'local', concurrency: 2, yes: true, emptyBuckets: true }, () => {});
    assert.equal(removed.ok, true);
    await withProjectState(dir, async ({ cloudformation: cfn }) => {
      const left = (await cfn.send(new ListStacksCommand({}))).StackSummaries!.filter((s) => s.StackStatus !== 'DELETE_COMPLETE');
      assert.deepEqual(left.map((s) => s.StackName), [], 'every stack is gone; retained resources stay outside stacks');
    });
  });

  it('deploys the concert platform in dependency order, the last three stacks at the same time', async () => {
    const dir = copyExample('concert-platform');
    const { report, events } = await deploy(dir, { env: 'development', engine: { timeScale: 0.002 } });
    assert.equal(report.ok, true);
    const order = events.flatMap((e) => (e.code === 'stack-start' || e.code === 'stack-done' ? [`${e.code === 'stack-start' ? '+' : '-'}${e.stack}`] : []));
    assert.deepEqual(order.slice(0, 6), ['+networking', '-networking', '+storage', '-storage', '+compute', '-compute']);
    assert.deepEqual(order.slice(6, 9).sort(), ['+chatbot', '+monitoring', '+tracing'], 'all three start before any finishes');
  });

  it('stops at a failing stack in the middle, names its first failed resource, and a re-run recovers', async () => {
    const dir = copyExample('concert-platform');
    const failing = await deploy(dir, { env: 'development', engine: { faults: [{ stackName: 'concert-platform-compute-development', type: 'AWS::DynamoDB::Table', operation: 'create', reason: 'simulated: table limit reached' }] } });
    assert.equal(failing.report.ok, false);
    const done = Object.fromEntries(failing.events.flatMap((e) => (e.code === 'stack-done' ? [[e.stack, e]] : [])));
    assert.equal(done.networking.outcome, 'succeeded');
    assert.equal(done.storage.outcome, 'succeeded');
    assert.equal(done.compute.outcome, 'failed');
    assert.equal(done.compute.status, 'ROLLBACK_COMPLETE');
    assert.match(done.compute.firstFailure?.reason ?? '', /simulated: table limit reached/);
    for (const id of ['chatbot', 'monitoring', 'tracing']) assert.equal(done[id].outcome, 'not-started', id);

    const blocked = await deploy(dir, { env: 'development' });
    assert.equal(blocked.report.ok, false, 'a stack left by a failed create is only replaced once confirmed');
    const recovered = await deploy(dir, { env: 'development', yes: true });
    assert.equal(recovered.report.ok, true);
    await withProjectState(dir, async ({ cloudformation: cfn }) => {
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'concert-platform-compute-development' }))).Stacks![0];
      assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    });
  });

  it('asks before a change that deletes stored data, and without an answer executes nothing', async () => {
    const table = (key: string) => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Jobs:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: jobs\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': table('id') });
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'data.yaml'), table('job_id'));
    const { report, events } = await deploy(dir);
    assert.equal(report.ok, false);
    const preview = events.find((e) => e.code === 'change-preview');
    assert.ok(preview?.code === 'change-preview' && preview.changes.some((c) => c.logicalId === 'Jobs' && c.replacement === 'True' && c.dataAtRisk));
    assert.deepEqual(events.filter((e) => e.code === 'stack-done').map((e) => e.code === 'stack-done' && e.outcome), ['awaiting-confirmation']);
    const asked: string[] = [];
    const confirmed = await deploy(dir, { ask: async (question) => (asked.push(question), true) });
    assert.equal(confirmed.report.ok, true);
    assert.match(asked[0], /delete stored data \(Jobs\)/);
  });

  it('cleans up a stack a never-executed change set left in REVIEW_IN_PROGRESS, then creates it', async () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: review\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': "Resources:\n  T:\n    Type: AWS::SNS::Topic\n" });
    await withProjectState(dir, async ({ cloudformation: cfn }) => {
      await cfn.send(new CreateChangeSetCommand({ StackName: 'review-dev-app', ChangeSetName: 'abandoned', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } }) }));
    });
    const { report, events } = await deploy(dir);
    assert.equal(report.ok, true);
    assert.ok(events.some((e) => e.code === 'warning' && /REVIEW_IN_PROGRESS/.test(e.message)));
    await withProjectState(dir, async ({ cloudformation: cfn }) => {
      assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'review-dev-app' }))).Stacks![0].StackStatus, 'CREATE_COMPLETE');
    });
  });

  it('touches nothing when the project has validation errors', async () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: broken\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: { TopicNam: x }\n" });
    const { report } = await deploy(dir);
    assert.equal(report.ok, false);
    assert.equal(report.diagnostics[0].rule, 'SP3002');
    assert.throws(() => readFileSync(join(dir, '.stackpilot', 'local', 'local.lock')), { code: 'ENOENT' }, 'the local engine was never opened');
  });
});
