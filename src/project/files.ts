import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StackpilotError } from '../errors.ts';

/** Reads a text file, or throws the I/O error a person can act on. */
export function readText(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new StackpilotError('FileUnreadable', `${shown}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Check the file exists and is readable.');
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
