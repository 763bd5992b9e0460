import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { deployProject } from '../../src/deploy/deploy.ts';
import { checkProjectDrift, hasDrift } from '../../src/deploy/drift.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { assertInOrder, copyExample, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

const data = `Parameters:
  Team: { Type: String, Default: billing }
Resources:
  Invoices:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: drift-shop-invoices
      VersioningConfiguration: { Status: Enabled }
      Tags: [{ Key: team, Value: !Ref Team }]
  Jobs:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: drift-shop-jobs
      BillingMode: PROVISIONED
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      Tags: [{ Key: team, Value: !Ref Team }]
  Mode:
    Type: AWS::SSM::Parameter
    Properties: { Name: /drift-shop/mode, Type: String, Value: live }
  Settings:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates.s3.amazonaws.com/settings.yaml
`;
const settings = `Resources:
  Flag:
    Type: AWS::SSM::Parameter
    Properties: { Name: /drift-shop/flag, Type: String, Value: 'on' }
`;

function shop(): string {
  return writeProject({
    'stackpilot.yaml': 'project: drift-shop\nstacks:\n  data: { template: data.yaml, name: drift-shop-data }\nenvironments:\n  dev: {}\n',
    'data.yaml': data,
    'settings.yaml': settings,
  });
}

async function deploy(dir: string): Promise<DeployEvent[]> {
  const events: DeployEvent[] = [];
  const report = await deployProject(dir, { target: 'local', concurrency: 2, yes: true }, (e) => events.push(e));
  assert.equal(report.ok, true);
  return events;
}

const driftLines = (drift: Awaited<ReturnType<typeof checkProjectDrift>>) =>
  drift.flatMap((p) => p.stacks.flatMap((s) => [`${[p.id, ...s.nestedPath].join('/')} ${s.status}`, ...s.resources.flatMap((r) => r.properties.map((d) => `  ${r.logicalId}${d.path}: ${d.expected} -> ${d.actual}`))]));

describe('drift of a deployed project', () => {
  it('finds the stacks in sync, then each out-of-band change, nested stacks included; deploy warns of those an update resets, and resets them', async () => {
    const dir = shop();
    await deploy(dir);
    const fresh = await checkProjectDrift(dir, { target: 'local' });
    assert.deepEqual(driftLines(fresh), ['data IN_SYNC', 'data/Settings IN_SYNC']);
    assert.equal(hasDrift(fresh), false);

    await withProjectState(dir, async ({ s3, dynamodb, ssm }) => {
      await s3.send(new PutBucketVersioningCommand({ Bucket: 'drift-shop-invoices', VersioningConfiguration: { Status: 'Suspended' } }));
      await dynamodb.send(new UpdateTableCommand({ TableName: 'drift-shop-jobs', BillingMode: 'PAY_PER_REQUEST' }));
      await ssm.send(new PutParameterCommand({ Name: '/drift-shop/mode', Value: 'maintenance', Overwrite: true }));
      await ssm.send(new PutParameterCommand({ Name: '/drift-shop/flag', Value: 'off', Overwrite: true }));
    });
    const drifted = await checkProjectDrift(dir, { target: 'local' });
    assert.deepEqual(driftLines(drifted), [
      'data DRIFTED',
      '  Invoices/VersioningConfiguration/Status: Enabled -> Suspended',
      '  Jobs/BillingMode: PROVISIONED -> PAY_PER_REQUEST',
      '  Mode/Value: live -> maintenance',
      'data/Settings DRIFTED',
      '  Flag/Value: on -> off',
    ]);
    assert.equal(hasDrift(drifted), true);
    // The results stay with the stack: the next process that opens the state shows them.
    const shown = await withProjectState(dir, async ({ cloudformation }) => (await cloudformation.send(new ListStackResourcesCommand({ StackName: 'drift-shop-data' }))).StackResourceSummaries!);
    assert.deepEqual(shown.map((r) => `${r.LogicalResourceId} ${r.DriftInformation?.StackResourceDriftStatus}`).sort(), ['Invoices MODIFIED', 'Jobs MODIFIED', 'Mode MODIFIED', 'Settings NOT_CHECKED']);

    // An update that touches the bucket and the table (their tags), not the parameters.
    writeFileSync(join(dir, 'data.yaml'), readFileSync(join(dir, 'data.yaml'), 'utf8').replace('Default: billing', 'Default: payments'));
    const events = await deploy(dir);
    const warnings = events.filter((e) => e.code === 'drift-warning');
    assert.equal(warnings.length, 1);
    assert.deepEqual(
      warnings.flatMap((w) => w.resources.map((r) => `${r.logicalId}: ${r.properties.map((p) => `${p.path} ${p.expected} -> ${p.actual}`).join(', ')}`)),
      ['Invoices: /VersioningConfiguration/Status Enabled -> Suspended', 'Jobs: /BillingMode PROVISIONED -> PAY_PER_REQUEST'],
    );
    const order = events.map((e) => e.code);
    // The warning comes after the preview, before the update starts.
    assertInOrder(order, 'change-preview', 'drift-warning', 'stack-start');

    // The update reset what it touched; the parameters it left alone keep their drift.
    assert.deepEqual(driftLines(await checkProjectDrift(dir, { target: 'local' })), ['data DRIFTED', '  Mode/Value: live -> maintenance', 'data/Settings DRIFTED', '  Flag/Value: on -> off']);
  });

  it('finds a freshly deployed Plot Palette in sync, its nine nested stacks included: the engine applies every property it compares', async () => {
    const dir = copyExample('plot-palette');
    const report = await deployProject(dir, { target: 'local', env: 'development', concurrency: 4, yes: true }, () => {});
    assert.equal(report.ok, true);
    const drift = await checkProjectDrift(dir, { target: 'local', env: 'development' });
    assert.equal(drift[0].stacks.length, 10);
    assert.deepEqual(drift[0].stacks.filter((s) => s.status !== 'IN_SYNC'), []);
  });

  it('refuses a --stack the project does not have', async () => {
    await assert.rejects(checkProjectDrift(shop(), { target: 'local', stack: 'nope' }), /drift-shop has no stack nope/);
  });
});
