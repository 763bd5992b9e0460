import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import type { ParsedDocument } from '../../src/template/json-parser.ts';
import { readCommonYaml } from '../../src/template/yaml-common-reader.ts';
import { parseYaml, parseYamlFully, SHORT_FORM_TAGS } from '../../src/template/yaml-parser.ts';
import { CORPUS, REPO } from '../helpers.ts';

const SHORT_FORMS = new Map(Object.entries(SHORT_FORM_TAGS));

/** Every YAML file of the repository's corpus, fixtures and examples. */
function yamlFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of ['test/corpus', 'test/fixtures', 'examples']) walk(join(REPO, dir));
  return files.sort();
}

/** What a reader gives, in the terms findings are made of: values, positions of every node, problems. */
const outcome = (parsed: ParsedDocument) => ({ value: parsed.value, positions: parsed.map.root, problems: parsed.problems });

/** Asserts that parseYaml reads `text` exactly as the yaml package path does; returns whether the fast reader took it. */
function assertReadAsYamlDoes(text: string, cloudFormationTags = true, label = JSON.stringify(text)): boolean {
  const fast = readCommonYaml(text, cloudFormationTags ? SHORT_FORMS : undefined);
  const full = outcome(parseYamlFully(text, { cloudFormationTags }));
  if (fast) assert.deepStrictEqual(outcome(fast), full, label);
  assert.deepStrictEqual(outcome(parseYaml(text, { cloudFormationTags })), full, label);
  return fast !== undefined;
}

/** The value the fast reader gives for `text`, after checking that it took the text and agrees with yaml. */
function fastValue(text: string): unknown {
  assert.ok(readCommonYaml(text, SHORT_FORMS), `the fast reader should take ${JSON.stringify(text)}`);
  assertReadAsYamlDoes(text);
  return readCommonYaml(text, SHORT_FORMS)!.value;
}

/** A parsed value with ordinary objects: the readers' mappings have no prototype. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('the fast YAML reader', () => {
  it('reads every YAML file of the repository as yaml does, every position included, and takes nearly all corpus templates', () => {
    const leftToYaml: string[] = [];
    let corpusFiles = 0;
    for (const file of yamlFiles()) {
      const text = readFileSync(file, 'utf8');
      const name = relative(REPO, file);
      const fast = assertReadAsYamlDoes(text, true, name);
      assertReadAsYamlDoes(text, false, `${name} (no short forms)`);
      if (!file.startsWith(CORPUS)) continue;
      corpusFiles++;
      if (!fast) leftToYaml.push(relative(CORPUS, file));
    }
    // It leaves to yaml a Kubernetes manifest of several documents and two buildspecs with CRLF line ends: none is a template.
    assert.ok(corpusFiles > 150, `${corpusFiles} corpus files`);
    assert.deepEqual(leftToYaml, ['EKS/manifest.yml', 'Solutions/CodeBuildAndCodePipeline/codebuild-app-build.yml', 'Solutions/CodeBuildAndCodePipeline/codebuild-app-deploy.yml']);
  });

  it('agrees with yaml on corpus templates edited at random: either it reads them exactly as yaml does, or it leaves them to yaml', () => {
    const files = yamlFiles().filter((file) => file.startsWith(CORPUS));
    const edits = [' ', '  ', '\n', '#', ' #', ': ', '- ', '"', "'", '[', ']', '{', '}', ',', '!Ref ', '|', '>-', '\\', '\n  # c\n', '\n#\n', '\n\n', '0', '.', '~', '&a ', '*a', ':x'];
    let seed = 20261130;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >> 8) % n;
    };
    let taken = 0;
    for (let run = 0; run < 600; run++) {
      const lines = readFileSync(files[random(files.length)], 'utf8').split('\n');
      const from = random(Math.max(1, lines.length - 30));
      let text = lines.slice(from, from + 10 + random(40)).join('\n');
      for (let edit = random(3); edit >= 0; edit--) {
        const at = random(text.length + 1);
        const kind = random(3);
        if (kind === 0) text = text.slice(0, at) + edits[random(edits.length)] + text.slice(at);
        else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1 + random(3));
        else text = text.slice(0, at).replace(/\n( *)$/, random(2) ? '\n$1 ' : '\n') + text.slice(at);
      }
      if (assertReadAsYamlDoes(text)) taken++;
    }
    assert.ok(taken > 50, `the fast reader took only ${taken} edited templates`);
  });

  it('resolves plain scalars by the YAML 1.2 core schema, as yaml does', () => {
    const values = plain(
      fastValue(
        [
          'leadingZero: 012',
          'exponent: 1e3',
          'fraction: .5',
          'hex: 0x1F',
          'octal: 0o17',
          'signed: +12',
          'trailingZero: 1.50',
          'infinity: -.Inf',
          'yes: yes',
          'on: on',
          'true: true',
          'False: False',
          'tilde: ~',
          'null: null',
          'date: 2010-09-09',
          'underscores: 1_000',
          'account: 123456789012',
          'colonInside: arn:aws:s3:::bucket/*',
          'hashInside: a#b',
          'commented: value # a comment',
          'dash: -x',
          '1e3: number key',
        ].join('\n'),
      ),
    );
    assert.deepEqual(values, {
      leadingZero: 12,
      exponent: 1000,
      fraction: 0.5,
      hex: 31,
      octal: 15,
      signed: 12,
      trailingZero: 1.5,
      infinity: null, // JSON has no -Infinity: checked below
      yes: 'yes',
      on: 'on',
      true: true,
      false: false, // the key `False` is a boolean too, written as text
      tilde: null,
      null: null,
      date: '2010-09-09',
      underscores: '1_000',
      account: 123456789012,
      colonInside: 'arn:aws:s3:::bucket/*',
      hashInside: 'a#b',
      commented: 'value',
      dash: '-x',
      '1000': 'number key',
    });
    assert.deepEqual(fastValue('a: -.Inf\nb: .NaN\nc: -0'), Object.assign(Object.create(null), { a: -Infinity, b: NaN, c: -0 }));
  });

  it('reads quoted, folded and block scalars as yaml does', () => {
    const text = [
      'single: \'it\'\'s # not a comment\'',
      'double: "tab\\there \\u00e9\\x41 \\"q\\" \\\\"',
      'empty: ""',
      'folded: first line',
      '  second line',
      '',
      '  after a blank line',
      'literal: |',
      '  line one',
      '    more indented',
      '',
      '  line three',
      '',
      'stripped: |-',
      '  no final newline',
      'foldedBlock: >',
      '  joined',
      '  lines',
      '',
      '    kept as is',
      '  end',
      'foldedStripped: >- # header comment',
      '  x',
      '  y',
      'indicated: |2',
      '     three more spaces kept',
      '   one',
      'tabs: |',
      '  a\tb\t',
      'onItsOwnLine:',
      '  plain text',
      '  folded',
    ].join('\n');
    assert.deepEqual(plain(fastValue(text)), {
      single: "it's # not a comment",
      double: 'tab\there éA "q" \\',
      empty: '',
      folded: 'first line second line\nafter a blank line',
      literal: 'line one\n  more indented\n\nline three\n',
      stripped: 'no final newline',
      foldedBlock: 'joined lines\n\n  kept as is\nend\n',
      foldedStripped: 'x y',
      indicated: '   three more spaces kept\n one\n',
      tabs: 'a\tb\t\n',
      onItsOwnLine: 'plain text folded',
    });
  });

  it('turns short-form tags into the long form with the tag and argument positions yaml gives', () => {
    const text =
      'Ref: !Ref 012\nAtt: !GetAtt A.B.C\nAZs: !GetAZs\nJoin: !Join\n  - ""\n  - - a\n    - !Ref B\nSub: !Sub |\n  ${A}\nIf: !If [C, {a: !Ref X}, "y"]\n' +
      'Select: !Select [0, Fn::GetAZs: !Ref "AWS::Region"]\nArn:\n  !Join [":", [a, b]]\n';
    assert.deepEqual(plain(fastValue(text)), {
      Ref: { Ref: '012' },
      Att: { 'Fn::GetAtt': ['A', 'B.C'] },
      AZs: { 'Fn::GetAZs': '' },
      Join: { 'Fn::Join': ['', ['a', { Ref: 'B' }]] },
      Sub: { 'Fn::Sub': '${A}\n' },
      If: { 'Fn::If': ['C', { a: { Ref: 'X' } }, 'y'] },
      Select: { 'Fn::Select': [0, { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] },
      Arn: { 'Fn::Join': [':', ['a', 'b']] },
    });
    const { map } = readCommonYaml(text, SHORT_FORMS)!;
    assert.deepEqual(map.locate(['Ref']), { line: 1, column: 6, endLine: 1, endColumn: 14 });
    assert.deepEqual(map.locate(['Join', 'Fn::Join', 1, 1]), { line: 7, column: 7, endLine: 7, endColumn: 13 });
  });

  it('ends collections where yaml does when comment lines follow them', () => {
    const cases = [
      'A:\n  B: 1\n    # deeper, counted with 1\n  C: 2\n',
      'A:\n  B:\n    C: 1\n    # at the inner mapping\n  D: 2\n',
      'A:\n  B:\n    C: 1\n  # at the outer mapping\nD: 2\n',
      'A:\n  B:\n    C: 1\n# at column 0\n',
      'A:\n- a\n# a sequence at column 0 keeps none\nB:\n- b\n# c\n',
      'A:\n  - x: [1, 2]   # flow\n      # deeper\n\n      # after a blank line\n  - y\n# end',
      'A:\n  B: |\n    text\n  # after a block scalar\n\n',
      'A:\n  B: !Ref X\n      # c\n   # d\n  C: !GetAZs\n',
    ];
    for (const text of cases) assert.ok(assertReadAsYamlDoes(text), `the fast reader should take ${JSON.stringify(text)}`);
  });

  it('leaves to yaml what it does not read, and parseYaml then gives yaml’s values and problems', () => {
    const cases: [string, string | undefined][] = [
      ['a: &x 1\nb: *x\n', undefined],
      ['a: 1\na: 2\n', 'duplicate-key'],
      ['a: !Unknown x\n', 'unknown-tag'],
      ['a: "multi\n  line"\n', undefined],
      ['a:\tb\n', undefined],
      ['a: |\n  \tfirst\n', undefined],
      ['a: 1\r\nb: 2\r\n', undefined],
      ['---\na: 1\n', undefined],
      ['a: 1\n---\nb: 2\n', 'syntax'],
      ['? a\n: b\n', undefined],
      ['a:\nb: 1\n', undefined],
      ['a: |+\n  kept\n\n', undefined],
      ['a: [1, 2\n', 'syntax'],
      ['a:\n  b: 1\n c: 2\n', 'syntax'],
      ['a: b: c\n', 'syntax'],
      [`a: ${'['.repeat(150)}${']'.repeat(150)}\n`, 'too-deep'],
    ];
    for (const [text, problem] of cases) {
      assert.equal(readCommonYaml(text, SHORT_FORMS), undefined, `the fast reader should leave ${JSON.stringify(text)} to yaml`);
      assertReadAsYamlDoes(text);
      assert.equal(parseYaml(text).problems[0]?.code, problem, JSON.stringify(text));
    }
  });
});
