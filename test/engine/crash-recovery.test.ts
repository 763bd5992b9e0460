import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStacksCommand,
  RollbackStackCommand,
} from '@aws-sdk/client-cloudformation';
import { GetBucketTaggingCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { fixture, temporaryFolder } from '../helpers.ts';
import { inventory } from '../local-inventory.ts';

const CRASH_AT = fixture('crash', 'crash-at.ts');
const TSX = import.meta.resolve('tsx');

interface Step {
  call: 'CreateStack' | 'UpdateStack' | 'DeleteStack' | 'CreateChangeSet' | 'ExecuteChangeSet';
  input: Record<string, unknown>;
}

/** Runs the steps in a process of their own that is killed (SIGKILL) right after the engine's `command` succeeds. */
function crashAt(dataDir: string, steps: Step[], killAfter: { command: string; match?: string }): void {
  const run = spawnSync(process.execPath, ['--import', TSX, CRASH_AT, JSON.stringify({ dataDir, steps, killAfter })], { encoding: 'utf8' });
  assert.equal(run.signal, 'SIGKILL', `the process was not killed after ${killAfter.command}: ${run.stderr}`);
}

/** Opens the state again, as the next command would, and waits for the engine to finish what the killed process left. */
async function reopen(dataDir: string): Promise<{ local: LocalAws; cfn: CloudFormationClient }> {
  const local = await LocalAws.open({ dataDir });
  await local.settled();
  return { local, cfn: new CloudFormationClient(local.clientConfig()) };
}

const stateDir = () => join(temporaryFolder('crash'), '.stackpilot', 'local');
const body = (template: unknown) => JSON.stringify(template);

async function stack(cfn: CloudFormationClient, name: string) {
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
}

async function reasons(cfn: CloudFormationClient, name: string): Promise<string[]> {
  const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
  return StackEvents!.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus} ${e.ResourceStatusReason ?? ''}`.trim());
}

/** One resource of each kind with a data plane, under names of its own. */
const everyKind = (prefix: string) => ({
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: `${prefix}-table`, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } },
    Bucket: { Type: 'AWS::S3::Bucket', DependsOn: 'Table', Properties: { BucketName: `${prefix}-bucket` } },
    Param: { Type: 'AWS::SSM::Parameter', DependsOn: 'Bucket', Properties: { Name: `/${prefix}/param`, Type: 'String', Value: 'v' } },
    Secret: { Type: 'AWS::SecretsManager::Secret', DependsOn: 'Param', Properties: { Name: `${prefix}-secret`, SecretString: 's' } },
  },
});

const empty = { buckets: [], tables: [], parameters: [], secrets: [] };

/** Stacks created by a process that ends normally, before the one that is killed. */
async function createStacks(dir: string, stacks: Record<string, unknown>): Promise<void> {
  const local = await LocalAws.open({ dataDir: dir });
  const cfn = new CloudFormationClient(local.clientConfig());
  for (const [name, template] of Object.entries(stacks)) {
    await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body(template) }));
    await local.settled();
  }
  await local.close();
}

/** A stack owning the bucket `taken`: another stack asking for that name fails, with no fault injected. */
const owner = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'taken' } } } };
const clash = (dependsOn: string) => ({ Type: 'AWS::S3::Bucket', DependsOn: dependsOn, Properties: { BucketName: 'taken' } });
const namedTable = (name: string) => ({ Type: 'AWS::DynamoDB::Table', Properties: { TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } });

/** A bucket `templates` (made by a stack of its own) holding a nested stack's template. */
async function serveTemplate(dir: string, key: string, template: unknown): Promise<void> {
  const local = await LocalAws.open({ dataDir: dir });
  await new CloudFormationClient(local.clientConfig()).send(new CreateStackCommand({ StackName: 'templates', TemplateBody: body({ Resources: { Templates: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'templates' } } } }) }));
  await local.settled();
  await local.clients.s3.send(new PutObjectCommand({ Bucket: 'templates', Key: key, Body: body(template) }));
  await local.close();
}

/** An SSM parameter made outside any stack: a stack that declares the same name fails on it. */
async function takeParameter(dir: string, name: string): Promise<void> {
  const local = await LocalAws.open({ dataDir: dir });
  await local.clients.ssm.send(new PutParameterCommand({ Name: name, Type: 'String', Value: 'not the stack\'s' }));
  await local.close();
}

/** A bucket, then a parameter that fails on a name taken outside the stack. */
const failingAfterBucket = (bucket: string) => ({
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: bucket } },
    Param: { Type: 'AWS::SSM::Parameter', DependsOn: 'Bucket', Properties: { Name: '/taken', Type: 'String', Value: 'v' } },
  },
});

describe('a local engine killed in the middle of an operation', () => {
  it('rolls back a create it was killed in, deleting what it had made, the resource being made included', async () => {
    const dir = stateDir();
    // Killed once the bucket exists and before the engine heard back: only its claim records it.
    crashAt(dir, [{ call: 'CreateStack', input: { StackName: 'app', TemplateBody: body(everyKind('crash')) } }], { command: 'CreateBucketCommand' });
    const { local, cfn } = await reopen(dir);
    try {
      const app = await stack(cfn, 'app');
      assert.equal(app.StackStatus, 'ROLLBACK_COMPLETE');
      assert.equal(app.StackStatusReason, undefined);
      const events = await reasons(cfn, 'app');
      // Only the step caught halfway is failed: what had finished before the kill is not blamed.
      assert.deepEqual(
        events.filter((e) => e.includes('stopped during the operation')),
        ['app ROLLBACK_IN_PROGRESS stackpilot local engine stopped during the operation. Rollback requested by user.', 'Bucket CREATE_FAILED stackpilot local engine stopped during the operation'],
      );
      assert.deepEqual(await inventory(local), empty, 'nothing is left that no stack owns');
    } finally {
      await local.close();
    }
  });

  it('leaves a create without rollback CREATE_FAILED, what it made kept for inspection until RollbackStack', async () => {
    const dir = stateDir();
    crashAt(dir, [{ call: 'CreateStack', input: { StackName: 'inspected', TemplateBody: body(everyKind('inspected')), DisableRollback: true } }], { command: 'CreateBucketCommand' });
    const { local, cfn } = await reopen(dir);
    try {
      const inspected = await stack(cfn, 'inspected');
      assert.equal(inspected.StackStatus, 'CREATE_FAILED');
      assert.equal(inspected.StackStatusReason, 'stackpilot local engine stopped during the operation');
      assert.deepEqual(await inventory(local), { ...empty, buckets: ['inspected-bucket'], tables: ['inspected-table'] });
      await cfn.send(new RollbackStackCommand({ StackName: 'inspected' }));
      await local.settled();
      assert.equal((await stack(cfn, 'inspected')).StackStatus, 'ROLLBACK_COMPLETE');
      assert.deepEqual(await inventory(local), empty, 'the rollback removes what the create had made');
    } finally {
      await local.close();
    }
  });

  it('deletes the bucket a killed create had claimed even when a table of another stack has the same name', async () => {
    const dir = stateDir();
    const setup = await LocalAws.open({ dataDir: dir });
    const table = { Resources: { Table: everyKind('twin').Resources.Table } };
    await new CloudFormationClient(setup.clientConfig()).send(new CreateStackCommand({ StackName: 'tables', TemplateBody: body(table) }));
    await setup.settled();
    await setup.close();
    const bucket = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'twin-table' } } } };
    crashAt(dir, [{ call: 'CreateStack', input: { StackName: 'buckets', TemplateBody: body(bucket) } }], { command: 'CreateBucketCommand' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'buckets')).StackStatus, 'ROLLBACK_COMPLETE');
      assert.deepEqual(await inventory(local), { ...empty, tables: ['twin-table'] }, 'the other stack\'s table is no owner of the bucket');
    } finally {
      await local.close();
    }
  });

  it('deletes a nested stack it was killed creating, and everything below it', async () => {
    const dir = stateDir();
    await serveTemplate(dir, 'child.json', everyKind('nested'));
    const parent = { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/child.json' } } } };
    crashAt(dir, [{ call: 'CreateStack', input: { StackName: 'parent', TemplateBody: body(parent) } }], { command: 'CreateTableCommand' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'parent')).StackStatus, 'ROLLBACK_COMPLETE');
      const children = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.ParentId);
      assert.deepEqual(children.map((c) => c.StackStatus), ['DELETE_COMPLETE']);
      assert.deepEqual(await inventory(local), { ...empty, buckets: ['templates'] });
    } finally {
      await local.close();
    }
  });

  it('settles a nested stack its parent keeps (Retain) before the parent rolls back around it', async () => {
    const dir = stateDir();
    await serveTemplate(dir, 'child.json', everyKind('kept'));
    const parent = { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', DeletionPolicy: 'Retain', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/child.json' } } } };
    crashAt(dir, [{ call: 'CreateStack', input: { StackName: 'keeper', TemplateBody: body(parent) } }], { command: 'CreateBucketCommand' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'keeper')).StackStatus, 'ROLLBACK_COMPLETE');
      assert.ok((await reasons(cfn, 'keeper')).some((e) => e.startsWith('Child DELETE_SKIPPED')));
      const [child] = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.ParentId);
      assert.equal(child.StackStatus, 'ROLLBACK_COMPLETE', 'the kept child is settled, not left in progress');
      assert.deepEqual(await inventory(local), { ...empty, buckets: ['templates'] }, 'the child rolled back what it had made');
    } finally {
      await local.close();
    }
  });

  it('rolls back a nested stack whose update had completed when its parent\'s update was killed', async () => {
    const dir = stateDir();
    const child = { Parameters: { Level: { Type: 'String' } }, Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/nested/level', Type: 'String', Value: { Ref: 'Level' } } } } };
    await serveTemplate(dir, 'child.json', child);
    const parent = (level: string, extra: Record<string, unknown> = {}) => ({
      Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.amazonaws.com/child.json', Parameters: { Level: level } } }, ...extra },
    });
    await createStacks(dir, { parent: parent('one') });
    // The child's update is done (it waits for its parent's cleanup) when the kill comes.
    crashAt(dir, [{ call: 'UpdateStack', input: { StackName: 'parent', TemplateBody: body(parent('two', { Late: { ...namedTable('late-table'), DependsOn: 'Child' } })) } }], { command: 'CreateTableCommand', match: 'late-table' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'parent')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      const [nested] = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.ParentId);
      assert.equal(nested.StackStatus, 'UPDATE_ROLLBACK_COMPLETE', 'the child rolls back with its parent');
      const { Parameter } = await local.clients.ssm.send(new GetParameterCommand({ Name: '/nested/level' }));
      assert.equal(Parameter!.Value, 'one');
      assert.deepEqual((await inventory(local)).tables, []);
    } finally {
      await local.close();
    }
  });

  it('rolls back an update killed while replacing a bucket: the original keeps its objects, the new one goes', async () => {
    const dir = stateDir();
    const v1 = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data-v1' } } } };
    const setup = await LocalAws.open({ dataDir: dir });
    await new CloudFormationClient(setup.clientConfig()).send(new CreateStackCommand({ StackName: 'data', TemplateBody: body(v1) }));
    await setup.settled();
    await setup.clients.s3.send(new PutObjectCommand({ Bucket: 'data-v1', Key: 'kept.txt', Body: 'precious' }));
    await setup.close();

    const v2 = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data-v2' } } } };
    crashAt(dir, [{ call: 'UpdateStack', input: { StackName: 'data', TemplateBody: body(v2) } }], { command: 'CreateBucketCommand', match: 'data-v2' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'data')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      const events = await reasons(cfn, 'data');
      assert.ok(events.includes('Bucket UPDATE_FAILED stackpilot local engine stopped during the operation'), events.join('\n'));
      assert.deepEqual((await inventory(local)).buckets, ['data-v1']);
      const kept = await local.clients.s3.send(new GetObjectCommand({ Bucket: 'data-v1', Key: 'kept.txt' }));
      assert.equal(await kept.Body!.transformToString(), 'precious');
    } finally {
      await local.close();
    }
  });

  it('reverts an in-place update it was killed halfway through', async () => {
    const dir = stateDir();
    const tagged = (value: string) => ({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'tagged', Tags: [{ Key: 'release', Value: value }] } } } });
    crashAt(
      dir,
      [
        { call: 'CreateStack', input: { StackName: 'tags', TemplateBody: body(tagged('one')) } },
        { call: 'UpdateStack', input: { StackName: 'tags', TemplateBody: body(tagged('two')) } },
      ],
      { command: 'PutBucketTaggingCommand', match: 'two' },
    );
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'tags')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      const { TagSet } = await local.clients.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }));
      assert.deepEqual(TagSet, [{ Key: 'release', Value: 'one' }], 'the data plane is back where the stack says it is');
    } finally {
      await local.close();
    }
  });

  it('carries on the rollback of a create it was killed in', async () => {
    const dir = stateDir();
    await takeParameter(dir, '/taken');
    crashAt(dir, [{ call: 'CreateStack', input: { StackName: 'undone', TemplateBody: body(failingAfterBucket('undone-bucket')) } }], { command: 'DeleteBucketCommand' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'undone')).StackStatus, 'ROLLBACK_COMPLETE');
      assert.deepEqual(await inventory(local), { ...empty, parameters: ['/taken'] });
    } finally {
      await local.close();
    }
  });

  it('finishes the cleanup of an update rollback it was killed in, keeping the original', async () => {
    const dir = stateDir();
    await takeParameter(dir, '/taken');
    const v1 = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'reverted-v1' } } } };
    crashAt(
      dir,
      [
        { call: 'CreateStack', input: { StackName: 'reverted', TemplateBody: body(v1) } },
        { call: 'UpdateStack', input: { StackName: 'reverted', TemplateBody: body(failingAfterBucket('reverted-v2')) } },
      ],
      { command: 'DeleteBucketCommand', match: 'reverted-v2' },
    );
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'reverted')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      assert.deepEqual(await inventory(local), { ...empty, buckets: ['reverted-v1'], parameters: ['/taken'] });
    } finally {
      await local.close();
    }
  });

  it('carries on the rollback of an update it was killed in, putting the data plane back', async () => {
    const dir = stateDir();
    await takeParameter(dir, '/taken');
    const tagged = (value: string) => ({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'relabelled', Tags: [{ Key: 'release', Value: value }] } } } });
    const setup = await LocalAws.open({ dataDir: dir });
    await new CloudFormationClient(setup.clientConfig()).send(new CreateStackCommand({ StackName: 'relabel', TemplateBody: body(tagged('one')) }));
    await setup.settled();
    await setup.close();
    const failing = { Resources: { ...tagged('two').Resources, Param: failingAfterBucket('relabelled').Resources.Param } };
    // Killed once the rollback has put the first tag back, before it recorded so.
    crashAt(dir, [{ call: 'UpdateStack', input: { StackName: 'relabel', TemplateBody: body(failing) } }], { command: 'PutBucketTaggingCommand', match: 'one' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'relabel')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      const { TagSet } = await local.clients.s3.send(new GetBucketTaggingCommand({ Bucket: 'relabelled' }));
      assert.deepEqual(TagSet, [{ Key: 'release', Value: 'one' }]);
    } finally {
      await local.close();
    }
  });

  it('carries on a delete it was killed in', async () => {
    const dir = stateDir();
    crashAt(
      dir,
      [
        { call: 'CreateStack', input: { StackName: 'gone', TemplateBody: body(everyKind('gone')) } },
        { call: 'DeleteStack', input: { StackName: 'gone' } },
      ],
      { command: 'DeleteBucketCommand' },
    );
    const { local, cfn } = await reopen(dir);
    try {
      const [summary] = (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
      assert.equal(summary.StackStatus, 'DELETE_COMPLETE');
      assert.deepEqual(await inventory(local), empty);
    } finally {
      await local.close();
    }
  });

  it('finishes the cleanup of an update it was killed in, removing the replaced resource', async () => {
    const dir = stateDir();
    const named = (name: string) => ({ Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } } } });
    crashAt(
      dir,
      [
        { call: 'CreateStack', input: { StackName: 'tables', TemplateBody: body(named('old-table')) } },
        { call: 'UpdateStack', input: { StackName: 'tables', TemplateBody: body(named('new-table')) } },
      ],
      { command: 'DeleteTableCommand', match: 'old-table' },
    );
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'tables')).StackStatus, 'UPDATE_COMPLETE');
      assert.deepEqual((await inventory(local)).tables, ['new-table']);
    } finally {
      await local.close();
    }
  });

  it('finishes the rollback of an update it was killed in: the data plane is back as it was', async () => {
    const dir = stateDir();
    const settings = (value: string) => ({ Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/settings/level', Type: 'String', Value: value } } });
    await createStacks(dir, { owner, settings: { Resources: settings('alpha-1') } });
    const failing = { Resources: { ...settings('beta-2'), Clash: clash('Param') } };
    // Killed once the rollback has put the old value back, before the engine heard back.
    crashAt(dir, [{ call: 'UpdateStack', input: { StackName: 'settings', TemplateBody: body(failing) } }], { command: 'PutParameterCommand', match: 'alpha-1' });
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'settings')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      const { Parameter } = await local.clients.ssm.send(new GetParameterCommand({ Name: '/settings/level' }));
      assert.equal(Parameter!.Value, 'alpha-1');
    } finally {
      await local.close();
    }
  });

  it('marks a change set it was killed executing as failed', async () => {
    const dir = stateDir();
    crashAt(
      dir,
      [
        { call: 'CreateChangeSet', input: { StackName: 'reviewed', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: body(everyKind('exec')) } },
        { call: 'ExecuteChangeSet', input: { StackName: 'reviewed', ChangeSetName: 'first' } },
      ],
      { command: 'CreateBucketCommand' },
    );
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'reviewed')).StackStatus, 'ROLLBACK_COMPLETE');
      const executed = await cfn.send(new DescribeChangeSetCommand({ StackName: 'reviewed', ChangeSetName: 'first' }));
      assert.equal(executed.ExecutionStatus, 'EXECUTE_FAILED', 'not shown executing for ever');
      assert.deepEqual(await inventory(local), empty);
    } finally {
      await local.close();
    }
  });

  it('fails a change set it was killed planning, with the reason', async () => {
    const dir = stateDir();
    await serveTemplate(dir, 'child.json', { Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/planned/param', Type: 'String', Value: 'one' } } } });
    const parent = (key: string) => ({ Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://templates.s3.amazonaws.com/${key}` } } } });
    const setup = await LocalAws.open({ dataDir: dir });
    await setup.clients.s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'child-v2.json', Body: body({ Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/planned/param', Type: 'String', Value: 'two' } } } }) }));
    await new CloudFormationClient(setup.clientConfig()).send(new CreateStackCommand({ StackName: 'planned', TemplateBody: body(parent('child.json')) }));
    await setup.settled();
    await setup.close();
    // Killed while the nested stack's own change set is being planned (its template just read).
    const input = { StackName: 'planned', ChangeSetName: 'next', ChangeSetType: 'UPDATE', IncludeNestedStacks: true, TemplateBody: body(parent('child-v2.json')) };
    crashAt(dir, [{ call: 'CreateChangeSet', input }], { command: 'GetObjectCommand', match: 'child-v2.json' });
    const { local, cfn } = await reopen(dir);
    try {
      const planned = await cfn.send(new DescribeChangeSetCommand({ StackName: 'planned', ChangeSetName: 'next' }));
      assert.deepEqual([planned.Status, planned.StatusReason, planned.ExecutionStatus], ['FAILED', 'stackpilot local engine stopped during the operation', 'UNAVAILABLE']);
      assert.equal((await stack(cfn, 'planned')).StackStatus, 'CREATE_COMPLETE', 'the stack itself is untouched');
    } finally {
      await local.close();
    }
  });

  it('keeps a stack under review across a restart: its change set still executes', async () => {
    const dir = stateDir();
    const first = await LocalAws.open({ dataDir: dir });
    const template = { Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/review/param', Type: 'String', Value: 'v' } } } };
    await new CloudFormationClient(first.clientConfig()).send(new CreateChangeSetCommand({ StackName: 'review', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: body(template) }));
    await first.settled();
    await first.close();
    const { local, cfn } = await reopen(dir);
    try {
      assert.equal((await stack(cfn, 'review')).StackStatus, 'REVIEW_IN_PROGRESS');
      await cfn.send(new ExecuteChangeSetCommand({ StackName: 'review', ChangeSetName: 'first' }));
      await local.settled();
      assert.equal((await stack(cfn, 'review')).StackStatus, 'CREATE_COMPLETE');
      assert.deepEqual((await inventory(local)).parameters, ['/review/param']);
    } finally {
      await local.close();
    }
  });
});
