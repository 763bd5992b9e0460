import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, openEngine, stackOf, update, type Harness } from './engine-harness.ts';

/**
 * Replies shaped as AWS shapes them: which members are there, left out or empty. Expected values
 * from responses recorded on AWS, in localstack/localstack tests/aws/services/cloudformation/api/:
 * - test_stacks.snapshot.json: test_name_conflicts (new and deleted stacks), test_stack_lifecycle
 *   (LastUpdatedTime of a stack created through a change set, a deleted stack without ChangeSetId),
 *   test_stack_description_lifecycle[with-tags] (a stack under review without tags nor description),
 *   test_list_events_after_deployment (the first CREATE_IN_PROGRESS without a physical id),
 *   test_blocked_stack_deletion (delete events with ResourceProperties), test_no_echo_parameter
 *   (NoEcho parameters masked, outputs and resource Metadata as they are, references resolved)
 * - test_changesets.snapshot.json: test_create_change_set_update_without_parameters,
 *   test_describe_changeset_after_delete (DescribeChangeSet members)
 * - test_templates.snapshot.json: test_validate_template, test_get_template_summary,
 *   test_get_template_summary_failed_stack (ResourceIdentifierSummaries)
 */

const ssm = (value: unknown) => ({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: value } });

describe('response shapes', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('DescribeStacks leaves out empty Parameters, Capabilities and Outputs; keeps Tags, NotificationARNs and a RollbackConfiguration', async () => {
    assert.equal(await deploy(h.engine, 'plain', { Resources: { P: ssm('x') } }), 'CREATE_COMPLETE');
    const stack = await stackOf(h.engine, 'plain');
    assert.equal('Parameters' in stack, false);
    assert.equal('Capabilities' in stack, false);
    assert.equal('Outputs' in stack, false);
    assert.deepEqual(stack.Tags, []);
    assert.deepEqual(stack.NotificationARNs, []);
    assert.deepEqual(stack.RollbackConfiguration, {});
    assert.equal(stack.EnableTerminationProtection, false);
    assert.equal(stack.DisableRollback, false);
    assert.deepEqual(stack.DriftInformation, { StackDriftStatus: 'NOT_CHECKED' });
  });

  it('a stack created through a change set: under review without tags or description, then with a LastUpdatedTime; deleted, without ChangeSetId', async () => {
    const template = JSON.stringify({ Description: 'test stack', Resources: { TestResource: ssm('x') } });
    const { Id, StackId } = await h.engine.createChangeSet({ StackName: 'reviewed', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: template, Tags: [{ Key: 'foo', Value: 'bar' }] });
    await h.engine.settled();
    const review = await stackOf(h.engine, 'reviewed');
    assert.equal(review.StackStatus, 'REVIEW_IN_PROGRESS');
    assert.equal(review.StackStatusReason, 'User Initiated');
    assert.deepEqual(review.Tags, []);
    assert.equal(review.Description, undefined);
    const changeSet = await h.engine.describeChangeSet({ ChangeSetName: Id });
    assert.deepEqual(changeSet.Tags, [{ Key: 'foo', Value: 'bar' }]);
    assert.equal('Parameters' in changeSet, false);
    assert.deepEqual(changeSet.Capabilities, []);
    assert.deepEqual(changeSet.NotificationARNs, []);
    assert.deepEqual(changeSet.RollbackConfiguration, {});
    assert.equal(changeSet.IncludeNestedStacks, false);

    await h.engine.executeChangeSet({ ChangeSetName: Id });
    await h.engine.settled();
    const created = await stackOf(h.engine, 'reviewed');
    assert.equal(created.StackStatus, 'CREATE_COMPLETE');
    assert.ok(created.LastUpdatedTime instanceof Date);
    assert.equal(created.ChangeSetId, Id);
    assert.equal(created.Description, 'test stack');
    assert.deepEqual(created.Tags, [{ Key: 'foo', Value: 'bar' }]);

    await h.engine.deleteStack({ StackName: 'reviewed' });
    await h.engine.settled();
    const deleted = await stackOf(h.engine, StackId!);
    assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
    assert.equal('ChangeSetId' in deleted, false);
    assert.equal('EnableTerminationProtection' in deleted, false);
    assert.ok(deleted.DeletionTime instanceof Date);
  });

  it('events: the first CREATE_IN_PROGRESS has an empty PhysicalResourceId; delete events carry ResourceProperties', async () => {
    assert.equal(await deploy(h.engine, 'evented', { Resources: { Param: ssm('shown') } }), 'CREATE_COMPLETE');
    await h.engine.deleteStack({ StackName: 'evented' });
    await h.engine.settled();
    const { StackId } = (await h.engine.listStacks({ StackStatusFilter: ['DELETE_COMPLETE'] })).StackSummaries!.find((s) => s.StackName === 'evented')!;
    const events = (await h.engine.describeStackEvents({ StackName: StackId })).StackEvents!.slice().reverse().filter((e) => e.LogicalResourceId === 'Param');
    assert.deepEqual(events.map((e) => [e.ResourceStatus, e.ResourceStatusReason]), [
      ['CREATE_IN_PROGRESS', undefined],
      ['CREATE_IN_PROGRESS', 'Resource creation Initiated'],
      ['CREATE_COMPLETE', undefined],
      ['DELETE_IN_PROGRESS', undefined],
      ['DELETE_COMPLETE', undefined],
    ]);
    assert.equal(events[0].PhysicalResourceId, '');
    assert.notEqual(events[1].PhysicalResourceId, '');
    for (const e of events) assert.deepEqual(JSON.parse(e.ResourceProperties!), { Type: 'String', Value: 'shown' }, e.ResourceStatus);
  });

  it('NoEcho: parameters masked; outputs and resource Metadata as they are, references resolved', async () => {
    const template = {
      Parameters: { NormalParameter: { Type: 'String', Default: 'Some default value here' }, SecretParameter: { Type: 'String', NoEcho: true } },
      Resources: { Local: { ...ssm({ Ref: 'SecretParameter' }), Metadata: { SensitiveData: { Ref: 'SecretParameter' } } } },
      Outputs: { SecretValue: { Description: 'Secret value from parameter', Value: { Ref: 'SecretParameter' } } },
    };
    assert.equal(await deploy(h.engine, 'noecho', template, { Parameters: [{ ParameterKey: 'SecretParameter', ParameterValue: 'SecretValue' }] }), 'CREATE_COMPLETE');
    const stack = await stackOf(h.engine, 'noecho');
    assert.deepEqual(stack.Parameters, [
      { ParameterKey: 'NormalParameter', ParameterValue: 'Some default value here' },
      { ParameterKey: 'SecretParameter', ParameterValue: '****' },
    ]);
    assert.deepEqual(stack.Outputs, [{ OutputKey: 'SecretValue', OutputValue: 'SecretValue', Description: 'Secret value from parameter' }]);
    const detail = (await h.engine.describeStackResource({ StackName: 'noecho', LogicalResourceId: 'Local' })).StackResourceDetail!;
    assert.deepEqual(JSON.parse(detail.Metadata!), { SensitiveData: 'SecretValue' });

    assert.equal(await update(h.engine, 'noecho', template, { Parameters: [{ ParameterKey: 'SecretParameter', ParameterValue: 'NewSecretValue1' }] }), 'UPDATE_COMPLETE');
    assert.deepEqual((await stackOf(h.engine, 'noecho')).Outputs, [{ OutputKey: 'SecretValue', OutputValue: 'NewSecretValue1', Description: 'Secret value from parameter' }]);
    const updated = (await h.engine.describeStackResource({ StackName: 'noecho', LogicalResourceId: 'Local' })).StackResourceDetail!;
    assert.deepEqual(JSON.parse(updated.Metadata!), { SensitiveData: 'NewSecretValue1' });
  });

  it('ValidateTemplate and GetTemplateSummary leave out empty lists; the summary names each type\'s resources and identifiers', async () => {
    const template = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { KeyExample: { Type: 'String', Description: 'The EC2 Key Pair to allow SSH access to the instance' } },
      Resources: { topic123: { Type: 'AWS::SNS::Topic' }, MyParameter: ssm('x'), Other: ssm('y') },
    });
    const validated = await h.engine.validateTemplate({ TemplateBody: template });
    assert.deepEqual(validated.Parameters, [{ ParameterKey: 'KeyExample', NoEcho: false, Description: 'The EC2 Key Pair to allow SSH access to the instance' }]);
    for (const absent of ['Capabilities', 'DeclaredTransforms', 'Description', 'CapabilitiesReason']) assert.equal(absent in validated, false, absent);

    const summary = await h.engine.getTemplateSummary({ TemplateBody: template });
    assert.deepEqual(summary.ResourceIdentifierSummaries, [
      { ResourceType: 'AWS::SNS::Topic', LogicalResourceIds: ['topic123'] },
      { ResourceType: 'AWS::SSM::Parameter', LogicalResourceIds: ['MyParameter', 'Other'], ResourceIdentifiers: ['Name'] },
    ]);
    assert.deepEqual(summary.ResourceTypes, ['AWS::SNS::Topic', 'AWS::SSM::Parameter']);
    assert.equal(summary.Version, '2010-09-09');
    assert.equal('Capabilities' in summary, false);
    assert.equal('DeclaredTransforms' in summary, false);
  });
});
