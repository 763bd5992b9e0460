import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { temporaryPathFor } from '../emulator/state-files.ts';
import { StackpilotError } from '../errors.ts';
import { GENERATED_MARKER } from './stack-page.ts';

/** How the files on disk differ from the generated ones (paths relative to the output folder, sorted). */
export interface DocsDifference {
  /** On disk, with other content. */
  stale: string[];
  /** Generated, not on disk. */
  missing: string[];
  /** On disk, not generated (a stack removed or renamed, or a file someone put there). */
  extra: string[];
}

/** The name temporaryPathFor gives a page while it is written. */
const LEFT_BY_KILLED_WRITE = /\.md\.\d+\.\d+\.tmp$/;

/** Folders deeper than this under the output folder are not looked into: the reference is never that deep. */
const MAX_DEPTH = 16;

function failed(what: string, path: string, error: unknown): StackpilotError {
  return new StackpilotError('DocsUnwritable', `${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'Check the --out folder: it must be a folder you can write (or create).');
}

/** Files below a folder, relative to it with POSIX separators; none when it does not exist. Symbolic links are not followed. */
function filesBelow(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw new StackpilotError('DocsOutNotFolder', `${dir} is not a folder`, 'Give --out a folder (it is created when missing).');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if (error instanceof StackpilotError) throw error;
    throw failed('cannot read', dir, error);
  }
  const found: string[] = [];
  const walk = (relative: string, depth: number) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory() && depth < MAX_DEPTH) walk(path, depth + 1);
      else if (!entry.isDirectory()) found.push(path);
    }
  };
  walk('', 0);
  return found.sort();
}

const readOrUndefined = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Compares generated pages with the files in the output folder. */
export function compareDocs(outDir: string, files: Map<string, string>): DocsDifference {
  const onDisk = filesBelow(outDir);
  const difference: DocsDifference = { stale: [], missing: [], extra: onDisk.filter((f) => !files.has(f)) };
  for (const [file, content] of files) {
    const current = readOrUndefined(join(outDir, file));
    if (current === undefined) difference.missing.push(file);
    else if (current !== content) difference.stale.push(file);
  }
  return difference;
}

export interface DocsWrite {
  /** Pages written (new or changed). */
  written: string[];
  unchanged: number;
  /** Earlier pages no longer generated, removed. */
  removed: string[];
  /** Files in the folder stackpilot did not generate, left alone. */
  foreign: string[];
}

/**
 * Brings the output folder up to date: each page written atomically (a killed run leaves each
 * page old or new, never torn; running again finishes the job), pages no longer generated
 * removed. Files that are not stackpilot's pages are left where they are.
 */
export function writeDocs(outDir: string, files: Map<string, string>): DocsWrite {
  const difference = compareDocs(outDir, files);
  const result: DocsWrite = { written: [...difference.missing, ...difference.stale].sort(), unchanged: files.size - difference.missing.length - difference.stale.length, removed: [], foreign: [] };
  for (const file of result.written) {
    const path = join(outDir, file);
    try {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = temporaryPathFor(path);
      writeFileSync(temporary, files.get(file)!);
      renameSync(temporary, path);
    } catch (error) {
      throw failed('cannot write', path, error);
    }
  }
  for (const file of difference.extra) {
    const path = join(outDir, file);
    // A page's temporary file, left by a run that was killed while writing it, is ours too.
    if (!LEFT_BY_KILLED_WRITE.test(file) && !readOrUndefined(path)?.startsWith(GENERATED_MARKER)) {
      result.foreign.push(file);
      continue;
    }
    rmSync(path, { force: true });
    result.removed.push(file);
    removeEmptyFolders(outDir, dirname(file));
  }
  return result;
}

/** Removes a folder left empty by a removed page, and its parents up to (not including) the output folder. */
function removeEmptyFolders(outDir: string, relative: string): void {
  for (let folder = relative; folder !== '.' && folder !== ''; folder = dirname(folder)) {
    try {
      rmdirSync(join(outDir, folder));
    } catch {
      return; // not empty: the rest above is not either
    }
  }
}
