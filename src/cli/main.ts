import { Command, CommanderError } from 'commander';
import { StackpilotError } from '../errors.ts';
import { Redactor } from '../redaction.ts';
import { EXIT } from './exit-codes.ts';
import { backupCommand, backupsCommand, restoreCommand } from './backup.ts';
import { costCommand } from './cost.ts';
import { deleteCommand } from './delete.ts';
import { deployCommand } from './deploy.ts';
import { docsCommand } from './docs.ts';
import { driftCommand } from './drift.ts';
import { fmtCommand } from './fmt.ts';
import { graphCommand } from './graph.ts';
import { withHelpLayout } from './help.ts';
import { argvAsksForJson, asksForJson, jsonFailure, usageFailure } from './json-error.ts';
import { outputsCommand, statusCommand } from './inspect.ts';
import { localCommand } from './local.ts';
import { planCommand } from './plan.ts';
import { cancelCommand, rollbackCommand } from './recovery.ts';
import { regionsCommand } from './regions.ts';
import { validateCommand } from './validate.ts';
import { VERSION } from './version.ts';

/**
 * The `stackpilot` command line: a thin layer that parses flags and hands over to the library.
 * `secrets` learns the run's secrets (the commands that reach stacks pass it to the library), and
 * everything the commands write goes through it.
 */
export function buildProgram(secrets: Redactor): Command {
  const program = new Command('stackpilot')
    .description('Validate, plan and deploy multi-stack AWS CloudFormation projects.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(validateCommand().exitOverride());
  program.addCommand(planCommand(secrets).exitOverride());
  program.addCommand(deployCommand(secrets).exitOverride());
  program.addCommand(deleteCommand(secrets).exitOverride());
  program.addCommand(rollbackCommand(secrets).exitOverride());
  program.addCommand(cancelCommand(secrets).exitOverride());
  program.addCommand(statusCommand(secrets).exitOverride());
  program.addCommand(outputsCommand(secrets).exitOverride());
  program.addCommand(driftCommand(secrets).exitOverride());
  program.addCommand(backupCommand(secrets).exitOverride());
  program.addCommand(backupsCommand(secrets).exitOverride());
  program.addCommand(restoreCommand(secrets).exitOverride());
  program.addCommand(graphCommand().exitOverride());
  program.addCommand(docsCommand(secrets).exitOverride());
  program.addCommand(fmtCommand().exitOverride());
  program.addCommand(localCommand().exitOverride());
  program.addCommand(regionsCommand(secrets).exitOverride());
  program.addCommand(costCommand(secrets).exitOverride());
  return withHelpLayout(program);
}

export async function main(argv: string[], secrets = new Redactor()): Promise<number> {
  // Known once the flags are parsed: a failure is then also told as JSON on standard output.
  let json = false;
  try {
    await buildProgram(secrets)
      .hook('preAction', (_program, command) => {
        json = asksForJson(command.opts());
      })
      .parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      if (error.exitCode === 0) return EXIT.ok;
      if (argvAsksForJson(argv)) process.stdout.write(secrets.redact(`${JSON.stringify(usageFailure(error.message))}\n`));
      return EXIT.usage;
    }
    if (error instanceof StackpilotError) {
      // A message can quote a value the run was given (an AWS error about a parameter).
      process.stderr.write(secrets.redact(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`));
      if (json) process.stdout.write(secrets.redact(`${JSON.stringify(jsonFailure(error))}\n`));
      return EXIT.usage;
    }
    throw error;
  }
}
