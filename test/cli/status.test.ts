import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import { runCli, writeProject } from '../helpers.ts';

const app = (name: string) => `Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties: { DisplayName: ${name} }
  NotificationPreferencesAndDeliverySettings:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates.s3.amazonaws.com/settings.yaml
`;

const project = () =>
  writeProject({
    'stackpilot.yaml': 'project: shop\nstacks:\n  core: { template: core.yaml }\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n',
    'core.yaml': 'Resources:\n  Flag:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: "on" }\n',
    'app.yaml': app('first'),
    'settings.yaml': 'Resources:\n  Flag:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: "on" }\n',
  });

async function deploy(dir: string, options: Partial<DeployOptions> = {}) {
  return deployProject(dir, { target: 'local', concurrency: 2, yes: true, ...options }, () => {});
}

/** Where each table row's status starts: the same column on every row when they line up. */
const statusColumns = (stdout: string) =>
  stdout
    .split('\n')
    .map((line) => /(CREATE|UPDATE)_[A-Z_]*COMPLETE/.exec(line)?.index)
    .filter((at) => at !== undefined);

describe('stackpilot status', () => {
  it('lines up its columns with long nested names, and explains UPDATE_ROLLBACK_COMPLETE: usable, so exit 0', async () => {
    const dir = project();
    assert.equal((await deploy(dir)).ok, true);
    writeFileSync(join(dir, 'app.yaml'), app('second'));
    const failed = await deploy(dir, { engine: { faults: [{ type: 'AWS::SNS::Topic', operation: 'update', reason: 'simulated: throttled' }] } });
    assert.equal(failed.ok, false);

    const r = runCli(['status', dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^✔ shop-dev-core +CREATE_COMPLETE +\d{4}-/m);
    assert.match(r.stdout, /^! shop-dev-app +UPDATE_ROLLBACK_COMPLETE +\d{4}-/m);
    assert.match(r.stdout, /^ {4}the last update failed and was rolled back: the stack is usable, as it was before that update/m);
    assert.match(r.stdout, /^ {4}shop-dev-app-NotificationPreferencesAndDeliverySettings-\S+ +\S+COMPLETE$/m);
    const columns = statusColumns(r.stdout);
    assert.equal(columns.length, 3);
    assert.equal(new Set(columns).size, 1, `every status starts in one column:\n${r.stdout}`);
  });

  it('exits 1 and says what to do for a stack that is not deployed', () => {
    const r = runCli(['status', project()]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^✖ shop-dev-core +NOT_DEPLOYED\n {4}not deployed: stackpilot deploy creates it$/m);
  });
});
