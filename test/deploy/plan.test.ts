import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { planProject } from '../../src/deploy/plan.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { copyExample, runCli, writeProject } from '../helpers.ts';

async function stacksIn(dir: string) {
  const local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
  const cfn = new CloudFormationClient(local.clientConfig());
  try {
    return ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => `${s.StackName} ${s.StackStatus}`);
  } finally {
    cfn.destroy();
    await local.close();
  }
}

describe('stackpilot plan', () => {
  it('previews every stack of a new project in deploy order, and leaves no stack behind', async () => {
    const dir = copyExample('concert-platform');
    const report = await planProject(dir, { env: 'development', target: 'local' }, () => {});
    assert.deepEqual(report.layers, [['networking'], ['storage'], ['compute'], ['chatbot', 'monitoring', 'tracing']]);
    assert.deepEqual(report.stacks.map((s) => s.action), ['create', 'create', 'create', 'create', 'create', 'create']);
    assert.ok(report.stacks[0].changes.some((c) => c.action === 'Add' && c.resourceType === 'AWS::EC2::VPC'));
    assert.deepEqual(await stacksIn(dir), []);
  });

  it('shows a replacement that deletes a table\'s data, and executes nothing', async () => {
    const table = (key: string) => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Jobs:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n  Events:\n    Type: AWS::SNS::Topic\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: jobs\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': table('id') });
    assert.equal((await deployProject(dir, { target: 'local', concurrency: 1, yes: false }, () => {})).ok, true);
    const unchanged = await planProject(dir, { target: 'local' }, () => {});
    assert.deepEqual(unchanged.stacks.map((s) => s.action), ['no-changes']);

    writeFileSync(join(dir, 'data.yaml'), table('job_id'));
    const report = await planProject(dir, { target: 'local' }, () => {});
    assert.equal(report.stacks[0].action, 'update');
    assert.deepEqual(
      report.stacks[0].changes.map((c) => [c.action, c.logicalId, c.replacement, c.causes.join(','), c.dataAtRisk]),
      [['Modify', 'Jobs', 'True', 'KeySchema', true]],
    );
    assert.deepEqual(await stacksIn(dir), ['jobs-dev-data CREATE_COMPLETE'], 'nothing was executed');

    const cli = runCli(['plan', dir], { env: { CI: 'true' } });
    assert.equal(cli.code, 0);
    assert.match(cli.stdout, /^ {2}Modify +Jobs +AWS::DynamoDB::Table +True +KeySchema +⚠ data at risk$/m);
  });

  // A replacement deletes the old resource by its UpdateReplacePolicy, a removal by its DeletionPolicy
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html):
  // with the two policies different, each verdict must follow its own.
  it('judges a replacement by UpdateReplacePolicy and a removal by DeletionPolicy', async () => {
    const table = (id: string, key: string, deletion: string, replace: string) =>
      `  ${id}:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: ${deletion}\n    UpdateReplacePolicy: ${replace}\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n`;
    const replaced = (key: string) => table('KeptOnReplace', key, 'Delete', 'Retain') + table('LostOnReplace', key, 'Retain', 'Delete');
    const removed = table('KeptOnRemove', 'id', 'Retain', 'Delete') + table('LostOnRemove', 'id', 'Delete', 'Retain');
    const dir = writeProject({
      'stackpilot.yaml': 'project: jobs\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n',
      'data.yaml': `Resources:\n${replaced('id')}${removed}`,
    });
    assert.equal((await deployProject(dir, { target: 'local', concurrency: 1, yes: false }, () => {})).ok, true);
    writeFileSync(join(dir, 'data.yaml'), `Resources:\n${replaced('job_id')}`);
    const report = await planProject(dir, { target: 'local' }, () => {});
    const verdicts = Object.fromEntries(report.stacks[0].changes.map((c) => [c.logicalId, `${c.action}${c.replacement ? ` (replace: ${c.replacement})` : ''} ${c.dataAtRisk ? 'at risk' : 'kept'}`]));
    assert.deepEqual(verdicts, {
      KeptOnReplace: 'Modify (replace: True) kept',
      LostOnReplace: 'Modify (replace: True) at risk',
      KeptOnRemove: 'Remove kept',
      LostOnRemove: 'Remove at risk',
    });
  });
});

describe('stackpilot plan and deploy: an import of an export that does not exist', () => {
  // The import's name is only known in AWS (the account id): validation can't rule it out, the change set can.
  const project = () =>
    writeProject({
      'stackpilot.yaml': 'project: imports\nstacks:\n  net: { template: net.yaml }\n  api: { template: api.yaml }\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n',
      'net.yaml': 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export: { Name: imports-net-VpcId }\n',
      'api.yaml': 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: api, VpcId: !ImportValue imports-net-VpcId }\n  Alarm:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: !Ref Sg }\n',
      'app.yaml': 'Resources:\n  Plain:\n    Type: AWS::SNS::Topic\n  Shared:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: !ImportValue { "Fn::Sub": "${AWS::AccountId}-VpcId" } }\n',
    });

  it('plan reports the missing export as the stack\'s error, and previews every resource of an import a project stack will export', async () => {
    const dir = project();
    const report = await planProject(dir, { target: 'local' }, () => {});
    const byId = new Map(report.stacks.map((s) => [s.id, s]));
    assert.equal(byId.get('app')!.action, 'failed');
    assert.match(byId.get('app')!.note!, /^No export named \d{12}-VpcId found \(imported by Shared\)$/);
    assert.equal(byId.get('api')!.action, 'create', 'net exports what api imports once deployed');
    assert.deepEqual(byId.get('api')!.changes.map((c) => c.logicalId).sort(), ['Alarm', 'Sg'], 'the importing resource and its dependents are listed');
    assert.deepEqual(await stacksIn(dir), []);

    const cli = runCli(['plan', dir]);
    assert.equal(cli.code, 1, cli.stdout + cli.stderr);
    assert.match(cli.stdout + cli.stderr, /No export named \d{12}-VpcId found \(imported by Shared\)/);
  });

  it('deploy reports the reason and leaves the importing stack uncreated', async () => {
    const dir = project();
    const events: DeployEvent[] = [];
    const report = await deployProject(dir, { target: 'local', concurrency: 2, yes: false }, (e) => events.push(e));
    assert.equal(report.ok, false);
    const app = events.find((e) => e.code === 'stack-done' && e.stack === 'app');
    assert.ok(app?.code === 'stack-done' && app.outcome === 'failed');
    assert.match(app.reason!, /^No export named \d{12}-VpcId found \(imported by Shared\)$/);
    assert.deepEqual((await stacksIn(dir)).sort(), ['imports-dev-api CREATE_COMPLETE', 'imports-dev-net CREATE_COMPLETE']);
  });
});
