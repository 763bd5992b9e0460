// Mutation testing of the modules where a bug loses data or lies to the user (issue 18).
// Each module's mutants run against that module's own test files only, so a run fits in
// minutes. `npm run mutate` runs every module; `npm run mutate -- state-lock exports` some;
// `npm run mutate -- operations:lifecycle.ts` one source file of a module (a sub-run),
// `operations:create,delete` several.
// Every run records its results per source file (reports/mutation/<module>/<file>-score.json and
// -survivors.txt), and a module's score adds up the latest record of each of its files, so
// sub-runs of a module too big for one sitting add up to its score, by the same formula.
// Prints the score per module (killed / (killed + survived)); the full reports land in
// reports/mutation/<module>.json (or <module>/<file>.json for a sub-run), the survivors in
// reports/mutation/<module>-survivors.txt. Not part of CI. MUTATE_CONCURRENCY sets the
// parallel test runs (default 2).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { makeScratch, testEnvironment } from './test-scratch.mjs';

const root = join(import.meta.dirname, '..');
// A mutant is killed by its first failing test: the test runner stops there (scripts/test.mjs).
process.env.STACKPILOT_TEST_BAIL = '1';

/** Module name -> the source it mutates and the test files (substrings for scripts/test.mjs, paths for the tap runner) that guard it. */
export const MODULES = {
  'state-lock': { mutate: ['src/emulator/state-lock.ts'], runner: 'tap', tests: ['test/emulator/persistence.test.ts', 'test/emulator/state-lock.test.ts'] },
  'exports': { mutate: ['src/engine/exports.ts'], tests: ['test/engine/exports.test.ts', 'test/engine/output-values.test.ts'] },
  'parameters': { mutate: ['src/project/parameters.ts'], tests: ['test/project/project.test.ts', 'test/validate/rules/parameters.test.ts', 'test/project/parameter-sources.test.ts', 'test/project/parameter-precedence.test.ts'] },
  'redaction': { mutate: ['src/redaction.ts'], tests: ['test/redaction.test.ts', 'test/deploy/secrets.test.ts'] },
  'preview': { mutate: ['src/deploy/preview.ts'], runner: 'tap', tests: ['test/deploy/plan.test.ts', 'test/deploy/preview.test.ts', 'test/deploy/plan-review.test.ts'] },
  'stack-deploy': { mutate: ['src/deploy/stack-deploy.ts'], runner: 'tap', tests: ['test/deploy/stack-deploy.test.ts', 'test/deploy/failed-create.test.ts', 'test/deploy/data-safety.test.ts'] },
  's3-store': { mutate: ['src/emulator/s3/s3-store.ts'], tests: ['test/emulator/s3.test.ts', 'test/emulator/persistence.test.ts', 'test/emulator/s3-store.test.ts', 'test/emulator/s3-deleted-buckets.test.ts', 'test/emulator/request-bodies.test.ts'] },
  // The engine's modules run on the tap runner (see tapEnvironment): a mutant runs only the test files that reach it.
  'providers': {
    mutate: ['src/engine/resources/providers/*.ts'],
    runner: 'tap',
    tests: [
      'test/engine/table-resources.test.ts', 'test/engine/bucket-resources.test.ts', 'test/engine/secret-resources.test.ts', 'test/engine/parameter-resources.test.ts',
      'test/engine/updates.test.ts', 'test/engine/rollback.test.ts', 'test/engine/stacks.test.ts', 'test/engine/nested-stacks.test.ts', 'test/engine/data-safety.test.ts', 'test/emulator/stack-resource-tags.test.ts',
    ],
  },
  'operations': {
    mutate: ['src/engine/operations/*.ts'],
    runner: 'tap',
    tests: [
      'test/engine/updates.test.ts', 'test/engine/rollback.test.ts', 'test/engine/stacks.test.ts', 'test/engine/nested-stacks.test.ts', 'test/engine/change-sets.test.ts', 'test/engine/data-safety.test.ts',
      'test/engine/exports.test.ts', 'test/engine/drift-detection.test.ts', 'test/engine/change-set-lifecycle.test.ts', 'test/engine/stack-policy.test.ts', 'test/engine/deleted-stacks.test.ts',
      'test/engine/replacement-verdicts.test.ts', 'test/engine/missing-imports.test.ts', 'test/engine/stack-settings.test.ts', 'test/engine/crash-recovery.test.ts', 'test/engine/stack-ids.test.ts',
      'test/engine/response-shapes.test.ts', 'test/engine/return-values.test.ts',
    ],
  },
};

// Stryker's own score: undetected mutants count against it; mutants that do not compile or crash the runner do not count.
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const reports = join(root, 'reports', 'mutation');

/** The source files a module mutates (its `mutate` entries may end in `*.ts`). */
function sourcesOf(module) {
  return module.mutate.flatMap((pattern) => {
    if (!pattern.endsWith('*.ts')) return [pattern];
    const dir = pattern.slice(0, -'*.ts'.length);
    return readdirSync(join(root, dir)).filter((name) => name.endsWith('.ts')).sort().map((name) => `${dir}${name}`);
  });
}

/** Where a module's per-file record of one source file lives. */
const recordOf = (name, source) => join(reports, name, basename(source, '.ts'));

/**
 * The tap runner runs each test file on its own and knows which files reach each mutant: a
 * mutant runs only those files (none when no test reaches it). It needs the suite's environment
 * that scripts/test.mjs otherwise sets: a temporary folder of the run's own, with tsx's warm cache.
 */
function tapEnvironment() {
  const scratch = makeScratch('mutate');
  Object.assign(process.env, testEnvironment(scratch));
  return scratch;
}

/** `only`: the module's source files to mutate (`lifecycle` or `lifecycle.ts`), all of them when undefined. */
async function mutateModule(name, only) {
  const module = MODULES[name];
  const wanted = (source) => only === undefined || only.some((file) => basename(source) === file || basename(source) === `${file}.ts`);
  const sources = sourcesOf(module).filter(wanted);
  const unknownFiles = (only ?? []).filter((file) => !sourcesOf(module).some((source) => basename(source) === file || basename(source) === `${file}.ts`));
  if (unknownFiles.length > 0) throw new Error(`module ${name} has no source file ${unknownFiles.join(', ')}; its files: ${sourcesOf(module).map((s) => basename(s)).join(', ')}`);
  mkdirSync(join(reports, name), { recursive: true });
  const reportFile = only === undefined ? join('reports', 'mutation', `${name}.json`) : join('reports', 'mutation', name, `${sources.map((source) => basename(source, '.ts')).join('+')}.json`);
  const runner = module.runner === 'tap'
    // The last report of the same run is the baseline: a mutant whose code and covering test files
    // did not change keeps its result, so a re-run after adding tests costs only what changed.
    // (The command runner cannot say which test files a mutant reaches, so it always runs in full.)
    ? { testRunner: 'tap', tap: { testFiles: module.tests, nodeArgs: ['--import', 'tsx'], forceBail: true }, coverageAnalysis: 'perTest', incremental: true, incrementalFile: reportFile }
    : { testRunner: 'command', commandRunner: { command: `node scripts/test.mjs ${module.tests.join(' ')}` }, coverageAnalysis: 'off' };
  const scratch = module.runner === 'tap' ? tapEnvironment() : undefined;
  const stryker = new Stryker({
    mutate: only === undefined ? module.mutate : sources,
    ...runner,
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.json',
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
    timeoutMS: 20_000,
    timeoutFactor: 2,
    reporters: ['json', 'progress'],
    jsonReporter: { fileName: reportFile },
    // The vendored corpus and build outputs are not mutated and the selected tests do not need a copy of dist.
    // Each run has a sandbox folder of its own (named as its report), so two runs can overlap.
    ignorePatterns: ['dist', 'reports', '.stackpilot', '.stryker-tmp'],
    tempDirName: join('.stryker-tmp', relative(join('reports', 'mutation'), reportFile).replace(/\.json$/, '').replace(/[/\\]/g, '-')),
    cleanTempDir: 'always',
  });
  let results;
  try {
    results = await stryker.runMutationTest();
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const at = new Date().toISOString();
  for (const source of sources) {
    const mine = results.filter((r) => relative(root, r.fileName) === source);
    const detected = mine.filter((r) => DETECTED.has(r.status)).length;
    const undetected = mine.filter((r) => UNDETECTED.has(r.status));
    const survivors = undetected.map((r) => `${source}:${r.location.start.line}:${r.location.start.column} ${r.mutatorName} ${r.status}: ${(r.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120)}`);
    writeFileSync(`${recordOf(name, source)}-survivors.txt`, survivors.map((line) => `${line}\n`).join(''));
    writeFileSync(`${recordOf(name, source)}-score.json`, JSON.stringify({ source, detected, survived: undetected.length, ignored: mine.length - detected - undetected.length, at }));
  }
  return combineModule(name);
}

/** A module's score from the latest record of each of its files; files never run are named. */
function combineModule(name) {
  const sources = sourcesOf(MODULES[name]);
  const records = sources.filter((source) => existsSync(`${recordOf(name, source)}-score.json`)).map((source) => JSON.parse(readFileSync(`${recordOf(name, source)}-score.json`, 'utf8')));
  const sum = (key) => records.reduce((total, record) => total + record[key], 0);
  const detected = sum('detected');
  const survived = sum('survived');
  const total = detected + survived;
  const missing = sources.filter((source) => !existsSync(`${recordOf(name, source)}-score.json`)).map((source) => basename(source));
  const survivors = records.map((record) => readFileSync(`${recordOf(name, record.source)}-survivors.txt`, 'utf8')).join('');
  writeFileSync(join(reports, `${name}-survivors.txt`), survivors);
  const dates = records.map((record) => record.at).sort();
  const score = { name, detected, survived, ignored: sum('ignored'), score: total === 0 ? 100 : (100 * detected) / total, at: dates.at(-1), ...(dates[0] !== dates.at(-1) ? { since: dates[0] } : {}), ...(missing.length > 0 ? { missing } : {}) };
  writeFileSync(join(reports, `${name}-score.json`), JSON.stringify(score));
  return score;
}

// `operations:create,delete` mutates two files of operations in one run (one start-up, one initial test run).
const asked = process.argv.slice(2).map((arg) => {
  const [name, files] = arg.split(':');
  return { name, only: files?.split(',') };
});
const unknown = asked.filter(({ name }) => !(name in MODULES));
if (unknown.length > 0) {
  console.error(`unknown module ${unknown.map(({ name }) => name).join(', ')}; known: ${Object.keys(MODULES).join(', ')}`);
  process.exit(2);
}
mkdirSync(reports, { recursive: true });
for (const { name, only } of asked.length > 0 ? asked : Object.keys(MODULES).map((name) => ({ name }))) await mutateModule(name, only);
// Every module's latest score, also those measured by an earlier run (dated), so partial runs add up.
const scores = Object.keys(MODULES).flatMap((name) => {
  const file = join(reports, `${name}-score.json`);
  return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8'))] : [];
});
const table = scores.map((s) => `${s.name.padEnd(14)} ${s.score.toFixed(1).padStart(5)}%  killed ${s.detected}, survived ${s.survived}, not counted ${s.ignored}  (${s.since ? `${s.since} to ` : ''}${s.at})${s.missing ? `  files not run yet: ${s.missing.join(', ')}` : ''}`);
writeFileSync(join(reports, 'summary.txt'), table.join('\n') + '\n');
console.log(`\nmutation score per module (goal: 85%; not counted: mutants that do not type-check)\n${table.join('\n')}`);
