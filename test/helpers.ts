import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Diagnostic } from '../src/diagnostics.ts';
import type { LoadOptions } from '../src/project/project.ts';
import { validatePath } from '../src/validate/validate.ts';

export const REPO = join(import.meta.dirname, '..');
export const FIXTURES = join(REPO, 'test', 'fixtures');
/** Public templates nobody here wrote, vendored in test/corpus (see its README.md). */
export const CORPUS = join(REPO, 'test', 'corpus', 'aws-cloudformation-templates');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/**
 * Asserts that each item is in the list (or each part in the text), in this order: a missing
 * item fails naming it, where comparing `indexOf` results would pass on a -1.
 */
export function assertInOrder(text: string, ...parts: string[]): void;
export function assertInOrder<T>(list: readonly T[], ...items: T[]): void;
export function assertInOrder(within: string | readonly unknown[], ...items: unknown[]): void {
  const find = (item: unknown, from: number) => (typeof within === 'string' ? within.indexOf(String(item), from) : within.indexOf(item, from));
  const shown = typeof within === 'string' ? within : within.join('\n');
  let from = 0;
  for (const item of items) {
    const at = find(item, from);
    if (at === -1) {
      const problem = find(item, 0) === -1 ? 'missing' : 'out of order';
      throw new assert.AssertionError({ message: `${problem}: ${String(item)}\n${shown}`, actual: within, expected: items });
    }
    from = at + (typeof within === 'string' ? String(item).length : 1);
  }
}

/** Every finding for a path (template, folder or project). */
export function findings(path: string, options: LoadOptions = {}): Diagnostic[] {
  return validatePath(path, options).diagnostics;
}

/** The findings of one rule, as `line:column message` strings, easy to assert on. */
export function ruleFindings(path: string, rule: string, options: LoadOptions = {}): string[] {
  return findings(path, options)
    .filter((d) => d.rule === rule)
    .map((d) => `${d.line}:${d.column} ${d.message}`);
}

const temporary: string[] = [];
// On exit, whether the tests passed or failed: node:test ends each file's process normally after a failed assertion.
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system's temporary folder, removed when this test file's process exits. */
export function temporaryFolder(purpose = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `stackpilot-${purpose}-`));
  temporary.push(dir);
  return dir;
}

/** Writes files (path -> content) into a new temporary folder (removed when the tests end) and returns the folder. */
export function writeProject(files: Record<string, string>): string {
  const dir = temporaryFolder();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * The day tests validate and deploy the examples for, so they do not start failing on the day
 * AWS deprecates a runtime the examples use (nodejs22.x on 2027-04-30, python3.12 on 2028-10-31):
 * test/examples/examples.test.ts says what validate reports after those days.
 */
export const EXAMPLES_DAY = '2026-11-30';

/** A copy of a reference project in a temporary folder, so local state and outputs stay out of the repository. */
export function copyExample(name: string): string {
  const dir = writeProject({});
  cpSync(join(REPO, 'examples', name), dir, { recursive: true, filter: (source) => !/[/\\](\.stackpilot|node_modules|outputs\.json)$/.test(source) });
  return dir;
}

const TSX_LOADER = import.meta.resolve('tsx');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Kill the CLI after this many milliseconds (its code is then null): a hang fails the test instead of stalling it. */
  timeout?: number;
}

const cliArguments = (args: string[]) => ['--import', TSX_LOADER, join(REPO, 'src/cli/bin.ts'), ...args];
const cliSpawnOptions = (options: CliOptions) => ({ cwd: options.cwd ?? REPO, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env } });

/** Runs the CLI from source as a user would: no terminal, colour settings cleared unless given. */
export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const result = spawnSync(process.execPath, cliArguments(args), { ...cliSpawnOptions(options), encoding: 'utf8', timeout: options.timeout, killSignal: 'SIGKILL' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const LOCAL_AWS_MODULE = join(REPO, 'src/emulator/local-aws.ts');

/** Another process with the local state in `dataDir` open (so holding its lock) until killed. */
export async function holdLocalState(dataDir: string): Promise<ChildProcess> {
  const holder = spawn(
    process.execPath,
    ['--import', TSX_LOADER, '--input-type=module', '-e', `const { LocalAws } = await import(${JSON.stringify(LOCAL_AWS_MODULE)}); await LocalAws.open({ dataDir: ${JSON.stringify(dataDir)} }); console.log('ready'); setInterval(() => {}, 1000);`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  holder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = await Promise.race([once(holder.stdout, 'data').then(([chunk]) => String(chunk).trim()), once(holder, 'exit').then(() => 'exited')]);
  if (started !== 'ready') throw new Error(`the process to hold ${dataDir} did not start: ${stderr}`);
  return holder;
}

/** Kills a process without letting it clean up, as a crash would, and waits for it to end. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** The CLI started from source, its output piped to this process (for tests that read or close it as it comes). */
export function spawnCli(args: string[], options: CliOptions = {}): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, cliArguments(args), { ...cliSpawnOptions(options), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** As runCli, without blocking this process: for tests that serve something the CLI calls. */
export async function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

/**
 * The outputs a deploy saved (see src/deploy/outputs-file.ts): of `scope` (the environment; a
 * template's stack, a folder's name) in `region`, on the local target unless said.
 */
export function savedOutputs(dir: string, scope: string, region = 'us-east-1', target = 'local'): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(savedOutputsPath(dir, scope, region, target), 'utf8')) as Record<string, Record<string, string>>;
}

export function savedOutputsPath(dir: string, scope: string, region = 'us-east-1', target = 'local'): string {
  return join(dir, '.stackpilot', 'outputs', target, scope, `${region}.json`);
}
