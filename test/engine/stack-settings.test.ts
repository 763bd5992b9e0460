import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tag } from '@aws-sdk/client-cloudformation';
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
    const long = `arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(5000)}`;
    await assert.rejects(h.engine.createStack({ StackName: 'bad-role', TemplateBody: JSON.stringify(topic('a')), RoleARN: long }), (error: Error) => {
      assert.match(error.message, /at 'roleARN' failed to satisfy constraint: Member must have length less than or equal to 2048/);
      assert.ok(error.message.includes(`'${long.slice(0, 2048)}'`), 'the value is echoed up to the limit, not beyond');
      return true;
    });
    const refused = (roleArn: string) => assert.rejects(
      h.engine.createChangeSet({ StackName: 'bad-role', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(topic('a')), RoleARN: roleArn }),
      { name: 'ValidationError', message: `Role ${roleArn} is invalid or cannot be assumed` },
    );
    await refused('arn:aws:iam::1234567'); // 20 characters: long enough, but no role
    await refused(`xarn:aws:iam::${ACCOUNT}:role/deployer`);
    await refused(`arn:aws:iam::${ACCOUNT}:role/deployer now`);
  });

  it('takes a role of any partition, up to 2048 characters long', async () => {
    const longest = `arn:aws:iam::${ACCOUNT}:role/`.padEnd(2048, 'r');
    assert.equal(await deploy(h.engine, 'long-role', topic('a'), { RoleARN: longest }), 'CREATE_COMPLETE');
    assert.equal((await stackOf(h.engine, 'long-role')).RoleARN, longest);
    const gov = `arn:aws-us-gov:iam::${ACCOUNT}:role/deployer`;
    assert.equal(await update(h.engine, 'long-role', topic('b'), { RoleARN: gov }), 'UPDATE_COMPLETE');
    assert.equal((await stackOf(h.engine, 'long-role')).RoleARN, gov, 'an update with a role replaces the stack\'s');
  });

  it('CreateChangeSet takes a stack\'s ARN as its name, and refuses what is neither a name nor an ARN', async () => {
    const pattern = (name: string) => `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`;
    for (const name of [`xarn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/named/1`, `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/named/1 `]) {
      await assert.rejects(h.engine.createChangeSet({ StackName: name, ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(topic('a')) }), { name: 'ValidationError', message: pattern(name) });
    }
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

  it('an update that rolls back puts back the stack\'s role, notification topics, tags and description', async () => {
    const events = (name: string) => [`arn:aws:sns:us-east-1:${ACCOUNT}:${name}`];
    const described = (description: string, extra: Record<string, unknown> = {}) => ({ Description: description, Resources: { ...topic(description).Resources, ...extra } });
    assert.equal(await deploy(h.engine, 'reverted', described('first'), { Tags: [{ Key: 'team', Value: 'one' }], NotificationARNs: events('first') }), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    const failing = described('second', { Broken: { Type: 'AWS::SQS::Queue' } });
    assert.equal(await update(h.engine, 'reverted', failing, { RoleARN: ROLE, Tags: [{ Key: 'team', Value: 'two' }], NotificationARNs: events('second') }), 'UPDATE_ROLLBACK_COMPLETE');
    let stack = await stackOf(h.engine, 'reverted');
    assert.deepEqual([stack.RoleARN, stack.NotificationARNs, stack.Tags, stack.Description], [undefined, events('first'), [{ Key: 'team', Value: 'one' }], 'first']);

    h.faults.length = 0;
    assert.equal(await update(h.engine, 'reverted', described('third'), { RoleARN: ROLE }), 'UPDATE_COMPLETE');
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    const { Resources } = described('fourth', { Broken: { Type: 'AWS::SQS::Queue' } });
    assert.equal(await update(h.engine, 'reverted', { Resources }, { RoleARN: `arn:aws:iam::${ACCOUNT}:role/other` }), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    stack = await stackOf(h.engine, 'reverted');
    assert.deepEqual([stack.RoleARN, stack.Description], [ROLE, 'third']);
  });

  it('refuses a tag without its key or its value, naming which, as AWS does', async () => {
    const refused = (index: number, member: string) => ({ name: 'ValidationError', message: `1 validation error detected: Value null at 'tags.${index}.member.${member}' failed to satisfy constraint: Member must not be null` });
    await assert.rejects(h.engine.createStack({ StackName: 'untagged', TemplateBody: JSON.stringify(topic('a')), Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env' } as Tag] }), refused(2, 'value'));
    await assert.rejects(h.engine.createChangeSet({ StackName: 'untagged', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(topic('a')), Tags: [{ Value: 'a' } as Tag] }), refused(1, 'key'));
    assert.equal((await h.engine.listStacks({})).StackSummaries!.some((s) => s.StackName === 'untagged'), false, 'nothing was created');
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
