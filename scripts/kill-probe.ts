// `npm run probe:kill -- [--trials N] [--seed S] [--concurrency C]`: kills `stackpilot deploy` and
// `stackpilot delete` of the Plot Palette project with SIGKILL at seeded random points, runs what a
// user runs next, and prints how many trials recovered through the CLI and what was left behind.
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/engine/ids.ts';
import { bundledCli } from '../test/cli-bundle.ts';
import { drawTrials, runKillTrials, type Phase } from '../test/kill/kill-trial.ts';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '2' } } });
const trials = drawTrials(Number(values.trials), seededRandom(Number(values.seed)));
const cli = await bundledCli();
const started = Date.now();
const results = await runKillTrials(cli, trials, Number(values.concurrency), (r) => {
  const verdict = r.recovered && r.leftovers.length === 0 && r.problems.length === 0 ? 'recovered' : 'NOT RECOVERED';
  console.log(`${r.phase.padEnd(6)} kill at line ${String(r.killAt).padStart(3)}${r.killed ? '' : ' (finished first)'}: ${verdict}${r.leftovers.length > 0 ? `, left over: ${r.leftovers.join(', ')}` : ''}`);
  for (const problem of r.problems) console.log(`    ${problem.replace(/\n/g, '\n    ')}`);
});
console.log(`\nkill -9 probe: ${results.length} trials, seed ${values.seed}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const phase of ['create', 'update', 'delete'] as Phase[]) {
  const of = results.filter((r) => r.phase === phase);
  const killed = of.filter((r) => r.killed);
  const recovered = killed.filter((r) => r.recovered && r.problems.length === 0);
  console.log(`  during ${phase}s: ${killed.length} killed (${of.length - killed.length} finished first), ${recovered.length} recovered through the CLI, ${killed.reduce((n, r) => n + r.leftovers.length, 0)} leftovers`);
}
process.exitCode = results.every((r) => r.recovered && r.leftovers.length === 0 && r.problems.length === 0) ? 0 : 1;
