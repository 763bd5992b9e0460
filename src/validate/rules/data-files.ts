import { readFileSync } from 'node:fs';
import { StackpilotError } from '../../errors.ts';
import { findPackageFile } from '../../spec/package-files.ts';

/** A committed data file of the package (`data/...`), as text; rules read theirs on first need so validate starts fast. */
export function readDataText(relativePath: string): string {
  const path = findPackageFile(relativePath);
  if (!path) throw new StackpilotError('DataFileMissing', `The data file ${relativePath} is missing from the stackpilot package.`, 'Reinstall stackpilot.');
  return readFileSync(path, 'utf8');
}

/** A committed data file of the package (`data/...`), parsed. */
export function readDataFile<T>(relativePath: string): T {
  return JSON.parse(readDataText(relativePath)) as T;
}
