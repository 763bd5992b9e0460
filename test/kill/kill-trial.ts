import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStackEventsCommand, ListStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { artifactsBucketName } from '../../src/deploy/package.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { copyExample } from '../helpers.ts';
import { inventory } from '../local-inventory.ts';

/**
 * One kill -9 trial on the Plot Palette reference project: a command killed (SIGKILL) once it has
 * printed `killAt` JSON lines of progress, then the commands a user would run next, then a look
 * at the data planes for anything no stack accounts for. Shared by the test and the probe script.
 */

export type Phase = 'create' | 'update' | 'delete';

export interface TrialResult {
  phase: Phase;
  killAt: number;
  /** Whether the process was still running when the kill came (it may finish first). */
  killed: boolean;
  recovered: boolean;
  /** What went wrong on the way to recovery (command, exit code, the end of its output). */
  problems: string[];
  /** Buckets, tables, parameters and secrets that no stack owns and no stack's events say were kept. */
  leftovers: string[];
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const ENV = 'development';

function runCli(cli: string, args: string[], killAtLine?: number): Promise<Run & { lines: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const before = lines;
      lines = stdout.split('\n').length - 1;
      if (killAtLine !== undefined && before < killAtLine && lines >= killAtLine) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, lines }));
  });
}

const tail = (text: string) => text.trim().split('\n').slice(-6).join('\n');

/** How many lines of `--json` progress each interrupted command prints when left alone, so kill points fall inside it. */
export const PROGRESS_LINES: Record<Phase, number> = { create: 210, update: 24, delete: 110 };

/** Trials spread over a seeded random choice of phases (half creates, a quarter each updates and deletes) and kill points. */
export function drawTrials(count: number, random: () => number): { phase: Phase; killAt: number }[] {
  return Array.from({ length: count }, (_, i) => {
    const phase: Phase = i % 4 === 1 ? 'update' : i % 4 === 3 ? 'delete' : 'create';
    return { phase, killAt: 1 + Math.floor(random() * (PROGRESS_LINES[phase] - 1)) };
  });
}

/** Runs trials a few at a time, reporting each as it ends. */
export async function runKillTrials(cli: string, trials: { phase: Phase; killAt: number }[], concurrency: number, onResult: (result: TrialResult) => void = () => {}): Promise<TrialResult[]> {
  const results: TrialResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < trials.length) {
      const { phase, killAt } = trials[next++];
      const result = await runKillTrial(cli, phase, killAt);
      results.push(result);
      onResult(result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

export async function runKillTrial(cli: string, phase: Phase, killAt: number): Promise<TrialResult> {
  const dir = copyExample('plot-palette');
  const problems: string[] = [];
  const expect = async (args: string[], code = 0) => {
    const run = await runCli(cli, args);
    if (run.code !== code) problems.push(`stackpilot ${args.join(' ')} exited ${run.code ?? run.signal} (expected ${code}):\n${tail(run.stdout)}\n${tail(run.stderr)}`);
    return run.code === code;
  };
  const deploy = ['deploy', dir, '--env', ENV, '--yes', '--json'];
  const remove = ['delete', dir, '--env', ENV, '--yes', '--json'];

  if (phase !== 'create' && !(await expect(deploy))) return { phase, killAt, killed: false, recovered: false, problems, leftovers: [] };
  if (phase === 'update') changeParameters(dir);
  const interrupted = await runCli(cli, phase === 'delete' ? remove : deploy, killAt);
  const killed = interrupted.signal === 'SIGKILL';

  // What a user does next: finish the job, check it, and (for a deploy) take it all down again.
  let recovered: boolean;
  if (phase === 'delete') recovered = await expect(remove);
  else recovered = (await expect(deploy)) && (await expect(['status', dir, '--env', ENV])) && (await expect(remove));
  const leftovers = await unaccounted(join(dir, '.stackpilot', 'local'), problems);
  return { phase, killAt, killed, recovered, problems, leftovers };
}

/** An update that reaches most nested stacks: log retention and the monthly budget. */
function changeParameters(dir: string): void {
  const file = join(dir, 'infrastructure', 'parameters', `${ENV}.json`);
  const parameters = JSON.parse(readFileSync(file, 'utf8')) as { ParameterKey: string; ParameterValue: string }[];
  for (const p of parameters) {
    if (p.ParameterKey === 'LogRetentionDays') p.ParameterValue = '3';
    if (p.ParameterKey === 'MonthlyBudgetLimit') p.ParameterValue = '60';
  }
  writeFileSync(file, JSON.stringify(parameters, null, 2));
}

/**
 * What the data planes hold that nothing accounts for: not the artifacts bucket, not a resource of
 * a live stack, not a resource a stack's events say its DeletionPolicy kept (DELETE_SKIPPED).
 */
async function unaccounted(dataDir: string, problems: string[]): Promise<string[]> {
  const local = await LocalAws.open({ dataDir });
  try {
    await local.settled();
    const cfn = new CloudFormationClient(local.clientConfig());
    const accounted = new Set([artifactsBucketName('plot-palette', local.accountId, local.region)]);
    const stacks = (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
    for (const stack of stacks) {
      for (const e of (await cfn.send(new DescribeStackEventsCommand({ StackName: stack.StackId }))).StackEvents ?? []) if (e.ResourceStatus === 'DELETE_SKIPPED' && e.PhysicalResourceId) accounted.add(e.PhysicalResourceId);
    }
    for (const stack of stacks.filter((s) => s.StackStatus !== 'DELETE_COMPLETE')) {
      // A nested stack its parent's DeletionPolicy kept stays, with all it holds.
      if (!accounted.has(stack.StackId!)) problems.push(`stack ${stack.StackName} is left in ${stack.StackStatus}`);
      else if (stack.StackStatus !== 'CREATE_COMPLETE' && stack.StackStatus !== 'UPDATE_COMPLETE') problems.push(`kept stack ${stack.StackName} is left in ${stack.StackStatus}`);
      for (const r of (await cfn.send(new ListStackResourcesCommand({ StackName: stack.StackId }))).StackResourceSummaries ?? []) if (r.PhysicalResourceId) accounted.add(r.PhysicalResourceId);
    }
    const held = await inventory(local);
    // Secrets are known to stacks by ARN.
    const secretArns = new Map(((await local.clients.secretsManager.send(new ListSecretsCommand({}))).SecretList ?? []).map((s) => [s.Name!, s.ARN!]));
    return [
      ...held.buckets.filter((b) => !accounted.has(b)).map((b) => `bucket ${b}`),
      ...held.tables.filter((t) => !accounted.has(t)).map((t) => `table ${t}`),
      ...held.parameters.filter((p) => !accounted.has(p)).map((p) => `parameter ${p}`),
      ...held.secrets.filter((s) => !accounted.has(secretArns.get(s) ?? s)).map((s) => `secret ${s}`),
    ];
  } finally {
    await local.close();
  }
}
