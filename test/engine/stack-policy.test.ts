import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deploy, eventLines, openEngine, physicalIds, REGION, statusOf, update, type Harness } from './engine-harness.ts';

// Grammar and semantics: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html
// (a set policy protects everything it doesn't allow; Deny overrides Allow; Principal is always "*";
// StackPolicyDuringUpdateBody applies to one update). Responses recorded on real AWS:
// localstack/localstack tests/aws/services/cloudformation/api/test_stack_policies.snapshot.json (no
// StackPolicyBody before one is set, "{}" kept as given, "Error validating stack policy: Invalid stack
// policy", "You cannot specify both StackPolicyURL and StackPolicyBody", the during-update policy
// returned while the update runs). The denial's text as AWS writes it in the resource's UPDATE_FAILED
// event ("Action denied by stack policy: Statement [#1] does not allow [Update:Replace] for resource
// [LogicalResourceId/VPC];") is quoted from a stack's events in a public walkthrough of stack policies;
// test_stack_policies.py matches the same prefixes, "Action denied by stack policy" and "Action not
// allowed by stack policy" (no statement allows it).

const policy = (...Statement: unknown[]) => JSON.stringify({ Statement });
const allowAll = { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' };
const template = (names: { display?: string; topicName?: string; extra?: boolean } = {}) => ({
  Resources: {
    Notes: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: names.display ?? 'v1' } },
    Named: { Type: 'AWS::SNS::Topic', Properties: { TopicName: names.topicName ?? 'policy-named-1' } },
    ...(names.extra === false ? {} : { KeepMe: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'kept' } } }),
  },
});

describe('stack policies', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('GetStackPolicy and SetStackPolicy keep the document as given, and refuse what is not a stack policy', async () => {
    assert.equal(await deploy(h.engine, 'lifecycle', template()), 'CREATE_COMPLETE');
    assert.equal((await h.engine.getStackPolicy({ StackName: 'lifecycle' })).StackPolicyBody, undefined);
    await h.engine.setStackPolicy({ StackName: 'lifecycle', StackPolicyBody: policy(allowAll) });
    assert.deepEqual(JSON.parse((await h.engine.getStackPolicy({ StackName: 'lifecycle' })).StackPolicyBody!), { Statement: [allowAll] });
    await h.engine.setStackPolicy({ StackName: 'lifecycle', StackPolicyBody: '{}' });
    assert.equal((await h.engine.getStackPolicy({ StackName: 'lifecycle' })).StackPolicyBody, '{}');

    const invalid = { name: 'ValidationError', message: 'Error validating stack policy: Invalid stack policy' };
    for (const body of ['not json', policy({ ...allowAll, Principal: 'someone' }), policy({ ...allowAll, Action: 'Delete:*' }), policy({ ...allowAll, Effect: 'Maybe' })]) {
      await assert.rejects(h.engine.setStackPolicy({ StackName: 'lifecycle', StackPolicyBody: body }), invalid, body);
    }
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_SetStackPolicy.html: "Maximum length of 16384".
    const long = JSON.stringify({ Statement: [allowAll], Padding: 'x'.repeat(16_384) });
    await assert.rejects(h.engine.setStackPolicy({ StackName: 'lifecycle', StackPolicyBody: long }), {
      message: "1 validation error detected: Value at 'stackPolicyBody' failed to satisfy constraint: Member must have length less than or equal to 16384",
    });
    const s3 = new S3Client(h.aws.clientConfig(REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'policies' }));
    await s3.send(new PutObjectCommand({ Bucket: 'policies', Key: 'allow.json', Body: policy(allowAll) }));
    const url = 'https://policies.s3.amazonaws.com/allow.json';
    await assert.rejects(h.engine.setStackPolicy({ StackName: 'lifecycle', StackPolicyBody: policy(allowAll), StackPolicyURL: url }), { message: 'You cannot specify both StackPolicyURL and StackPolicyBody' });
    await h.engine.setStackPolicy({ StackName: 'lifecycle', StackPolicyURL: url });
    assert.equal((await h.engine.getStackPolicy({ StackName: 'lifecycle' })).StackPolicyBody, policy(allowAll));
    s3.destroy();
    // UpdateStack's StackPolicyBody is the stack's policy from then on (the API reference: "a new stack policy body").
    const denyNotes = policy(allowAll, { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Notes' });
    assert.equal(await update(h.engine, 'lifecycle', template({ display: 'v2' }), { StackPolicyBody: denyNotes }), 'UPDATE_COMPLETE');
    assert.equal((await h.engine.getStackPolicy({ StackName: 'lifecycle' })).StackPolicyBody, denyNotes);
    assert.equal(await update(h.engine, 'lifecycle', template({ display: 'v3' })), 'UPDATE_ROLLBACK_COMPLETE');

    assert.equal(await deploy(h.engine, 'born-protected', template({ topicName: 'policy-named-born' }), { StackPolicyBody: policy(allowAll) }), 'CREATE_COMPLETE');
    assert.equal((await h.engine.getStackPolicy({ StackName: 'born-protected' })).StackPolicyBody, policy(allowAll));
    await assert.rejects(h.engine.createStack({ StackName: 'bad-policy', TemplateBody: JSON.stringify(template()), StackPolicyBody: '[]' }), invalid);
  });

  it('a denied Update:Modify fails the resource with the policy\'s reason and rolls the update back', async () => {
    assert.equal(await deploy(h.engine, 'modify', template({ topicName: 'policy-named-modify' })), 'CREATE_COMPLETE');
    await h.engine.setStackPolicy({ StackName: 'modify', StackPolicyBody: policy(allowAll, { Effect: 'Deny', Action: 'Update:Modify', Principal: '*', Resource: 'LogicalResourceId/Notes' }) });
    assert.equal(await update(h.engine, 'modify', template({ display: 'v2', topicName: 'policy-named-modify' })), 'UPDATE_ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'modify', true);
    assert.ok(lines.includes('Notes UPDATE_FAILED Action denied by stack policy: Statement [#2] does not allow [Update:Modify] for resource [LogicalResourceId/Notes];'), lines.join('\n'));
    assert.ok(lines.includes('modify UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Notes]. '), lines.join('\n'));
    assert.equal(JSON.parse((await h.engine.getTemplate({ StackName: 'modify' })).TemplateBody!).Resources.Notes.Properties.DisplayName, 'v1', 'the stack keeps its template');
  });

  it('Update:Replace is denied by resource type (Condition StringEquals), other changes go through', async () => {
    assert.equal(await deploy(h.engine, 'replace', template({ topicName: 'policy-named-replace' })), 'CREATE_COMPLETE');
    const before = await physicalIds(h.engine, 'replace');
    const noTopicReplace = { Effect: 'Deny', Action: ['Update:Replace', 'Update:Delete'], Principal: '*', Resource: '*', Condition: { StringEquals: { ResourceType: ['AWS::SNS::Topic'] } } };
    await h.engine.setStackPolicy({ StackName: 'replace', StackPolicyBody: policy(allowAll, noTopicReplace) });
    assert.equal(await update(h.engine, 'replace', template({ topicName: 'policy-named-replaced' })), 'UPDATE_ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'replace', true);
    assert.ok(lines.includes('Named UPDATE_FAILED Action denied by stack policy: Statement [#2] does not allow [Update:Replace] for resource [LogicalResourceId/Named];'), lines.join('\n'));
    assert.deepEqual(await physicalIds(h.engine, 'replace'), before, 'nothing was replaced');
    assert.equal(await update(h.engine, 'replace', template({ display: 'v2', topicName: 'policy-named-replace' })), 'UPDATE_COMPLETE', 'an in-place change is allowed');
  });

  it('Update:Delete keeps a resource the new template drops; with no Allow, nothing may change', async () => {
    assert.equal(await deploy(h.engine, 'removal', template({ topicName: 'policy-named-removal' })), 'CREATE_COMPLETE');
    const ids = await physicalIds(h.engine, 'removal');
    await h.engine.setStackPolicy({ StackName: 'removal', StackPolicyBody: policy({ Effect: 'Allow', NotAction: 'Update:Delete', Principal: '*', Resource: '*' }) });
    assert.equal(await update(h.engine, 'removal', template({ topicName: 'policy-named-removal', extra: false })), 'UPDATE_ROLLBACK_COMPLETE');
    let lines = await eventLines(h.engine, 'removal', true);
    assert.ok(lines.includes('KeepMe UPDATE_FAILED Action not allowed by stack policy: No statement allows [Update:Delete] for resource [LogicalResourceId/KeepMe];'), lines.join('\n'));
    assert.ok(lines.includes('removal UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [KeepMe]. '), 'the stack says which removal was refused');
    assert.deepEqual(await physicalIds(h.engine, 'removal'), ids, 'KeepMe is still there');
    const { StackResources } = await h.engine.describeStackResources({ StackName: 'removal', LogicalResourceId: 'KeepMe' });
    assert.equal(StackResources![0].ResourceStatus, 'UPDATE_COMPLETE', 'and settled again by the rollback');

    await h.engine.setStackPolicy({ StackName: 'removal', StackPolicyBody: policy({ Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Keep*' }) });
    assert.equal(await update(h.engine, 'removal', template({ display: 'v2', topicName: 'policy-named-removal' })), 'UPDATE_ROLLBACK_COMPLETE');
    lines = await eventLines(h.engine, 'removal', true);
    assert.ok(lines.includes('Notes UPDATE_FAILED Action not allowed by stack policy: No statement allows [Update:Modify] for resource [LogicalResourceId/Notes];'), lines.join('\n'));

    await h.engine.setStackPolicy({ StackName: 'removal', StackPolicyBody: '{}' });
    assert.equal(await update(h.engine, 'removal', template({ display: 'v2', topicName: 'policy-named-removal', extra: false })), 'UPDATE_COMPLETE', 'an empty policy restricts nothing');
  });

  it('NotResource and StringLike select resources as the policy grammar says', async () => {
    assert.equal(await deploy(h.engine, 'grammar', template({ topicName: 'policy-named-grammar' })), 'CREATE_COMPLETE');
    await h.engine.setStackPolicy({ StackName: 'grammar', StackPolicyBody: policy({ Effect: 'Allow', Action: 'Update:*', Principal: '*', NotResource: 'LogicalResourceId/Notes' }) });
    assert.equal(await update(h.engine, 'grammar', template({ topicName: 'policy-named-grammar-2' })), 'UPDATE_COMPLETE', 'every resource but Notes may change');
    assert.equal(await update(h.engine, 'grammar', template({ display: 'v2', topicName: 'policy-named-grammar-2' })), 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'grammar', true)).includes('Notes UPDATE_FAILED Action not allowed by stack policy: No statement allows [Update:Modify] for resource [LogicalResourceId/Notes];'));

    const noSsmChanges = { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: '*', Condition: { StringLike: { ResourceType: 'AWS::SSM::*' } } };
    await h.engine.setStackPolicy({ StackName: 'grammar', StackPolicyBody: policy(allowAll, noSsmChanges) });
    assert.equal(await update(h.engine, 'grammar', template({ display: 'v2', topicName: 'policy-named-grammar-2' })), 'UPDATE_COMPLETE', 'topics may change');
    assert.equal(await update(h.engine, 'grammar', template({ display: 'v2', topicName: 'policy-named-grammar-2', extra: false })), 'UPDATE_ROLLBACK_COMPLETE', 'the parameter may not go');
    assert.ok((await eventLines(h.engine, 'grammar', true)).includes('KeepMe UPDATE_FAILED Action denied by stack policy: Statement [#2] does not allow [Update:Delete] for resource [LogicalResourceId/KeepMe];'));
  });

  it('a nested stack\'s own policy holds when its parent updates it: the denied change rolls the whole update back', async () => {
    const s3 = new S3Client(h.aws.clientConfig(REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'policy-nested' }));
    const child = (display: string) => s3.send(new PutObjectCommand({ Bucket: 'policy-nested', Key: 'child.json', Body: JSON.stringify({ Resources: { Notes: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: display } } } }) }));
    const parent = (version: string) => ({ Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://policy-nested.s3.amazonaws.com/child.json', Parameters: {}, Tags: [{ Key: 'v', Value: version }] } } } });
    await child('v1');
    assert.equal(await deploy(h.engine, 'nest-parent', parent('1')), 'CREATE_COMPLETE');
    const nested = (await physicalIds(h.engine, 'nest-parent')).Child;
    await h.engine.setStackPolicy({ StackName: nested, StackPolicyBody: policy(allowAll, { Effect: 'Deny', Action: 'Update:Modify', Principal: '*', Resource: 'LogicalResourceId/Notes' }) });
    await child('v2');
    assert.equal(await update(h.engine, 'nest-parent', parent('2')), 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, nested, true)).includes('Notes UPDATE_FAILED Action denied by stack policy: Statement [#2] does not allow [Update:Modify] for resource [LogicalResourceId/Notes];'));
    s3.destroy();
  });

  it('CreateStack on a stack under review keeps the policy it is given', async () => {
    await h.engine.createChangeSet({ StackName: 'reviewed', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(template({ topicName: 'policy-named-reviewed' })) });
    await h.engine.settled();
    const denyAll = policy({ Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: '*' });
    await h.engine.createStack({ StackName: 'reviewed', TemplateBody: JSON.stringify(template({ topicName: 'policy-named-reviewed' })), StackPolicyBody: denyAll });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'reviewed'), 'CREATE_COMPLETE');
    assert.equal((await h.engine.getStackPolicy({ StackName: 'reviewed' })).StackPolicyBody, denyAll);
    assert.equal(await update(h.engine, 'reviewed', template({ display: 'v2', topicName: 'policy-named-reviewed' })), 'UPDATE_ROLLBACK_COMPLETE', 'and it is enforced');
  });

  it('UpdateStack\'s StackPolicyBody becomes the stack\'s policy once the update succeeds; a failed update keeps the old one', async () => {
    const names = (display: string) => template({ display, topicName: 'policy-named-new' });
    assert.equal(await deploy(h.engine, 'renewed', names('v1'), { StackPolicyBody: policy(allowAll) }), 'CREATE_COMPLETE');
    const denyNotes = policy(allowAll, { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Notes' });
    h.faults.push({ logicalId: 'Notes', operation: 'update' });
    assert.equal(await update(h.engine, 'renewed', names('v2'), { StackPolicyBody: denyNotes }), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assert.equal((await h.engine.getStackPolicy({ StackName: 'renewed' })).StackPolicyBody, policy(allowAll), 'a failed update leaves the policy as it was');
    assert.equal(await update(h.engine, 'renewed', names('v3'), { StackPolicyBody: denyNotes }), 'UPDATE_COMPLETE');
    assert.equal((await h.engine.getStackPolicy({ StackName: 'renewed' })).StackPolicyBody, denyNotes);
    assert.equal(await update(h.engine, 'renewed', names('v4')), 'UPDATE_ROLLBACK_COMPLETE', 'the new policy is in force');
  });

  it('StackPolicyDuringUpdateBody overrides the policy for one update, and GetStackPolicy shows it meanwhile', async () => {
    // Resources take a little time here (a quarter of AWS's), so the update is still running when asked.
    const slow = await openEngine({ timeScale: 0.25 });
    try {
      await overrideForOneUpdate(slow);
    } finally {
      await slow.close();
    }
  });
});

async function overrideForOneUpdate(h: Harness): Promise<void> {
  assert.equal(await deploy(h.engine, 'override', template({ topicName: 'policy-named-override' })), 'CREATE_COMPLETE');
  const denyAll = policy({ Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: '*' });
  await h.engine.setStackPolicy({ StackName: 'override', StackPolicyBody: denyAll });
  await h.engine.updateStack({ StackName: 'override', TemplateBody: JSON.stringify(template({ display: 'v2', topicName: 'policy-named-override' })), StackPolicyDuringUpdateBody: policy(allowAll) });
  assert.equal((await h.engine.getStackPolicy({ StackName: 'override' })).StackPolicyBody, policy(allowAll), 'the update runs under the override');
  await h.engine.settled();
  assert.equal(await statusOf(h.engine, 'override'), 'UPDATE_COMPLETE');
  assert.equal((await h.engine.getStackPolicy({ StackName: 'override' })).StackPolicyBody, denyAll, 'the stack policy is back after the update');
  assert.equal(await update(h.engine, 'override', template({ display: 'v3', topicName: 'policy-named-override' })), 'UPDATE_ROLLBACK_COMPLETE', 'and in force again');

  // A change set's execution is checked against the stack policy too.
  await h.engine.createChangeSet({ StackName: 'override', ChangeSetName: 'v4', TemplateBody: JSON.stringify(template({ display: 'v4', topicName: 'policy-named-override' })) });
  await h.engine.settled();
  await h.engine.executeChangeSet({ StackName: 'override', ChangeSetName: 'v4' });
  await h.engine.settled();
  assert.equal(await statusOf(h.engine, 'override'), 'UPDATE_ROLLBACK_COMPLETE');
}
