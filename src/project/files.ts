import { accessSync, closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StackpilotError } from '../errors.ts';
import { MAX_FILE_BYTES } from '../template/limits.ts';

/**
 * Reads a text file, or throws the I/O error a person can act on. Past MAX_FILE_BYTES only the
 * first MAX_FILE_BYTES + 1 bytes are read (whatever the file claims, /dev/zero included): enough
 * for the reader to say the file is too large.
 */
export function readText(path: string, shown: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const chunks: Buffer[] = [];
    // Sized for a regular file to arrive in one read; devices and pipes report no size.
    const buffer = Buffer.allocUnsafe(Math.min(MAX_FILE_BYTES + 1, Math.max(fstatSync(fd).size + 1, 64 * 1024)));
    let total = 0;
    while (total <= MAX_FILE_BYTES) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, read)));
      total += read;
    }
    return Buffer.concat(chunks).subarray(0, MAX_FILE_BYTES + 1).toString('utf8');
  } catch (error) {
    throw new StackpilotError('FileUnreadable', `${shown}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Check the file exists and is readable.');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Why a file cannot be written where it is named (created, or appended to), or undefined when it can. */
function whyUnwritable(path: string): string | undefined {
  const folder = dirname(resolve(path));
  const writable = (target: string) => {
    try {
      accessSync(target, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  try {
    if (!statSync(folder).isDirectory()) return `${folder} is not a folder`;
  } catch {
    return `the folder ${folder} does not exist`;
  }
  try {
    if (statSync(path).isDirectory()) return `${path} is a folder`;
  } catch {
    return writable(folder) ? undefined : `the folder ${folder} is not writable`;
  }
  return writable(path) ? undefined : 'the file is not writable';
}

/**
 * Checks, before the work that ends by writing it, that a file can be written where it is
 * named: a StackpilotError (`cannot write <what> <path>: why`) with `hint` when not.
 */
export function checkWritable(path: string, what: string, hint: string): void {
  const why = whyUnwritable(path);
  if (why) throw new StackpilotError('FileUnwritable', `cannot write ${what} ${path}: ${why}`, hint);
}

/**
 * As checkWritable, for a file whose folders are made when it is written: the nearest folder
 * that exists on the way to it must be a writable folder (nothing is created to find out).
 */
export function checkCreatable(path: string, what: string, hint: string): void {
  let missing = resolve(path);
  while (!existsSync(dirname(missing)) && dirname(missing) !== dirname(dirname(missing))) missing = dirname(missing);
  const why = whyUnwritable(missing);
  if (why) throw new StackpilotError('FileUnwritable', `cannot write ${what} ${path}: ${why}`, hint);
}
