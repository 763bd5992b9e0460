import { statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StackpilotError } from '../errors.ts';
import { isFile } from './files.ts';
import { MANIFEST_FILE } from './manifest.ts';

/** How far up discovery looks: deeper than any real checkout, and a bound on odd mounts. */
const MAX_LEVELS = 64;

/**
 * The folder a path names for a command, as git finds its repository: a path that does not exist
 * is an error (nothing may be created for it), and a folder without `stackpilot.yaml` inside a
 * project (`infrastructure/` of a project, or the current folder) stands for that project.
 * A template or a manifest file is taken as it is.
 */
export interface DiscoveredPath {
  /** The absolute path a command works on: the enclosing project's folder when one was found. */
  path: string;
  stat: Stats;
  /** The project folder was found above the path given. */
  discovered: boolean;
}

export function statOrThrow(path: string, shown: string): Stats {
  try {
    return statSync(path);
  } catch {
    throw new StackpilotError('PathNotFound', `${shown}: no such file or directory`, 'Check the path: give a template, a folder of templates, or a project folder with stackpilot.yaml (or a folder inside one).');
  }
}

/** The nearest folder at or above `folder` holding stackpilot.yaml, or undefined. */
export function enclosingProject(folder: string): string | undefined {
  let current = resolve(folder);
  for (let level = 0; level < MAX_LEVELS; level++) {
    if (isFile(join(current, MANIFEST_FILE))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** Resolves what a command's PATH stands for (see DiscoveredPath); throws PathNotFound for a path that does not exist. */
export function discoverPath(inputPath: string): DiscoveredPath {
  const absolute = resolve(inputPath);
  const stat = statOrThrow(absolute, inputPath);
  if (!stat.isDirectory()) return { path: absolute, stat, discovered: false };
  const project = enclosingProject(absolute);
  if (project === undefined || project === absolute) return { path: absolute, stat, discovered: false };
  return { path: project, stat: statSync(project), discovered: true };
}

/** The project folder a command on PATH keeps its state in (`.stackpilot/`): the enclosing project's, else the folder named (a template's folder). */
export function projectFolder(inputPath: string): string {
  const found = discoverPath(inputPath);
  return found.stat.isDirectory() ? found.path : dirname(found.path);
}
