import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPO } from '../helpers.ts';
import { fuzz } from './fuzz.ts';

/**
 * Seeded, bounded fuzzing of everything that reads a template: the hostile cases, then
 * mutations of the reference templates and the public corpus, through `stackpilot validate`
 * and the local engine. `npm run bench` runs a longer campaign of the same.
 */
describe('fuzzing the template readers', () => {
  it('neither crashes, hangs nor blows up its memory on hostile and mutated templates', async () => {
    const report = await fuzz({ repo: REPO, mutations: 300, seed: 2026, budgetMs: 30_000 });
    const failures = report.failures.map((f) => `${f.kind} in ${f.target}: ${f.input} (${f.steps.join(', ')}), saved at ${f.savedAt}\n${f.detail}`);
    assert.deepEqual(failures, []);
    assert.ok(report.peakRssMb < 512, `peak RSS ${report.peakRssMb.toFixed(0)} MB`);
    // Both readers saw input they accepted and input they refused: the mutations reach past the parser.
    assert.ok(report.outcomes.accepted > 0 && report.outcomes.refused > 0, JSON.stringify(report.outcomes));
  });
});
