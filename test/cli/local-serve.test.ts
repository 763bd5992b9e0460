import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rawRequest, sigV4Authorization } from '../emulator/raw-http.ts';
import { runCli, runCliAsync, spawnCli, writeProject } from '../helpers.ts';

const topicProject = () =>
  writeProject({
    'stackpilot.yaml': 'project: news\nstacks:\n  topics: { template: topics.yaml, name: news-topics }\nenvironments:\n  dev: {}\n',
    'topics.yaml': 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  TopicArn:\n    Value: !Ref Topic\n',
  });

/** Starts `local serve` with `args`; resolves with its URL and what it printed. */
async function startServe(args: string[], env: Record<string, string> = {}) {
  const child = spawnCli(['local', 'serve', ...args, '--port', '0'], { env });
  const printed = await new Promise<{ url: string; out: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /on (http:\/\/127\.0\.0\.1:\d+) .*\n(.*)\n/.exec(out);
      if (found) resolve({ url: found[1], out });
    });
    child.once('exit', (code) => reject(new Error(`local serve exited with ${code}`)));
  });
  const stop = async () => {
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    return exit;
  };
  return { ...printed, stop };
}

describe('stackpilot local serve', () => {
  it('serves the project\'s local state over HTTP until interrupted, then stops cleanly', async () => {
    const dir = writeProject({});
    const child = spawnCli(['local', 'serve', dir, '--port', '0']);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /on (http:\/\/127\.0\.0\.1:\d+) \(state: (.+?),/.exec(out);
        if (found) {
          assert.equal(found[2], join(dir, '.stackpilot', 'local'));
          resolve(found[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`local serve exited with ${code}`)));
    });
    const s3 = new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });
    assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets ?? [], []);
    s3.destroy();
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exit, 0);
  });

  it('takes the key pair from STACKPILOT_LOCAL_CREDENTIALS and more host names from --allow-host, and says what it answers', async () => {
    const { url, out, stop } = await startServe([writeProject({}), '--allow-host', 'dev.box', '--allow-host', 'host.docker.internal:4566'], { STACKPILOT_LOCAL_CREDENTIALS: 'AKIATEAM:team-secret' });
    assert.match(out, /answering requests signed with access key AKIATEAM addressed to 127\.0\.0\.1, localhost, \[::1\], dev\.box, host\.docker\.internal:4566\n/);
    assert.doesNotMatch(out, /team-secret/);
    const client = (secretAccessKey: string) => new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: 'AKIATEAM', secretAccessKey } });
    assert.deepEqual((await client('team-secret').send(new ListBucketsCommand({}))).Buckets ?? [], []);
    await assert.rejects(client('guessed').send(new ListBucketsCommand({})), { name: 'SignatureDoesNotMatch' });
    const port = Number(new URL(url).port);
    // The name is allowed; the (unchecked) signature is not the team's.
    const byAllowedName = await rawRequest(port, { host: `dev.box:${port}`, path: '/', headers: sigV4Authorization('s3') });
    assert.match(byAllowedName.body, /<Code>InvalidAccessKeyId<\/Code>/);
    const byOtherName = await rawRequest(port, { host: `other.box:${port}`, path: '/', headers: sigV4Authorization('s3') });
    assert.match(byOtherName.body, /<Code>AccessDenied<\/Code><Message>stackpilot local serve answers requests addressed to/);
    assert.equal(await stop(), 0);
  });

  it('refuses --credentials without a secret, and --allow-host that is not a host name, as usage errors', () => {
    const noSecret = runCli(['local', 'serve', writeProject({}), '--credentials', 'AKIAONLY']);
    assert.equal(noSecret.code, 3);
    assert.match(noSecret.stderr, /--credentials <key:secret>' argument 'AKIAONLY' is invalid\. KEY:SECRET/);
    const badHost = runCli(['local', 'serve', writeProject({}), '--allow-host', 'http://dev.box/']);
    assert.equal(badHost.code, 3);
    assert.match(badHost.stderr, /a host name or address, optionally with :PORT/);
  });

  it('lets deploy, status and delete work on the state it serves, through it and saying so, with the key pair it accepts', async () => {
    const dir = topicProject();
    const { url, stop } = await startServe([dir], { STACKPILOT_LOCAL_CREDENTIALS: 'AKIATEAM:team-secret' });
    // The lock names where the state is served, and with it the key pair: it stays readable by this user only.
    assert.equal(statSync(join(dir, '.stackpilot', 'local', 'local.lock')).mode & 0o777, 0o600);
    const deploy = await runCliAsync(['deploy', dir, '--env', 'dev', '--yes']);
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stdout, new RegExp(`held by \`stackpilot local serve\` \\(process \\d+\\): sending requests to it at ${url}`));
    // The stack is in the served engine's state: any client of the server sees it.
    const cloudformation = new CloudFormationClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'AKIATEAM', secretAccessKey: 'team-secret' } });
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: 'news-topics' }));
    assert.equal(Stacks?.[0].StackStatus, 'CREATE_COMPLETE');
    const status = await runCliAsync(['status', dir, '--env', 'dev']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /news-topics\s+CREATE_COMPLETE/);
    assert.match(status.stderr, /sending requests to it at/);
    const removed = await runCliAsync(['delete', dir, '--env', 'dev', '--yes']);
    assert.equal(removed.code, 0, removed.stderr);
    await assert.rejects(cloudformation.send(new DescribeStacksCommand({ StackName: 'news-topics' })), /does not exist/);
    cloudformation.destroy();
    assert.equal(await stop(), 0);
    // Stopped, it holds nothing: the next command opens the state itself.
    const after = await runCliAsync(['status', dir, '--env', 'dev']);
    assert.doesNotMatch(after.stderr, /local serve/);
    assert.match(after.stdout, /news-topics\s+NOT_DEPLOYED/);
  });

  it('is not sent requests once killed: its stale lock is taken over and the state opened in-process', async () => {
    const dir = topicProject();
    const child = spawnCli(['local', 'serve', dir, '--port', '0']);
    // It prints its address once the lock names it; then it dies without a chance to clean up.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const exit = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exit;
    const deploy = await runCliAsync(['deploy', dir, '--env', 'dev', '--yes']);
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.doesNotMatch(deploy.stdout, /local serve/);
    assert.match(deploy.stdout, /news-topics/);
  });
});
