import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, openEngine, stackOf, type Harness } from './engine-harness.ts';

/**
 * A stack ARN works wherever a StackName is taken, as on AWS. Expected values from responses
 * recorded on AWS: localstack/localstack tests/aws/services/cloudformation/api/test_changesets.snapshot.json
 * (test_create_changeset_with_stack_id, test_create_changeset_for_deleted_stack,
 * test_changeset_for_deleted_stack) and test_update_stack.snapshot.json (test_update_deleted_stack).
 * The StackName pattern `([a-zA-Z][-a-zA-Z0-9]*)|(arn:\b(aws|aws-us-gov|aws-cn)\b:[-a-zA-Z0-9:/._+]*)`
 * is the API reference's: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteChangeSet.html
 */

const param = (value: string) => JSON.stringify({ Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: value } } } });

describe('stack ARNs as StackName', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('a second CREATE change set names its REVIEW_IN_PROGRESS stack by ARN; the stack stays the same', async () => {
    const first = await h.engine.createChangeSet({ StackName: 'reviewed', ChangeSetName: 'initial-changeset', ChangeSetType: 'CREATE', TemplateBody: param('a') });
    await h.engine.settled();
    const second = await h.engine.createChangeSet({ StackName: first.StackId, ChangeSetName: 'additional-create', ChangeSetType: 'CREATE', TemplateBody: param('a') });
    await h.engine.settled();
    assert.equal(second.StackId, first.StackId);
    const stack = await stackOf(h.engine, first.StackId!);
    assert.equal(stack.StackName, 'reviewed');
    assert.equal(stack.StackStatus, 'REVIEW_IN_PROGRESS');
    assert.equal(stack.StackStatusReason, 'User Initiated');
    assert.equal((await h.engine.describeChangeSet({ StackName: first.StackId, ChangeSetName: 'additional-create' })).Status, 'CREATE_COMPLETE');
  });

  it('every call that names a stack takes its ARN: updates, change sets, templates, events, resources', async () => {
    await deploy(h.engine, 'by-arn', param('one'));
    const { StackId: arn } = await stackOf(h.engine, 'by-arn');
    await h.engine.createChangeSet({ StackName: arn, ChangeSetName: 'two', TemplateBody: param('two') });
    await h.engine.settled();
    assert.equal((await h.engine.describeChangeSet({ StackName: arn, ChangeSetName: 'two' })).Status, 'CREATE_COMPLETE');
    assert.deepEqual((await h.engine.listChangeSets({ StackName: arn })).Summaries!.map((s) => s.ChangeSetName), ['two']);
    assert.match((await h.engine.getTemplate({ StackName: arn, ChangeSetName: 'two' })).TemplateBody!, /two/);
    await h.engine.executeChangeSet({ StackName: arn, ChangeSetName: 'two' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, arn!)).StackStatus, 'UPDATE_COMPLETE');

    await h.engine.updateStack({ StackName: arn, TemplateBody: param('three') });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, 'by-arn')).StackStatus, 'UPDATE_COMPLETE');
    assert.deepEqual((await h.engine.getTemplateSummary({ StackName: arn })).ResourceTypes, ['AWS::SSM::Parameter']);
    assert.match((await h.engine.getTemplate({ StackName: arn })).TemplateBody!, /three/);
    assert.equal((await h.engine.describeStackEvents({ StackName: arn })).StackEvents![0].ResourceStatus, 'UPDATE_COMPLETE');
    assert.deepEqual((await h.engine.listStackResources({ StackName: arn })).StackResourceSummaries!.map((r) => r.LogicalResourceId), ['Param']);
    assert.equal((await h.engine.describeStackResource({ StackName: arn, LogicalResourceId: 'Param' })).StackResourceDetail!.ResourceStatus, 'UPDATE_COMPLETE');

    await h.engine.createChangeSet({ StackName: arn, ChangeSetName: 'unwanted', TemplateBody: param('four') });
    await h.engine.settled();
    await h.engine.deleteChangeSet({ StackName: arn, ChangeSetName: 'unwanted' });
    assert.deepEqual((await h.engine.listChangeSets({ StackName: arn })).Summaries, []);
    await h.engine.updateTerminationProtection({ StackName: arn, EnableTerminationProtection: false });
    await h.engine.deleteStack({ StackName: arn });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, arn!)).StackStatus, 'DELETE_COMPLETE');
  });

  it('a deleted stack\'s ARN cannot be revived nor updated, with AWS\'s words', async () => {
    const { StackId: arn } = await stackOf(h.engine, 'reviewed');
    await h.engine.deleteStack({ StackName: arn });
    await h.engine.settled();
    await assert.rejects(h.engine.createChangeSet({ StackName: arn, ChangeSetName: 'revived-stack-changeset', ChangeSetType: 'CREATE', TemplateBody: param('a') }), {
      name: 'ValidationError',
      message: `Stack [${arn}] already exists and cannot be created again with the changeSet [revived-stack-changeset].`,
    });
    await assert.rejects(h.engine.createChangeSet({ StackName: arn, ChangeSetName: 'test', ChangeSetType: 'UPDATE', TemplateBody: param('a') }), {
      name: 'ValidationError',
      message: `Stack:${arn} is in DELETE_COMPLETE state and can not be updated.`,
    });
    await assert.rejects(h.engine.updateStack({ StackName: arn, TemplateBody: param('a') }), { name: 'ValidationError', message: `Stack:${arn} is in DELETE_COMPLETE state and can not be updated.` });
  });

  it('an UPDATE change set on a stack being deleted is refused with its status', async () => {
    await deploy(h.engine, 'leaving', param('x'));
    const { StackId: arn } = await stackOf(h.engine, 'leaving');
    await h.engine.deleteStack({ StackName: arn });
    await assert.rejects(h.engine.createChangeSet({ StackName: arn, ChangeSetName: 'test', ChangeSetType: 'UPDATE', TemplateBody: param('x') }), {
      name: 'ValidationError',
      message: `Stack:${arn} is in DELETE_IN_PROGRESS state and can not be updated.`,
    });
    await h.engine.settled();
  });

  it('a name that is neither a stack name nor an ARN is refused with the pattern AWS states', async () => {
    await assert.rejects(h.engine.createChangeSet({ StackName: 'not_a_name', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: param('x') }), {
      name: 'ValidationError',
      message: /Value 'not_a_name' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z\]\[-a-zA-Z0-9\]\*\|arn:/,
    });
  });
});
