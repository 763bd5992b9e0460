import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../src/engine/ids.ts';
import { bundledCli } from '../cli-bundle.ts';
import { drawTrials, runKillTrials } from './kill-trial.ts';

describe('kill -9 at any moment', () => {
  it('leaves state the next deploy, status and delete recover from, with nothing left that no stack accounts for (20 seeded trials)', async () => {
    const cli = await bundledCli();
    const results = await runKillTrials(cli, drawTrials(20, seededRandom(20261130)), 2);
    const failures = results.filter((r) => !r.recovered || r.leftovers.length > 0 || r.problems.length > 0);
    assert.deepEqual(
      failures.map((r) => `${r.phase} killed at line ${r.killAt}: ${[...r.problems, ...r.leftovers.map((l) => `left over: ${l}`)].join('\n')}`),
      [],
    );
    assert.ok(results.filter((r) => r.killed).length >= 15, 'most kills land while the command runs');
  });
});
