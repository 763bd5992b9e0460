import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { copyExample, runCli, runCliAsync, savedOutputsPath, spawnCli, writeProject } from '../helpers.ts';

/**
 * Ordinary I/O problems: each is a clear message (what, where, what to do) with exit code 3,
 * found before anything is touched; and output that nobody reads any more never stops a deploy.
 */

describe('ordinary I/O problems', () => {
  it('an outputs file in a folder that does not exist stops the deploy before anything is deployed', () => {
    const dir = copyExample('plot-palette');
    const missing = join(writeProject({}), 'nonexistent', 'dir');
    const r = runCli(['deploy', dir, '--env', 'development', '-o', join(missing, 'out.json')], { env: { CI: 'true' } });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `error: cannot write the outputs file ${missing}/out.json: the folder ${missing} does not exist\n  Create the folder, or choose another file with --outputs-file. Nothing was deployed.\n`);
    assert.ok(!existsSync(join(dir, '.stackpilot')), 'the local engine was never opened');
  });

  it('a log file that cannot be opened stops the deploy before anything is touched', () => {
    const dir = copyExample('plot-palette');
    const missing = join(writeProject({}), 'nonexistent');
    const r = runCli(['deploy', dir, '--env', 'development', '--log-file', join(missing, 'x.log')], { env: { CI: 'true' } });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `error: cannot write the log file ${missing}/x.log: the folder ${missing} does not exist\n  Create the folder, or choose another file with --log-file. Nothing was deployed.\n`);
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(join(dir, '.stackpilot')));
  });

  it('local serve on a port in use says which and how to choose another, and releases the state', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const dir = writeProject({});
      const r = await runCliAsync(['local', 'serve', dir, '--port', String(port)]);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stderr, `error: port ${port} on 127.0.0.1 is in use\n  Choose another with --port (0 picks a free one), or stop what uses it.\n`);
      const local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
      await local.close();
    } finally {
      taken.close();
    }
  });

  it('a reader that closes the pipe early ends the output quietly; the deploy still runs to its end', async () => {
    const dir = copyExample('plot-palette');
    const child = spawnCli(['deploy', dir, '--env', 'development'], { env: { CI: 'true' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);

    const status = runCli(['status', dir, '--env', 'development']);
    assert.equal(status.code, 0, status.stdout);
    assert.equal(status.stdout.match(/CREATE_COMPLETE/g)?.length, 10, 'the master and its nine nested stacks');
    assert.ok(existsSync(savedOutputsPath(dir, 'development')));

    const head = spawnCli(['status', dir, '--env', 'development']);
    let headErrors = '';
    head.stderr.setEncoding('utf8').on('data', (chunk: string) => (headErrors += chunk));
    head.stdout.once('data', () => head.stdout.destroy());
    assert.equal(await new Promise<number | null>((resolve) => head.once('close', resolve)), 0);
    assert.equal(headErrors, '');
  });
});
