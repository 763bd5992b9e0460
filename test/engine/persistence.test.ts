import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, stackOf, statusOf, tempDir, update } from './engine-harness.ts';

describe('persistence', () => {
  it('a new engine on the same state folder sees the stacks and can carry on with them', async () => {
    const stateDir = tempDir();
    const first = await openEngine({ stateDir });
    const template = { Parameters: { Secret: { Type: 'String', NoEcho: true } }, Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v1' } } }, Outputs: { Arn: { Value: { Ref: 'Topic' }, Export: { Name: 'kept-topic' } } } };
    assert.equal(await deploy(first.engine, 'kept', template, { Parameters: [{ ParameterKey: 'Secret', ParameterValue: 'p4ss' }] }), 'CREATE_COMPLETE');
    const ids = await physicalIds(first.engine, 'kept');
    const events = await eventLines(first.engine, 'kept');
    await first.close();

    const second = await openEngine({ stateDir });
    assert.equal(await statusOf(second.engine, 'kept'), 'CREATE_COMPLETE');
    assert.deepEqual(await physicalIds(second.engine, 'kept'), ids);
    assert.deepEqual(await eventLines(second.engine, 'kept'), events);
    assert.equal((await outputsOf(second.engine, 'kept')).Arn, ids.Topic);
    assert.equal((await stackOf(second.engine, 'kept')).Parameters![0].ParameterValue, '****');
    assert.equal((await second.engine.listExports({})).Exports!.length, 1);
    const v2 = structuredClone(template);
    v2.Resources.Topic.Properties.DisplayName = 'v2';
    assert.equal(await update(second.engine, 'kept', v2, { Parameters: [{ ParameterKey: 'Secret', UsePreviousValue: true }] }), 'UPDATE_COMPLETE', 'previous NoEcho values survive the restart');
    await second.close();
  });

  it('a stack caught mid-operation loads as failed, with the reason, from a state file that is never half written', async () => {
    const stateDir = tempDir();
    const running = await openEngine({ stateDir, timeScale: 0.05 });
    await running.engine.createStack({ StackName: 'interrupted', TemplateBody: JSON.stringify({ Resources: { Fast: { Type: 'AWS::SNS::Topic' }, Slow: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } } }) });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const saved = JSON.parse(readFileSync(join(stateDir, 'cloudformation-state.json'), 'utf8'));
    assert.equal(saved.stacks[0].status, 'CREATE_IN_PROGRESS', 'the state was written while the create ran');

    const restarted = await openEngine({ stateDir });
    const stack = await stackOf(restarted.engine, 'interrupted');
    assert.equal(stack.StackStatus, 'CREATE_FAILED');
    assert.equal(stack.StackStatusReason, 'stackpilot local engine stopped during the operation');
    const { StackResources } = await restarted.engine.describeStackResources({ StackName: 'interrupted' });
    const slow = StackResources!.find((r) => r.LogicalResourceId === 'Slow')!;
    assert.equal(slow.ResourceStatus, 'CREATE_FAILED');
    assert.equal(StackResources!.find((r) => r.LogicalResourceId === 'Fast')!.ResourceStatus, 'CREATE_COMPLETE');
    await running.engine.settled();
    await restarted.engine.deleteStack({ StackName: 'interrupted' });
    await restarted.engine.settled();
    assert.equal((await stackOf(restarted.engine, stack.StackId!)).StackStatus, 'DELETE_COMPLETE', 'an interrupted stack can still be cleaned up');
    await restarted.close();
  });
});
