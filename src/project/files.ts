import { readFileSync, statSync } from 'node:fs';
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
