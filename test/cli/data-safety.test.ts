import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, runCliAsync, writeProject } from '../helpers.ts';
import { openFailingEndpoint } from './failing-endpoint.ts';

const jobsTable = (key: string) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Jobs:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]\n      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]\n`;
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('stackpilot deploy --backup', () => {
  it('stops a stack whose backup fails before anything changes, says why and what to do; run again, it backs up and deploys', async () => {
    const endpoint = await openFailingEndpoint();
    const config = { endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const cfn = new CloudFormationClient(config);
    const dynamodb = new DynamoDBClient(config);
    try {
      const dir = writeProject({ 'stackpilot.yaml': 'project: jobs\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': jobsTable('id') });
      const deploy = (...flags: string[]) => runCliAsync(['deploy', dir, '--target', 'aws', '--yes', ...flags], { env: endpoint.env });
      assert.equal((await deploy()).code, 0);
      const table = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'jobs-dev-data', LogicalResourceId: 'Jobs' }))).StackResourceDetail!.PhysicalResourceId!;
      for (const id of ['a', 'b', 'c']) await dynamodb.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }));
      writeFileSync(join(dir, 'data.yaml'), jobsTable('job_id'));

      // The artifacts bucket, where the catalog entry goes, refuses writes.
      endpoint.fail({ call: 'PutObject', code: 'AccessDenied', message: 'not authorized to perform s3:PutObject', status: 403 });
      const failed = await deploy('--json');
      assert.equal(failed.code, 1, failed.stderr);
      const events = jsonLines(failed.stdout);
      assert.deepEqual(events.filter((e) => ['backup-start', 'backup-done', 'stack-start'].includes(e.code as string)).map((e) => e.code), ['backup-start']);
      const done = events.find((e) => e.code === 'stack-done')!;
      assert.equal(done.outcome, 'failed');
      assert.equal(done.reason, `the backup of Jobs (DynamoDB table ${table}) failed, so nothing was changed: S3 PutObject failed: AccessDenied: not authorized to perform s3:PutObject`);
      assert.match(String(done.hint), /Deploy again to retry the backup, or pass --backup never to go ahead without it and accept the loss of its data\.$/);
      const kept = (await dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table!;
      assert.deepEqual([kept.KeySchema![0].AttributeName, (await dynamodb.send(new ScanCommand({ TableName: table }))).Count], ['id', 3], 'the table is as it was');

      endpoint.fail(undefined);
      const retried = await deploy();
      assert.equal(retried.code, 0, retried.stderr);
      assert.match(retried.stdout, new RegExp(`jobs-dev-data {2}backing up Jobs \\(DynamoDB table ${table}\\)\\n`));
      assert.match(retried.stdout, /jobs-dev-data {2}✔ backed up Jobs: 3 items \(backup \S+\)\n/);
    } finally {
      cfn.destroy();
      dynamodb.destroy();
      await endpoint.close();
    }
  });

  it('refuses an --allow-replace that is not a logical id, and a --backup mode it does not know (exit 3)', () => {
    const badName = runCli(['deploy', '.', '--allow-replace', 'Storage/JobsTable']);
    assert.equal(badName.code, 3);
    assert.match(badName.stderr, /--allow-replace.*a logical id \(letters and digits\), or Child\.Logical for a nested stack's resource/);
    const badMode = runCli(['deploy', '.', '--backup', 'sometimes']);
    assert.equal(badMode.code, 3);
    assert.match(badMode.stderr, /Allowed choices are auto, always, never/);
  });
});
