import { DescribeStackResourceCommand, GetStackPolicyCommand, SetStackPolicyCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { listBackups } from '../../src/backup/catalog.ts';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { artifactsBucketName } from '../../src/deploy/package.ts';
import { planProject } from '../../src/deploy/plan.ts';
import { writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

const STACK = 'jobs-dev-data';

async function deploy(path: string, options: Partial<DeployOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deployProject(path, { target: 'local', concurrency: 4, yes: false, ...options }, (e) => events.push(e));
  return { report, events };
}

/** A table whose key attribute is `key`: changing it replaces the table. */
const jobsTable = (key: string) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Jobs:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n`;

/** The `jobs` project (one stack, one table keyed `id`), deployed, its table holding `items` items. */
async function deployedJobs(items: number, manifestExtra = ''): Promise<{ dir: string; table: string }> {
  const dir = writeProject({ 'stackpilot.yaml': `project: jobs\n${manifestExtra}stacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n`, 'data.yaml': jobsTable('id') });
  assert.equal((await deploy(dir)).report.ok, true);
  const table = await withProjectState(dir, async ({ cloudformation, dynamodb }) => {
    const name = await physicalId(cloudformation, 'Jobs');
    for (let i = 0; i < items; i++) await dynamodb.send(new PutItemCommand({ TableName: name, Item: { id: { S: `job-${i}` } } }));
    return name;
  });
  writeFileSync(join(dir, 'data.yaml'), jobsTable('job_id'));
  return { dir, table };
}

const physicalId = async (cfn: Parameters<Parameters<typeof withProjectState>[1]>[0]['cloudformation'], logicalId: string) =>
  (await cfn.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: logicalId }))).StackResourceDetail!.PhysicalResourceId!;

const codes = (events: DeployEvent[], wanted: DeployEvent['code'][]) => events.flatMap((e) => (wanted.includes(e.code) ? [e.code] : []));
const warnings = (events: DeployEvent[]) => events.flatMap((e) => (e.code === 'warning' ? [e.message] : []));

/** The stack as it stands: its table's physical id, key and item count, and its stack policy. */
const stackNow = (dir: string) =>
  withProjectState(dir, async ({ cloudformation, dynamodb }) => {
    const table = await physicalId(cloudformation, 'Jobs');
    const key = (await dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table!.KeySchema![0].AttributeName;
    const items = (await dynamodb.send(new ScanCommand({ TableName: table }))).Count;
    const policy = (await cloudformation.send(new GetStackPolicyCommand({ StackName: STACK }))).StackPolicyBody;
    return { table, key, items, policy: policy && (JSON.parse(policy) as unknown) };
  });

const FULL_POLICY = {
  Statement: [
    { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
    { Effect: 'Deny', Action: ['Update:Replace', 'Update:Delete'], Principal: '*', Resource: ['LogicalResourceId/Jobs'] },
  ],
};

describe('backups before a deploy deletes data', () => {
  it('asks naming the backup, then backs the table up (catalogued, with its item count) before its replacement runs', async () => {
    const { dir, table } = await deployedJobs(3);
    const asked: string[] = [];
    const declined = await deploy(dir, { ask: async (question) => (asked.push(question), false) });
    assert.deepEqual(asked, [`${STACK}: 1 change(s) delete stored data (Jobs). Back up Jobs (DynamoDB table ${table}) first, then execute?`]);
    assert.deepEqual(codes(declined.events, ['backup-start', 'backup-done', 'stack-start']), [], 'no answer yes: no backup and no change');

    const { report, events } = await deploy(dir, { yes: true });
    assert.equal(report.ok, true);
    assert.deepEqual(codes(events, ['backup-start', 'backup-done', 'stack-start']), ['backup-start', 'backup-done', 'stack-start'], 'the backup is complete before the change set runs');
    const done = events.find((e) => e.code === 'backup-done');
    assert.ok(done?.code === 'backup-done');
    assert.deepEqual([done.logicalId, done.kind, done.count], ['Jobs', 'dynamodb-table', 3]);

    const now = await stackNow(dir);
    assert.deepEqual([now.key, now.items], ['job_id', 0], 'the table was replaced');
    assert.notEqual(now.table, table);
    const catalog = await withProjectState(dir, async ({ s3 }) => listBackups(s3, artifactsBucketName('jobs', '123456789012', 'us-east-1')));
    assert.deepEqual(
      catalog.map((e) => [e.id, e.stack, e.logicalId, e.physicalId, e.count]),
      [[done.id, STACK, 'Jobs', table, 3]],
    );
  });

  it('backs up a bucket at risk only when it holds objects', async () => {
    const buckets = (suffix: string) =>
      `Resources:\n${['Full', 'Empty'].map((id) => `  ${id}:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties: { BucketName: jobs-${id.toLowerCase()}-${suffix} }\n`).join('')}`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: jobs\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': buckets('a') });
    assert.equal((await deploy(dir)).report.ok, true);
    await withProjectState(dir, ({ s3 }) => s3.send(new PutObjectCommand({ Bucket: 'jobs-full-a', Key: 'report.csv', Body: 'a,b\n' })));
    writeFileSync(join(dir, 'data.yaml'), buckets('b'));
    const asked: string[] = [];
    await deploy(dir, { ask: async (question) => (asked.push(question), false) });
    assert.deepEqual(asked, [`${STACK}: 2 change(s) delete stored data (Full, Empty). Back up Full (S3 bucket jobs-full-a) first, then execute?`]);
  });

  it('with --backup never backs nothing up and says so, and --backup always backs up a table no change puts at risk', async () => {
    const { dir } = await deployedJobs(2);
    const never = await deploy(dir, { yes: true, backup: 'never' });
    assert.equal(never.report.ok, true);
    assert.deepEqual(codes(never.events, ['backup-start', 'backup-done']), []);
    assert.deepEqual(warnings(never.events), [`${STACK}: backups disabled (--backup never): 1 resource(s) will lose data`]);

    // A change that keeps the data (a tag): auto backs up nothing, always backs the table up.
    writeFileSync(join(dir, 'data.yaml'), `${jobsTable('job_id')}      Tags: [{ Key: team, Value: a }]\n`);
    const always = await deploy(dir, { backup: 'always' });
    assert.equal(always.report.ok, true);
    assert.deepEqual(codes(always.events, ['backup-done', 'stack-start']), ['backup-done', 'stack-start']);
  });
});

describe('an interrupt during a backup', () => {
  it('lets the backup finish, then executes nothing', async () => {
    const { dir, table } = await deployedJobs(2);
    const interrupt = new AbortController();
    const events: DeployEvent[] = [];
    const report = await deployProject(dir, { target: 'local', concurrency: 4, yes: true, signal: interrupt.signal }, (e) => {
      events.push(e);
      if (e.code === 'backup-start') interrupt.abort();
    });
    assert.equal(report.interrupted, true);
    assert.deepEqual(codes(events, ['backup-start', 'backup-done', 'stack-start']), ['backup-start', 'backup-done']);
    assert.deepEqual(events.flatMap((e) => (e.code === 'stack-done' ? [e.outcome] : [])), ['not-started']);
    const now = await stackNow(dir);
    assert.deepEqual([now.table, now.key, now.items], [table, 'id', 2]);
  });
});

describe('protect: true', () => {
  it('stops a table replacement before executing, with the policy in words; --allow-replace lets it through after a backup, and the policy is back', async () => {
    const { dir, table } = await deployedJobs(2, 'protect: true\n');
    assert.deepEqual((await stackNow(dir)).policy, FULL_POLICY, 'the policy is set once the stack is created');

    const plan = await planProject(dir, { target: 'local' }, () => {});
    assert.deepEqual(plan.stacks[0].notices, ['Jobs is protected (protect: true): its replacement is denied by the stack policy: deploy stops before executing unless --allow-replace lets it through']);
    const denied = await deploy(dir, { yes: true });
    assert.equal(denied.report.ok, false);
    const done = denied.events.find((e) => e.code === 'stack-done');
    assert.ok(done?.code === 'stack-done');
    assert.deepEqual([done.outcome, done.reason, done.hint], ['failed', 'Jobs is protected (protect: true): its replacement is denied by the stack policy', 'Pass --allow-replace Jobs to let it through for this deploy, after a backup.']);
    assert.deepEqual(codes(denied.events, ['backup-start', 'stack-start']), [], 'nothing ran');
    assert.deepEqual(await stackNow(dir), { table, key: 'id', items: 2, policy: FULL_POLICY });

    const allowed = await deploy(dir, { yes: true, allowReplace: ['Jobs'] });
    assert.equal(allowed.report.ok, true);
    assert.deepEqual(codes(allowed.events, ['backup-done', 'stack-start']), ['backup-done', 'stack-start']);
    const now = await stackNow(dir);
    assert.deepEqual([now.key, now.policy], ['job_id', FULL_POLICY], 'replaced, and the full policy is back');
  });
});

describe('protect: true taken away', () => {
  it('replaces stackpilot\'s policy with one that allows every update, and the replacement goes through', async () => {
    const { dir } = await deployedJobs(1, 'protect: true\n');
    writeFileSync(join(dir, 'stackpilot.yaml'), 'project: jobs\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n');
    const { report } = await deploy(dir, { yes: true });
    assert.equal(report.ok, true);
    const now = await stackNow(dir);
    assert.deepEqual([now.key, now.policy], ['job_id', { Statement: [FULL_POLICY.Statement[0]] }]);
  });
});

describe('protect: true after a deploy killed while its policy was relaxed', () => {
  it('puts the full policy back on the next deploy, even one with nothing to change', async () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: jobs\nprotect: true\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': jobsTable('id') });
    assert.equal((await deploy(dir)).report.ok, true);
    // What --allow-replace Jobs leaves in place when the process is killed before the stack is done.
    await withProjectState(dir, ({ cloudformation }) => cloudformation.send(new SetStackPolicyCommand({ StackName: STACK, StackPolicyBody: JSON.stringify({ Statement: [FULL_POLICY.Statement[0]] }) })));
    const again = await deploy(dir);
    assert.deepEqual(again.events.flatMap((e) => (e.code === 'stack-done' ? [e.outcome] : [])), ['no-changes']);
    assert.deepEqual((await stackNow(dir)).policy, FULL_POLICY);
  });
});

describe('protect: true on a stack with nested stacks', () => {
  it('protects the nested stack\'s table too, and --allow-replace Child.Logical lets its replacement through', async () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: nest\nstacks:\n  app: { template: parent.yaml, protect: true }\nenvironments:\n  dev: {}\n',
      'parent.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Storage:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://templates.s3.amazonaws.com/storage.yaml\n",
      'storage.yaml': jobsTable('id'),
    });
    assert.equal((await deploy(dir)).report.ok, true);
    const nestedPolicy = () =>
      withProjectState(dir, async ({ cloudformation }) => {
        const nested = (await cloudformation.send(new DescribeStackResourceCommand({ StackName: 'nest-dev-app', LogicalResourceId: 'Storage' }))).StackResourceDetail!.PhysicalResourceId!;
        return JSON.parse((await cloudformation.send(new GetStackPolicyCommand({ StackName: nested }))).StackPolicyBody!) as unknown;
      });
    assert.deepEqual(await nestedPolicy(), FULL_POLICY);

    writeFileSync(join(dir, 'storage.yaml'), jobsTable('job_id'));
    const denied = await deploy(dir, { yes: true });
    const done = denied.events.find((e) => e.code === 'stack-done');
    assert.ok(done?.code === 'stack-done');
    assert.deepEqual([done.outcome, done.reason, done.hint], ['failed', 'Storage.Jobs is protected (protect: true): its replacement is denied by the stack policy', 'Pass --allow-replace Storage.Jobs to let it through for this deploy, after a backup.']);

    const allowed = await deploy(dir, { yes: true, allowReplace: ['Storage.Jobs'] });
    assert.equal(allowed.report.ok, true);
    assert.deepEqual(allowed.events.flatMap((e) => (e.code === 'stack-start' ? [e.resources] : [])), [1], 'the progress counts the stack\'s own resources: the nested stack, whose table shows under it');
    const backedUp = allowed.events.find((e) => e.code === 'backup-done');
    assert.deepEqual(backedUp?.code === 'backup-done' && [backedUp.nestedPath, backedUp.logicalId], [['Storage'], 'Jobs']);
    assert.deepEqual(await nestedPolicy(), FULL_POLICY, 'the full policy is back on the nested stack');
  });
});

describe('stateful types stackpilot does not back up', () => {
  it('get a notice in the plan when a change replaces one without a Snapshot policy', async () => {
    const database = (size: number) =>
      `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      AllocatedStorage: '${size}'\n      MasterUsername: admin\n      ManageMasterUserPassword: true\n      StorageEncrypted: ${size > 20}\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: db\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': database(20) });
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'data.yaml'), database(30));
    const plan = await planProject(dir, { target: 'local' }, () => {});
    assert.deepEqual(plan.stacks.map((s) => s.notices), [
      ['db-dev-data: Database (AWS::RDS::DBInstance) loses its data in this change, and stackpilot does not back up this type: give it DeletionPolicy: Snapshot and UpdateReplacePolicy: Snapshot (CloudFormation then snapshots it first); it has neither here.'],
    ]);
  });
});
