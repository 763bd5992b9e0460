import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { holdLocalState, killHard, runCli, savedOutputs, savedOutputsPath, writeProject } from '../helpers.ts';

/** Two environments of one project, whose outputs differ by environment. */
function twoEnvironments() {
  return writeProject({
    'stackpilot.yaml': 'project: atlas\nregion: eu-west-1\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: { parameters: { Stage: dev } }\n  staging: { parameters: { Stage: staging } }\n',
    'app.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Stage: { Type: String }\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: !Sub 'atlas-${Stage}' }\nOutputs:\n  TopicName:\n    Value: !GetAtt Topic.TopicName\n",
  });
}

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', '--yes', ...args], { cwd: dir, env: { CI: 'true' } });

describe('outputs files per environment and region', () => {
  it('deploying staging leaves dev\'s outputs as they were; each file says its environment, region, account, target and time', () => {
    const dir = twoEnvironments();
    assert.equal(deploy(dir, '--env', 'dev').code, 0);
    const staging = deploy(dir, '--env', 'staging');
    assert.equal(staging.code, 0, staging.stderr);
    assert.match(staging.stdout, /^outputs written to \.stackpilot\/outputs\/local\/staging\/eu-west-1\.json$/m);
    for (const env of ['dev', 'staging']) {
      const { writtenAt, ...rest } = savedOutputs(dir, env, 'eu-west-1') as Record<string, unknown>;
      assert.ok(!Number.isNaN(Date.parse(String(writtenAt))), `${env}: writtenAt is a time`);
      assert.deepEqual(rest, { environment: env, region: 'eu-west-1', account: '123456789012', target: 'local', app: { TopicName: `atlas-${env}` } });
    }
  });

  it('outputs --saved reads them back offline, while another process holds the local engine', async () => {
    const dir = twoEnvironments();
    assert.equal(deploy(dir, '--env', 'dev').code, 0);
    const holder = await holdLocalState(join(dir, '.stackpilot', 'local'));
    try {
      const live = runCli(['outputs', '--env', 'dev'], { cwd: dir });
      assert.equal(live.code, 3, 'the live stacks cannot be read while the state is held');
      const table = runCli(['outputs', '--env', 'dev', '--saved'], { cwd: dir });
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^atlas-dev-app {2}TopicName {2}atlas-dev$/m);
      const json = runCli(['outputs', '--env', 'dev', '--saved', '--format', 'json'], { cwd: dir });
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), savedOutputs(dir, 'dev', 'eu-west-1'), 'the saved document as deploy wrote it');
      const never = runCli(['outputs', '--env', 'staging', '--saved'], { cwd: dir });
      assert.equal(never.code, 1);
      assert.match(never.stderr, /atlas-staging-app: no saved outputs in .*staging\/eu-west-1\.json \(deploy it, or leave out --saved/);
    } finally {
      await killHard(holder);
    }
  });

  it('leaves an outputs.json an earlier version wrote as it was, and says where outputs go now; --outputs-file still writes one file', () => {
    const dir = twoEnvironments();
    writeFileSync(join(dir, 'outputs.json'), '{"app": {"TopicName": "from-before"}}\n');
    const run = deploy(dir, '--env', 'dev');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /warning: outputs are now kept per environment and region .*outputs\.json, written by an earlier stackpilot, is left as it was/);
    assert.equal(readFileSync(join(dir, 'outputs.json'), 'utf8'), '{"app": {"TopicName": "from-before"}}\n');

    const named = deploy(dir, '--env', 'staging', '--outputs-file', 'staging-outputs.json');
    assert.equal(named.code, 0, named.stderr);
    assert.equal((JSON.parse(readFileSync(join(dir, 'staging-outputs.json'), 'utf8')) as { app: { TopicName: string } }).app.TopicName, 'atlas-staging');
    assert.equal(existsSync(savedOutputsPath(dir, 'staging', 'eu-west-1')), false, 'with --outputs-file, only that file');
  });

  it('files a template\'s outputs under its stack name, so two templates of one folder keep theirs', () => {
    const template = (name: string) => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: ${name} }\nOutputs:\n  TopicName:\n    Value: !GetAtt Topic.TopicName\n`;
    const dir = writeProject({ 'one.yaml': template('first'), 'two.yaml': template('second') });
    assert.equal(deploy(dir, 'one.yaml').code, 0);
    assert.equal(deploy(dir, 'two.yaml', '--stack-name', 'second-topic').code, 0);
    assert.equal(savedOutputs(dir, 'one').one.TopicName, 'first');
    assert.equal(savedOutputs(dir, 'second-topic').two.TopicName, 'second');
  });
});
