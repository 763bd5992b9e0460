import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT, deploy, openEngine, stackOf, statusOf, update, type Harness } from './engine-harness.ts';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const topic = (name: string) => ({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: name } } } });

describe('stack settings: RoleARN, NotificationARNs, Tags, termination protection', () => {
  let h: Harness;
  before(async () => {
    h = await openEngine();
  });
  after(() => h.close());

  it('a change set records its RoleARN, NotificationARNs and Tags, and the executed stack has them', async () => {
    const { Id } = await h.engine.createChangeSet({
      StackName: 'with-role',
      ChangeSetName: 'first',
      ChangeSetType: 'CREATE',
      TemplateBody: JSON.stringify(topic('a')),
      RoleARN: ROLE,
      NotificationARNs: [`arn:aws:sns:us-east-1:${ACCOUNT}:events`],
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
    await h.engine.settled();
    await h.engine.executeChangeSet({ ChangeSetName: Id });
    await h.engine.settled();
    const stack = await stackOf(h.engine, 'with-role');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.RoleARN, ROLE);
    assert.deepEqual(stack.NotificationARNs, [`arn:aws:sns:us-east-1:${ACCOUNT}:events`]);
    assert.deepEqual(stack.Tags, [{ Key: 'team', Value: 'payments' }]);

    // As on AWS, an update that names no role keeps the stack's.
    assert.equal(await update(h.engine, 'with-role', topic('b')), 'UPDATE_COMPLETE');
    assert.equal((await stackOf(h.engine, 'with-role')).RoleARN, ROLE);
  });

  it('refuses a RoleARN that is not a role with AWS\'s error', async () => {
    await assert.rejects(
      h.engine.createChangeSet({ StackName: 'bad-role', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(topic('a')), RoleARN: `arn:aws:iam::${ACCOUNT}:user/someone` }),
      { name: 'ValidationError', message: `Role arn:aws:iam::${ACCOUNT}:user/someone is invalid or cannot be assumed` },
    );
    await assert.rejects(h.engine.createStack({ StackName: 'bad-role', TemplateBody: JSON.stringify(topic('a')), RoleARN: 'short' }), /at 'roleARN' failed to satisfy constraint: Member must have length greater than or equal to 20/);
    const long = `arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(2030)}`;
    await assert.rejects(h.engine.createStack({ StackName: 'bad-role', TemplateBody: JSON.stringify(topic('a')), RoleARN: long }), /at 'roleARN' failed to satisfy constraint: Member must have length less than or equal to 2048/);
  });

  it('the stack\'s Description is its template\'s: an update changes it, a template without one removes it', async () => {
    const described = (description?: string) => ({ ...(description !== undefined ? { Description: description } : {}), ...topic('d') });
    assert.equal(await deploy(h.engine, 'described', described('first')), 'CREATE_COMPLETE');
    assert.equal((await stackOf(h.engine, 'described')).Description, 'first');
    assert.equal(await update(h.engine, 'described', described('second')), 'UPDATE_COMPLETE');
    assert.equal((await stackOf(h.engine, 'described')).Description, 'second');
    await h.engine.updateStack({ StackName: 'described', TemplateBody: JSON.stringify({ ...described(), Outputs: { Shown: { Value: 'x' } } }) });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, 'described')).Description, undefined);
  });

  it('UpdateStack with Tags and NotificationARNs replaces the stack\'s; an update without them keeps them', async () => {
    const events = (name: string) => [`arn:aws:sns:us-east-1:${ACCOUNT}:${name}`];
    assert.equal(await deploy(h.engine, 'retagged', topic('a'), { Tags: [{ Key: 'team', Value: 'one' }], NotificationARNs: events('first') }), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'retagged', topic('b'), { Tags: [{ Key: 'team', Value: 'two' }], NotificationARNs: events('second') }), 'UPDATE_COMPLETE');
    let stack = await stackOf(h.engine, 'retagged');
    assert.deepEqual([stack.Tags, stack.NotificationARNs], [[{ Key: 'team', Value: 'two' }], events('second')]);
    assert.equal(await update(h.engine, 'retagged', topic('c')), 'UPDATE_COMPLETE');
    stack = await stackOf(h.engine, 'retagged');
    assert.deepEqual([stack.Tags, stack.NotificationARNs], [[{ Key: 'team', Value: 'two' }], events('second')]);
  });

  it('termination protection blocks DeleteStack with AWS\'s error until it is turned off', async () => {
    assert.equal(await deploy(h.engine, 'guarded', topic('g')), 'CREATE_COMPLETE');
    await h.engine.updateTerminationProtection({ StackName: 'guarded', EnableTerminationProtection: true });
    assert.equal((await stackOf(h.engine, 'guarded')).EnableTerminationProtection, true);
    await assert.rejects(h.engine.deleteStack({ StackName: 'guarded' }), { name: 'ValidationError', message: 'Stack [guarded] cannot be deleted while TerminationProtection is enabled' });
    await h.engine.updateTerminationProtection({ StackName: 'guarded', EnableTerminationProtection: false });
    await h.engine.deleteStack({ StackName: 'guarded' });
    await h.engine.settled();
    await assert.rejects(statusOf(h.engine, 'guarded'), /does not exist/);
  });
});
