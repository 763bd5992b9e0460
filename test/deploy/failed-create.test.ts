import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { writeProject } from '../helpers.ts';
import { inventory } from '../local-inventory.ts';

/** A stack whose fixed-name table and bucket its DeletionPolicy keeps, and a topic that can be made to fail. */
const project = () =>
  writeProject({
    'stackpilot.yaml': 'project: ledger\nstacks:\n  data: { template: data.yaml, name: ledger-data }\nenvironments:\n  dev: {}\n',
    'data.yaml': `Resources:
  Entries:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: ledger-entries
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
  Archive:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties: { BucketName: ledger-archive }
  Alerts:
    Type: AWS::SNS::Topic
    DependsOn: [Entries, Archive]
`,
  });

async function deploy(dir: string, options: Partial<DeployOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deployProject(dir, { target: 'local', concurrency: 4, yes: true, ...options }, (e) => events.push(e));
  return { report, events, done: events.find((e) => e.code === 'stack-done') };
}

const failingTopic = { engine: { faults: [{ type: 'AWS::SNS::Topic', operation: 'create' as const, reason: 'simulated: topic quota reached' }] } };

describe('deploying again after a failed create', () => {
  it('removes what the failed create kept by its DeletionPolicy (empty), so the new create does not stop on "already exists"', async () => {
    const dir = project();
    const failed = await deploy(dir, failingTopic);
    assert.equal(failed.report.ok, false);
    assert.equal(failed.done?.code === 'stack-done' && failed.done.status, 'ROLLBACK_COMPLETE');

    const asked: string[] = [];
    const again = await deploy(dir, { yes: false, ask: async (question) => (asked.push(question), true) });
    assert.equal(again.report.ok, true, JSON.stringify(again.done));
    assert.match(asked[0], /ledger-data is in ROLLBACK_COMPLETE after a failed create and can only be deleted; its rollback kept 2 resource\(s\) by their DeletionPolicy, whose names the new create needs: ledger-data\/(Entries|Archive) .*Delete them and it, and create it again\?/);
    assert.ok(again.events.some((e) => e.code === 'warning' && /removed what the failed create of ledger-data had kept: .*Entries/.test(e.message)));
  });

  it('never removes kept data: a kept table that holds items stops the deploy, named, with what to do', async () => {
    const dir = project();
    await deploy(dir, failingTopic);
    const local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
    await local.clients.dynamodb.send(new PutItemCommand({ TableName: 'ledger-entries', Item: { id: { S: 'precious' } } }));
    await local.close();

    const again = await deploy(dir);
    assert.equal(again.report.ok, false);
    assert.ok(again.done?.code === 'stack-done');
    assert.match(again.done.reason ?? '', /ledger-data\/Entries \(AWS::DynamoDB::Table ledger-entries\): it holds items/);
    assert.match(again.done.hint ?? '', /stackpilot never deletes data/);
    const after = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
    try {
      assert.deepEqual((await inventory(after)).tables, ['ledger-entries'], 'the table and its item are still there');
    } finally {
      await after.close();
    }
  });
});
