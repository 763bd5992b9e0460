import { lstatSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackpilotError } from '../errors.ts';
import { LOCK_FILE, removePath } from './state-files.ts';
import { acquireStateLock } from './state-lock.ts';
import { SECRETS_KEY_FILE } from './state-secrets.ts';

/**
 * The parts of a local state folder, by the folder each keeps its state in: the engines
 * (`cloudformation/<region>`), S3 (`s3/<bucket>`), DynamoDB (`dynamodb/<region>`), SSM and
 * Secrets Manager (`<service>/<region>/`, a file per item). Anything else means the folder is not (only) local state.
 */
const STATE_PARTS: Record<string, { service: string; holds: 'regions' | 'buckets' }> = {
  cloudformation: { service: 'CloudFormation', holds: 'regions' },
  s3: { service: 'S3', holds: 'buckets' },
  dynamodb: { service: 'DynamoDB', holds: 'regions' },
  ssm: { service: 'SSM', holds: 'regions' },
  secretsmanager: { service: 'Secrets Manager', holds: 'regions' },
};

// The lock, and the drafts it is made from (`local.lock.<pid>.draft`, left by a crash).
const isLockEntry = (name: string) => name === LOCK_FILE || (name.startsWith(`${LOCK_FILE}.`) && name.endsWith('.draft'));
// The key of the secret values sealed in the services' files, and its drafts (`secrets.key.<pid>.<n>.tmp`).
const isKeyEntry = (name: string) => name === SECRETS_KEY_FILE || (name.startsWith(`${SECRETS_KEY_FILE}.`) && name.endsWith('.tmp'));

export type ResetOutcome =
  | { kind: 'absent'; dataDir: string }
  /** Nothing removed: there was no way to ask (no terminal, no --yes). */
  | { kind: 'unconfirmed'; dataDir: string; contents: string[] }
  | { kind: 'declined'; dataDir: string; contents: string[] }
  | { kind: 'removed'; dataDir: string; contents: string[] };

export interface ResetOptions {
  /**
   * Asked, while the state's lock is held, with what would be removed (`describeLocalState`);
   * true removes it. Without it nothing is removed, and the outcome is `unconfirmed`.
   */
  confirm?: (contents: string[]) => Promise<boolean>;
}

/**
 * Deletes a local state folder (`PROJECT/.stackpilot/local`) for a clean start: every local
 * stack, the data of the local services and the key of their secret values. Its files are not read, so damaged state goes like
 * any other. Refused (a StackpilotError) while another process holds the state's lock, and for
 * a folder that holds anything but local state.
 */
export async function resetLocalState(dataDir: string, options: ResetOptions = {}): Promise<ResetOutcome> {
  const found = lstatSync(dataDir, { throwIfNoEntry: false });
  if (!found) return { kind: 'absent', dataDir };
  if (!found.isDirectory()) throw notLocalState(dataDir, 'is not a folder');
  const entries = readdirSync(dataDir).filter((name) => !isLockEntry(name));
  if (entries.length === 0) return { kind: 'absent', dataDir };
  const foreign = entries.filter((name) => !Object.hasOwn(STATE_PARTS, name) && !isKeyEntry(name));
  if (foreign.length > 0) throw notLocalState(dataDir, `holds ${foreign.sort().join(', ')}, which ${foreign.length === 1 ? 'is' : 'are'} not local state`);

  // A folder in the lock's place is no lock anybody holds (see state-lock.ts): it goes with the rest.
  const lockIsFolder = lstatSync(join(dataDir, LOCK_FILE), { throwIfNoEntry: false })?.isDirectory() === true;
  let release = lockIsFolder ? undefined : acquireStateLock(dataDir);
  let outcome: ResetOutcome;
  try {
    const contents = describeLocalState(dataDir);
    if (!options.confirm) return { kind: 'unconfirmed', dataDir, contents };
    if (!(await options.confirm(contents))) return { kind: 'declined', dataDir, contents };
    if (lockIsFolder) {
      remove(join(dataDir, LOCK_FILE));
      release = acquireStateLock(dataDir);
    }
    for (const name of readdirSync(dataDir)) if (name !== LOCK_FILE) remove(join(dataDir, name));
    outcome = { kind: 'removed', dataDir, contents };
  } finally {
    release?.();
  }
  removeIfEmpty(dataDir);
  return outcome;
}

/**
 * What a local state folder holds, one line per service ("S3: 2 buckets", "DynamoDB: us-east-1"),
 * from its folder and file names alone: nothing is parsed, so damaged state is described too.
 */
export function describeLocalState(dataDir: string): string[] {
  return Object.entries(STATE_PARTS).flatMap(([folder, part]) => {
    const names = entryNames(join(dataDir, folder)).map((name) => name.replace(/\.json$/, ''));
    if (names.length === 0) return [];
    return [`${part.service}: ${part.holds === 'buckets' ? `${names.length} bucket${names.length === 1 ? '' : 's'}` : names.sort().join(', ')}`];
  });
}

// Temporary files of interrupted writes (`*.tmp`) are no part of what the state holds.
function entryNames(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => !name.endsWith('.tmp'));
  } catch {
    return [];
  }
}

function remove(path: string): void {
  try {
    removePath(path);
  } catch (error) {
    throw new StackpilotError('LocalStateReset', `Could not remove ${path}: ${(error as Error).message}`, 'Fix what keeps it from being removed (permissions, a process using it), then run the reset again.');
  }
}

// The folder goes too, unless another process has taken the lock in the meantime.
function removeIfEmpty(dataDir: string): void {
  try {
    rmdirSync(dataDir);
  } catch {
    // Not empty: it stays.
  }
}

function notLocalState(dataDir: string, problem: string): StackpilotError {
  return new StackpilotError(
    'NotLocalState',
    `${dataDir} ${problem}: nothing was removed`,
    `A reset deletes only a local state folder as stackpilot makes it (${Object.keys(STATE_PARTS).join(', ')}, ${SECRETS_KEY_FILE} and ${LOCK_FILE}). Check the path; what else is there is yours to keep or remove.`,
  );
}
