import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { temporaryPathFor } from '../emulator/state-files.ts';
import { formatTemplate } from '../template/format.ts';
import { loadProject } from './project.ts';

/** What `fmt` did (or, with check, would do) to one template. */
export interface FormattedFile {
  /** As shown in findings. */
  file: string;
  outcome: 'formatted' | 'unchanged' | 'left';
  /** Why a file was left as it is (it does not parse, formatting would change its meaning). */
  problem?: string;
}

/**
 * Formats the templates of a project, a folder or one file (see template/format.ts) in place;
 * with `check`, only says which would change. Each file is replaced atomically, its mode kept:
 * a kill leaves it old or new, never torn.
 */
export function formatProject(path: string, options: { check: boolean }): FormattedFile[] {
  const project = loadProject(path);
  const results: FormattedFile[] = [];
  for (const template of project.templates.values()) {
    const text = readFileSync(template.absolutePath, 'utf8');
    const formatted = formatTemplate(text, template.file);
    if ('problem' in formatted) {
      results.push({ file: template.file, outcome: 'left', problem: formatted.problem });
      continue;
    }
    if (formatted.text === text) {
      results.push({ file: template.file, outcome: 'unchanged' });
      continue;
    }
    if (!options.check) replaceFile(template.absolutePath, formatted.text);
    results.push({ file: template.file, outcome: 'formatted' });
  }
  return results;
}

function replaceFile(path: string, text: string): void {
  const temporary = temporaryPathFor(path);
  writeFileSync(temporary, text, { mode: statSync(path).mode & 0o777 });
  renameSync(temporary, path);
}
