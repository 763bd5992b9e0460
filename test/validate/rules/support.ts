import { relative } from 'node:path';
import type { LoadOptions } from '../../../src/project/project.ts';
import { findings, fixture } from '../../helpers.ts';

/** A file or folder under test/fixtures/rules. */
export function rules(...parts: string[]): string {
  return fixture('rules', ...parts);
}

/** The severity of each finding of one rule, in the order of the findings. */
export function severities(path: string, rule: string, options: LoadOptions = {}): string[] {
  return findings(path, options)
    .filter((d) => d.rule === rule)
    .map((d) => d.severity);
}

/**
 * The findings of one rule in a project of several files, as `file line:column message`
 * with the file relative to `root`.
 */
export function projectFindings(root: string, rule: string, options: LoadOptions = {}, path: string = root): string[] {
  return findings(path, options)
    .filter((d) => d.rule === rule)
    .map((d) => `${relative(root, d.file)} ${d.line}:${d.column} ${d.message}`);
}
