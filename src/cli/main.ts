import { Command, CommanderError } from 'commander';
import { StackpilotError } from '../errors.ts';
import { EXIT } from './exit-codes.ts';
import { deleteCommand } from './delete.ts';
import { deployCommand } from './deploy.ts';
import { graphCommand } from './graph.ts';
import { outputsCommand, statusCommand } from './inspect.ts';
import { localCommand } from './local.ts';
import { planCommand } from './plan.ts';
import { validateCommand } from './validate.ts';
import { VERSION } from './version.ts';

/** The `stackpilot` command line: a thin layer that parses flags and hands over to the library. */
export function buildProgram(): Command {
  const program = new Command('stackpilot')
    .description('Validate, plan and deploy multi-stack AWS CloudFormation projects.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(validateCommand().exitOverride());
  program.addCommand(planCommand().exitOverride());
  program.addCommand(deployCommand().exitOverride());
  program.addCommand(deleteCommand().exitOverride());
  program.addCommand(statusCommand().exitOverride());
  program.addCommand(outputsCommand().exitOverride());
  program.addCommand(graphCommand().exitOverride());
  program.addCommand(localCommand().exitOverride());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof StackpilotError) {
      process.stderr.write(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
