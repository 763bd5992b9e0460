import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { copyExample, runCliAsync, writeProject } from '../helpers.ts';
import { openFailingEndpoint, type FailingEndpoint } from './failing-endpoint.ts';

/**
 * Each command against a CloudFormation endpoint that is not the local engine (--target aws,
 * AWS_ENDPOINT_URL), one of whose calls fails: the failure is reported with the stack, the
 * call, the error and what to do, with the command's documented exit code; never an internal error.
 */

const concert = (stack: string) => `concert-platform-${stack}-development`;
const refused = { code: 'ValidationError', message: 'Template error: instance of Fn::GetAtt references undefined resource ApiGateway' };
const denied = { code: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform this action', status: 403 };
const REFUSED_HINT = '  AWS refused the call: correct what the message names and run again.';
const DENIED_HINT = '  The credentials in use are not allowed this call: grant the permission (IAM), or use a profile that has it (--profile).';

/** Two stacks, `app` waiting for `queue`'s output; no health checks (they would reach out to the internet). */
const shop = () =>
  writeProject({
    'stackpilot.yaml': 'project: shop\nregion: us-east-1\nstacks:\n  queue: { template: queue.yaml }\n  app: { template: app.yaml, parameters: { QueueArn: "${stacks.queue.outputs.QueueArn}" } }\nenvironments:\n  dev: {}\n',
    'queue.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Orders:\n    Type: AWS::SQS::Queue\nOutputs:\n  QueueArn:\n    Value: !GetAtt Orders.Arn\n",
    'app.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  QueueArn: { Type: String }\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: !Ref QueueArn }\n",
  });

const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);

describe('an AWS call that fails', () => {
  let endpoint: FailingEndpoint;
  beforeEach(async () => (endpoint = await openFailingEndpoint()));
  afterEach(() => endpoint.close());
  const run = (command: string, dir: string, ...flags: string[]) => runCliAsync([command, dir, '--target', 'aws', ...flags], { env: endpoint.env });

  it('during a deploy fails its stack, named with the call, the error and what to do; the stacks after it are not started', async () => {
    endpoint.fail({ call: 'CreateChangeSet', stackName: concert('compute'), ...refused });
    const dir = copyExample('concert-platform');

    const plain = await run('deploy', dir, '--env', 'development', '--yes');
    assert.equal(plain.code, 1, plain.stderr);
    assert.match(plain.stdout, new RegExp(`✔ ${concert('storage')} {2}CREATE_COMPLETE`));
    assert.ok(plain.stdout.includes(`✖ ${concert('compute')}  failed in 0s; CloudFormation CreateChangeSet failed: ValidationError: ${refused.message}\n`));
    assert.match(plain.stdout, new RegExp(`^\\[[\\d:]+\\] ${REFUSED_HINT}$`, 'm'));
    for (const stack of ['chatbot', 'monitoring', 'tracing']) assert.match(plain.stdout, new RegExp(`– ${concert(stack)} {2}not started`));
    assert.equal(plain.stderr, '');

    const json = await run('deploy', dir, '--env', 'development', '--yes', '--json');
    assert.equal(json.code, 1, json.stderr);
    const done = jsonLines(json.stdout).filter((e) => e.code === 'stack-done');
    assert.deepEqual(
      done.map((e) => [e.stack, e.outcome]),
      [['networking', 'no-changes'], ['storage', 'no-changes'], ['compute', 'failed'], ['chatbot', 'not-started'], ['monitoring', 'not-started'], ['tracing', 'not-started']],
    );
    const compute = done.find((e) => e.stack === 'compute')!;
    assert.deepEqual([compute.reason, `  ${compute.hint}`], [`CloudFormation CreateChangeSet failed: ValidationError: ${refused.message}`, REFUSED_HINT]);
  });

  it('before any stack stops the deploy with exit 3 and touches no stack', async () => {
    endpoint.fail({ call: 'PutObject', ...denied });
    const dir = copyExample('concert-platform');
    for (const flags of [[], ['--json']]) {
      const r = await run('deploy', dir, '--env', 'development', '--yes', ...flags);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stderr, `error: could not upload the nested templates to s3://concert-platform-cfn-123456789012-us-east-1 (nothing was deployed): S3 PutObject failed: AccessDenied: ${denied.message}\n${DENIED_HINT}\n`);
      assert.doesNotMatch(r.stdout, /stack-done|change preview/);
    }
    endpoint.fail(undefined);
    const status = await run('status', dir, '--env', 'development');
    assert.equal(status.code, 1);
    assert.equal(status.stdout.match(/NOT_DEPLOYED/g)?.length, 6, status.stdout);
  });

  it('when the credentials are refused, says so and what to do, with exit 3', async () => {
    endpoint.fail({ call: 'GetCallerIdentity', code: 'ExpiredToken', message: 'The security token included in the request is expired', status: 403 });
    const r = await run('status', shop());
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^error: cannot reach AWS as the default credentials in us-east-1: STS GetCallerIdentity failed: ExpiredToken: The security token included in the request is expired\n {2}The credentials are missing, invalid or expired: refresh them/);
  });

  it('during a plan marks that stack as not previewed, previews the others, and exits 1', async () => {
    endpoint.fail({ call: 'CreateChangeSet', stackName: concert('storage'), ...refused });
    const r = await run('plan', copyExample('concert-platform'), '--env', 'development');
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stdout.includes(`${concert('storage')}  could not be previewed: CloudFormation CreateChangeSet failed: ValidationError: ${refused.message}\n${REFUSED_HINT}\n`), r.stdout);
    for (const stack of ['networking', 'compute', 'tracing']) assert.match(r.stdout, new RegExp(`^${concert(stack)} {2}create$`, 'm'));
    assert.equal(r.stderr, '');
  });

  it('reading the stacks (status, outputs) is reported with exit 3', async () => {
    endpoint.fail({ call: 'ListStacks', ...denied });
    for (const command of ['status', 'outputs']) {
      const r = await run(command, shop());
      assert.equal(r.code, 3, command);
      assert.equal(r.stderr, `error: could not read the stacks of shop: CloudFormation ListStacks failed: AccessDenied: ${denied.message}\n${DENIED_HINT}\n`);
      assert.equal(r.stdout, '');
    }
  });

  it('during a delete: before any stack nothing is deleted (exit 3); a stack that fails to delete is reported and what waits for it is not started (exit 1)', async () => {
    const dir = shop();
    assert.equal((await run('deploy', dir, '--yes')).code, 0);

    endpoint.fail({ call: 'ListExports', ...denied });
    const early = await run('delete', dir, '--yes');
    assert.equal(early.code, 3);
    assert.match(early.stderr, /^error: could not read what the stacks hold and who imports their exports \(nothing was deleted\): CloudFormation ListExports failed: AccessDenied: /);

    endpoint.fail({ call: 'DeleteStack', stackName: 'shop-dev-app', ...denied });
    const late = await run('delete', dir, '--yes', '--json');
    assert.equal(late.code, 1, late.stderr);
    const done = jsonLines(late.stdout).filter((e) => e.code === 'stack-done');
    assert.deepEqual(done.map((e) => [e.stack, e.outcome, e.reason, e.hint]), [
      ['app', 'failed', `CloudFormation DeleteStack failed: AccessDenied: ${denied.message}`, DENIED_HINT.trim()],
      ['queue', 'not-started', undefined, undefined],
    ]);

    endpoint.fail(undefined);
    const status = await run('status', dir);
    assert.match(status.stdout, /✔ shop-dev-queue +CREATE_COMPLETE/);
    assert.match(status.stdout, /✔ shop-dev-app +CREATE_COMPLETE/);
  });
});
