import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, ListTagsForResourceCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, update, type Harness } from './engine-harness.ts';

// AWS::SSM::Parameter: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-parameter.html
const parameter = (properties: Record<string, unknown>) => ({
  Resources: { Setting: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', ...properties } } },
  Outputs: { Value: { Value: { 'Fn::GetAtt': ['Setting', 'Value'] } } },
});

describe('parameters a stack makes', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const ssm = () => h.aws.clients.ssm;
  const stored = async (name: string) => (await ssm().send(new GetParameterCommand({ Name: name }))).Parameter!;
  const metadata = async (name: string) => (await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }))).Parameters![0];

  it('stores the value with its description, tier and data type, and a list as comma-joined', async () => {
    const properties = { Name: '/app/hosts', Type: 'StringList', Value: ['a.example.com', 'b.example.com'], Description: 'the hosts', AllowedPattern: '^[a-z.,]+$', Tier: 'Advanced', DataType: 'text' };
    assert.equal(await deploy(h.engine, 'hosts', parameter(properties)), 'CREATE_COMPLETE');
    assert.deepEqual([(await stored('/app/hosts')).Value, (await stored('/app/hosts')).Type], ['a.example.com,b.example.com', 'StringList']);
    const described = await metadata('/app/hosts');
    assert.deepEqual([described.Description, described.AllowedPattern, described.Tier, described.DataType], ['the hosts', '^[a-z.,]+$', 'Advanced', 'text']);
    assert.deepEqual(await outputsOf(h.engine, 'hosts'), { Value: 'a.example.com,b.example.com' });
  });

  it('overwrites the value in place on update, and Fn::GetAtt Value follows it', async () => {
    assert.equal(await update(h.engine, 'hosts', parameter({ Name: '/app/hosts', Type: 'StringList', Value: 'c.example.com', Description: 'the hosts', AllowedPattern: '^[a-z.,]+$', Tier: 'Advanced', DataType: 'text' })), 'UPDATE_COMPLETE');
    const now = await stored('/app/hosts');
    assert.equal(now.Value, 'c.example.com');
    assert.equal(now.Version, 2, 'the same parameter, a new version');
    assert.deepEqual(await outputsOf(h.engine, 'hosts'), { Value: 'c.example.com' });
  });

  it('fails the create of a value its AllowedPattern refuses, as SSM does, and makes no parameter', async () => {
    assert.equal(await deploy(h.engine, 'bad-port', parameter({ Name: '/app/port', Value: 'eighty', AllowedPattern: '^[0-9]+$' })), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'bad-port', true);
    assert.ok(lines.includes('Setting CREATE_FAILED Resource handler returned message: "Parameter value, cannot be validated against allowedPattern: ^[0-9]+$"'), lines.join('\n'));
    await assert.rejects(stored('/app/port'), { name: 'ParameterNotFound' });
  });

  it('retags in place: an update that leaves the tags alone, one that changes a tag, one that drops a tag', async () => {
    const Name = '/app/tagged';
    const tags = async () => (await ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: Name }))).TagList;
    assert.equal(await deploy(h.engine, 'tagged', parameter({ Name, Value: 'a', Tags: { team: 'orders', tier: '1' } })), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'tagged', parameter({ Name, Value: 'b', Tags: { team: 'orders', tier: '1' } })), 'UPDATE_COMPLETE');
    assert.deepEqual([(await stored(Name)).Value, await tags()], ['b', [{ Key: 'team', Value: 'orders' }, { Key: 'tier', Value: '1' }]]);
    assert.equal(await update(h.engine, 'tagged', parameter({ Name, Value: 'b', Tags: { team: 'billing', tier: '1' } })), 'UPDATE_COMPLETE');
    assert.deepEqual(await tags(), [{ Key: 'team', Value: 'billing' }, { Key: 'tier', Value: '1' }]);
    assert.equal(await update(h.engine, 'tagged', parameter({ Name, Value: 'b', Tags: { team: 'billing' } })), 'UPDATE_COMPLETE');
    assert.deepEqual(await tags(), [{ Key: 'team', Value: 'billing' }]);
  });

  it('stores an AMI id with the data type aws:ec2:image, so EC2 can resolve it', async () => {
    assert.equal(await deploy(h.engine, 'image', parameter({ Name: '/app/image', Value: 'ami-0123456789abcdef0', DataType: 'aws:ec2:image' })), 'CREATE_COMPLETE');
    const image = await stored('/app/image');
    assert.deepEqual([image.Value, image.DataType], ['ami-0123456789abcdef0', 'aws:ec2:image']);
  });

  it('names a parameter without Name after the stack, and refuses a name that is taken', async () => {
    assert.equal(await deploy(h.engine, 'unnamed', parameter({ Value: 'v' })), 'CREATE_COMPLETE');
    const name = (await physicalIds(h.engine, 'unnamed')).Setting;
    assert.match(name, /^CFN-Setting-[A-Za-z0-9]{12}$/);
    assert.equal((await stored(name)).Value, 'v');

    await ssm().send(new PutParameterCommand({ Name: '/app/taken', Type: 'String', Value: 'mine' }));
    assert.equal(await deploy(h.engine, 'taker', parameter({ Name: '/app/taken', Value: 'theirs' })), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'taker', true);
    assert.ok(lines.includes('Setting CREATE_FAILED /app/taken already exists'), lines.join('\n'));
    assert.equal((await stored('/app/taken')).Value, 'mine', 'the existing parameter is untouched');
  });

  it('deletes the parameter with its stack, and a delete of one already gone still completes', async () => {
    assert.equal(await deploy(h.engine, 'short-lived', parameter({ Name: '/app/short', Value: 'x' })), 'CREATE_COMPLETE');
    await h.engine.deleteStack({ StackName: 'short-lived' });
    await h.engine.settled();
    await assert.rejects(stored('/app/short'), { name: 'ParameterNotFound' });

    assert.equal(await deploy(h.engine, 'removed-by-hand', parameter({ Name: '/app/by-hand', Value: 'x' })), 'CREATE_COMPLETE');
    await ssm().send(new DeleteParameterCommand({ Name: '/app/by-hand' }));
    const { StackId } = (await h.engine.describeStacks({ StackName: 'removed-by-hand' })).Stacks![0];
    await h.engine.deleteStack({ StackName: 'removed-by-hand' });
    await h.engine.settled();
    assert.equal((await h.engine.describeStacks({ StackName: StackId })).Stacks![0].StackStatus, 'DELETE_COMPLETE');
  });
});
