import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { bundledCli } from '../cli-bundle.ts';
import { copyExample } from '../helpers.ts';

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
  events: { code: string; [field: string]: unknown }[];
}

/**
 * Runs the CLI with --json progress and sends it SIGINT as the first event that `when` picks
 * arrives (and, with `again`, a second SIGINT right after): an interrupt at a known point.
 */
async function interruptAt(args: string[], when: (event: Record<string, unknown>) => boolean, again = false): Promise<Interrupted> {
  const cli = await bundledCli();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (sent) return;
      const lines = stdout.split('\n').slice(0, -1);
      if (lines.some((line) => when(JSON.parse(line) as Record<string, unknown>))) {
        sent = true;
        child.kill('SIGINT');
        if (again) setTimeout(() => child.kill('SIGINT'), 20);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr, events: stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Interrupted['events'][number]) }));
  });
}

async function cli(args: string[]) {
  const run = spawnSync(process.execPath, [await bundledCli(), ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Each stack's status as `stackpilot status` prints it. */
async function statuses(dir: string, env: string): Promise<string[]> {
  return (await cli(['status', dir, '--env', env])).stdout.split('\n').filter((line) => /^[✔✖]/.test(line)).map((line) => line.split(/\s+/)[2]);
}

const CONCERT = ['--env', 'development', '--concurrency', '1', '--yes'];

describe('interrupts', () => {
  it('Ctrl-C during a deploy starts no new stack, lets the running one finish, and says where each stands and how to carry on', async () => {
    const dir = copyExample('concert-platform');
    const run = await interruptAt(['deploy', dir, ...CONCERT], (e) => e.code === 'stack-done' && e.outcome === 'succeeded');
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /interrupted: no new stack will start; what is running is let finish/);
    assert.ok(run.events.some((e) => e.code === 'warning' && /^interrupted: no new stack will start/.test(String(e.message))), 'the interrupt is in the progress too');
    assert.match(run.stderr, /interrupted; the stacks stand as follows:\n {2}networking: CREATE_COMPLETE\n/);
    assert.match(run.stderr, / {2}tracing: not started\n/);
    assert.ok(run.stderr.includes(`To carry on: stackpilot deploy ${dir} --env development --concurrency 1 --yes --json`), run.stderr);

    const after = await statuses(dir, 'development');
    assert.ok(after.every((status) => status === 'CREATE_COMPLETE' || status === 'NOT_DEPLOYED'), `no stack is left halfway: ${after.join(', ')}`);
    assert.ok(after.includes('NOT_DEPLOYED'));
    assert.equal((await cli(['deploy', dir, ...CONCERT])).code, 0, 'the command it names carries on');
    assert.deepEqual(await statuses(dir, 'development'), Array(6).fill('CREATE_COMPLETE'));
  });

  it('Ctrl-C before any stack starts deploys nothing and leaves nothing behind', async () => {
    const dir = copyExample('concert-platform');
    const run = await interruptAt(['deploy', dir, ...CONCERT], (e) => e.code === 'phase' && e.phase === 'validate');
    assert.equal(run.code, 130, run.stderr);
    const done = run.events.filter((e) => e.code === 'stack-done');
    assert.deepEqual(done.map((e) => e.stack).sort(), ['chatbot', 'compute', 'monitoring', 'networking', 'storage', 'tracing'], 'each stack is accounted for');
    assert.ok(done.every((e) => e.outcome === 'not-started' || e.outcome === 'succeeded'), done.map((e) => `${String(e.stack)} ${String(e.outcome)}`).join(', '));
    const after = await statuses(dir, 'development');
    assert.equal(after.length, 6, 'status lists every stack');
    assert.ok(after.every((status) => status === 'NOT_DEPLOYED' || status === 'CREATE_COMPLETE'), `no change set or stack left in review: ${after.join(', ')}`);
  });

  it('a second Ctrl-C stops at once, and the next command finds loadable state it can carry on from', async () => {
    const dir = copyExample('plot-palette');
    const run = await interruptAt(['deploy', dir, '--env', 'development', '--yes'], (e) => e.code === 'stack-start', true);
    assert.equal(run.code, 130);
    assert.match(run.stderr, /stopped at once: the local engine finishes \(or rolls back\) what was running the next time a stackpilot command opens this project/);
    const deploy = await cli(['deploy', dir, '--env', 'development', '--yes']);
    assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
    assert.deepEqual(await statuses(dir, 'development'), ['CREATE_COMPLETE']);
  });

  it('Ctrl-C during a delete starts no new delete, and a second delete finishes the job', async () => {
    const dir = copyExample('concert-platform');
    assert.equal((await cli(['deploy', dir, ...CONCERT])).code, 0);
    const run = await interruptAt(['delete', dir, '--env', 'development', '--concurrency', '1', '--yes'], (e) => e.code === 'phase' && e.phase === 'delete');
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /interrupted; the stacks stand as follows:\n(.*: deleted\n)*(.*: not deleted\n)+To carry on: stackpilot delete /);
    const after = await statuses(dir, 'development');
    assert.ok(after.every((status) => status === 'CREATE_COMPLETE' || status === 'NOT_DEPLOYED') && after.includes('CREATE_COMPLETE'), after.join(', '));
    assert.equal((await cli(['delete', dir, '--env', 'development', '--yes'])).code, 0);
    assert.deepEqual(await statuses(dir, 'development'), Array(6).fill('NOT_DEPLOYED'));
  });
});
