import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { parseS3Url } from '../../src/engine/template-source.ts';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, stackOf, statusOf, update, type Harness } from './engine-harness.ts';

const leaf = (suffix = '') => ({
  Parameters: { Prefix: { Type: 'String' } },
  Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': '${Prefix}-jobs' } } }, Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: `leaf${suffix}` } } },
  Outputs: { QueueName: { Value: { 'Fn::GetAtt': ['Queue', 'QueueName'] } } },
});
const middle = {
  Parameters: { Prefix: { Type: 'String' } },
  Resources: { Leaf: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.us-east-1.amazonaws.com/leaf.json', Parameters: { Prefix: { Ref: 'Prefix' } } } } },
  Outputs: { QueueName: { Value: { 'Fn::GetAtt': ['Leaf', 'Outputs.QueueName'] } } },
};
const root = {
  Resources: { Middle: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3.amazonaws.com/templates/middle.json', Parameters: { Prefix: 'app' } } } },
  Outputs: { QueueName: { Value: { 'Fn::GetAtt': ['Middle', 'Outputs.QueueName'] } } },
};

/** The first nested stack of `parent` the engine lists, waiting for it to appear. */
async function firstChildOf(h: Harness, parent: string) {
  for (let i = 0; i < 2000; i++) {
    const child = (await h.engine.listStacks({})).StackSummaries!.find((s) => s.StackName!.startsWith(`${parent}-`));
    if (child) return child;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`no nested stack of ${parent}`);
}

describe('nested stacks', () => {
  let h: Harness;
  const upload = (key: string, body: unknown) => h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'templates', Key: key, Body: JSON.stringify(body) }));
  const putParameter = (name: string, value: string) => h.aws.clients.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
  before(async () => {
    h = await openEngine();
    await h.aws.clients.s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await upload('leaf.json', leaf());
    await upload('middle.json', middle);
  });
  after(() => h.close());

  it('reads TemplateURL in every S3 URL form', () => {
    const expected = { bucket: 'b', key: 'path/t.yaml' };
    for (const url of ['https://b.s3.amazonaws.com/path/t.yaml', 'https://b.s3.eu-west-1.amazonaws.com/path/t.yaml', 'https://s3.amazonaws.com/b/path/t.yaml', 'https://s3.eu-west-1.amazonaws.com/b/path/t.yaml', 'https://s3-eu-west-1.amazonaws.com/b/path/t.yaml', 's3://b/path/t.yaml']) {
      assert.deepEqual(parseS3Url(url), expected, url);
    }
    assert.equal(parseS3Url('https://example.com/b/t.yaml'), undefined);
  });

  it('creates three levels, with outputs flowing up and ParentId/RootId on the children', async () => {
    assert.equal(await deploy(h.engine, 'app', root), 'CREATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'app'), { QueueName: 'app-jobs' });
    const rootStack = await stackOf(h.engine, 'app');
    const middleId = (await physicalIds(h.engine, 'app')).Middle;
    const middleStack = await stackOf(h.engine, middleId);
    assert.match(middleStack.StackName!, /^app-Middle-[A-Z0-9]{12}$/);
    assert.equal(middleStack.ParentId, rootStack.StackId);
    assert.equal(middleStack.RootId, rootStack.StackId);
    const leafStack = await stackOf(h.engine, (await physicalIds(h.engine, middleId)).Leaf);
    assert.equal(leafStack.ParentId, middleStack.StackId);
    assert.equal(leafStack.RootId, rootStack.StackId);
    assert.ok((await eventLines(h.engine, leafStack.StackId!)).includes('Queue CREATE_COMPLETE'), 'the child has its own events');
    assert.deepEqual(await eventLines(h.engine, 'app'), ['app CREATE_IN_PROGRESS', 'Middle CREATE_IN_PROGRESS', 'Middle CREATE_IN_PROGRESS', 'Middle CREATE_COMPLETE', 'app CREATE_COMPLETE']);
  });

  it('updates a nested template behind the same URL, and a failure deep down rolls every level back', async () => {
    const leafId = async () => (await physicalIds(h.engine, (await physicalIds(h.engine, 'app')).Middle)).Leaf;
    await upload('leaf.json', leaf('-v2'));
    await assert.rejects(h.engine.updateStack({ StackName: 'app', UsePreviousTemplate: true }), /No updates are to be performed/, 'like CloudFormation: the parent template is unchanged');
    const v2 = structuredClone(root);
    (v2.Resources.Middle.Properties.Parameters as Record<string, string>).Prefix = 'app2';
    assert.equal(await update(h.engine, 'app', v2), 'UPDATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'app'), { QueueName: 'app2-jobs' });
    assert.equal((await stackOf(h.engine, await leafId())).StackStatus, 'UPDATE_COMPLETE', 'children finish with their root');

    await upload('leaf.json', { ...leaf('-v3'), Resources: { ...leaf('-v3').Resources, Extra: { Type: 'AWS::SNS::Topic' } } });
    h.faults.push({ logicalId: 'Extra', operation: 'create' });
    const v3 = structuredClone(v2);
    (v3.Resources.Middle.Properties.Parameters as Record<string, string>).Prefix = 'app3';
    assert.equal(await update(h.engine, 'app', v3), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assert.deepEqual(await outputsOf(h.engine, 'app'), { QueueName: 'app2-jobs' });
    const leafStack = await stackOf(h.engine, await leafId());
    assert.equal(leafStack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(leafStack.Parameters, [{ ParameterKey: 'Prefix', ParameterValue: 'app2' }]);
    const middleLines = await eventLines(h.engine, (await physicalIds(h.engine, 'app')).Middle, true);
    const failedToCreate = 'The following resource(s) failed to create: [Extra]. ';
    assert.ok(middleLines.some((l) => /^Leaf UPDATE_FAILED Embedded stack arn:\S+ was not successfully updated\. Currently in UPDATE_ROLLBACK_COMPLETE with reason: /.test(l) && l.endsWith(failedToCreate)), middleLines.join('\n'));
    const leafLines = await eventLines(h.engine, await leafId(), true);
    assert.ok(leafLines.some((l) => l.endsWith(`UPDATE_ROLLBACK_IN_PROGRESS ${failedToCreate}`)), `the leaf rolls back at once, for its own failure:\n${leafLines.join('\n')}`);
    assert.equal(leafLines.filter((l) => l.includes(' UPDATE_ROLLBACK_IN_PROGRESS ')).length, 1, 'and once: its parents\' rollbacks leave it alone');
  });

  it('ContinueUpdateRollback skips a nested stack\'s resource named NestedStack.Resource', async () => {
    await upload('skippable.json', { Parameters: { Display: { Type: 'String' } }, Resources: { Fast: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'Display' } } } } });
    const parent = (display: string, extra: Record<string, unknown> = {}) => ({
      Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/skippable.json', Parameters: { Display: display } } }, ...extra },
    });
    assert.equal(await deploy(h.engine, 'skipper', parent('v1')), 'CREATE_COMPLETE');
    // The update fails after the child's; the child's revert of Fast fails too.
    h.faults.push({ logicalId: 'Broken', operation: 'create' }, { logicalId: 'Fast', operation: 'update', phase: 'rollback', reason: 'Topic locked' });
    assert.equal(await update(h.engine, 'skipper', parent('v2', { Broken: { Type: 'AWS::SQS::Queue', DependsOn: 'Child' } })), 'UPDATE_ROLLBACK_FAILED');
    await h.engine.continueUpdateRollback({ StackName: 'skipper', ResourcesToSkip: ['Child.Fast'] });
    await h.engine.settled();
    h.faults.length = 0;
    assert.equal((await stackOf(h.engine, 'skipper')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const child = (await physicalIds(h.engine, 'skipper')).Child;
    assert.equal((await stackOf(h.engine, child)).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, child, true)).includes('Fast UPDATE_COMPLETE Resource skipped during rollback'));
    const lines = await eventLines(h.engine, 'skipper', true);
    assert.ok(lines.some((l) => /^Child UPDATE_FAILED Embedded stack arn:\S+ was not successfully rolled back: The following resource\(s\) failed to update: \[Fast\]\. $/.test(l)), lines.join('\n'));
  });

  it('an output the nested stack does not have fails its parent with CloudFormation\'s message', async () => {
    const parent = { Resources: { Leaf: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/leaf.json', Parameters: { Prefix: 'missing' } } } }, Outputs: { Gone: { Value: { 'Fn::GetAtt': ['Leaf', 'Outputs.Gone'] } } } };
    assert.equal(await deploy(h.engine, 'asks-too-much', parent), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'asks-too-much', true);
    assert.ok(lines.some((l) => l.startsWith("asks-too-much ROLLBACK_IN_PROGRESS Template error: Output 'Gone' not found in stack arn:aws:cloudformation:")), lines.join('\n'));
  });

  it('a child that fails to create fails its parent, and the rollback deletes every level', async () => {
    h.faults.push({ logicalId: 'Topic', operation: 'create', stackName: undefined });
    assert.equal(await deploy(h.engine, 'doomed', root), 'ROLLBACK_COMPLETE');
    h.faults.length = 0;
    const lines = await eventLines(h.engine, 'doomed', true);
    assert.ok(lines.some((l) => /^Middle CREATE_FAILED Embedded stack arn:aws:cloudformation:us-east-1:123456789012:stack\/doomed-Middle-\S+ was not successfully created: The following resource\(s\) failed to create: \[Leaf\]\. $/.test(l)), lines.join('\n'));
    const { StackSummaries } = await h.engine.listStacks({});
    const children = StackSummaries!.filter((s) => s.StackName!.startsWith('doomed-'));
    assert.equal(children.length, 2);
    for (const child of children) assert.equal(child.StackStatus, 'DELETE_COMPLETE', child.StackName);
  });

  it('hands the child its list parameters comma-joined, its Tags and TimeoutInMinutes', async () => {
    await upload('zones.json', { Parameters: { Zones: { Type: 'CommaDelimitedList' } }, Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { Zones: { Value: { 'Fn::Join': ['+', { Ref: 'Zones' }] } } } });
    const parent = {
      Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/zones.json', Parameters: { Zones: ['a', 'b'] }, Tags: [{ Key: 'team', Value: 'net' }], TimeoutInMinutes: '15' } } },
      Outputs: { ChildId: { Value: { 'Fn::GetAtt': ['Child', 'StackId'] } } },
    };
    assert.equal(await deploy(h.engine, 'zoned', parent), 'CREATE_COMPLETE');
    const child = await stackOf(h.engine, (await physicalIds(h.engine, 'zoned')).Child);
    assert.deepEqual(child.Parameters, [{ ParameterKey: 'Zones', ParameterValue: 'a,b' }]);
    assert.deepEqual(await outputsOf(h.engine, child.StackId!), { Zones: 'a+b' });
    assert.deepEqual(child.Tags, [{ Key: 'team', Value: 'net' }]);
    assert.equal(child.TimeoutInMinutes, 15);
    assert.deepEqual(await outputsOf(h.engine, 'zoned'), { ChildId: child.StackId }, 'Fn::GetAtt Child.StackId is the id of the child stack');

    const bare = { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/leaf.json' } } } };
    await upload('leaf.json', { ...leaf(), Parameters: { Prefix: { Type: 'String', Default: 'bare' } } });
    assert.equal(await deploy(h.engine, 'bare', bare), 'CREATE_COMPLETE', 'a nested stack without Parameters takes its defaults');
    const bareChild = await stackOf(h.engine, (await physicalIds(h.engine, 'bare')).Child);
    assert.deepEqual([bareChild.TimeoutInMinutes, bareChild.Tags ?? []], [undefined, []]);

    assert.equal(await deploy(h.engine, 'inherits', bare, { Tags: [{ Key: 'team', Value: 'app' }] }), 'CREATE_COMPLETE');
    const inheriting = await stackOf(h.engine, (await physicalIds(h.engine, 'inherits')).Child);
    assert.deepEqual(inheriting.Tags, [{ Key: 'team', Value: 'app' }], 'a nested stack without Tags of its own carries its parent\'s');
    await upload('leaf.json', leaf());
  });

  it('with the root\'s rollback disabled, a failed child stays UPDATE_FAILED until RollbackStack on the root rolls both back', async () => {
    await upload('labelled.json', { Parameters: { Label: { Type: 'String' } }, Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'Label' } } } }, Outputs: { Label: { Value: { Ref: 'Label' } } } });
    const parent = (label: string) => ({
      Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/labelled.json', Parameters: { Label: label } } } },
      Outputs: { Label: { Value: { 'Fn::GetAtt': ['Child', 'Outputs.Label'] } } },
    });
    assert.equal(await deploy(h.engine, 'paused', parent('one')), 'CREATE_COMPLETE');
    const childId = (await physicalIds(h.engine, 'paused')).Child;
    h.faults.push({ logicalId: 'Topic', operation: 'update' });
    assert.equal(await update(h.engine, 'paused', parent('two'), { DisableRollback: true }), 'UPDATE_FAILED');
    h.faults.length = 0;
    assert.equal((await stackOf(h.engine, childId)).StackStatus, 'UPDATE_FAILED', 'the child is kept as it failed, for inspection');

    await h.engine.rollbackStack({ StackName: 'paused' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, 'paused')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const child = await stackOf(h.engine, childId);
    assert.equal(child.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(child.Parameters, [{ ParameterKey: 'Label', ParameterValue: 'one' }]);
    assert.deepEqual(await outputsOf(h.engine, 'paused'), { Label: 'one' });
    const childLines = await eventLines(h.engine, childId, true);
    assert.ok(childLines.some((l) => l.endsWith('UPDATE_ROLLBACK_IN_PROGRESS Parent stack rollback')), childLines.join('\n'));
  });

  it('a parent update that leaves a nested stack alone does not touch it, unless a value it is given has changed', async () => {
    await putParameter('/nested/label', 'first');
    await upload('two-labels.json', { Parameters: { Label: { Type: 'String' }, Fixed: { Type: 'String' } }, Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::Sub': '${Fixed}-${Label}' } } } } });
    const parent = (own: string) => ({
      Resources: {
        Own: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: own } },
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/two-labels.json', Parameters: { Label: '{{resolve:ssm:/nested/label}}', Fixed: 'same' } } },
      },
    });
    assert.equal(await deploy(h.engine, 'untouched', parent('one')), 'CREATE_COMPLETE');
    const childId = (await physicalIds(h.engine, 'untouched')).Child;
    const eventsBefore = await eventLines(h.engine, childId);
    assert.equal(await update(h.engine, 'untouched', parent('two')), 'UPDATE_COMPLETE');
    assert.equal((await stackOf(h.engine, childId)).StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(await eventLines(h.engine, childId), eventsBefore, 'no event on the child');

    // The same properties, but the value behind the dynamic reference has changed: the child takes it.
    await putParameter('/nested/label', 'second');
    assert.equal(await update(h.engine, 'untouched', parent('three')), 'UPDATE_COMPLETE');
    const child = await stackOf(h.engine, childId);
    assert.deepEqual([child.StackStatus, child.Parameters], ['UPDATE_COMPLETE', [{ ParameterKey: 'Label', ParameterValue: 'second' }, { ParameterKey: 'Fixed', ParameterValue: 'same' }]]);
  });

  it('a child whose rollback fails keeps its parent\'s rollback failed until ContinueUpdateRollback on the parent completes both', async () => {
    const parent = (label: string, extra: Record<string, unknown> = {}) => ({
      Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/labelled.json', Parameters: { Label: label } } }, ...extra },
    });
    assert.equal(await deploy(h.engine, 'stuck-child', parent('one')), 'CREATE_COMPLETE');
    const childId = (await physicalIds(h.engine, 'stuck-child')).Child;
    // The child updates; the parent fails after it; the child's revert fails.
    h.faults.push({ logicalId: 'Broken', operation: 'create' }, { logicalId: 'Topic', operation: 'update', phase: 'rollback', reason: 'Topic locked' });
    assert.equal(await update(h.engine, 'stuck-child', parent('two', { Broken: { Type: 'AWS::SQS::Queue', DependsOn: 'Child' } })), 'UPDATE_ROLLBACK_FAILED');
    assert.equal((await stackOf(h.engine, childId)).StackStatus, 'UPDATE_ROLLBACK_FAILED');
    await h.engine.continueUpdateRollback({ StackName: 'stuck-child' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'stuck-child'), 'UPDATE_ROLLBACK_FAILED', 'still failing while the fault lasts');
    h.faults.length = 0;
    await h.engine.continueUpdateRollback({ StackName: 'stuck-child' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'stuck-child'), 'UPDATE_ROLLBACK_COMPLETE');
    const child = await stackOf(h.engine, childId);
    assert.deepEqual([child.StackStatus, child.Parameters], ['UPDATE_ROLLBACK_COMPLETE', [{ ParameterKey: 'Label', ParameterValue: 'one' }]]);
  });

  it('a child that fails to delete fails its parent\'s delete, with the child\'s reason', async () => {
    const parent = { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/labelled.json', Parameters: { Label: 'x' } } } } };
    assert.equal(await deploy(h.engine, 'undeletable', parent), 'CREATE_COMPLETE');
    h.faults.push({ logicalId: 'Topic', operation: 'delete', reason: 'Topic in use' });
    await h.engine.deleteStack({ StackName: 'undeletable' });
    await h.engine.settled();
    h.faults.length = 0;
    assert.equal(await statusOf(h.engine, 'undeletable'), 'DELETE_FAILED');
    const lines = await eventLines(h.engine, 'undeletable', true);
    assert.ok(lines.some((l) => /^Child DELETE_FAILED Embedded stack arn:\S+ was not successfully deleted: The following resource\(s\) failed to delete: \[Topic\]\. $/.test(l)), lines.join('\n'));
  });

  it('a parent update that leaves the nested stack\'s properties alone still brings the child to the new template behind its URL', async () => {
    const child = (name: string) => ({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: name } } }, Outputs: { Name: { Value: name } } });
    const parent = (name: string) => ({
      Resources: { Own: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: name } }, Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/behind.json' } } },
      Outputs: { Name: { Value: { 'Fn::GetAtt': ['Child', 'Outputs.Name'] } } },
    });
    await upload('behind.json', child('first'));
    assert.equal(await deploy(h.engine, 'behind', parent('one')), 'CREATE_COMPLETE');
    await upload('behind.json', child('second'));
    assert.equal(await update(h.engine, 'behind', parent('two')), 'UPDATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'behind'), { Name: 'second' });

    // The template gone from behind its URL fails the nested stack resource, and the update rolls back.
    await h.aws.clients.s3.send(new DeleteObjectCommand({ Bucket: 'templates', Key: 'behind.json' }));
    assert.equal(await update(h.engine, 'behind', parent('three')), 'UPDATE_ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'behind', true);
    assert.ok(lines.includes('Child UPDATE_FAILED S3 error: Access Denied or not found: unable to read https://templates.s3.amazonaws.com/behind.json (NoSuchKey)'), lines.join('\n'));
    const { StackResources } = await h.engine.describeStackResources({ StackName: 'behind' });
    assert.deepEqual(StackResources!.map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`).sort(), ['Child UPDATE_COMPLETE', 'Own UPDATE_COMPLETE']);
    assert.deepEqual(await outputsOf(h.engine, 'behind'), { Name: 'second' });
  });

  it('a nested stack that replaces a resource and fails to create is deleted by the rollback', async () => {
    await upload('failing.json', { Resources: { Doomed: { Type: 'AWS::SNS::Topic' } } });
    assert.equal(await deploy(h.engine, 'retyped', { Resources: { Thing: { Type: 'AWS::SNS::Topic' } } }), 'CREATE_COMPLETE');
    const before = await physicalIds(h.engine, 'retyped');
    h.faults.push({ logicalId: 'Doomed', operation: 'create' });
    assert.equal(await update(h.engine, 'retyped', { Resources: { Thing: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/failing.json' } } } }), 'UPDATE_ROLLBACK_COMPLETE');
    h.faults.length = 0;
    assert.deepEqual(await physicalIds(h.engine, 'retyped'), before);
    const { StackSummaries } = await h.engine.listStacks({});
    const children = StackSummaries!.filter((s) => s.StackName!.startsWith('retyped-Thing-'));
    assert.deepEqual(children.map((c) => c.StackStatus), ['DELETE_COMPLETE'], 'the failed child is not left behind');
  });

  it('names the child stack on its parent from the moment the child exists, before the child finishes', async () => {
    // The child's server takes 1.5 s here, so the parent is still creating it when looked at.
    const slow = await openEngine({ timeScale: 0.05 });
    try {
      await slow.aws.clients.s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
      await slow.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'server.json', Body: JSON.stringify({ Resources: { Server: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } } }) }));
      await slow.engine.createStack({ StackName: 'watched', TemplateBody: JSON.stringify({ Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/server.json' } } } }) });
      const child = await firstChildOf(slow, 'watched');
      assert.equal(child.StackStatus, 'CREATE_IN_PROGRESS');
      const { StackResources } = await slow.engine.describeStackResources({ StackName: 'watched' });
      assert.deepEqual(StackResources!.map((r) => [r.LogicalResourceId, r.ResourceStatus, r.PhysicalResourceId]), [['Child', 'CREATE_IN_PROGRESS', child.StackId]]);
      await slow.engine.settled();
      assert.equal(await statusOf(slow.engine, 'watched'), 'CREATE_COMPLETE');
    } finally {
      await slow.close();
    }
  });

  it('fails the nested stack resource, with the reason, when its template cannot be read', async () => {
    const parent = (properties: Record<string, unknown>) => ({ Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: properties } } });
    assert.equal(await deploy(h.engine, 'no-url', parent({ Parameters: {} })), 'ROLLBACK_COMPLETE');
    assert.ok((await eventLines(h.engine, 'no-url', true)).includes('Child CREATE_FAILED Property TemplateURL cannot be empty.'));
    assert.equal(await deploy(h.engine, 'missing-template', parent({ TemplateURL: 'https://templates.s3.amazonaws.com/absent.json' })), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'missing-template', true);
    assert.ok(lines.includes('Child CREATE_FAILED S3 error: Access Denied or not found: unable to read https://templates.s3.amazonaws.com/absent.json (NoSuchKey)'), lines.join('\n'));

    // A child template the parent does not give a required parameter fails the resource with CloudFormation's words.
    await upload('needs.json', { Parameters: { Prefix: { Type: 'String' } }, Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
    assert.equal(await deploy(h.engine, 'unfed', parent({ TemplateURL: 'https://templates.s3.amazonaws.com/needs.json' })), 'ROLLBACK_COMPLETE');
    const unfed = await eventLines(h.engine, 'unfed', true);
    assert.ok(unfed.includes('Child CREATE_FAILED Parameters: [Prefix] must have values'), unfed.join('\n'));
  });

  it('deleting the root deletes its nested stacks', async () => {
    const middleId = (await physicalIds(h.engine, 'app')).Middle;
    const leafId = (await physicalIds(h.engine, middleId)).Leaf;
    await h.engine.deleteStack({ StackName: 'app' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, middleId)).StackStatus, 'DELETE_COMPLETE');
    assert.equal((await stackOf(h.engine, leafId)).StackStatus, 'DELETE_COMPLETE');
  });
});
