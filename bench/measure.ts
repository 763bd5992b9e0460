import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const REPO = join(import.meta.dirname, '..');
const RSS_REPORTER = join(import.meta.dirname, 'report-rss.mjs');

export interface Measurement {
  seconds: number;
  peakRssMb: number;
  status: number | null;
}

/** Runs the built CLI once in a fresh process: wall time and peak resident memory. */
export function runBuiltCli(args: string[]): Measurement {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', RSS_REPORTER, join(REPO, 'bin', 'stackpilot.js'), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  const rss = /bench-peak-rss-kb (\d+)/.exec(result.stderr);
  return { seconds, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN, status: result.status };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function verdict(value: number, target: number): string {
  return value <= target ? 'ok' : 'OVER TARGET';
}
