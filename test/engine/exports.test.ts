import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, eventLines, openEngine, outputsOf, stackOf, statusOf, update, type Harness } from './engine-harness.ts';

const exporter = (name: string, value: unknown = { Ref: 'Vpc' }) => ({
  Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } },
  Outputs: { VpcId: { Value: value, Export: { Name: { 'Fn::Sub': name } } } },
});
const importer = { Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'web', VpcId: { 'Fn::ImportValue': 'shared-VpcId' } } } }, Outputs: { Vpc: { Value: { 'Fn::ImportValue': 'shared-VpcId' } } } };

describe('exports and imports', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('an import reads the export; ListExports and ListImports report them', async () => {
    await assert.rejects(h.engine.listImports({ ExportName: 'shared-VpcId' }), { message: "Export 'shared-VpcId' is not imported by any stack." });
    assert.equal(await deploy(h.engine, 'web-early', importer), 'ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'web-early', true)).some((l) => l.includes('No export named shared-VpcId found')));
    assert.equal(await deploy(h.engine, 'shared', exporter('shared-VpcId')), 'CREATE_COMPLETE');
    assert.equal(await deploy(h.engine, 'web', importer), 'CREATE_COMPLETE');
    const vpc = (await outputsOf(h.engine, 'shared')).VpcId;
    assert.equal((await outputsOf(h.engine, 'web')).Vpc, vpc);
    const { Exports } = await h.engine.listExports({});
    assert.deepEqual(Exports, [{ ExportingStackId: (await stackOf(h.engine, 'shared')).StackId, Name: 'shared-VpcId', Value: vpc }]);
    assert.deepEqual((await h.engine.listImports({ ExportName: 'shared-VpcId' })).Imports, ['web']);
  });

  it('export names are unique in the region', async () => {
    assert.equal(await deploy(h.engine, 'copycat', exporter('shared-VpcId')), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'copycat', true);
    assert.ok(lines.includes('copycat ROLLBACK_IN_PROGRESS Export with name shared-VpcId is already exported by stack shared. Rollback requested by user.'), lines.join('\n'));
  });

  it('an export in use cannot be changed, removed or deleted with its stack', async () => {
    assert.equal(await update(h.engine, 'shared', exporter('shared-VpcId', 'vpc-other')), 'UPDATE_ROLLBACK_COMPLETE');
    let lines = await eventLines(h.engine, 'shared', true);
    assert.ok(lines.includes('shared UPDATE_ROLLBACK_IN_PROGRESS Cannot update export shared-VpcId as it is in use by web'), lines.join('\n'));
    assert.equal(await update(h.engine, 'shared', exporter('renamed-VpcId')), 'UPDATE_ROLLBACK_COMPLETE');
    lines = await eventLines(h.engine, 'shared', true);
    assert.ok(lines.includes('shared UPDATE_ROLLBACK_IN_PROGRESS Export shared-VpcId cannot be deleted as it is in use by web'));
    // CloudFormation accepts the DeleteStack, records DELETE_IN_PROGRESS, then leaves the stack in the
    // status it had, the reason on the stack and on its newest event; it can still be updated.
    // https://repost.aws/knowledge-center/cloudformation-stack-export-name-error (the message),
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
    // ("You can't delete a stack if another stack references one of its outputs").
    const before = await statusOf(h.engine, 'shared');
    await h.engine.deleteStack({ StackName: 'shared' });
    await h.engine.settled();
    const stack = await stackOf(h.engine, 'shared');
    assert.equal(stack.StackStatus, before);
    assert.equal(stack.StackStatusReason, 'Export shared-VpcId cannot be deleted as it is in use by web');
    const { StackEvents } = await h.engine.describeStackEvents({ StackName: 'shared' });
    assert.deepEqual(
      StackEvents!.slice(0, 2).map((e) => [e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason]),
      [
        ['shared', before, 'Export shared-VpcId cannot be deleted as it is in use by web'],
        ['shared', 'DELETE_IN_PROGRESS', 'User Initiated'],
      ],
    );
    assert.equal((await outputsOf(h.engine, 'web')).Vpc, (await outputsOf(h.engine, 'shared')).VpcId);
    const kept = { ...exporter('shared-VpcId'), Outputs: { ...exporter('shared-VpcId').Outputs, Extra: { Value: 'more' } } };
    assert.equal(await update(h.engine, 'shared', kept), 'UPDATE_COMPLETE', 'the stack the delete left stays updatable');

    // A stack just created goes back to CREATE_COMPLETE.
    assert.equal(await deploy(h.engine, 'fresh', exporter('fresh-VpcId')), 'CREATE_COMPLETE');
    assert.equal(await deploy(h.engine, 'fresh-user', { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::ImportValue': 'fresh-VpcId' } } } } }), 'CREATE_COMPLETE');
    await h.engine.deleteStack({ StackName: 'fresh' });
    await h.engine.settled();
    assert.deepEqual([await statusOf(h.engine, 'fresh'), (await stackOf(h.engine, 'fresh')).StackStatusReason], ['CREATE_COMPLETE', 'Export fresh-VpcId cannot be deleted as it is in use by fresh-user']);

    await h.engine.deleteStack({ StackName: 'web' });
    await h.engine.settled();
    await h.engine.deleteStack({ StackName: 'shared' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, stack.StackId!)).StackStatus, 'DELETE_COMPLETE', 'once nothing imports it, the exporter can go');
    assert.deepEqual((await h.engine.listExports({})).Exports!.map((e) => e.Name), ['fresh-VpcId']);
  });

  it('a failed update of an importing stack keeps its imports, so the export stays protected', async () => {
    assert.equal(await deploy(h.engine, 'base', exporter('base-VpcId')), 'CREATE_COMPLETE');
    const user = (extra: Record<string, unknown> = {}) => ({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'app', VpcId: { 'Fn::ImportValue': 'base-VpcId' } } }, ...extra } });
    assert.equal(await deploy(h.engine, 'base-user', user()), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Broken', operation: 'create' });
    assert.equal(await update(h.engine, 'base-user', user({ Broken: { Type: 'AWS::SQS::Queue' } })), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assert.deepEqual((await h.engine.listImports({ ExportName: 'base-VpcId' })).Imports, ['base-user']);
    assert.equal(await update(h.engine, 'base', exporter('base-Renamed')), 'UPDATE_ROLLBACK_COMPLETE', 'the export in use cannot be removed');
  });

  it('an update that adds an import records it: ListImports names the stack, and the export cannot be removed', async () => {
    assert.equal(await deploy(h.engine, 'later', exporter('later-VpcId')), 'CREATE_COMPLETE');
    const user = (imports: boolean) => ({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'app', ...(imports ? { VpcId: { 'Fn::ImportValue': 'later-VpcId' } } : {}) } } } });
    assert.equal(await deploy(h.engine, 'later-user', user(false)), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'later-user', user(true)), 'UPDATE_COMPLETE');
    assert.deepEqual((await h.engine.listImports({ ExportName: 'later-VpcId' })).Imports, ['later-user']);
    assert.equal(await update(h.engine, 'later', exporter('later-Renamed')), 'UPDATE_ROLLBACK_COMPLETE', 'the export in use cannot be removed');
  });

  it('a stack cannot import its own export', async () => {
    assert.equal(await deploy(h.engine, 'selfish', exporter('selfish-VpcId')), 'CREATE_COMPLETE');
    const importsItself = { ...exporter('selfish-VpcId'), Resources: { ...exporter('selfish-VpcId').Resources, Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'self', VpcId: { 'Fn::ImportValue': 'selfish-VpcId' } } } } };
    assert.equal(await update(h.engine, 'selfish', importsItself), 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'selfish', true)).includes('Sg CREATE_FAILED No export named selfish-VpcId found'));
  });
});
