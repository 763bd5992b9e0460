import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, openEngine, stackOf, type Harness } from './engine-harness.ts';

/**
 * What becomes of change sets around execution, as AWS does it. Sources:
 * - ExecuteChangeSet, AWS API reference: "When you execute a change set, CloudFormation deletes
 *   all other change sets associated with the stack because they aren't valid for the updated
 *   stack." https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ExecuteChangeSet.html
 * - Responses recorded on AWS in localstack/localstack
 *   tests/aws/services/cloudformation/api/test_changesets.snapshot.json: test_name_conflicts
 *   (the executed change set stays describable by ARN, EXECUTE_COMPLETE; a CREATE change set on a
 *   live stack is a ValidationError; names are reused), test_create_while_in_review (CreateStack on
 *   a REVIEW_IN_PROGRESS stack creates it, same id, its change set OBSOLETE),
 *   test_describe_change_set_nonexisting, test_delete_change_set_exception, test_deleted_changeset,
 *   test_empty_changeset (executing a FAILED change set),
 *   test_create_and_then_update_refreshes_template_metadata (a change of the template's Metadata
 *   alone gives a FAILED change set).
 */

const param = (value: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ...extra, Resources: { SimpleParam: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: value } } } });

describe('change-set lifecycle', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const createChangeSet = async (input: Record<string, unknown>) => {
    const reply = await h.engine.createChangeSet({ StackName: 'cycle', ...input } as never);
    await h.engine.settled();
    return reply;
  };

  it('after execution the other change sets are gone, the executed one is no longer listed, and its name is free again', async () => {
    const initial = await createChangeSet({ ChangeSetName: 'initial-changeset', ChangeSetType: 'CREATE', TemplateBody: param('a') });
    await h.engine.executeChangeSet({ ChangeSetName: initial.Id });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, 'cycle')).StackStatus, 'CREATE_COMPLETE');
    await assert.rejects(createChangeSet({ ChangeSetName: 'initial-changeset', ChangeSetType: 'CREATE', TemplateBody: param('a') }), {
      name: 'ValidationError',
      message: 'Stack [cycle] already exists and cannot be created again with the changeSet [initial-changeset].',
    });

    const left = await createChangeSet({ ChangeSetName: 'left-behind', TemplateBody: param('b') });
    const chosen = await createChangeSet({ ChangeSetName: 'chosen', TemplateBody: param('c') });
    assert.deepEqual((await h.engine.listChangeSets({ StackName: 'cycle' })).Summaries!.map((s) => s.ChangeSetName), ['left-behind', 'chosen']);
    await h.engine.executeChangeSet({ StackName: 'cycle', ChangeSetName: 'chosen' });
    await h.engine.settled();

    assert.deepEqual((await h.engine.listChangeSets({ StackName: 'cycle' })).Summaries, []);
    await assert.rejects(h.engine.describeChangeSet({ ChangeSetName: left.Id }), { name: 'ChangeSetNotFoundException', message: `ChangeSet [${left.Id}] does not exist` });
    const executed = await h.engine.describeChangeSet({ ChangeSetName: chosen.Id });
    assert.equal(executed.ExecutionStatus, 'EXECUTE_COMPLETE');
    assert.equal(executed.Status, 'CREATE_COMPLETE');

    const again = await createChangeSet({ ChangeSetName: 'chosen', TemplateBody: param('d') });
    assert.notEqual(again.Id, chosen.Id);
    const reused = await h.engine.describeChangeSet({ StackName: 'cycle', ChangeSetName: 'chosen' });
    assert.equal(reused.ChangeSetId, again.Id);
    assert.equal(reused.ExecutionStatus, 'AVAILABLE');
    assert.deepEqual((await h.engine.listChangeSets({ StackName: 'cycle' })).Summaries!.map((s) => s.ChangeSetId), [again.Id]);
  });

  it('a change of the template\'s Metadata alone makes a FAILED change set that cannot be executed', async () => {
    await deploy(h.engine, 'meta', param('same', { Metadata: { TopicName: 'sns-topic-simple' } }));
    const { Id } = await h.engine.createChangeSet({ StackName: 'meta', ChangeSetName: 'metadata-only', TemplateBody: param('same', { Metadata: { TopicName: 'sns-topic-simple-updated' } }) });
    await h.engine.settled();
    const described = await h.engine.describeChangeSet({ ChangeSetName: Id });
    assert.equal(described.Status, 'FAILED');
    assert.equal(described.ExecutionStatus, 'UNAVAILABLE');
    assert.equal(described.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    assert.deepEqual(described.Changes, []);
    await assert.rejects(h.engine.executeChangeSet({ ChangeSetName: Id }), { name: 'InvalidChangeSetStatusException', message: `ChangeSet [${Id}] cannot be executed in its current status of [FAILED]` });
  });

  it('CreateStack on a stack under review creates that stack; its change set is left OBSOLETE', async () => {
    const review = await h.engine.createChangeSet({ StackName: 'reviewing', ChangeSetName: 'under-review', ChangeSetType: 'CREATE', TemplateBody: param('r') });
    await h.engine.settled();
    const created = await h.engine.createStack({ StackName: 'reviewing', TemplateBody: param('r') });
    assert.equal(created.StackId, review.StackId);
    await h.engine.settled();
    const stack = await stackOf(h.engine, review.StackId!);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.ChangeSetId, undefined);
    assert.equal((await h.engine.describeChangeSet({ ChangeSetName: review.Id })).ExecutionStatus, 'OBSOLETE');
    await assert.rejects(h.engine.createStack({ StackName: 'reviewing', TemplateBody: param('r') }), { name: 'AlreadyExistsException', message: 'Stack [reviewing] already exists' });
  });

  it('DescribeChangeSet and DeleteChangeSet of what is not there answer with AWS\'s codes and words', async () => {
    await assert.rejects(h.engine.describeChangeSet({ StackName: 'somestack', ChangeSetName: 'DoesNotExist' }), { name: 'ValidationError', message: 'Stack [somestack] does not exist' });
    await assert.rejects(h.engine.deleteChangeSet({ StackName: 'nostack', ChangeSetName: 'DoesNotExist' }), { name: 'ValidationError', message: 'Stack [nostack] does not exist' });
    await assert.rejects(h.engine.deleteChangeSet({ ChangeSetName: 'DoesNotExist' }), { name: 'ValidationError', message: 'StackName must be specified if ChangeSetName is not specified as an ARN.' });
    await assert.rejects(h.engine.describeChangeSet({ StackName: 'cycle', ChangeSetName: 'DoesNotExist' }), (error: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(error.name, 'ChangeSetNotFoundException');
      assert.equal(error.message, 'ChangeSet [DoesNotExist] does not exist');
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
    const { Id } = await createChangeSet({ ChangeSetName: 'short-lived', TemplateBody: param('e') });
    await h.engine.deleteChangeSet({ StackName: 'cycle', ChangeSetName: Id });
    await assert.rejects(h.engine.describeChangeSet({ StackName: 'cycle', ChangeSetName: Id }), { name: 'ChangeSetNotFoundException', message: `ChangeSet [${Id}] does not exist` });
  });
});
