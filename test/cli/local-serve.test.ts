import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnCli, writeProject } from '../helpers.ts';

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
});
