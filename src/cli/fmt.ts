import { Command } from 'commander';
import { formatProject } from '../project/format-project.ts';
import { EXIT } from './exit-codes.ts';

interface FmtFlags {
  check?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function fmtCommand(): Command {
  return new Command('fmt')
    .summary('rewrite templates in one canonical layout, comments and short-form tags kept')
    .description(
      `Rewrites the templates of PATH (a project, a folder of templates or one template; default:
the current folder) in one layout, as \`rain fmt\` does. YAML: 2-space indents, block style
(\`{}\` and \`[]\` only when empty), plain scalars unless a quote is needed (then single quotes;
values YAML 1.1 would read as something else, such as yes or 2010-09-09, stay quoted), lines
folded past 100 columns, the top-level sections in the order AWSTemplateFormatVersion,
Description, Metadata, Parameters, Rules, Mappings, Conditions, Transform, Resources, Outputs
(others after them). Comments, block scalars and short-form tags (!Ref, !Sub, !GetAtt a.b) are
kept. JSON: 2-space indents, key order kept.

Formatting never changes what a template means: each result is read back and compared with
the original, and a file that would read differently, or does not parse, is left as it is
(and named). Formatting twice gives what formatting once does. Files are replaced atomically.

--check changes nothing and names the files that would change.

Exit codes: 0 formatted (or nothing to change), 1 --check found files to change, 2 a file was
left as it is (it does not parse, or its meaning would change), 3 usage or I/O problem.`,
    )
    .argument('[path]', 'project, folder or template', '.')
    .option('--check', 'change nothing; exit 1 naming the files that would change')
    .action((path: string, { check = false }: FmtFlags) => {
      const results = formatProject(path, { check });
      const changed = results.filter((r) => r.outcome === 'formatted');
      const left = results.filter((r) => r.outcome === 'left');
      for (const r of changed) process.stdout.write(`${check ? 'would reformat' : 'formatted'} ${r.file}\n`);
      for (const r of left) process.stderr.write(`${r.file}: left as it is: ${r.problem}\n`);
      const unchanged = results.length - changed.length - left.length;
      process.stdout.write(`${plural(changed.length, 'file')} ${check ? 'would be reformatted' : 'reformatted'}, ${unchanged} already formatted${left.length > 0 ? `, ${left.length} left as ${left.length === 1 ? 'it is' : 'they are'}` : ''}\n`);
      process.exitCode = left.length > 0 ? EXIT.findings : check && changed.length > 0 ? EXIT.failed : EXIT.ok;
    });
}
