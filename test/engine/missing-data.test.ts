import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

const template = JSON.stringify({
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'invoices' } },
  },
});

async function drift(dataDir: string) {
  const local = await LocalAws.open({ dataDir });
  const cfn = new CloudFormationClient(local.clientConfig());
  try {
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'shop' }))).Stacks!;
    const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: 'shop' }))).StackResourceSummaries!;
    return { stack: stack.DriftInformation?.StackDriftStatus, resources: Object.fromEntries(resources.map((r) => [r.LogicalResourceId!, r.DriftInformation?.StackResourceDriftStatus])) };
  } finally {
    await local.close();
  }
}

describe('data gone from the local data planes', () => {
  it('shows as drift DELETED on the resources whose data is gone, until it is back', async () => {
    const dataDir = join(temporaryFolder('missing'), '.stackpilot', 'local');
    const local = await LocalAws.open({ dataDir });
    await new CloudFormationClient(local.clientConfig()).send(new CreateStackCommand({ StackName: 'shop', TemplateBody: template }));
    await local.settled();
    await local.close();
    assert.deepEqual(await drift(dataDir), { stack: 'NOT_CHECKED', resources: { Table: 'NOT_CHECKED', Bucket: 'NOT_CHECKED' } });

    rmSync(join(dataDir, 'dynamodb'), { recursive: true });
    rmSync(join(dataDir, 's3', 'invoices'), { recursive: true });
    assert.deepEqual(await drift(dataDir), { stack: 'DRIFTED', resources: { Table: 'DELETED', Bucket: 'DELETED' } });

    // The bucket comes back (made by hand): only the table is still missing.
    const again = await LocalAws.open({ dataDir });
    await again.clients.s3.send(new CreateBucketCommand({ Bucket: 'invoices' }));
    await again.close();
    assert.deepEqual(await drift(dataDir), { stack: 'DRIFTED', resources: { Table: 'DELETED', Bucket: 'NOT_CHECKED' } });
  });
});
