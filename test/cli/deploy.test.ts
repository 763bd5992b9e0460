import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, savedOutputs, writeProject } from '../helpers.ts';

const project = () =>
  writeProject({
    'stackpilot.yaml': 'project: shop\nregion: eu-west-1\nstacks:\n  queue: { template: queue.yaml }\n  app: { template: app.yaml, parameters: { QueueArn: "${stacks.queue.outputs.QueueArn}" } }\nenvironments:\n  dev: {}\n',
    'queue.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Orders:\n    Type: AWS::SQS::Queue\nOutputs:\n  QueueArn:\n    Value: !GetAtt Orders.Arn\n",
    'app.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  QueueArn: { Type: String }\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: !Ref QueueArn }\nOutputs:\n  TopicArn:\n    Value: !Ref Alerts\n",
  });

describe('stackpilot deploy', () => {
  it('deploys to the local engine with plain progress lines in CI, writes outputs, and reports no changes the second time, without reprinting outputs unless --show-outputs', () => {
    const dir = project();
    const first = runCli(['deploy', dir], { env: { CI: 'true' } });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^\[\d\d:\d\d:\d\d\] shop-dev-queue {2}CREATE_COMPLETE {2}AWS::SQS::Queue {2}Orders$/m);
    assert.match(first.stdout, /✔ shop-dev-app {2}CREATE_COMPLETE/);
    assert.doesNotMatch(first.stdout, /\x1b\[/, 'no colour or cursor movement in CI');
    const outputs = savedOutputs(dir, 'dev', 'eu-west-1');
    assert.match(outputs.queue.QueueArn, /^arn:aws:sqs:eu-west-1:123456789012:/);
    assert.match(outputs.app.TopicArn, /^arn:aws:sns:eu-west-1:/);
    assert.match(first.stdout, /shop-dev-queue {2}QueueArn = arn:aws:sqs:/, 'the outputs of the stacks it created');
    const second = runCli(['deploy', dir], { env: { CI: 'true' } });
    assert.equal(second.code, 0);
    assert.match(second.stdout, /✔ shop-dev-queue {2}no changes/);
    assert.doesNotMatch(second.stdout, /QueueArn =|TopicArn =/, 'nothing changed: no outputs reprinted');
    const shown = runCli(['deploy', dir, '--show-outputs'], { env: { CI: 'true' } });
    assert.match(shown.stdout, /shop-dev-queue {2}QueueArn = arn:aws:sqs:/, '--show-outputs prints them all');
  });

  it('keeps a timestamped log with --log-file', () => {
    const dir = project();
    const log = join(dir, 'deploy.log');
    assert.equal(runCli(['deploy', dir, '--log-file', log], { env: { CI: 'true' } }).code, 0);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(lines.every((line) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(line)));
    assert.ok(lines.some((line) => line.endsWith('✔ shop-dev-app  CREATE_COMPLETE') || /✔ shop-dev-app {2}CREATE_COMPLETE/.test(line)));
    assert.ok(!lines.some((line) => line.includes('\x1b[')), 'never in colour');
  });

  it('prints JSON lines with --json', () => {
    const r = runCli(['deploy', project(), '--json']);
    assert.equal(r.code, 0);
    const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.ok(events.every((e) => typeof e.time === 'string' && typeof e.code === 'string'));
    assert.deepEqual(events.filter((e) => e.code === 'stack-done').map((e) => [e.stack, e.outcome]), [['queue', 'succeeded'], ['app', 'succeeded']]);
  });

  it('exits 2 and touches nothing when validation finds errors', () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: p\nstacks:\n  a: { template: a.yaml }\nenvironments:\n  dev: {}\n', 'a.yaml': "Resources:\n  T:\n    Type: AWS::SNS::Topik\n" });
    const r = runCli(['deploy', dir], { env: { CI: 'true' } });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /SP3001 {2}Unknown resource type AWS::SNS::Topik/);
    assert.match(r.stdout, /Nothing was deployed/);
  });

  it('asks for --env when the manifest has several environments', () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: p\nstacks:\n  a: { template: a.yaml }\nenvironments:\n  dev: {}\n  prod: {}\n', 'a.yaml': "Resources:\n  T:\n    Type: AWS::SNS::Topic\n" });
    const r = runCli(['deploy', dir]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /choose one with --env\n {2}Environments: dev, prod\./);
  });
});
