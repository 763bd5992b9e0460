import { linkSync, lstatSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StackpilotError } from '../errors.ts';
import { LOCAL_STATE_DAMAGED, LOCK_FILE, STATE_FILE_MODE, makeStateFolder, writeJsonAtomic } from './state-files.ts';

interface LockOwner {
  pid: number;
  hostname: string;
  since: string;
  /** Set by `local serve` once it listens: where other commands reach the state it holds. */
  serving?: ServingAddress;
}

/** How a `local serve` holding the state is reached: its URL, the key pair it accepts, its account. */
export interface ServingAddress {
  url: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export { LOCK_FILE };

// Locks this process holds: a second LocalAws in the same process must be refused too,
// and its pid alone cannot tell it from a lock left behind by an earlier run.
const heldLocks = new Set<string>();

/**
 * Makes this process the only writer of a local state folder. The lock file names the owner's
 * pid; a lock whose process is gone (a crash, a kill -9) is stale and taken over.
 */
export function acquireStateLock(dataDir: string): () => void {
  makeStateFolder(dataDir);
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreateLock(path)) {
      heldLocks.add(path);
      return () => releaseStateLock(path);
    }
    checkIsLockFile(path);
    const owner = readOwner(path);
    if (owner && isHeld(path, owner)) {
      throw new StackpilotError(
        'LocalStateLocked',
        `The local state in ${dataDir} is in use by process ${owner.pid} (on ${owner.hostname} since ${owner.since})`,
        `Stop process ${owner.pid} (often a running \`stackpilot local serve\` or deploy) or wait for it to finish. If no such process exists, delete ${path}.`,
      );
    }
    // Stale or unreadable: remove it (unless another taker already replaced it) and try again.
    if (JSON.stringify(readOwner(path)) === JSON.stringify(owner)) removeLockFile(path);
  }
  throw new StackpilotError('LocalStateLocked', `Could not take the lock ${path}: other processes keep taking it`, 'Make sure only one stackpilot process uses this folder.');
}

// Something else in the lock's place (a folder) is neither held nor stale: removing it is for a person to decide.
function checkIsLockFile(path: string): void {
  const found = lstatSync(path, { throwIfNoEntry: false });
  if (!found || found.isFile()) return;
  throw new StackpilotError(
    LOCAL_STATE_DAMAGED,
    `The lock ${path} is ${found.isDirectory() ? 'a folder' : 'something other than a file'}, not a lock file`,
    `Remove the ${found.isDirectory() ? 'folder' : 'entry'} ${path} and run again: a lock is a file that names the process using the local state, and this one holds no state.`,
  );
}

// The lock appears with its content in one step (a hard link to a written file), so no
// reader ever sees an empty lock and mistakes it for a stale one.
function tryCreateLock(path: string): boolean {
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  const draft = `${path}.${process.pid}.draft`;
  // A draft a crash left behind would keep its mode when rewritten: start from none.
  removeLockFile(draft);
  writeFileSync(draft, JSON.stringify(owner), { mode: STATE_FILE_MODE });
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    removeLockFile(draft);
  }
}

/**
 * Records in a lock this process holds that it serves the state at `serving`, so that commands
 * refused the lock can send their requests there instead. The lock stays owner-only (0600) like
 * all state, so the key pair it may hold is readable by this user alone.
 */
export function announceServing(dataDir: string, serving: ServingAddress): void {
  const path = join(dataDir, LOCK_FILE);
  const owner = readOwner(path);
  if (!heldLocks.has(path) || owner?.pid !== process.pid) throw new Error(`announceServing: this process does not hold ${path}`);
  writeJsonAtomic(path, { ...owner, serving });
}

/**
 * The `local serve` that holds a state folder's lock, when one does on this machine and is
 * alive; undefined otherwise (no lock, a stale one, another kind of holder).
 */
export function servingProcess(dataDir: string): (ServingAddress & { pid: number }) | undefined {
  const path = join(dataDir, LOCK_FILE);
  const owner = readOwner(path);
  const serving = owner?.serving;
  if (!owner || !isServingAddress(serving) || owner.hostname !== hostname() || owner.pid === process.pid || !isProcessAlive(owner.pid)) return undefined;
  return { ...serving, pid: owner.pid };
}

// The lock is a file on disk: a field of the wrong shape is no address to send requests to.
function isServingAddress(value: unknown): value is ServingAddress {
  const address = value as Partial<ServingAddress> | undefined;
  return (
    typeof address?.url === 'string' &&
    /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(address.url) &&
    typeof address.accountId === 'string' &&
    typeof address.credentials?.accessKeyId === 'string' &&
    typeof address.credentials.secretAccessKey === 'string'
  );
}

function removeLockFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isHeld(path: string, owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true; // a shared folder: we cannot see that host's processes
  if (owner.pid === process.pid) return heldLocks.has(path);
  return isProcessAlive(owner.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseStateLock(path: string): void {
  if (!heldLocks.delete(path)) return;
  if (readOwner(path)?.pid === process.pid) removeLockFile(path);
}
