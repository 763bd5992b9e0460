import { Command, Option } from 'commander';
import { toDot, toMermaid } from '../graph/render.ts';
import { projectStackGraph } from '../graph/stack-graph.ts';
import { loadProject } from '../project/project.ts';
import { EXIT } from './exit-codes.ts';

export function graphCommand(): Command {
  return new Command('graph')
    .summary('draw the project\'s stacks and what each waits for')
    .description(
      `Prints the stack graph of a project as Mermaid (for Markdown) or Graphviz DOT.

A solid arrow goes from a stack to a stack that waits for it (dependsOn, a \${stacks.X...}
reference in the manifest, or an import of its exports); a dotted one from a stack to the
nested stacks it creates. Imports are matched with the chosen environment's values.`,
    )
    .argument('[path]', 'project folder, manifest, folder of templates or template', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .option('-e, --env <name>', 'environment whose values resolve stack names and imports (default: the first)')
    .action((path: string, flags: { format: 'mermaid' | 'dot'; env?: string }) => {
      const project = loadProject(path, { env: flags.env });
      const graph = projectStackGraph(project);
      process.stdout.write(`${flags.format === 'dot' ? toDot(project, graph) : toMermaid(project, graph)}\n`);
      process.exitCode = EXIT.ok;
    });
}
