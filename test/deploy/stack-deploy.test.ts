import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent, StackDoneEvent } from '../../src/deploy/events.ts';
import { writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

const ROLE = 'arn:aws:iam::123456789012:role/deployer';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:stack-events';
const topic = (name: string) => `Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: ${name} }\nOutputs:\n  AlertsArn:\n    Value: !Ref Alerts\n`;

const project = () => writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': topic('alerts') });

async function deploy(dir: string, options: Partial<DeployOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deployProject(dir, { target: 'local', concurrency: 1, yes: true, ...options }, (e) => events.push(e));
  const done = events.filter((e): e is StackDoneEvent => e.code === 'stack-done');
  return { report, events, done, result: report.stacks.get('app') };
}

const describeApp = (dir: string) => withProjectState(dir, async ({ cloudformation }) => (await cloudformation.send(new DescribeStacksCommand({ StackName: 'ledger-dev-app' }))).Stacks![0]);

describe('deploying one stack: its settings', () => {
  it('gives the stack its role, notification topics and termination protection; a change to the protection alone is applied with no change set', async () => {
    const dir = project();
    const created = await deploy(dir, { settings: { roleArn: ROLE, notificationArns: [TOPIC_ARN], terminationProtection: true } });
    assert.equal(created.report.ok, true);
    const stack = await describeApp(dir);
    assert.equal(stack.RoleARN, ROLE);
    assert.deepEqual(stack.NotificationARNs, [TOPIC_ARN]);
    assert.equal(stack.EnableTerminationProtection, true);

    const unprotected = await deploy(dir, { settings: { terminationProtection: false } });
    assert.equal(unprotected.done[0].outcome, 'no-changes');
    assert.equal(unprotected.done[0].status, 'CREATE_COMPLETE', 'the stack as the deploy found it');
    assert.equal((await describeApp(dir)).EnableTerminationProtection, false);
    assert.match(unprotected.result && 'outputs' in unprotected.result ? unprotected.result.outputs.AlertsArn : '', /:alerts$/, 'a deploy with no changes still reports the outputs');
  });

  it('fails with AWS\'s reason and what to do when CloudFormation refuses the change set, and changes nothing', async () => {
    const role = 'Resources:\n  Runner:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }\n';
    const dir = writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': role });
    const refused = await deploy(dir, { settings: { capabilities: [] } });
    assert.equal(refused.done[0].outcome, 'failed');
    assert.match(refused.done[0].reason ?? '', /Requires capabilities : \[CAPABILITY_IAM\]/);
    assert.match(refused.done[0].hint ?? '', /capabilities/);
    await withProjectState(dir, async ({ cloudformation }) => {
      await assert.rejects(cloudformation.send(new DescribeStacksCommand({ StackName: 'ledger-dev-app' })), /does not exist/);
    });
  });
});

const queued = (visibility: number) => `Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n  Jobs:\n    Type: AWS::SQS::Queue\n    DependsOn: Alerts\n    Properties: { VisibilityTimeout: ${visibility} }\n`;
const queuedProject = () => writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': queued(30) });

describe('deploying one stack: a change that fails as it runs', () => {
  it('reports the status it left, the first failed resource and what to do, for each way it can end', async () => {
    const dir = queuedProject();
    const createFails = await deploy(dir, { engine: { faults: [{ logicalId: 'Jobs', operation: 'create', reason: 'simulated: queue limit' }] } });
    assert.equal(createFails.done[0].outcome, 'failed');
    assert.equal(createFails.done[0].status, 'ROLLBACK_COMPLETE');
    assert.match(createFails.done[0].firstFailure?.reason ?? '', /simulated: queue limit/);
    assert.match(createFails.done[0].hint ?? '', /deleted \(once confirmed\) and created again/);
    assert.equal((await deploy(dir)).report.ok, true, 'confirmed: the failed create is replaced');

    writeFileSync(join(dir, 'app.yaml'), queued(60));
    const updateFails = await deploy(dir, { engine: { faults: [{ logicalId: 'Jobs', operation: 'update', phase: 'forward' }] } });
    assert.equal(updateFails.done[0].status, 'UPDATE_ROLLBACK_COMPLETE');
    assert.match(updateFails.done[0].hint ?? '', /back as it was/);

    const kept = await deploy(dir, { disableRollback: true, engine: { faults: [{ logicalId: 'Jobs', operation: 'update', phase: 'forward' }] } });
    assert.equal(kept.done[0].status, 'UPDATE_FAILED');
    assert.match(kept.done[0].hint ?? '', /Kept as it failed \(--disable-rollback\)/);

    const keptCreate = await deploy(queuedProject(), { disableRollback: true, engine: { faults: [{ logicalId: 'Jobs', operation: 'create' }] } });
    assert.equal(keptCreate.done[0].status, 'CREATE_FAILED');
    assert.match(keptCreate.done[0].hint ?? '', /Kept as it failed \(--disable-rollback\)/);
  });

  it('says so when the rollback failed too, after a failed create and after a failed update', async () => {
    const created = queuedProject();
    const createStuck = await deploy(created, { engine: { faults: [{ logicalId: 'Jobs', operation: 'create', phase: 'forward' }, { logicalId: 'Alerts', operation: 'delete', phase: 'rollback' }] } });
    assert.equal(createStuck.done[0].status, 'ROLLBACK_FAILED');
    assert.match(createStuck.done[0].hint ?? '', /could not be rolled back either/);

    const updated = queuedProject();
    assert.equal((await deploy(updated)).report.ok, true);
    writeFileSync(join(updated, 'app.yaml'), queued(60).replace('Type: AWS::SNS::Topic', 'Type: AWS::SNS::Topic\n    Properties: { DisplayName: v2 }'));
    const updateStuck = await deploy(updated, { engine: { faults: [{ logicalId: 'Jobs', operation: 'update', phase: 'forward' }, { logicalId: 'Alerts', operation: 'update', phase: 'rollback' }] } });
    assert.equal(updateStuck.done[0].status, 'UPDATE_ROLLBACK_FAILED');
    assert.match(updateStuck.done[0].hint ?? '', /`stackpilot rollback` lists the resources it could not bring back/);
  });
});
