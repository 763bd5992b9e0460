import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, writeProject } from '../helpers.ts';

describe('data gone from the local data planes', () => {
  it('is never shown as healthy: status names what is gone and the way out, deploy stops rather than call it "no changes"', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nstacks:\n  data: { template: data.yaml, name: shop-data }\nenvironments:\n  dev: {}\n',
      'data.yaml': 'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: shop-orders\n      BillingMode: PAY_PER_REQUEST\n      KeySchema: [{ AttributeName: id, KeyType: HASH }]\n      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]\n',
    });
    assert.equal(runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } }).code, 0);
    assert.equal(runCli(['status', dir]).code, 0);

    rmSync(join(dir, '.stackpilot', 'local', 'dynamodb'), { recursive: true });
    const status = runCli(['status', dir]);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /^✖ shop-data +CREATE_COMPLETE/m);
    assert.match(status.stdout, /✖ data gone: shop-data\/Orders \(AWS::DynamoDB::Table shop-orders\)/);
    assert.match(status.stderr, /stackpilot local reset/);

    const deploy = runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } });
    assert.equal(deploy.code, 1);
    assert.match(deploy.stdout, /the data of shop-data\/Orders \(AWS::DynamoDB::Table shop-orders\) is gone from the local data planes/);
    assert.doesNotMatch(deploy.stdout, /no changes/);
  });
});
