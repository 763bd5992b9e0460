import { ListChangeSetsCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { planProject } from '../../src/deploy/plan.ts';
import { runCli, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

const MANIFEST = 'project: shop\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev:\n    parameters: { Mode: PAY_PER_REQUEST, Token: s3cr3t-t0ken }\n';
const SECRET = 's3cr3t-t0ken';

/** A table whose billing mode comes from a parameter, a queue with a nested property, a parameter whose value may come from a NoEcho one. */
const template = (o: { mode: string; visibility: number; tag: string; value: string }) => `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Mode: { Type: String }
  Token: { Type: String, NoEcho: true }
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: ${o.mode}
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
${o.mode === 'PROVISIONED' ? '      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }\n' : ''}  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: ${o.visibility}
      RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: arn:aws:sqs:us-east-1:123456789012:dead }
      Tags: [{ Key: team, Value: ${o.tag} }]
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: ${o.value}
`;

const deploy = (dir: string, events: DeployEvent[] = []) => deployProject(dir, { target: 'local', concurrency: 1, yes: true }, (e) => events.push(e));

describe('plan: property-level differences', () => {
  it('shows each changed property by path, old → new, parameters resolved and secrets masked', async () => {
    const dir = writeProject({ 'stackpilot.yaml': MANIFEST, 'data.yaml': template({ mode: 'PROVISIONED', visibility: 30, tag: 'red', value: 'plain' }) });
    assert.equal((await deploy(dir)).ok, true);
    writeFileSync(join(dir, 'data.yaml'), template({ mode: '!Ref Mode', visibility: 60, tag: 'blue', value: '!Ref Token' }));

    const report = await planProject(dir, { target: 'local' }, () => {});
    const diffs = Object.fromEntries(report.stacks[0].changes.map((c) => [c.logicalId, c.properties]));
    assert.deepEqual(diffs.Orders, [
      { path: 'BillingMode', before: 'PROVISIONED', after: 'PAY_PER_REQUEST' },
      { path: 'ProvisionedThroughput', before: '{"ReadCapacityUnits":5,"WriteCapacityUnits":5}' },
    ]);
    assert.deepEqual(diffs.Jobs, [
      { path: 'VisibilityTimeout', before: '30', after: '60' },
      { path: 'Tags[0].Value', before: 'red', after: 'blue' },
    ]);
    assert.deepEqual(diffs.Setting, [{ path: 'Value', before: 'plain', after: '****' }]);

    const cli = runCli(['plan', dir], { env: { CI: 'true' } });
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(cli.stdout.includes('      ~ BillingMode: PROVISIONED → PAY_PER_REQUEST\n'), cli.stdout);
    assert.ok(cli.stdout.includes('      ~ Tags[0].Value: red → blue\n'));
    assert.ok(cli.stdout.includes('      - ProvisionedThroughput: {"ReadCapacityUnits":5,"WriteCapacityUnits":5}\n'));
    assert.ok(!cli.stdout.includes(SECRET) && !cli.stderr.includes(SECRET));
  });
});

describe('plan: property differences in a nested stack', () => {
  it('compares the nested stack\'s deployed template with its new one, the parent\'s parameters passed down', async () => {
    const child = (size: number) => `Parameters:\n  Stage: { Type: String }\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub jobs-\${Stage}\n      MaximumMessageSize: ${size}\n`;
    const dir = writeProject({
      'stackpilot.yaml': 'project: nest\nstacks:\n  app: { template: parent.yaml }\nenvironments:\n  dev: {}\n',
      'parent.yaml': 'Resources:\n  Work:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://templates.s3.amazonaws.com/child.yaml\n      Parameters: { Stage: dev }\n',
      'child.yaml': child(1024),
    });
    assert.equal((await deploy(dir)).ok, true);
    writeFileSync(join(dir, 'child.yaml'), child(2048));
    const report = await planProject(dir, { target: 'local' }, () => {});
    const jobs = report.stacks[0].changes.find((c) => c.logicalId === 'Jobs');
    // Changed in place, the named queue keeps its name: no replacement, so nothing to fail.
    assert.deepEqual([jobs?.nestedPath, jobs?.properties, jobs?.willFail], [['Work'], [{ path: 'MaximumMessageSize', before: '1024', after: '2048' }], undefined]);
    // The nested stack's own row lists no differences (its resources' rows do): its deployed
    // TemplateURL is the uploaded copy's, never the one in the project's template.
    const work = report.stacks[0].changes.find((c) => c.logicalId === 'Work');
    assert.deepEqual([work?.causes, work?.properties], [['TemplateURL'], undefined]);
  });
});

describe('plan --format json', () => {
  it('prints one document in the documented shape: stacks, changes with their properties, parameters with provenance', async () => {
    const dir = writeProject({ 'stackpilot.yaml': `${MANIFEST}validate:\n  ignore: [SP3101, SP2002]\n`, 'data.yaml': template({ mode: 'PROVISIONED', visibility: 30, tag: 'red', value: 'plain' }) });
    assert.equal((await deploy(dir)).ok, true);
    writeFileSync(join(dir, 'data.yaml'), template({ mode: 'PROVISIONED', visibility: 45, tag: 'red', value: 'plain' }));
    const cli = runCli(['plan', dir, '--format', 'json']);
    assert.equal(cli.code, 0, cli.stderr);
    const plan = JSON.parse(cli.stdout) as Record<string, unknown> & { stacks: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(plan), ['version', 'region', 'regions', 'validation', 'order', 'artifacts', 'stacks', 'interrupted']);
    assert.equal(plan.version, 1);
    const validation = plan.validation as { summary: { suppressed: number }; diagnostics: unknown[] };
    assert.deepEqual([validation.summary.suppressed, validation.diagnostics], [4, []], 'the manifest suppresses two tables\' SP3101 and two parameters\' SP2002');
    assert.deepEqual(plan.order, [['data']]);
    const [stack] = plan.stacks;
    assert.deepEqual([stack.id, stack.stackName, stack.action], ['data', 'shop-dev-data', 'update']);
    assert.deepEqual(stack.changes, [
      { action: 'Modify', logicalId: 'Jobs', nestedPath: [], resourceType: 'AWS::SQS::Queue', replacement: 'False', causes: ['VisibilityTimeout'], dataAtRisk: false, properties: [{ path: 'VisibilityTimeout', before: '30', after: '45' }] },
    ]);
    const parameters = stack.parameters as { key: string; value: string; secret: boolean; source: string }[];
    assert.deepEqual(parameters.map((p) => [p.key, p.value, p.secret, p.source]), [
      ['Mode', 'PAY_PER_REQUEST', false, `${join(dir, 'stackpilot.yaml')}:6:19`],
      ['Token', '****', true, `${join(dir, 'stackpilot.yaml')}:6:42`],
    ]);
    assert.equal(runCli(['plan', dir, '--json']).stdout, cli.stdout, '--json is the same document');
  });
});

describe('plan and deploy: replacing a custom-named resource', () => {
  const named = (key: string, name = 'orders') => `Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: ${name}\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n`;
  const REASON = 'CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename orders and update the stack again.';

  it('plan shows it will fail with AWS\'s reason, deploy refuses it before executing, and a rename lets it through', async () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': named('id') });
    assert.equal((await deploy(dir)).ok, true);
    writeFileSync(join(dir, 'data.yaml'), named('order_id'));

    const report = await planProject(dir, { target: 'local' }, () => {});
    assert.equal(report.stacks[0].changes[0].willFail, REASON);
    const cli = runCli(['plan', dir], { env: { CI: 'true' } });
    assert.equal(cli.code, 1, 'a change that would fail fails the plan');
    assert.match(cli.stdout, /~ Orders AWS::DynamoDB::Table {2}✖ will fail/);
    assert.ok(cli.stdout.includes(REASON));

    const events: DeployEvent[] = [];
    assert.equal((await deploy(dir, events)).ok, false);
    const done = events.find((e) => e.code === 'stack-done');
    assert.ok(done?.code === 'stack-done');
    assert.deepEqual([done.outcome, done.reason, done.status], ['failed', `Orders: ${REASON}`, 'CREATE_COMPLETE']);
    assert.ok(!events.some((e) => e.code === 'resource' && e.status.startsWith('UPDATE')), 'nothing was executed');

    writeFileSync(join(dir, 'data.yaml'), named('order_id', 'orders-v2'));
    const renamed = await planProject(dir, { target: 'local' }, () => {});
    assert.deepEqual(renamed.stacks[0].changes.map((c) => [c.replacement, c.willFail]), [['True', undefined]]);
  });
});

describe('plan leaves nothing behind', () => {
  it('creates no stack and no change set, and writes only the nested templates to the artifacts bucket', async () => {
    const child = (topic: string) => `Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: ${topic} }\n`;
    const dir = writeProject({
      'stackpilot.yaml': 'project: nest\nstacks:\n  app: { template: parent.yaml }\n  other: { template: other.yaml }\nenvironments:\n  dev: {}\n',
      'parent.yaml': 'Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://templates.s3.amazonaws.com/child.yaml\n',
      'child.yaml': child('one'),
      'other.yaml': child('x'),
    });
    // One stack deployed (its plan is an update), one new (its plan is a create).
    writeFileSync(join(dir, 'stackpilot.yaml'), 'project: nest\nstacks:\n  app: { template: parent.yaml }\nenvironments:\n  dev: {}\n');
    assert.equal((await deploy(dir)).ok, true);
    writeFileSync(join(dir, 'stackpilot.yaml'), 'project: nest\nstacks:\n  app: { template: parent.yaml }\n  other: { template: other.yaml }\nenvironments:\n  dev: {}\n');
    writeFileSync(join(dir, 'child.yaml'), child('two'));
    const before = await withProjectState(dir, async ({ s3 }) => {
      const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name!) ?? [];
      return { buckets, objects: (await s3.send(new ListObjectsV2Command({ Bucket: buckets[0] }))).KeyCount };
    });

    const report = await planProject(dir, { target: 'local' }, () => {});
    assert.deepEqual(report.stacks.map((s) => [s.id, s.action]), [['app', 'update'], ['other', 'create']]);
    assert.deepEqual(report.artifacts?.map((a) => [a.uploaded, a.unchanged]), [[1, 0]], 'the changed child template, uploaded');

    await withProjectState(dir, async ({ cloudformation, s3 }) => {
      const stacks = ((await cloudformation.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE');
      assert.deepEqual(stacks.filter((s) => !s.ParentId).map((s) => `${s.StackName} ${s.StackStatus}`), ['nest-dev-app CREATE_COMPLETE']);
      for (const stack of stacks) assert.deepEqual((await cloudformation.send(new ListChangeSetsCommand({ StackName: stack.StackId }))).Summaries ?? [], [], `no change set left on ${stack.StackName}`);
      assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name!), before.buckets, 'no bucket but the artifacts one');
      assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: before.buckets[0] }))).KeyCount, before.objects! + 1);
    });
  });
});
