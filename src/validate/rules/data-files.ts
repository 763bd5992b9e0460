import { readFileSync } from 'node:fs';
import { StackpilotError } from '../../errors.ts';
import { findPackageFile } from '../../spec/package-files.ts';

/** A committed data file of the package (`data/...`), parsed; rules read theirs on first need so validate starts fast. */
export function readDataFile<T>(relativePath: string): T {
  const path = findPackageFile(relativePath);
  if (!path) throw new StackpilotError('DataFileMissing', `The data file ${relativePath} is missing from the stackpilot package.`, 'Reinstall stackpilot.');
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
