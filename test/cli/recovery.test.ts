import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject } from '../../src/deploy/deploy.ts';
import type { FaultRule } from '../../src/engine/api.ts';
import { runCli, writeProject } from '../helpers.ts';

const CI = { env: { CI: 'true' } };

/** Deploys in this process, where faults can be injected; the CLI then finds the stacks as they were left. */
async function deploy(dir: string, faults: FaultRule[] = []): Promise<void> {
  await deployProject(dir, { target: 'local', concurrency: 2, yes: true, engine: { faults } }, () => {});
}

describe('stackpilot rollback and cancel', () => {
  it('explains a failed create (ROLLBACK_COMPLETE, exit 1), says a healthy stack has nothing to roll back (exit 0), and refuses an unknown --stack (exit 3)', async () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nstacks:\n  queue: { template: queue.yaml }\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n',
      'queue.yaml': 'Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n',
      'app.yaml': 'Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n',
    });
    await deploy(dir, [{ stackName: 'shop-dev-app', operation: 'create', reason: 'simulated: topic quota' }]);

    const all = runCli(['rollback', dir], CI);
    assert.equal(all.code, 1, all.stderr);
    assert.match(all.stdout, /! shop-dev-app {2}needs action \(ROLLBACK_COMPLETE\); its create failed and was rolled back: CloudFormation can neither update nor roll back a stack whose create failed, only delete it and create it again\n/);
    assert.match(all.stdout, /\n\[\d\d:\d\d:\d\d\] {3}Fix the cause, then `stackpilot deploy \S+`: it deletes shop-dev-app \(once you confirm\) and creates it anew\./);
    assert.match(all.stdout, /✔ shop-dev-queue {2}no changes; nothing to roll back \(CREATE_COMPLETE\)/);

    assert.equal(runCli(['rollback', dir, '--stack', 'queue'], CI).code, 0);
    const unknown = runCli(['rollback', dir, '--stack', 'web'], CI);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /error: shop has no stack web\n {2}Stacks: queue \(shop-dev-queue\), app \(shop-dev-app\)\./);

    const cancel = runCli(['cancel', dir], CI);
    assert.equal(cancel.code, 0, 'nothing to cancel across the environment');
    assert.match(cancel.stdout, /shop-dev-queue {2}no changes; not being updated \(CREATE_COMPLETE\): nothing to cancel/);
    const named = runCli(['cancel', dir, '--stack', 'app'], CI);
    assert.equal(named.code, 1, 'the stack --stack named is not updating');
    assert.match(named.stdout, /! shop-dev-app {2}needs action \(ROLLBACK_COMPLETE\); not being updated \(ROLLBACK_COMPLETE\): nothing to cancel/);
  });

  it('lists what failed to roll back, refuses a --skip that names none of it (exit 3), wants --yes without a terminal (exit 1), and completes with it (exit 0)', async () => {
    const template = (version: number) => `Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: alerts-${version} }\n  Jobs:\n    Type: AWS::SQS::Queue\n    DependsOn: Alerts\n    Properties: { VisibilityTimeout: ${version * 30} }\n`;
    const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': template(1) });
    await deploy(dir);
    writeFileSync(join(dir, 'app.yaml'), template(2));
    await deploy(dir, [
      { logicalId: 'Jobs', operation: 'update', phase: 'forward' },
      { logicalId: 'Alerts', operation: 'update', phase: 'rollback', reason: 'simulated: topic locked' },
    ]);

    const wrong = runCli(['rollback', dir, '--skip', 'Jobs'], CI);
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /error: --skip Jobs: no resource of that name failed to roll back, so nothing was done\n {2}Resources that failed to roll back: Alerts\./);

    const unconfirmed = runCli(['rollback', dir, '--skip', 'Alerts'], CI);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stdout, /shop-dev-app {2}1 resource failed to roll back\n\[\d\d:\d\d:\d\d\] {3}Alerts {2}AWS::SNS::Topic {2}simulated: topic locked {2}--skip Alerts\n/);
    assert.match(unconfirmed.stdout, /needs action \(UPDATE_ROLLBACK_FAILED\); skipping resources needs confirmation.*\n\[\d\d:\d\d:\d\d\] {3}Run it on a terminal to be asked, or with --yes: `stackpilot rollback \S+ --stack app --yes --skip Alerts`/);

    const skipped = runCli(['rollback', dir, '--skip', 'Alerts', '--yes', '--json']);
    assert.equal(skipped.code, 0, skipped.stderr);
    const events = skipped.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(events.find((e) => e.code === 'rollback-failures').failures, [{ logicalId: 'Alerts', resourceType: 'AWS::SNS::Topic', reason: 'simulated: topic locked', nestedPath: [], skipName: 'Alerts' }]);
    assert.deepEqual(events.filter((e) => e.code === 'stack-done').map((e) => [e.outcome, e.status]), [['succeeded', 'UPDATE_ROLLBACK_COMPLETE']]);
  });
});
