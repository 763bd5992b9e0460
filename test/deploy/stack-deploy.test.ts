import { DescribeStacksCommand, GetTemplateCommand, ListChangeSetsCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent, StackDoneEvent } from '../../src/deploy/events.ts';
import { deployStack, type DataSafety, type StackDeployment } from '../../src/deploy/stack-deploy.ts';
import { openTarget, type Target } from '../../src/deploy/target.ts';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
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
    assert.deepEqual(created.events.flatMap((e) => (e.code === 'stack-start' ? [[e.operation, e.resources]] : [])), [['create', 1]], 'the progress counts the resources to create');
    assert.match(created.result && 'outputs' in created.result ? created.result.outputs.AlertsArn : '', /:alerts$/);
    const stack = await describeApp(dir);
    assert.equal(stack.RoleARN, ROLE);
    assert.deepEqual(stack.NotificationARNs, [TOPIC_ARN]);
    assert.equal(stack.EnableTerminationProtection, true);

    writeFileSync(join(dir, 'app.yaml'), topic('alerts').replace('TopicName: alerts', 'TopicName: alerts, DisplayName: Alerts'));
    assert.equal((await deploy(dir)).done[0].outcome, 'succeeded');
    assert.equal((await describeApp(dir)).EnableTerminationProtection, true, 'a deploy that does not say leaves the protection as it is');

    const unprotected = await deploy(dir, { settings: { terminationProtection: false } });
    assert.equal(unprotected.done[0].outcome, 'no-changes');
    assert.equal(unprotected.done[0].status, 'UPDATE_COMPLETE', 'the stack as the deploy found it');
    assert.equal((await describeApp(dir)).EnableTerminationProtection, false);
    const changeSets = await withProjectState(dir, async ({ cloudformation }) => (await cloudformation.send(new ListChangeSetsCommand({ StackName: 'ledger-dev-app' }))).Summaries ?? []);
    assert.deepEqual(changeSets, [], 'the change set that found no changes is not left behind');
    assert.match(unprotected.result && 'outputs' in unprotected.result ? unprotected.result.outputs.AlertsArn : '', /:alerts$/, 'a deploy with no changes still reports the outputs');
  });

  it('deploys a template too big to send inline (over 51,200 bytes) from the artifacts bucket', async () => {
    const big = `${topic('big')}Metadata:\n  Notes: ${'x'.repeat(60_000)}\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': big });
    const { done } = await deploy(dir);
    assert.equal(done[0].outcome, 'succeeded');
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

describe('deploying one stack: a change set that fails', () => {
  it('reports the reason and what to do; a create leaves no stack behind, an update leaves the stack as it was', async () => {
    const template = (block: string) => `Parameters:\n  Block: { Type: String, Default: ${block} }\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: !Select [0, !Cidr [!Ref Block, 2, 8]] }\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': template('ten-dot-zero') });
    const expected = { outcome: 'failed', reason: 'the change set failed: Fn::Cidr: ten-dot-zero is not a CIDR block', hint: 'Correct what the reason names (in the template or its parameters) and deploy again.' };
    const { done } = await deploy(dir);
    assert.deepEqual({ outcome: done[0].outcome, reason: done[0].reason, hint: done[0].hint }, expected);
    const live = () => withProjectState(dir, async ({ cloudformation }) => (await cloudformation.send(new ListStacksCommand({}))).StackSummaries!.filter((s) => s.StackStatus !== 'DELETE_COMPLETE'));
    assert.deepEqual(await live(), [], 'no REVIEW_IN_PROGRESS stack is left');

    writeFileSync(join(dir, 'app.yaml'), template('10.0.0.0/16'));
    assert.equal((await deploy(dir)).done[0].outcome, 'succeeded');
    writeFileSync(join(dir, 'app.yaml'), template('ten-dot-zero'));
    const updated = await deploy(dir);
    assert.deepEqual({ outcome: updated.done[0].outcome, reason: updated.done[0].reason, hint: updated.done[0].hint }, expected);
    assert.deepEqual((await live()).map((s) => s.StackStatus), ['CREATE_COMPLETE'], 'the stack is left as it was');
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

const table = (key: string, name?: string) =>
  `Resources:\n  Entries:\n    Type: AWS::DynamoDB::Table\n    Properties:\n${name ? `      TableName: ${name}\n` : ''}      BillingMode: PAY_PER_REQUEST\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n`;
const tableProject = (name?: string) => writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': table('id', name) });
const stackStatus = (dir: string) =>
  withProjectState(dir, async ({ cloudformation }) => (await cloudformation.send(new ListStacksCommand({}))).StackSummaries!.filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => `${s.StackName} ${s.StackStatus}`));
const keyOf = (dir: string) => withProjectState(dir, async ({ cloudformation }) => (await cloudformation.send(new GetTemplateCommand({ StackName: 'ledger-dev-app' }))).TemplateBody!.match(/AttributeName"?: ?"?(\w+)/)?.[1]);
const changeSetsToRun = (dir: string) =>
  withProjectState(dir, async ({ cloudformation }) => ((await cloudformation.send(new ListChangeSetsCommand({ StackName: 'ledger-dev-app' }))).Summaries ?? []).filter((c) => c.ExecutionStatus === 'AVAILABLE').map((c) => c.ChangeSetName));
const IMPORTS = 'Resources:\n  Plain:\n    Type: AWS::SNS::Topic\n  Shared:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: !ImportValue { "Fn::Sub": "${AWS::AccountId}-VpcId" } }\n';

describe('deploying one stack: a change refused before it runs', () => {
  it('an import of an export that does not exist: named with what to do, and no stack is created or changed', async () => {
    // The import's name is only known in AWS (the account id): validation can't rule it out, the change set can.
    const net = 'Resources:\n  Vpc:\n    Type: AWS::SNS::Topic\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export: { Name: ledger-net-VpcId }\n';
    const dir = writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  net: { template: net.yaml }\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'net.yaml': net, 'app.yaml': IMPORTS });
    const appDone = (events: DeployEvent[]) => events.find((e): e is StackDoneEvent => e.code === 'stack-done' && e.stack === 'app')!;
    const create = appDone((await deploy(dir)).events);
    assert.deepEqual([create.outcome, create.status], ['failed', undefined]);
    assert.match(create.reason ?? '', /^No export named \d{12}-VpcId found \(imported by Shared\)$/);
    assert.match(create.hint ?? '', /^Deploy the stack that exports \d{12}-VpcId first/);
    assert.deepEqual(await stackStatus(dir), ['ledger-dev-net CREATE_COMPLETE'], 'the stack its change set made for review is removed');

    writeFileSync(join(dir, 'app.yaml'), 'Resources:\n  Plain:\n    Type: AWS::SNS::Topic\n');
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'app.yaml'), IMPORTS);
    const update = appDone((await deploy(dir)).events);
    assert.deepEqual([update.outcome, update.status], ['failed', 'CREATE_COMPLETE']);
    assert.deepEqual((await stackStatus(dir)).sort(), ['ledger-dev-app CREATE_COMPLETE', 'ledger-dev-net CREATE_COMPLETE'], 'the stack is left as it was');
  });

  it('the replacement of a custom-named resource, which would fail: refused with AWS\'s reason and what to do', async () => {
    const dir = tableProject('entries');
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'app.yaml'), table('entry_id', 'entries'));
    const { done, events } = await deploy(dir);
    assert.deepEqual([done[0].outcome, done[0].status], ['failed', 'CREATE_COMPLETE']);
    assert.match(done[0].hint ?? '', /^Nothing was changed\. Give the resource a new name/);
    assert.match(done[0].reason ?? '', /^Entries: CloudFormation cannot update a stack when a custom-named resource requires replacing/);
    assert.ok(!events.some((e) => e.code === 'stack-start'), 'nothing was executed');
    assert.equal(await keyOf(dir), 'id');
    assert.deepEqual(await changeSetsToRun(dir), [], 'no change set is left to run');
  });
});

describe('deploying one stack: a change that deletes stored data', () => {
  it('asks naming what it deletes and that nothing is backed up with --backup never; no answer and the answer no both leave the table', async () => {
    const dir = tableProject();
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'app.yaml'), table('entry_id'));

    const nobody = await deploy(dir, { yes: false });
    assert.deepEqual([nobody.done[0].outcome, nobody.done[0].status], ['awaiting-confirmation', 'CREATE_COMPLETE']);
    assert.match(nobody.done[0].reason ?? '', /it deletes the stored data of Entries \(AWS::DynamoDB::Table, replaced\)/);
    const asked: string[] = [];
    const declined = await deploy(dir, { yes: false, backup: 'never', ask: async (question) => (asked.push(question), false) });
    assert.deepEqual(asked, ['ledger-dev-app: 1 change(s) delete stored data (Entries), with no backup (--backup never). Execute?']);
    assert.deepEqual([declined.done[0].outcome, declined.done[0].status], ['cancelled', 'CREATE_COMPLETE']);
    assert.equal(await keyOf(dir), 'id');
  });

  it('asks naming every resource whose data it deletes and the backup of each, and not the changes that delete nothing', async () => {
    const tableOf = (key: string) => `    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n`;
    const tables = (key: string, display: string) => `Resources:\n  Entries:\n${tableOf(key)}  Archive:\n${tableOf(key)}  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: ${display} }\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': tables('id', 'one') });
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'app.yaml'), tables('entry_id', 'two'));
    const asked: string[] = [];
    const declined = await deploy(dir, { yes: false, ask: async (question) => (asked.push(question), false) });
    assert.equal(declined.done[0].outcome, 'cancelled');
    assert.equal(asked.length, 1);
    const nobody = await deploy(dir, { yes: false });
    assert.equal(nobody.done[0].reason, 'it deletes the stored data of Entries (AWS::DynamoDB::Table, replaced), Archive (AWS::DynamoDB::Table, replaced); no terminal to ask on');
    assert.match(asked[0], /^ledger-dev-app: 2 change\(s\) delete stored data \(Entries, Archive\)\. Back up Entries \(DynamoDB table \S+\), Archive \(DynamoDB table \S+\) first, then execute\?$/);
  });

  it('interrupted while a person is asked: the answer yes executes nothing, and the change set is discarded', async () => {
    const dir = tableProject();
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'app.yaml'), table('entry_id'));
    const interrupt = new AbortController();
    const { done } = await deploy(dir, { yes: false, signal: interrupt.signal, ask: async () => (interrupt.abort(), true) });
    assert.deepEqual([done[0].outcome, done[0].reason], ['not-started', 'interrupted before it changed anything']);
    assert.equal(await keyOf(dir), 'id');
    assert.deepEqual(await changeSetsToRun(dir), [], 'no change set is left to run');
  });

  it('interrupted before a new stack\'s change set runs: no stack is left behind', async () => {
    const dir = tableProject();
    const interrupt = new AbortController();
    const outcomes: string[] = [];
    await deployProject(dir, { target: 'local', concurrency: 1, yes: true, signal: interrupt.signal }, (e) => {
      if (e.code === 'change-preview') interrupt.abort();
      if (e.code === 'stack-done') outcomes.push(e.outcome);
    });
    assert.deepEqual(outcomes, ['not-started']);
    assert.deepEqual(await stackStatus(dir), [], 'the stack its change set made for review is removed');
  });

  it('removing the table: named as removed', async () => {
    const dir = tableProject();
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'app.yaml'), 'Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n');
    const nobody = await deploy(dir, { yes: false });
    assert.match(nobody.done[0].reason ?? '', /it deletes the stored data of Entries \(AWS::DynamoDB::Table, removed\)/);
  });
});

describe('deploying one stack where every change set is confirmed, as on AWS', () => {
  it('asks before any change, says why it waits with nobody to ask, and names the backups asked for', async () => {
    const dir = project();
    const target = await openTarget({ target: 'local', region: 'us-east-1', projectRoot: dir });
    try {
      // The local engine behind a target that calls itself AWS: the confirmation is AWS's.
      const onAws: Target = { ...target, kind: 'aws' };
      const stack = (templateBody: string): StackDeployment => ({ id: 'app', stackName: 'ledger-dev-app', templateBody, parameters: [], capabilities: [], tags: [], incomingAt: () => undefined, protect: false });
      const safety = (backup: DataSafety['backup']): DataSafety => ({ backup, scope: { project: 'ledger', environment: 'dev', region: 'us-east-1', artifactsBucket: 'ledger-artifacts' }, allowReplace: new Set() });
      const deployOnAws = (templateBody: string, ask?: (question: string) => Promise<boolean>, backup: DataSafety['backup'] = 'auto') =>
        deployStack(onAws, stack(templateBody), { always: true, yes: false, ...(ask ? { ask } : {}) }, safety(backup), () => undefined);

      const nobody = await deployOnAws(topic('alerts'));
      assert.deepEqual([nobody.outcome, nobody.reason], ['awaiting-confirmation', 'on AWS every change set is confirmed before it runs (1 change, previewed above); no terminal to ask on']);
      const asked: string[] = [];
      const yes = async (question: string) => (asked.push(question), true);
      assert.equal((await deployOnAws(topic('alerts'), yes)).outcome, 'succeeded');
      assert.deepEqual(asked, ['Execute the change set for ledger-dev-app?']);

      const waiting = await deployOnAws(`Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: renamed }\n  Jobs:\n    Type: AWS::SQS::Queue\n`);
      assert.match(waiting.reason ?? '', /\(2 changes, previewed above\)/);

      const withTable = table('id').replace('Resources:\n', '');
      assert.equal((await deployOnAws(`Resources:\n${withTable}`, yes)).outcome, 'succeeded');
      asked.length = 0;
      const backedUp = await deployOnAws(`Resources:\n${withTable}  Alerts:\n    Type: AWS::SNS::Topic\n`, async (question) => (asked.push(question), false), 'always');
      assert.equal(backedUp.outcome, 'cancelled');
      assert.match(asked[0] ?? '', /^ledger-dev-app: Back up Entries \(DynamoDB table \S+\) first, then execute\?$/);
    } finally {
      await target.close();
    }
  });
});

describe('deploying one stack: an update over out-of-band changes', () => {
  it('warns of the drifted resource the update resets', async () => {
    const mode = (description: string) => `Resources:\n  Mode:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /ledger/mode, Type: String, Value: live, Description: ${description} }\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: ledger\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': mode('v1') });
    assert.equal((await deploy(dir)).report.ok, true);
    await withProjectState(dir, ({ ssm }) => ssm.send(new PutParameterCommand({ Name: '/ledger/mode', Value: 'maintenance', Overwrite: true })));
    writeFileSync(join(dir, 'app.yaml'), mode('v2'));
    const { events } = await deploy(dir);
    assert.deepEqual(events.flatMap((e) => (e.code === 'drift-warning' ? e.resources.map((r) => r.logicalId) : [])), ['Mode']);
    assert.deepEqual(events.flatMap((e) => (e.code === 'stack-start' ? [e.operation] : [])), ['update']);
  });
});
