import { Command } from 'commander';
import { join, relative } from 'node:path';
import type { Redactor } from '../redaction.ts';
import { shellWord } from '../shell-word.ts';
import { EXIT } from './exit-codes.ts';
import { redactingWriters } from './terminal.ts';

interface DocsFlags {
  out?: string;
  check?: boolean;
}

export function docsCommand(secrets: Redactor): Command {
  return new Command('docs')
    .summary('generate the project\'s Markdown reference: stacks, graph, parameters, outputs, data')
    .description(
      `Generates Markdown reference documentation for a project into --out (default:
PATH/docs/reference): index.md with the environments and their regions, the stack graph
(Mermaid) and a link to every stack; and one page per stack, nested stacks included
(stacks/<stack>.md, stacks/<stack>/<NestedLogicalId>.md). Each page has the stack's
description, its parameters (type, default, allowed values or pattern, description) and the
value each resolves to in every environment and region with the file:line it comes from (a
nested stack: what its parent passes), its outputs and exports and the stacks that import
them, its nested stacks, and its stateful resources with their DeletionPolicy and
UpdateReplacePolicy. NoEcho values and defaults are shown as ****.

The pages are the same bytes for the same project (sorted, no dates, paths relative to the
project root, LF line endings), so they can be committed. Each page is written atomically;
pages of stacks that no longer exist are removed; other files in the folder are left alone.
Nothing is written when the project has errors (see stackpilot validate).

--check writes nothing: it compares the pages with the files in the folder and names each one
that is stale, missing or extra (for CI: commit the pages, run docs --check).

Exit codes: 0 written (or, with --check, current), 1 --check found stale, missing or extra
files, 3 usage or I/O problem (a path that does not exist, a project with errors, a folder
that cannot be written).`,
    )
    .argument('[path]', 'project folder (with stackpilot.yaml), folder of templates or template', '.')
    .option('-o, --out <dir>', 'folder for the pages (default: PATH/docs/reference)')
    .option('--check', 'compare with the pages on disk instead of writing; exit 1 when they differ')
    .action(async (path: string, flags: DocsFlags) => {
      const { generateDocs } = await import('../docs/generate.ts');
      const { compareDocs, writeDocs } = await import('../docs/sync.ts');
      const { out, err } = redactingWriters(secrets);
      const docs = await generateDocs(path, { out: flags.out });
      const shownOut = flags.out ?? (relative(process.cwd(), docs.outDir) || '.');
      if (flags.check) {
        const difference = compareDocs(docs.outDir, docs.files);
        const problems = [
          ...difference.stale.map((f) => `${join(shownOut, f)}: stale`),
          ...difference.missing.map((f) => `${join(shownOut, f)}: missing`),
          ...difference.extra.map((f) => `${join(shownOut, f)}: extra (not generated${f.endsWith('.md') ? '; a stack that no longer exists?' : ''})`),
        ];
        if (problems.length === 0) {
          out(`✔ ${docs.files.size} pages in ${shownOut} are current\n`);
          process.exitCode = EXIT.ok;
          return;
        }
        const rerun = ['stackpilot', 'docs', path, ...(flags.out ? ['--out', flags.out] : [])].map(shellWord).join(' ');
        err(`${problems.join('\n')}\n✖ the reference docs are out of date: run \`${rerun}\` and commit the result\n`);
        process.exitCode = EXIT.failed;
        return;
      }
      const written = writeDocs(docs.outDir, docs.files);
      for (const f of written.written) out(`wrote ${join(shownOut, f)}\n`);
      for (const f of written.removed) out(`removed ${join(shownOut, f)}\n`);
      for (const f of written.foreign) err(`note: ${join(shownOut, f)} is not a page stackpilot generated; left as it is\n`);
      out(`✔ ${docs.files.size} pages in ${shownOut}: ${written.written.length} written, ${written.unchanged} unchanged, ${written.removed.length} removed\n`);
      process.exitCode = EXIT.ok;
    });
}
