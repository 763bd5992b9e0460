import { fuzz } from '../test/fuzz/fuzz.ts';
import { REPO, verdict } from './measure.ts';

/**
 * The fuzz campaign: hostile cases and seeded mutations of the reference templates and the
 * corpus through `stackpilot validate` and the local engine. FUZZ_MUTATIONS and FUZZ_SEED
 * change its size and seed (default 10,000 mutations, seed 1).
 */
export async function benchFuzz(): Promise<void> {
  const mutations = Number(process.env.FUZZ_MUTATIONS ?? 10_000);
  const seed = Number(process.env.FUZZ_SEED ?? 1);
  const report = await fuzz({
    repo: REPO,
    mutations,
    seed,
    budgetMs: 30_000,
    onProgress: (done, r) => {
      if (done % 1000 === 0) process.stderr.write(`  fuzz: ${done} inputs, ${r.crashes} crashes, ${r.hangs} hangs\n`);
    },
  });
  console.log(`fuzz: ${report.inputs - report.mutations} hostile cases and ${report.mutations} mutations (seed ${seed}), each through validate and the engine`);
  console.log(`  calls       ${report.calls} (${report.outcomes.accepted} accepted, ${report.outcomes.refused} refused with a finding or an error)`);
  console.log(`  crashes     ${report.crashes}   (target 0: ${verdict(report.crashes, 0)})`);
  console.log(`  hangs       ${report.hangs}   (target 0: ${verdict(report.hangs, 0)}; a hang is an input not answered within 30 s)`);
  console.log(`  peak RSS    ${report.peakRssMb.toFixed(0)} MB   (target < 512 MB: ${verdict(report.peakRssMb, 512)}; validate ${report.peakRssMbByTarget.validate.toFixed(0)} MB, engine ${report.peakRssMbByTarget.engine.toFixed(0)} MB)`);
  console.log(`              reached on ${report.peakInput}`);
  console.log(`  wall time   ${report.seconds.toFixed(0)} s`);
  for (const failure of report.failures.slice(0, 10)) {
    console.log(`  ${failure.kind} in ${failure.target}: ${failure.input} (${failure.steps.join(', ')}), saved at ${failure.savedAt}`);
    console.log(`    ${failure.detail.split('\n')[0]}`);
  }
}
