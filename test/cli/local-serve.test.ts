import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rawRequest, sigV4Authorization } from '../emulator/raw-http.ts';
import { runCli, spawnCli, writeProject } from '../helpers.ts';

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
});
