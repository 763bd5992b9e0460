import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { deploy, eventLines, openEngine, stackOf, statusOf, update, type Harness } from './engine-harness.ts';

// An importer whose second resource imports an export nobody has made yet, and a third that depends on it.
const importer = {
  Resources: {
    Plain: { Type: 'AWS::SNS::Topic' },
    Importing: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::ImportValue': 'later-Value' } } },
    Dependent: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': ['Importing', 'Value'] } } },
  },
};
const exporter = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { Value: { Value: 'exported', Export: { Name: 'later-Value' } } } };

async function changeSetOf(h: Harness, stack: string, name: string, includePropertyValues = false) {
  return h.engine.describeChangeSet({ StackName: stack, ChangeSetName: name, ...(includePropertyValues ? { IncludePropertyValues: true } : {}) });
}

describe('imports of exports that do not exist', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  // Recorded on real AWS: localstack/localstack tests/aws/services/cloudformation/
  // test_change_set_exports_imports.snapshot.json (test_describe_change_set_import_non_existent_export):
  // the change set is CREATE_COMPLETE and AVAILABLE, the importing resource listed as Add; only
  // DescribeChangeSet with IncludePropertyValues carries a StatusReason naming the missing export;
  // executing it ends in ROLLBACK_COMPLETE.
  it('a change set lists every resource, says which export is missing, and its execution rolls back', async () => {
    await h.engine.createChangeSet({ StackName: 'early', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(importer) });
    await h.engine.settled();
    const plain = await changeSetOf(h, 'early', 'first');
    assert.equal(plain.Status, 'CREATE_COMPLETE');
    assert.equal(plain.ExecutionStatus, 'AVAILABLE');
    assert.equal(plain.StatusReason, undefined);
    assert.deepEqual(plain.Changes!.map((c) => [c.ResourceChange!.Action, c.ResourceChange!.LogicalResourceId]).sort(), [['Add', 'Dependent'], ['Add', 'Importing'], ['Add', 'Plain']]);
    const detailed = await changeSetOf(h, 'early', 'first', true);
    assert.equal(detailed.StatusReason, '[WARN] --include-property-values option can return incomplete ChangeSet data because: ChangeSet creation failed for resource [Importing] because: No export named later-Value');

    await h.engine.executeChangeSet({ StackName: 'early', ChangeSetName: 'first' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'early'), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'early', true);
    assert.ok(lines.includes('Importing CREATE_FAILED No export named later-Value found'), lines.join('\n'));
  });

  // Same recording, test_describe_change_set_import_non_existent_export_then_create: the export made
  // between the change set and its execution is found, and the stack is created.
  it('an export made before the change set runs is found when it runs', async () => {
    await h.engine.createChangeSet({ StackName: 'waiting', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(importer) });
    await h.engine.settled();
    assert.equal((await changeSetOf(h, 'waiting', 'first')).ExecutionStatus, 'AVAILABLE');
    assert.equal(await deploy(h.engine, 'later', exporter), 'CREATE_COMPLETE');
    await h.engine.executeChangeSet({ StackName: 'waiting', ChangeSetName: 'first' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'waiting'), 'CREATE_COMPLETE');
  });

  it('CreateStack rolls back with the reason on the importing resource', async () => {
    // https://repost.aws/knowledge-center/cloudformation-no-export-found-error ("No export named XYZ found").
    const direct = { Resources: { Importing: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::ImportValue': 'never-Value' } } } } };
    assert.equal(await deploy(h.engine, 'direct', direct), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'direct', true);
    assert.ok(lines.includes('Importing CREATE_FAILED No export named never-Value found'), lines.join('\n'));
    assert.ok(lines.includes('direct ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Importing]. Rollback requested by user.'), lines.join('\n'));
    assert.equal((await stackOf(h.engine, 'direct')).StackStatus, 'ROLLBACK_COMPLETE');
  });

  it('UpdateStack that makes a resource import a missing export fails it with the reason and rolls back to its value', async () => {
    const param = (value: unknown) => ({ Resources: { Setting: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/imports/setting', Type: 'String', Value: value } } } });
    assert.equal(await deploy(h.engine, 'updated', param('plain')), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'updated', param({ 'Fn::ImportValue': 'never-Value' })), 'UPDATE_ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'updated', true);
    assert.ok(lines.includes('Setting UPDATE_FAILED No export named never-Value found'), lines.join('\n'));
    const { StackResources } = await h.engine.describeStackResources({ StackName: 'updated' });
    assert.deepEqual(StackResources!.map((r) => [r.LogicalResourceId, r.ResourceStatus]), [['Setting', 'UPDATE_COMPLETE']], 'the rollback settled the failed resource');
    const { Parameter } = await h.aws.clients.ssm.send(new GetParameterCommand({ Name: '/imports/setting' }));
    assert.equal(Parameter!.Value, 'plain');
  });
});
