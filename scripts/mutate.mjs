// Mutation testing of the modules where a bug loses data or lies to the user (issue 18).
// Each module's mutants run against that module's own test files only, so a run fits in
// minutes. `npm run mutate` runs every module; `npm run mutate -- state-lock exports` some.
// Prints the score per module (killed / (killed + survived)); the full reports land in
// reports/mutation/<module>.json, the survivors in reports/mutation/<module>-survivors.txt.
// Not part of CI. MUTATE_CONCURRENCY sets the parallel test runs (default 2).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Stryker } from '@stryker-mutator/core';

const root = join(import.meta.dirname, '..');
// A mutant is killed by its first failing test: the test runner stops there (scripts/test.mjs).
process.env.STACKPILOT_TEST_BAIL = '1';

/** Module name -> the source it mutates and the test files (substrings for scripts/test.mjs) that guard it. */
export const MODULES = {
  'state-lock': { mutate: ['src/emulator/state-lock.ts'], tests: ['test/emulator/persistence.test.ts', 'test/emulator/state-lock.test.ts'] },
  'exports': { mutate: ['src/engine/exports.ts'], tests: ['test/engine/exports.test.ts', 'test/engine/output-values.test.ts'] },
  'parameters': { mutate: ['src/project/parameters.ts'], tests: ['test/project/project.test.ts', 'test/validate/rules/parameters.test.ts', 'test/project/parameter-sources.test.ts', 'test/project/parameter-precedence.test.ts'] },
  'redaction': { mutate: ['src/redaction.ts'], tests: ['test/redaction.test.ts', 'test/deploy/secrets.test.ts'] },
  'preview': { mutate: ['src/deploy/preview.ts'], tests: ['test/deploy/plan.test.ts', 'test/deploy/preview.test.ts', 'test/deploy/plan-review.test.ts'] },
  'stack-deploy': { mutate: ['src/deploy/stack-deploy.ts'], tests: ['test/deploy/deploy.test.ts', 'test/deploy/failed-create.test.ts'] },
  's3-store': { mutate: ['src/emulator/s3/s3-store.ts'], tests: ['test/emulator/s3.test.ts', 'test/emulator/persistence.test.ts', 'test/emulator/s3-store.test.ts', 'test/emulator/s3-deleted-buckets.test.ts', 'test/emulator/request-bodies.test.ts'] },
  'providers': {
    mutate: ['src/engine/resources/providers/*.ts'],
    tests: ['test/engine/updates.test.ts', 'test/engine/rollback.test.ts', 'test/engine/stacks.test.ts', 'test/engine/nested-stacks.test.ts', 'test/engine/data-safety.test.ts'],
  },
  'operations': {
    mutate: ['src/engine/operations/*.ts'],
    tests: ['test/engine/updates.test.ts', 'test/engine/rollback.test.ts', 'test/engine/stacks.test.ts', 'test/engine/nested-stacks.test.ts', 'test/engine/change-sets.test.ts', 'test/engine/data-safety.test.ts'],
  },
};

// Stryker's own score: undetected mutants count against it; mutants that do not compile or crash the runner do not count.
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

async function mutateModule(name) {
  const module = MODULES[name];
  const reportFile = join('reports', 'mutation', `${name}.json`);
  const stryker = new Stryker({
    mutate: module.mutate,
    testRunner: 'command',
    commandRunner: { command: `node scripts/test.mjs ${module.tests.join(' ')}` },
    coverageAnalysis: 'off',
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.json',
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
    timeoutMS: 20_000,
    timeoutFactor: 2,
    reporters: ['json', 'progress'],
    jsonReporter: { fileName: reportFile },
    // The vendored corpus and build outputs are not mutated and the selected tests do not need a copy of dist.
    ignorePatterns: ['dist', 'reports', '.stackpilot'],
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
  });
  const results = await stryker.runMutationTest();
  const detected = results.filter((r) => DETECTED.has(r.status)).length;
  const undetected = results.filter((r) => UNDETECTED.has(r.status));
  const survivors = undetected.map((r) => `${relative(root, r.fileName)}:${r.location.start.line}:${r.location.start.column} ${r.mutatorName} ${r.status}: ${(r.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120)}`);
  writeFileSync(join(root, 'reports', 'mutation', `${name}-survivors.txt`), survivors.join('\n') + '\n');
  const total = detected + undetected.length;
  const score = { name, detected, survived: undetected.length, ignored: results.length - total, score: total === 0 ? 100 : (100 * detected) / total, at: new Date().toISOString() };
  writeFileSync(join(root, 'reports', 'mutation', `${name}-score.json`), JSON.stringify(score));
  return score;
}

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in MODULES));
if (unknown.length > 0) {
  console.error(`unknown module ${unknown.join(', ')}; known: ${Object.keys(MODULES).join(', ')}`);
  process.exit(2);
}
mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
for (const name of asked.length > 0 ? asked : Object.keys(MODULES)) await mutateModule(name);
// Every module's latest score, also those measured by an earlier run (dated), so partial runs add up.
const scores = Object.keys(MODULES).flatMap((name) => {
  const file = join(root, 'reports', 'mutation', `${name}-score.json`);
  return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8'))] : [];
});
const table = scores.map((s) => `${s.name.padEnd(14)} ${s.score.toFixed(1).padStart(5)}%  killed ${s.detected}, survived ${s.survived}, not counted ${s.ignored}  (${s.at})`);
writeFileSync(join(root, 'reports', 'mutation', 'summary.txt'), table.join('\n') + '\n');
console.log(`\nmutation score per module (goal: 85%; not counted: mutants that do not type-check)\n${table.join('\n')}`);
