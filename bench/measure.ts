import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const REPO = join(import.meta.dirname, '..');
const RSS_REPORTER = join(import.meta.dirname, 'report-rss.mjs');

export interface Measurement {
  seconds: number;
  /** User + system CPU time of the process: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMb: number;
  status: number | null;
}

/** Runs the built CLI once in a fresh process: wall time, CPU time and peak resident memory. */
export function runBuiltCli(args: string[]): Measurement {
  return runNode([join(REPO, 'bin', 'stackpilot.js'), ...args]);
}

/** Runs `node ARGS` once in a fresh process, measured as runBuiltCli measures the CLI. */
export function runNode(args: string[]): Measurement {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', RSS_REPORTER, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  const rss = /bench-peak-rss-kb (\d+)/.exec(result.stderr);
  const cpu = /bench-cpu-us (\d+)/.exec(result.stderr);
  return { seconds, cpuSeconds: cpu ? Number(cpu[1]) / 1e6 : NaN, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN, status: result.status };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function verdict(value: number, target: number): string {
  return value <= target ? 'ok' : 'OVER TARGET';
}
