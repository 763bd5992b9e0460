import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { runCli, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

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
