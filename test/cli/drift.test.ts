import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { runCli, runCliAsync, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';
import { openFailingEndpoint } from './failing-endpoint.ts';

const SECRET = 'sk-live-4f9a8b7c';

describe('stackpilot drift', () => {
  it('exits 0 for stacks in sync, 1 with expected → actual for what was changed outside CloudFormation, secrets masked; 3 for a stack the project lacks', async () => {
    const dir = writeProject({
      'stackpilot.yaml': `project: cli-drift\nstacks:\n  app: { template: app.yaml, name: cli-drift-app, parameters: { ApiKey: ${SECRET} } }\nenvironments:\n  dev: {}\n`,
      'app.yaml': [
        'Parameters:',
        '  ApiKey: { Type: String, NoEcho: true }',
        'Resources:',
        '  Uploads:',
        '    Type: AWS::S3::Bucket',
        '    Properties: { BucketName: cli-drift-uploads, VersioningConfiguration: { Status: Enabled } }',
        '  Key:',
        '    Type: AWS::SSM::Parameter',
        '    Properties: { Name: /cli-drift/key, Type: String, Value: !Ref ApiKey }',
        '',
      ].join('\n'),
    });
    assert.equal(runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } }).code, 0);
    const clean = runCli(['drift', dir]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^✔ cli-drift-app {2}IN_SYNC$/m);

    await withProjectState(dir, async ({ s3, ssm }) => {
      await s3.send(new PutBucketVersioningCommand({ Bucket: 'cli-drift-uploads', VersioningConfiguration: { Status: 'Suspended' } }));
      await ssm.send(new PutParameterCommand({ Name: '/cli-drift/key', Value: 'typed-by-hand', Overwrite: true }));
    });
    const drifted = runCli(['drift', dir]);
    assert.equal(drifted.code, 1, drifted.stderr);
    assert.match(drifted.stdout, /^✖ cli-drift-app {2}DRIFTED$/m);
    assert.match(drifted.stdout, /Uploads \(AWS::S3::Bucket cli-drift-uploads\) {2}MODIFIED\n {6}VersioningConfiguration\/Status: Enabled → Suspended/);
    assert.match(drifted.stdout, /Key \(AWS::SSM::Parameter \/cli-drift\/key\) {2}MODIFIED\n {6}Value: \*\*\*\* → typed-by-hand/);
    assert.doesNotMatch(drifted.stdout, new RegExp(SECRET));

    const json = runCli(['drift', dir, '--format', 'json', '--stack', 'app']);
    assert.equal(json.code, 1);
    const [stack] = (JSON.parse(json.stdout) as { stacks: { stacks: { status: string; resources: { logicalId: string }[] }[] }[] }).stacks[0].stacks;
    assert.deepEqual([stack.status, stack.resources.map((r) => r.logicalId)], ['DRIFTED', ['Uploads', 'Key']]);

    const unknown = runCli(['drift', dir, '--stack', 'nope']);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /cli-drift has no stack nope/);
  });
});

describe('a drift detection AWS refuses', () => {
  it('is a warning in deploy, which goes on; stackpilot drift reports it and exits 1', async () => {
    const endpoint = await openFailingEndpoint();
    try {
      const dir = writeProject({
        'stackpilot.yaml': 'project: refused\nstacks:\n  queue: { template: queue.yaml, name: refused-queue }\nenvironments:\n  dev: {}\n',
        'queue.yaml': 'Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties: { VisibilityTimeout: 30 }\n',
      });
      const run = (...args: string[]) => runCliAsync([...args, dir, '--target', 'aws'], { env: { ...endpoint.env, CI: 'true' } });
      assert.equal((await run('deploy', '--yes')).code, 0);
      endpoint.fail({ call: 'DetectStackDrift', code: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudformation:DetectStackDrift', status: 403 });

      writeFileSync(join(dir, 'queue.yaml'), 'Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties: { VisibilityTimeout: 60 }\n');
      const deploy = await run('deploy', '--yes');
      assert.equal(deploy.code, 0, deploy.stdout);
      assert.match(deploy.stdout, /⚠ drift {2}refused-queue {2}drift could not be checked: CloudFormation DetectStackDrift failed: AccessDenied: User: .* is not authorized/);
      assert.match(deploy.stdout, /✔ refused-queue {2}UPDATE_COMPLETE/);

      const drift = await run('drift');
      assert.equal(drift.code, 1);
      assert.match(drift.stdout, /✖ refused-queue {2}detection failed\n {4}CloudFormation DetectStackDrift failed: AccessDenied/);
      assert.equal(endpoint.failed(), 2);
    } finally {
      await endpoint.close();
    }
  });
});
