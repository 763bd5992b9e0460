import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { reflowHelp } from '../../src/cli/help.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { Redactor } from '../../src/redaction.ts';
import { runCli } from '../helpers.ts';

const EXAMPLE = [
  '  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 \\',
  '    aws --endpoint-url http://127.0.0.1:4566 cloudformation describe-stacks',
].join('\n');

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

/** The help of a command as a terminal `width` columns wide shows it. */
function helpAt(command: Command, width: number): string {
  command.configureOutput({ getOutHelpWidth: () => width });
  return command.helpInformation();
}

/**
 * The lines of the description that were wrapped (not indented, not blank), each paired with the
 * line after it in the same paragraph: wrapped once, a line ends only where the next word would
 * not have fitted.
 */
function brokenEarly(help: string, width: number): string[] {
  const description = help.split('\n\n').slice(1).join('\n\n').split(/\n(?:Arguments|Options|Commands):\n/)[0];
  const lines = description.split('\n');
  const early: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const [line, next] = [lines[i], lines[i + 1]];
    if (line === '' || next === '' || /^\s/.test(next) || /^- /.test(next)) continue;
    const nextWord = next.trim().split(' ')[0];
    if ([...line].length + 1 + [...nextWord].length <= width) early.push(`${line}⏎${next}`);
  }
  return early;
}

describe('help text', () => {
  it('local serve --help, piped, keeps the example command whole and wraps each paragraph once to 80 columns', () => {
    const r = runCli(['local', 'serve', '--help']);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes(EXAMPLE), r.stdout);
    assert.match(r.stdout, /^Serves the local CloudFormation engine and its data planes \(S3, DynamoDB, STS,\nSSM, Secrets Manager\) on 127\.0\.0\.1/m);
    assert.deepEqual(brokenEarly(r.stdout, 80), []);
    const tooWide = r.stdout.split('\n').filter((line) => [...line].length > 80 && !EXAMPLE.includes(line));
    assert.deepEqual(tooWide, []);
  });

  it('every command, at 60, 80 and 120 columns: paragraphs wrapped once within the width, indented lines as written', () => {
    const program = buildProgram(new Redactor());
    for (const width of [60, 80, 120]) {
      for (const command of everyCommand(program)) {
        const help = helpAt(command, width);
        const name = `${command.name()} at ${width}`;
        assert.deepEqual(brokenEarly(help, Math.min(width, 100)), [], name);
        for (const line of help.split('\n')) {
          // A single word longer than the width (a long path) stands alone on its line.
          if (!/^\s/.test(line) && / /.test(line)) assert.ok([...line].length <= Math.min(width, 100), `${name}: ${line}`);
        }
      }
    }
    assert.ok(helpAt(program.commands.find((c) => c.name() === 'local')!.commands.find((c) => c.name() === 'serve')!, 60).includes(EXAMPLE));
  });

  it('joins a list item\'s lines and hangs its continuation under the text', () => {
    const text = 'Intro line one\nand two.\n\n- FIRST: one\n  two three four five\n- SECOND: six\n\n  $ an example --that stays as written\n';
    assert.equal(reflowHelp(text, 40), 'Intro line one and two.\n\n- FIRST: one two three four five\n- SECOND: six\n\n  $ an example --that stays as written\n');
    assert.equal(reflowHelp('- a b c d e f g h i j k l m n o p q r s t u v w', 40), '- a b c d e f g h i j k l m n o p q r s\n  t u v w');
  });
});
