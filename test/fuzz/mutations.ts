import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listTemplateFiles } from '../../src/project/project.ts';
import { aliasBomb, HOSTILE_NAMES, SELF_ALIAS } from './hostile-cases.ts';

/** A seeded source of numbers in [0, 1) (src/engine/ids.ts's seededRandom). */
export type Random = () => number;

export interface Seed {
  /** Where it came from, relative to the repository. */
  name: string;
  text: string;
  format: 'json' | 'yaml';
}

export interface Mutation {
  seed: string;
  /** The mutators applied, in order. */
  steps: string[];
  text: string;
  format: 'json' | 'yaml';
}

/** The templates the fuzzer starts from: the reference projects' and the vendored public corpus. */
export function loadSeeds(repo: string): Seed[] {
  const folders = [join(repo, 'examples'), join(repo, 'test', 'corpus')];
  return folders.flatMap((folder) =>
    listTemplateFiles(folder)
      .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
      .filter(({ path, text }) => !path.includes('stackpilot.yaml') && /\bResources\b/.test(text))
      .map(({ path, text }) => ({ name: relative(repo, path), text, format: /\.json$/i.test(path) ? ('json' as const) : ('yaml' as const) })),
  );
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const at = (random: Random, text: string) => Math.floor(random() * (text.length + 1));
const insert = (text: string, position: number, piece: string) => text.slice(0, position) + piece + text.slice(position);

/**
 * Inputs are cut at this size: past every limit stackpilot has (5 MB for validate, 1 MB from S3),
 * and small enough to hand to a child process (a repeated line of a huge string reached 500 MB).
 */
const MAX_MUTATION_CHARS = 12_000_000;

const CATASTROPHIC = ['^(a|a)*$', '^(a+)+$', '(x+x+)+y', '^(\\w+\\s?)*$', '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', '(?=a)a', '(a)\\1', 'a*+', '(.*a){25}'];
const ODD_TEXT = ['\u0000', '\ud800', '\u202e', '\ufeff', '\\', '"', "'", '\n', '\t', ':', '- ', '#', '&a ', '*a', '!Ref', '!Sub', '${', '}', '{', '[', ']', ',', '%', '@', '`', '|', '>'];

/** Each mutator rewrites a template in one way a careless or hostile author might. */
const MUTATORS: Record<string, (text: string, random: Random, format: Seed['format'], seeds: Seed[]) => string> = {
  'flip-bytes': (text, random) => {
    let out = text;
    for (let i = between(random, 1, 8); i > 0; i--) {
      const p = Math.floor(random() * out.length);
      out = out.slice(0, p) + String.fromCharCode(Math.floor(random() * 256)) + out.slice(p + 1);
    }
    return out;
  },
  truncate: (text, random) => text.slice(0, at(random, text)),
  'duplicate-span': (text, random) => {
    const start = at(random, text);
    const span = text.slice(start, start + between(random, 1, 2000));
    return insert(text, at(random, text), span.repeat(between(random, 1, 3)));
  },
  'repeat-line': (text, random) => {
    const lines = text.split('\n');
    const i = Math.floor(random() * lines.length);
    const copies = Math.min(between(random, 2, 3000), Math.floor(MAX_MUTATION_CHARS / (lines[i].length + 1)));
    lines.splice(i, 0, ...Array<string>(copies).fill(lines[i]));
    return lines.join('\n');
  },
  'deep-nesting': (text, random) => {
    const depth = pick(random, [50, 99, 100, 101, 150, 1000, 20_000]);
    const [open, close] = pick(random, [['[', ']'], ['{"a":', '}'], ['{a: ', '}']]);
    return insert(text, at(random, text), open.repeat(depth) + close.repeat(depth));
  },
  'alias-bomb': (text, random, format) => {
    if (format === 'json' || random() < 0.3) return pick(random, [aliasBomb(), aliasBomb(between(random, 2, 12), between(random, 2, 12)), SELF_ALIAS]);
    return `${text}\n${aliasBomb(between(random, 3, 12), between(random, 3, 12)).replace(/\nResources:[\s\S]*$/, '')}\n`;
  },
  'anchor-alias': (text, random) => {
    // An anchor on some value and aliases to it elsewhere, possibly inside it.
    const anchored = insert(text, at(random, text), ' &x ');
    let out = anchored;
    for (let i = between(random, 1, 20); i > 0; i--) out = insert(out, at(random, out), ' *x ');
    return out;
  },
  'huge-string': (text, random) => insert(text, at(random, text), pick(random, ['x', 'ab', '\\u00e9', ' ', '{{resolve:ssm:x}}', '${A}']).repeat(pick(random, [1000, 60_000, 600_000]))),
  'hostile-name': (text, random) => {
    const words = [...new Set(text.match(/\b[A-Z][A-Za-z0-9]{2,}\b/g) ?? [])];
    if (words.length === 0) return text;
    const word = pick(random, words);
    return text.split(word).join(pick(random, HOSTILE_NAMES));
  },
  'catastrophic-pattern': (text, random, format) => {
    const pattern = pick(random, CATASTROPHIC);
    const value = 'a'.repeat(between(random, 20, 5000)) + pick(random, ['b', '!', '', 'a']);
    if (format === 'json') {
      const declaration = `"FuzzParam": {"Type": "String", "AllowedPattern": ${JSON.stringify(pattern)}, "Default": ${JSON.stringify(value)}}`;
      return /"Parameters"\s*:\s*\{/.test(text) ? text.replace(/"Parameters"\s*:\s*\{/, (m) => `${m}${declaration},`) : text.replace(/^\s*\{/, `{"Parameters": {${declaration}},`);
    }
    const declaration = `  FuzzParam:\n    Type: String\n    AllowedPattern: ${JSON.stringify(pattern)}\n    Default: ${JSON.stringify(value)}\n`;
    return /^Parameters:\s*$/m.test(text) ? text.replace(/^Parameters:\s*$/m, (m) => `${m}\n${declaration}`) : `Parameters:\n${declaration}${text}`;
  },
  'odd-text': (text, random) => {
    let out = text;
    for (let i = between(random, 1, 10); i > 0; i--) out = insert(out, at(random, out), pick(random, ODD_TEXT));
    return out;
  },
  'swap-shape': (text, random, format) => {
    // A scalar becomes a mapping or a list holding one: where a name, a Default or a pattern was expected.
    // No alternation under a star: V8 runs that by recursion, and overflows on a long string.
    const scalars = format === 'json' ? /(:\s*)("[^"\n]*"|-?\d+(?:\.\d+)?|true|false|null)/g : /(:[ \t]+)([^\s{[&*!|>#][^\n]*)$/gm;
    const found = [...text.matchAll(scalars)];
    if (found.length === 0) return text;
    const chosen = [...new Set(Array.from({ length: between(random, 1, 5) }, () => pick(random, found)))].sort((a, b) => b.index - a.index);
    let out = text;
    for (const match of chosen) {
      // From the last to the first, so each replacement leaves the earlier positions as they were.
      const shape = format === 'json' ? pick(random, ['{"a": [1]}', '[{"b": 1}]', '{}', '[]', '{"Ref": {"c": 1}}']) : pick(random, ['{a: [1]}', '[{b: 1}]', '{}', '[]', '!Ref {c: 1}', '[[x]]']);
      const start = match.index + match[1].length;
      out = out.slice(0, start) + shape + out.slice(start + match[2].length);
    }
    return out;
  },
  'odd-number': (text, random) => text.replace(/\b\d+\b/, pick(random, ['1e309', '-0', '99999999999999999999999', 'NaN', '0x10', '.5', '1_000'])),
  splice: (text, random, _format, seeds) => {
    const other = pick(random, seeds).text;
    const start = at(random, other);
    return insert(text, at(random, text), other.slice(start, start + between(random, 1, 4000)));
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);


/** One to three mutators applied to a seed chosen at random. */
export function mutate(seeds: Seed[], random: Random): Mutation {
  const seed = pick(random, seeds);
  const steps: string[] = [];
  let text = seed.text;
  for (let i = between(random, 1, 3); i > 0; i--) {
    const name = pick(random, MUTATOR_NAMES);
    steps.push(name);
    text = MUTATORS[name](text, random, seed.format, seeds).slice(0, MAX_MUTATION_CHARS);
  }
  return { seed: seed.name, steps, text, format: seed.format };
}
