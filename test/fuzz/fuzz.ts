import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/engine/ids.ts';
import { aliasBomb, bigJsonTemplate, CATASTROPHIC_PATTERN, deepJson, deepYamlBlock, deepYamlFlow, HOSTILE_NAMES, hostileKeysTemplate, hostileNamesTemplate, hostileTypesTemplate, missingMappingKeyTemplate, missingNamesTemplate, missingSecretKeyTemplate, NAME_PLACES, patternTemplate, SELF_ALIAS, WRONG_SHAPES, YAML_STAIRS } from './hostile-cases.ts';
import { IsolatedRunner, type Outcome } from './isolated-runner.ts';
import { loadSeeds, mutate, type Mutation } from './mutations.ts';

export interface FuzzOptions {
  repo: string;
  /** Mutated templates to try (the hostile cases are tried first, on top). */
  mutations: number;
  seed: number;
  /** Per input: past it, the input is a hang. Generous: it only detects hangs. */
  budgetMs: number;
  onProgress?: (done: number, report: FuzzReport) => void;
}

export interface FuzzFailure {
  kind: 'crash' | 'hang';
  target: 'validate' | 'engine';
  input: string;
  steps: string[];
  detail: string;
  /** The input, kept to reproduce the failure. */
  savedAt: string;
}

export interface FuzzReport {
  /** Inputs tried: the hostile cases, then the mutations. */
  inputs: number;
  mutations: number;
  /** Calls made: validate once, ValidateTemplate and CreateStack per input. */
  calls: number;
  outcomes: Record<Outcome['kind'], number>;
  failures: FuzzFailure[];
  crashes: number;
  hangs: number;
  /** Highest peak resident memory of the processes that read the input. */
  peakRssMb: number;
  /** The input that raised the peak to its highest. */
  peakInput?: string;
  /** Peak resident memory of the validate child and of the engine child apart. */
  peakRssMbByTarget: Record<FuzzFailure['target'], number>;
  seconds: number;
}

/** The cases each observed problem was reported with, read before any mutation. */
export function hostileInputs(): Mutation[] {
  const cases: [string, string, 'json' | 'yaml'][] = [
    ['catastrophic AllowedPattern', CATASTROPHIC_PATTERN, 'yaml'],
    ['lookahead AllowedPattern', patternTemplate('^(?=a)abc$'), 'yaml'],
    ['alias bomb', aliasBomb(), 'yaml'],
    ['self alias', SELF_ALIAS, 'yaml'],
    ['JSON 10,000 deep', deepJson(10_000), 'json'],
    ['YAML flow 10,000 deep', deepYamlFlow(10_000), 'yaml'],
    ['YAML block 1,000 deep', deepYamlBlock(1_000), 'yaml'],
    ['YAML stairs', YAML_STAIRS, 'yaml'],
    ['values of the wrong shape', WRONG_SHAPES, 'yaml'],
    ['JSON of 6 MB', bigJsonTemplate(6_000_000), 'json'],
    ['JSON of 2 MB', bigJsonTemplate(2_000_000), 'json'],
    ...HOSTILE_NAMES.flatMap((name): [string, string, 'yaml'][] => [
      [`${name} as keys`, hostileKeysTemplate(name), 'yaml'],
      ...NAME_PLACES.map((place): [string, string, 'yaml'] => [`${name} as ${place} name`, hostileNamesTemplate(name, place), 'yaml']),
      [`${name} undeclared`, missingNamesTemplate(name), 'yaml'],
      [`${name} as a missing mapping key`, missingMappingKeyTemplate(name), 'yaml'],
      [`${name} as a missing secret key`, missingSecretKeyTemplate(name), 'yaml'],
      [`${name} as types`, hostileTypesTemplate(name), 'yaml'],
    ]),
  ];
  return cases.map(([seed, text, format]) => ({ seed, steps: ['hostile case'], text, format }));
}

/**
 * Feeds hostile cases and seeded mutations of the reference templates and the corpus to
 * `stackpilot validate` and to the local engine (ValidateTemplate, CreateStack), each in its
 * own child process with a time budget per input. A crash is anything but findings, a
 * StackpilotError or an AWS-shaped error; a hang is an input that outlives its budget.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const random = seededRandom(options.seed);
  const seeds = loadSeeds(options.repo);
  const validateRunner = new IsolatedRunner(options.budgetMs);
  const engineRunner = new IsolatedRunner(options.budgetMs);
  const failuresDir = join(tmpdir(), `stackpilot-fuzz-${options.seed}`);
  const report: FuzzReport = { inputs: 0, mutations: 0, calls: 0, outcomes: { accepted: 0, refused: 0, crash: 0, hang: 0 }, failures: [], crashes: 0, hangs: 0, peakRssMb: 0, peakRssMbByTarget: { validate: 0, engine: 0 }, seconds: 0 };

  const record = (target: FuzzFailure['target'], input: Mutation, outcomes: Outcome[]) => {
    for (const outcome of outcomes) {
      report.calls++;
      report.outcomes[outcome.kind]++;
      if (outcome.kind !== 'crash' && outcome.kind !== 'hang') continue;
      mkdirSync(failuresDir, { recursive: true });
      const savedAt = join(failuresDir, `${report.failures.length}-${target}.${input.format}`);
      writeFileSync(savedAt, input.text);
      report.failures.push({ kind: outcome.kind, target, input: input.seed, steps: input.steps, detail: outcome.detail.slice(0, 2000), savedAt });
    }
  };

  const inputs = hostileInputs();
  try {
    for (let i = 0; i < inputs.length + options.mutations; i++) {
      const input = i < inputs.length ? inputs[i] : mutate(seeds, random);
      if (i >= inputs.length) report.mutations++;
      report.inputs++;
      const entry = `template.${input.format}`;
      const [validated, engine] = await Promise.all([
        validateRunner.run({ target: 'validate', files: { [entry]: input.text }, entry }),
        engineRunner.run({ target: 'engine', body: input.text, via: Buffer.byteLength(input.text) > 51_200 && random() < 0.5 ? 'url' : 'body' }),
      ]);
      record('validate', input, validated);
      record('engine', input, engine);
      report.crashes = report.failures.filter((f) => f.kind === 'crash').length;
      report.hangs = report.failures.filter((f) => f.kind === 'hang').length;
      report.peakRssMbByTarget = { validate: validateRunner.peakRssMb, engine: engineRunner.peakRssMb };
      const peak = Math.max(validateRunner.peakRssMb, engineRunner.peakRssMb);
      if (peak > report.peakRssMb) [report.peakRssMb, report.peakInput] = [peak, `${input.seed} (${input.steps.join(', ')}), ${(input.text.length / 1e6).toFixed(1)} MB`];
      options.onProgress?.(report.inputs, report);
    }
  } finally {
    await Promise.all([validateRunner.close(), engineRunner.close()]);
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
