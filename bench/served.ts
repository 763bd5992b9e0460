import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO } from './measure.ts';

/** `stackpilot local serve` (the built CLI) on a fresh data folder, with SDK clients of it. */
export interface ServedLocalAws {
  url: string;
  cfn: CloudFormationClient;
  s3: S3Client;
  /** The server's resident memory now, in MB (VmRSS of /proc/<pid>/status). */
  rssMb(): number;
  stop(): Promise<void>;
}

export async function serveForBench(): Promise<ServedLocalAws> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackpilot-bench-scale-'));
  const server: ChildProcess = spawn(process.execPath, [join(REPO, 'bin', 'stackpilot.js'), 'local', 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]);
      });
      server.once('exit', () => reject(new Error(`local serve stopped: ${stderr}`)));
    });
    const config = { region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const cfn = new CloudFormationClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    return {
      url,
      cfn,
      s3,
      rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024,
      stop: async () => {
        cfn.destroy();
        s3.destroy();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface Waited {
  status: string;
  /** The slowest DescribeStacks answer while waiting, in ms. */
  slowestDescribeMs: number;
}

/** Polls DescribeStacks until the stack is no longer in progress; deleted stacks are looked up by id. */
export async function waitForStack(cfn: CloudFormationClient, stackId: string, pollMs = 25): Promise<Waited> {
  let slowest = 0;
  for (;;) {
    const start = performance.now();
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks![0];
    slowest = Math.max(slowest, performance.now() - start);
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return { status: stack.StackStatus!, slowestDescribeMs: slowest };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export function pass(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}
