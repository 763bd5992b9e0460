import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { StackpilotError } from '../../src/errors.ts';
import { LOCK_FILE, acquireStateLock, announceServing, servingProcess, type ServingAddress } from '../../src/emulator/state-lock.ts';
import { REPO, temporaryFolder } from '../helpers.ts';

const dataDir = () => join(temporaryFolder('lock'), '.stackpilot', 'local');

/** The error acquiring the lock of `dir` throws (fails when it does not throw). */
function refusal(dir: string): StackpilotError {
  let caught: unknown;
  try {
    acquireStateLock(dir)();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof StackpilotError, `expected a StackpilotError, got ${String(caught)}`);
  return caught;
}

describe('the lock of a local state folder', () => {
  it('refuses a folder in the lock\'s place, saying it is a folder and how to fix it, and leaves it there', () => {
    const dir = dataDir();
    const lock = join(dir, LOCK_FILE);
    mkdirSync(lock, { recursive: true });
    const error = refusal(dir);
    assert.equal(error.code, 'LocalStateDamaged');
    assert.equal(error.message, `The lock ${lock} is a folder, not a lock file`);
    assert.equal(
      error.hint,
      `Remove the folder ${lock} and run again: a lock is a file that names the process using the local state, and this one holds no state.`,
    );
    assert.ok(statSync(lock).isDirectory(), 'the folder is for a person to remove');
  });

  it('refuses a symbolic link in the lock\'s place, even one to a valid lock file, naming it an entry', () => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, LOCK_FILE);
    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' }));
    symlinkSync(elsewhere, lock);
    const error = refusal(dir);
    assert.equal(error.code, 'LocalStateDamaged');
    assert.equal(error.message, `The lock ${lock} is something other than a file, not a lock file`);
    assert.equal(
      error.hint,
      `Remove the entry ${lock} and run again: a lock is a file that names the process using the local state, and this one holds no state.`,
    );
    assert.ok(existsSync(elsewhere), 'the file the link points at stays');
  });

  it('takes a folder with no lock, names this process in it, leaves no draft, and releases it', () => {
    const dir = dataDir();
    const lock = join(dir, LOCK_FILE);
    const release = acquireStateLock(dir);
    const owner = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number; hostname: string };
    assert.deepEqual([owner.pid, owner.hostname], [process.pid, hostname()]);
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes(LOCK_FILE)), [LOCK_FILE]);
    release();
    assert.equal(existsSync(lock), false);
    release();
    assert.equal(existsSync(lock), false, 'a second release is harmless');
  });

  it('starts from a fresh draft when a crash left one behind, so the lock is readable by its owner only', () => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    const draft = join(dir, `${LOCK_FILE}.${process.pid}.draft`);
    writeFileSync(draft, 'left by a crash', { mode: 0o644 });
    const release = acquireStateLock(dir);
    try {
      assert.equal(statSync(join(dir, LOCK_FILE)).mode & 0o777, 0o600);
      assert.equal(existsSync(draft), false);
    } finally {
      release();
    }
  });

  it('keeps a lock held by a live process of another user (the init process, pid 1)', () => {
    // Signal 0 to another user's process fails with EPERM, which still means it is alive;
    // run as root the signal succeeds, with the same outcome.
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    const lock = JSON.stringify({ pid: 1, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' });
    writeFileSync(join(dir, LOCK_FILE), lock);
    const error = refusal(dir);
    assert.equal(error.code, 'LocalStateLocked');
    assert.match(error.message, /in use by process 1 \(on /);
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), lock);
  });

  it('keeps a lock held by a live process of a user this one may not signal, in a folder both users write', () => {
    // Run as root, signal 0 reaches any process: the taker then runs as nobody, whose signal to
    // this process fails with EPERM. It starts in the folder, a path it may not walk to, so it
    // reads the lock code from its input and names the state folder relative to where it is.
    const folder = temporaryFolder('lock');
    const dir = join(folder, '.stackpilot', 'local');
    mkdirSync(dir, { recursive: true });
    for (const shared of [folder, join(folder, '.stackpilot'), dir]) chmodSync(shared, 0o777);
    const lock = JSON.stringify({ pid: process.pid, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' });
    writeFileSync(join(dir, LOCK_FILE), lock, { mode: 0o644 });
    const code = buildSync({ entryPoints: [join(REPO, 'src/emulator/state-lock.ts')], bundle: true, platform: 'node', format: 'iife', globalName: 'stateLock', write: false }).outputFiles[0].text;
    const take = "try { stateLock.acquireStateLock('.stackpilot/local'); console.log('taken'); } catch (error) { console.log(error.code); }";
    const otherUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const taker = spawnSync(process.execPath, ['-'], { cwd: folder, ...otherUser, input: `${code}\n${take}`, encoding: 'utf8' });
    assert.equal(taker.stdout.trim(), 'LocalStateLocked', taker.stderr);
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), lock);
  });
});

describe('a lock held by local serve', () => {
  const serving: ServingAddress = { url: 'http://127.0.0.1:4566', accountId: '123456789012', credentials: { accessKeyId: 'AKIATEAM', secretAccessKey: 'team-secret' } };
  const lockOf = (owner: object) => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ hostname: hostname(), since: '2020-01-01T00:00:00.000Z', ...owner }));
    return dir;
  };

  it('records where it serves in the lock it holds, owner-only, and the lock still goes on release', () => {
    const dir = dataDir();
    const release = acquireStateLock(dir);
    announceServing(dir, serving);
    const lock = join(dir, LOCK_FILE);
    const owner = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number; serving: ServingAddress };
    assert.deepEqual([owner.pid, owner.serving], [process.pid, serving]);
    assert.equal(statSync(lock).mode & 0o777, 0o600);
    // Its own process is no client of it: it has the state in hand.
    assert.equal(servingProcess(dir), undefined);
    release();
    assert.equal(existsSync(lock), false);
  });

  it('refuses to record serving in a lock this process does not hold, even one naming its pid, or one taken from it', () => {
    assert.throws(() => announceServing(lockOf({ pid: 1 }), serving), /does not hold/);
    // A lock file naming this pid that this process never took (left by an earlier process with the same pid).
    assert.throws(() => announceServing(lockOf({ pid: process.pid }), serving), /does not hold/);
    // Taken, then replaced by another process's: its address must not go into that one.
    const dir = dataDir();
    const release = acquireStateLock(dir);
    const replaced = JSON.stringify({ pid: 1, hostname: hostname(), since: '2020-01-01T00:00:00.000Z' });
    writeFileSync(join(dir, LOCK_FILE), replaced);
    assert.throws(() => announceServing(dir, serving), /does not hold/);
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), replaced);
    release();
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), replaced, 'release leaves the other process\'s lock');
  });

  it('is found by other commands while its process lives on this machine', () => {
    assert.deepEqual(servingProcess(lockOf({ pid: 1, serving })), { ...serving, pid: 1 });
  });

  it('is not found when its process is gone, on another machine, or holds no serving address', () => {
    assert.equal(servingProcess(lockOf({ pid: 2 ** 22 + 12345, serving })), undefined);
    assert.equal(servingProcess(lockOf({ pid: 1, serving, hostname: `${hostname()}-other` })), undefined);
    assert.equal(servingProcess(lockOf({ pid: 1 })), undefined);
    assert.equal(servingProcess(dataDir()), undefined);
  });

  it('sends nothing to an address of the wrong shape: another host, or credentials missing', () => {
    for (const bad of [
      { ...serving, url: 'http://evil.example:4566' },
      { ...serving, url: 'https://127.0.0.1:4566' },
      { ...serving, url: 'http://127.0.0.1:4566/path' },
      { ...serving, url: 'http://evil.example/http://127.0.0.1:4566' },
      { ...serving, accountId: 42 },
      { ...serving, credentials: { accessKeyId: 'AKIATEAM' } },
      { url: serving.url, accountId: serving.accountId },
    ]) {
      assert.equal(servingProcess(lockOf({ pid: 1, serving: bad })), undefined, JSON.stringify(bad));
    }
    for (const url of ['http://localhost:4566', 'http://[::1]:4566']) assert.equal(servingProcess(lockOf({ pid: 1, serving: { ...serving, url } }))?.url, url);
  });
});
