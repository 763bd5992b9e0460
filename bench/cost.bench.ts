import { join } from 'node:path';
import { median, REPO, runBuiltCli, verdict } from './measure.ts';

/** `stackpilot cost` on Plot Palette production (master + 9 nested stacks, two regions), cold CLI runs. */
export function benchCost(): void {
  const project = join(REPO, 'examples', 'plot-palette');
  const runs = [0, 1, 2, 3, 4].map(() => runBuiltCli(['cost', project, '--env', 'production', '--format', 'json']));
  const seconds = median(runs.map((r) => r.seconds));
  console.log('cost: Plot Palette production, both regions (median of 5 fresh processes)');
  console.log(`  wall time   ${(seconds * 1000).toFixed(0)} ms   (target < 1.5 s: ${verdict(seconds, 1.5)})`);
  console.log(`  peak RSS    ${Math.max(...runs.map((r) => r.peakRssMb)).toFixed(0)} MB`);
}
