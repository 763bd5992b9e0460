import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, writeProject } from '../helpers.ts';

const BUCKET = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env:\n    Type: String\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Delete\n    Properties:\n      BucketName: !Sub 'demo-${Env}-bucket'\nOutputs:\n  Name:\n    Value: !Ref Bucket\n";
const TOPIC = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

describe('a single template as a project', () => {
  it('without a value for a required parameter: a validation error at the parameter, naming the flag (exit 2), nothing touched', () => {
    const dir = writeProject({ 'bucket.yaml': BUCKET });
    for (const command of [['deploy', 'bucket.yaml', '--yes'], ['plan', 'bucket.yaml']]) {
      const run = runCli(command, { cwd: dir, env: { CI: 'true' } });
      assert.equal(run.code, 2, `${command.join(' ')}: ${run.stderr}${run.stdout}`);
      assert.match(run.stdout, /^ *bucket\.yaml:3:3 +error +SP2010 +No value for parameter Env of bucket\.yaml: it has no Default; give one with --parameter Env=VALUE or in a --parameters file/m);
      assert.doesNotMatch(run.stderr, /internal error/);
    }
    const json = runCli(['deploy', 'bucket.yaml', '--yes', '--json'], { cwd: dir });
    assert.equal(json.code, 2);
    const last = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { ok: boolean; error: { code: string }; diagnostics: { file: string; line: number; column: number; severity: string; message: string }[] };
    assert.equal(last.ok, false);
    assert.equal(last.error.code, 'ValidationFailed');
    // The warnings come along (a deploy shows them too); the one error is the missing value.
    const errors = last.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => `${d.file}:${d.line}:${d.column}`), ['bucket.yaml:3:3']);
    assert.match(errors[0].message, /--parameter Env=VALUE/);
    assert.equal(existsSync(join(dir, '.stackpilot')), false, 'nothing was touched');
  });

  it('deploys under --stack-name with values from a --parameters file in either JSON form, and later commands find it by that name', () => {
    const dir = writeProject({
      'bucket.yaml': BUCKET,
      'cfn-list.json': JSON.stringify([{ ParameterKey: 'Env', ParameterValue: 'listed' }]),
      'plain.json': JSON.stringify({ Env: 'plain' }),
    });
    const deploy = runCli(['deploy', 'bucket.yaml', '--stack-name', 'team-a-bucket', '--parameters', 'cfn-list.json', '--yes'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
    const outputs = runCli(['outputs', 'bucket.yaml', '--stack-name', 'team-a-bucket'], { cwd: dir });
    assert.equal(outputs.code, 0, outputs.stderr);
    assert.match(outputs.stdout, /^team-a-bucket +Name +demo-listed-bucket$/m);
    // Under the file's name there is no stack: the name given is the one used.
    assert.equal(runCli(['status', 'bucket.yaml'], { cwd: dir }).code, 1);

    const plan = runCli(['plan', 'bucket.yaml', '--stack-name', 'team-a-bucket', '--parameters', 'plain.json'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(plan.code, 0, plan.stderr + plan.stdout);
    assert.match(plan.stdout, /^team-a-bucket {2}update$/m);
    assert.match(plan.stdout, /Env = plain {2}\(plain\.json:1:2\)/);
  });

  it('--parameter beats the --parameters file; a key the template does not declare is an error at the file', () => {
    const dir = writeProject({ 'bucket.yaml': BUCKET, 'extra.json': JSON.stringify({ Env: 'file', Colour: 'blue' }) });
    const plan = runCli(['plan', 'bucket.yaml', '--parameters', 'extra.json', '--parameter', 'Env=flag'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(plan.code, 2, plan.stdout);
    assert.match(plan.stdout, /Colour is not a parameter of bucket\.yaml/);
    const good = runCli(['plan', 'bucket.yaml', '--parameters', 'extra.json', '--parameter', 'Env=flag', '--json'], { cwd: dir });
    const parsed = JSON.parse(good.stdout) as { validation: { diagnostics: { message: string }[] } };
    assert.ok(parsed.validation.diagnostics.some((d) => /Colour/.test(d.message)));
  });

  it('refuses --stack-name where it cannot apply, and --parameters for a manifest project (exit 3)', () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: p\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: { region: us-east-1 }\n', 'app.yaml': TOPIC, 'values.json': '{}' });
    const named = runCli(['plan', '.', '--stack-name', 'other'], { cwd: dir });
    assert.equal(named.code, 3);
    assert.match(named.stderr, /--stack-name applies to a single template/);
    const file = runCli(['plan', '.', '--parameters', 'values.json'], { cwd: dir });
    assert.equal(file.code, 3);
    assert.match(file.stderr, /takes its parameter files from the manifest/);
    const bad = runCli(['plan', 'app.yaml', '--stack-name', '9lives'], { cwd: dir });
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /--stack-name 9lives: not a CloudFormation stack name/);
  });
});

describe('a folder of templates as a project', () => {
  it('names its stacks <folder>-<file>, so two folders\' bucket.yaml do not meet in one account', () => {
    const root = writeProject({});
    for (const team of ['team-a', 'team-b']) {
      mkdirSync(join(root, team));
      writeFileSync(join(root, team, 'topic.yaml'), TOPIC);
      const deploy = runCli(['deploy', team, '--yes'], { cwd: root, env: { CI: 'true' } });
      assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
      assert.match(deploy.stdout, new RegExp(`${team}-topic`));
    }
    // Both live side by side, each under its own name, in each folder's state.
    for (const team of ['team-a', 'team-b']) {
      const status = runCli(['status', team], { cwd: root });
      assert.equal(status.code, 0, status.stdout + status.stderr);
      assert.match(status.stdout, new RegExp(`${team}-topic +CREATE_COMPLETE`));
    }
  });
});
