import assert from 'node:assert/strict';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

const ROLE = 'arn:aws:iam::123456789012:role/deployer';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:stack-events';
const QUEUE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n";

function project() {
  return writeProject({
    'stackpilot.yaml': 'project: ledger\ntags:\n  team: core\nstacks:\n  queue:\n    template: queue.yaml\n    name: ledger-queue\nenvironments:\n  dev: { region: us-east-1 }\n',
    'queue.yaml': QUEUE,
  });
}

const describeLedger = (dir: string) => withProjectState(dir, async ({ cloudformation }) => (await cloudformation.send(new DescribeStacksCommand({ StackName: 'ledger-queue' }))).Stacks![0]);

describe('stack settings from the command line: --tag, --role-arn, --notification-arn, --termination-protection', () => {
  it('reach the stack (DescribeStacks shows them), and termination protection blocks delete with AWS\'s error until turned off', async () => {
    const dir = project();
    const settings = ['--tag', 'team=payments', '--tag', 'cost-centre=42', '--role-arn', ROLE, '--notification-arn', TOPIC_ARN];
    const deploy = runCli(['deploy', '--yes', ...settings, '--termination-protection'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
    const stack = await describeLedger(dir);
    assert.equal(stack.RoleARN, ROLE);
    assert.deepEqual(stack.NotificationARNs, [TOPIC_ARN]);
    assert.equal(stack.EnableTerminationProtection, true);
    const tags = new Map((stack.Tags ?? []).map((t) => [t.Key, t.Value]));
    assert.equal(tags.get('team'), 'payments', 'the command line wins over the manifest\'s tag');
    assert.equal(tags.get('cost-centre'), '42');
    assert.equal(tags.get('stackpilot:project'), 'ledger');

    const refused = runCli(['delete', '--yes'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(refused.code, 1, refused.stderr + refused.stdout);
    assert.match(refused.stdout + refused.stderr, /Stack \[ledger-queue\] cannot be deleted while TerminationProtection is enabled/);

    // The plan shows the change a deploy would make outside its change set, and that nothing else changes.
    const plan = runCli(['plan', ...settings, '--no-termination-protection', '--format', 'json'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(plan.code, 0, plan.stderr + plan.stdout);
    const [planned] = (JSON.parse(plan.stdout) as { stacks: { action: string; settingChanges?: unknown }[] }).stacks;
    assert.equal(planned.action, 'no-changes', 'the same settings: the template has no changes');
    assert.deepEqual(planned.settingChanges, [{ setting: 'terminationProtection', before: true, after: false }]);
    const planText = runCli(['plan', ...settings, '--no-termination-protection'], { cwd: dir, env: { CI: 'true' } });
    assert.match(planText.stdout, /ledger-queue {2}no changes\n {2}Termination protection on → off/);
    const kept = runCli(['plan', ...settings, '--termination-protection', '--format', 'json'], { cwd: dir, env: { CI: 'true' } });
    assert.equal((JSON.parse(kept.stdout) as { stacks: { settingChanges?: unknown }[] }).stacks[0].settingChanges, undefined, 'protection already on: no change to show');

    // Nothing else changes: no change set runs, and the protection still goes.
    const off = runCli(['deploy', '--yes', '--no-termination-protection'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(off.code, 0, off.stderr + off.stdout);
    const after = await describeLedger(dir);
    assert.equal(after.EnableTerminationProtection, false);
    assert.equal(after.RoleARN, ROLE, 'a change without --role-arn keeps the stack\'s role, as on AWS');
    const deleted = runCli(['delete', '--yes'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(deleted.code, 0, deleted.stderr + deleted.stdout);
  });

  it('refuses malformed values before anything is touched (exit 3)', () => {
    const dir = project();
    for (const [flags, message] of [
      [['--tag', 'aws:owner=me'], /--tag aws:owner: expected KEY=VALUE/],
      [['--role-arn', 'deployer'], /--role-arn deployer: not an IAM role ARN/],
      [['--notification-arn', 'arn:aws:sqs:us-east-1:123456789012:q'], /not an SNS topic ARN/],
      [['--capabilities', 'CAPABILITY_ROOT'], /CAPABILITY_ROOT is not a capability/],
    ] as const) {
      const run = runCli(['deploy', '--yes', ...flags], { cwd: dir });
      assert.equal(run.code, 3, `${flags.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    assert.equal(existsSync(join(dir, '.stackpilot')), false, 'no local state was made');
  });
});
