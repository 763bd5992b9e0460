import { DescribeStackEventsCommand, DescribeStacksCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cancelProject, cancelUpdate } from '../../src/deploy/cancel.ts';
import { deployProject } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import type { RecoveryStack } from '../../src/deploy/recovery.ts';
import { rollbackStack } from '../../src/deploy/rollback.ts';
import { openTarget } from '../../src/deploy/target.ts';
import { writeProject } from '../helpers.ts';

const template = (version: string) => `Resources:
  Mode:
    Type: AWS::SSM::Parameter
    Properties: { Name: /shop/mode, Type: String, Value: mode-${version} }
  Alerts:
    Type: AWS::SNS::Topic
    DependsOn: Mode
    Properties: { DisplayName: alerts-${version} }
`;

const command = (verb: string, ...flags: string[]) => ['stackpilot', verb, ...flags].join(' ');

async function stackNow(cfn: CloudFormationClient, named = true): Promise<RecoveryStack> {
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'shop-dev-app' }))).Stacks![0];
  return { id: 'app', stackName: 'shop-dev-app', stack, named };
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
}

describe('stackpilot cancel', () => {
  it('cancels a slow update: UPDATE_ROLLBACK_COMPLETE with the previous values back; rollback meanwhile says to cancel, then to wait', async () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': template('v1') });
    assert.equal((await deployProject(dir, { target: 'local', concurrency: 1, yes: true }, () => {})).ok, true);

    // Each update takes about a second: Mode is updated, and Alerts is still being updated when the cancel comes.
    const target = await openTarget({ target: 'local', region: 'us-east-1', projectRoot: dir, engine: { timeScale: 2 } });
    try {
      const cfn = target.cloudformation;
      // Even an update that would keep its failures (DisableRollback) rolls back once cancelled, as on AWS.
      await cfn.send(new UpdateStackCommand({ StackName: 'shop-dev-app', TemplateBody: template('v2'), DisableRollback: true }));
      await waitFor('Mode updated', async () => (await cfn.send(new DescribeStackEventsCommand({ StackName: 'shop-dev-app' }))).StackEvents!.some((e) => e.LogicalResourceId === 'Mode' && e.ResourceStatus === 'UPDATE_COMPLETE'));
      assert.equal((await target.ssm.send(new GetParameterCommand({ Name: '/shop/mode' }))).Parameter?.Value, 'mode-v2');

      const updating = await rollbackStack(target, await stackNow(cfn), { failures: new Map(), skip: new Set() }, { yes: false }, command, () => {});
      assert.equal(updating.outcome, 'needs-action');
      assert.equal(updating.status, 'UPDATE_IN_PROGRESS');
      assert.match(updating.reason ?? '', /it is being updated: nothing to roll back until the update ends/);
      assert.match(updating.hint ?? '', /Wait for the update to end, or stop it and roll it back now: `stackpilot cancel --stack app`/);

      const events: DeployEvent[] = [];
      const cancelled = cancelUpdate(target, await stackNow(cfn), command, (e) => events.push(e));
      await waitFor('rolling back', async () => (await stackNow(cfn)).stack?.StackStatus !== 'UPDATE_IN_PROGRESS');
      const busy = await rollbackStack(target, await stackNow(cfn), { failures: new Map(), skip: new Set() }, { yes: false }, command, () => {});
      assert.deepEqual([busy.outcome, busy.status, busy.reason], ['needs-action', 'UPDATE_ROLLBACK_IN_PROGRESS', 'another operation is under way']);
      assert.match(busy.hint ?? '', /^Wait for it to end \(`stackpilot status` shows where it stands\)/);

      const end = await cancelled;
      assert.deepEqual([end.outcome, end.status], ['succeeded', 'UPDATE_ROLLBACK_COMPLETE']);
      assert.deepEqual(events.flatMap((e) => (e.code === 'stack-start' ? [e.operation] : [])), ['cancel']);
      assert.ok(events.some((e) => e.code === 'resource' && e.logicalId === 'Alerts' && e.status === 'UPDATE_FAILED' && e.reason === 'Resource update cancelled'));
      assert.equal((await target.ssm.send(new GetParameterCommand({ Name: '/shop/mode' }))).Parameter?.Value, 'mode-v1', 'the update is undone');
    } finally {
      await target.close();
    }

    const nothing = await cancelProject(dir, { target: 'local' }, () => {});
    assert.deepEqual([nothing.ok, nothing.stacks.get('app')?.reason], [true, 'not being updated (UPDATE_ROLLBACK_COMPLETE): nothing to cancel']);
    const named = await cancelProject(dir, { target: 'local', stack: 'shop-dev-app' }, () => {});
    assert.deepEqual([named.ok, named.stacks.get('app')?.outcome], [false, 'needs-action'], 'a stack named by --stack that is not updating is worth an exit code');
  });
});
