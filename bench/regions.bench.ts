import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployProject } from '../src/deploy/deploy.ts';
import { REPO, verdict } from './measure.ts';

/** Simulated AWS durations at a fifth of their length: one region of plot-palette takes several seconds. */
const TIME_SCALE = 0.2;
const MORE_REGIONS = ['eu-west-1', 'eu-central-1'];

/** A fresh copy of plot-palette; with `fourRegions`, production covers two more regions, their overrides copied from us-west-2 (models offered there too). */
function copyPlotPalette(fourRegions: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'stackpilot-bench-regions-'));
  cpSync(join(REPO, 'examples', 'plot-palette'), dir, { recursive: true, filter: (source) => !/[/\\](\.stackpilot|node_modules|outputs\.json)$/.test(source) });
  if (fourRegions) {
    const manifest = join(dir, 'stackpilot.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('regions: [us-east-1, us-west-2]', `regions: [us-east-1, us-west-2, ${MORE_REGIONS.join(', ')}]`));
    const overridesFile = join(dir, 'infrastructure', 'parameters', 'regions.json');
    const overrides = JSON.parse(readFileSync(overridesFile, 'utf8')) as Record<string, { VPCCidr: string }>;
    overrides[MORE_REGIONS[0]] = { ...overrides['us-west-2'], VPCCidr: '10.2.0.0/16' };
    overrides[MORE_REGIONS[1]] = { ...overrides['us-west-2'], VPCCidr: '10.3.0.0/16' };
    writeFileSync(overridesFile, JSON.stringify(overrides, null, 2));
  }
  return dir;
}

/** Seconds to deploy plot-palette production, in the regions given (all of the copy's when none), on a fresh local engine. */
async function timeDeploy(fourRegions: boolean, regions?: string[]): Promise<number> {
  const dir = copyPlotPalette(fourRegions);
  try {
    const start = performance.now();
    const report = await deployProject(dir, { target: 'local', env: 'production', ...(regions ? { regions } : {}), concurrency: 4, yes: true, engine: { timeScale: TIME_SCALE } }, () => {});
    if (!report.ok) throw new Error(`plot-palette production did not deploy in ${regions?.join(', ') ?? 'every region'}`);
    return (performance.now() - start) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Regions deploy side by side: the wall time of two and four regions beside the slowest single region. */
export async function benchRegions(): Promise<void> {
  console.log(`regions: plot-palette production (master + 9 nested stacks per region), simulated durations (time scale ${TIME_SCALE})`);
  const singles = new Map<string, number>();
  for (const region of ['us-east-1', 'us-west-2']) {
    singles.set(region, await timeDeploy(false, [region]));
    console.log(`  one region, ${region.padEnd(12)} ${singles.get(region)!.toFixed(2)} s`);
  }
  const slowest = Math.max(...singles.values());
  for (const [count, fourRegions] of [[2, false], [4, true]] as const) {
    const wall = await timeDeploy(fourRegions);
    const ratio = wall / slowest;
    console.log(`  ${count} regions at once       ${wall.toFixed(2)} s   = ${ratio.toFixed(3)} x the slowest single region (target <= 1.2: ${verdict(ratio, 1.2)})`);
  }
}
