import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { aliasBomb, bigJsonTemplate, CATASTROPHIC_PATTERN, catastrophicPatternWithDefault, deepJson, deepYamlBlock, deepYamlFlow, HOSTILE_NAMES, hostileKeysTemplate, hostileNamesTemplate, hostileTypesTemplate, missingMappingKeyTemplate, missingNamesTemplate, missingSecretKeyTemplate, NAME_PLACES, patternTemplate, SELF_ALIAS, WRONG_SHAPES, YAML_STAIRS } from './hostile-cases.ts';
import { IsolatedRunner, type Outcome } from './isolated-runner.ts';

/**
 * Input from a pull request must not stall, exhaust or crash stackpilot: each case runs in a
 * child process with a generous time budget, so a regression fails here as a hang or a crash
 * instead of hanging the suite. The assertions are on what the user is told.
 */
const runner = new IsolatedRunner(60_000);
after(() => runner.close());

async function validate(files: Record<string, string>, entry = Object.keys(files)[0], parametersFile?: string): Promise<Outcome> {
  const [outcome] = await runner.run({ target: 'validate', files, entry, parametersFile });
  assert.ok(outcome.kind === 'accepted' || outcome.kind === 'refused', `validate: ${outcome.kind}: ${outcome.detail}`);
  return outcome;
}

/** ValidateTemplate's outcome, then CreateStack's. */
async function engine(body: string, parameters?: Record<string, string>, via: 'body' | 'url' = 'body'): Promise<Outcome[]> {
  const outcomes = await runner.run({ target: 'engine', body, parameters, via });
  for (const outcome of outcomes) assert.ok(outcome.kind === 'accepted' || outcome.kind === 'refused', `engine: ${outcome.kind}: ${outcome.detail}`);
  return outcomes;
}

const lines = (outcome: Outcome) => outcome.detail.split('\n');

describe('user regular expressions run in linear time', () => {
  it('validate reports a Default that a catastrophic AllowedPattern refuses', async () => {
    const outcome = await validate({ 'template.yaml': CATASTROPHIC_PATTERN });
    assert.ok(lines(outcome).includes(`5:14 SP2001 The Default of Name breaks its own constraints: "${'a'.repeat(40)}b" does not match the pattern ^(a|a)*$`), outcome.detail);
  });

  it('validate checks a parameter file value against it', async () => {
    const outcome = await validate({ 'template.yaml': catastrophicPatternWithDefault('aaa'), 'values.json': JSON.stringify({ Name: `${'a'.repeat(5000)}!` }) }, 'template.yaml', 'values.json');
    assert.match(outcome.detail, /SP2010 .*does not match the pattern \^\(a\|a\)\*\$/);
  });

  it('the engine refuses the stack with CloudFormation\'s message, and answers ValidateTemplate', async () => {
    const [validated, created] = await engine(CATASTROPHIC_PATTERN);
    assert.equal(validated.kind, 'accepted');
    assert.deepEqual(created, { kind: 'refused', detail: "ValidationError: Parameter 'Name' must match pattern ^(a|a)*$" });
    const [, withValue] = await engine(catastrophicPatternWithDefault('aaa'), { Name: `${'a'.repeat(4000)}!` });
    assert.deepEqual(withValue, { kind: 'refused', detail: "ValidationError: Parameter 'Name' must match pattern ^(a|a)*$" });
  });

  it('says which Java syntax it cannot evaluate, rather than guess', async () => {
    for (const [pattern, feature] of [
      ['^(?=a)abc$', 'lookahead'],
      ['^(?!x)abc$', 'lookahead'],
      ['^(a)bc\\1?$', 'backreference'],
      ['^a*+bc$', 'possessive quantifier'],
      ['^(?>a)bc$', 'atomic group'],
    ]) {
      const outcome = await validate({ 'template.yaml': patternTemplate(pattern) });
      assert.ok(lines(outcome).some((l) => l.startsWith('4:21 SP2001 ') && l.includes(feature)), `${pattern}: ${outcome.detail}`);
      const [, created] = await engine(patternTemplate(pattern));
      assert.equal(created.kind, 'refused');
      assert.match(created.detail, new RegExp(`ValidationError: Parameter 'Name' has an AllowedPattern that uses a ${feature}`));
    }
  });

  it('evaluates lookbehind, which RE2 can do in linear time', async () => {
    const outcome = await validate({ 'template.yaml': patternTemplate('^a(?<=a)bc$') });
    assert.deepEqual(outcome.rules, []);
    const refused = await validate({ 'template.yaml': patternTemplate('^a(?<=a)bc$', 'abd') });
    assert.deepEqual(lines(refused), ['5:14 SP2001 The Default of Name breaks its own constraints: "abd" does not match the pattern ^a(?<=a)bc$']);
    const [, created] = await engine(patternTemplate('^a(?<=a)bc$'));
    assert.deepEqual(created, { kind: 'accepted', detail: 'CreateStack CREATE_COMPLETE' });
  });
});

describe('the engine takes templates of the sizes CloudFormation takes', () => {
  it('refuses a TemplateBody over 51,200 bytes and a TemplateURL over 1 MB, with AWS\'s messages', async () => {
    const [validated, created] = await engine(bigJsonTemplate(60_000));
    const tooLong = "ValidationError: 1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200";
    assert.deepEqual([validated.detail, created.detail], [tooLong, tooLong]);
    const [fromS3] = await engine(bigJsonTemplate(1_100_000), undefined, 'url');
    assert.equal(fromS3.detail, 'ValidationError: Template may not exceed 1000000 bytes in size.');
    const [fits] = await engine(bigJsonTemplate(900_000), undefined, 'url');
    assert.equal(fits.kind, 'accepted');
  });
});

describe('YAML aliases are bounded', () => {
  it('reports an alias bomb at the alias that goes past the limit', async () => {
    const bomb = aliasBomb();
    assert.ok(bomb.length < 600);
    const outcome = await validate({ 'bomb.yaml': bomb });
    assert.deepEqual(outcome.rules, ['SP0006']);
    assert.match(outcome.detail, /^\d+:\d+ SP0006 YAML aliases here expand to more than 100,000 values/);
    const [validated, created] = await engine(bomb);
    assert.match(validated.detail, /^ValidationError: Template format error: YAML aliases here expand to more than 100,000 values/);
    assert.equal(created.kind, 'refused');
  });

  it('reports an alias inside the node it names', async () => {
    const outcome = await validate({ 'self.yaml': SELF_ALIAS });
    assert.deepEqual(lines(outcome), ['1:8 SP0006 The alias *a is inside the node it names, so its value would contain itself']);
    const [validated] = await engine(SELF_ALIAS);
    assert.equal(validated.detail, 'ValidationError: Template format error: The alias *a is inside the node it names, so its value would contain itself (line 1, column 8)');
  });

  it('counts aliases', async () => {
    const many = `Mappings:\n  M:\n    k: &v {a: b}\n${Array.from({ length: 1001 }, (_, i) => `    k${i}: *v`).join('\n')}\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n`;
    const outcome = await validate({ 'many.yaml': many });
    assert.deepEqual(lines(outcome), ['1004:12 SP0006 More than 1,000 YAML aliases in one document']);
  });
});

describe('nesting depth is bounded', () => {
  it('reports JSON nested 10,000 levels deep at the level past the limit', async () => {
    const outcome = await validate({ 'deep.json': deepJson(10_000) });
    assert.deepEqual(lines(outcome), ['1:162 SP0005 Nested more than 100 levels deep']);
    const [validated, created] = await engine(deepJson(10_000));
    assert.equal(validated.detail, 'ValidationError: Template format error: Nested more than 100 levels deep (line 1, column 162)');
    assert.equal(created.kind, 'refused');
  });

  it('reports YAML nested too deep, in flow and in block style', async () => {
    assert.match((await validate({ 'flow.yaml': deepYamlFlow(10_000) })).detail, /^4:\d+ SP0005 Nested more than 100 levels deep$/);
    assert.match((await validate({ 'block.yaml': deepYamlBlock(2_000) })).detail, /^\d+:\d+ SP0005 Nested more than 100 levels deep$/);
  });

  it('stops yaml\'s parser before its recursion does, on lines that each open a deeper mapping', async () => {
    const outcome = await validate({ 'stairs.yaml': YAML_STAIRS });
    assert.deepEqual(outcome.rules, ['SP0005']);
  });

  it('reads templates nested up to the limit', async () => {
    const outcome = await validate({ 'deep.json': deepJson(95) });
    assert.ok(!outcome.rules!.includes('SP0005'), outcome.detail);
  });
});

describe('validate reads bounded input', () => {
  it('stops at a file over its cap with a finding, reading no more of it than the cap', async () => {
    const outcome = await validate({ 'big.json': bigJsonTemplate(50_000_000) });
    assert.deepEqual(lines(outcome), ['1:1 SP0004 The file is larger than 5,000,000 bytes, the most stackpilot reads (a CloudFormation template may be at most 1,000,000 bytes)']);
  });

  it('reads a template between CloudFormation\'s limit and its cap, and reports the limit', async () => {
    const outcome = await validate({ 'big.json': bigJsonTemplate(2_000_000) });
    assert.deepEqual(outcome.rules, ['SP4001']);
  });

  it('stops at a document of more values than it reads, in JSON and YAML', async () => {
    const items = Array<string>(150_001).fill('1').join(',');
    const json = await validate({ 'values.json': `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Metadata": [${items}]}}}` });
    assert.match(json.detail, /^1:\d+ SP0004 More than 150,000 values in one document, the most stackpilot reads$/);
    const yaml = await validate({ 'values.yaml': `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata: [${items}]\n` });
    assert.match(yaml.detail, /^4:\d+ SP0004 More than 150,000 values in one document, the most stackpilot reads$/);
  });

  it('shows the first 100 syntax problems of a file, and how many more there are', async () => {
    const outcome = await validate({ 'broken.yaml': `Resources:\n${'}{'.repeat(5_000)}\n` });
    const syntax = lines(outcome).filter((l) => l.includes(' SP0001 '));
    assert.equal(syntax.length, 101);
    assert.match(syntax[100], /^2:\d+ SP0001 [\d,]+ more problems from here on are not shown$/);
  });
});

describe('names that live on Object.prototype are names like any other', () => {
  for (const name of HOSTILE_NAMES) {
    it(`${name} as a key: validate finds nothing, and the engine creates the stack`, async () => {
      const outcome = await validate({ 'template.yaml': hostileKeysTemplate(name) });
      assert.deepEqual(outcome.rules, []);
      const [validated, created] = await engine(hostileKeysTemplate(name));
      assert.equal(validated.kind, 'accepted');
      assert.deepEqual(created, { kind: 'accepted', detail: `CreateStack CREATE_COMPLETE Out=found-${name}` });
    });

    for (const place of NAME_PLACES) {
      it(`${name} as a ${place} name`, async () => {
        const template = hostileNamesTemplate(name, place);
        const outcome = await validate({ 'template.yaml': template });
        const [, created] = await engine(template);
        if (name === '__proto__' && (place === 'parameter' || place === 'resource' || place === 'output')) {
          assert.match(outcome.detail, new RegExp(`SP1001 The ${place} name "__proto__" must be alphanumeric \\(A-Za-z0-9\\)`));
          const kind = place[0].toUpperCase() + place.slice(1);
          assert.equal(created.detail, `ValidationError: Template format error: ${kind} name __proto__ is non alphanumeric.`);
        } else {
          assert.deepEqual(outcome.rules, []);
          const output = place === 'output' ? name : 'Out';
          assert.deepEqual(created, { kind: 'accepted', detail: `CreateStack CREATE_COMPLETE ${output}=found-${name}` });
        }
      });
    }

    it(`${name} where nothing of that name is declared`, async () => {
      const outcome = await validate({ 'template.yaml': missingNamesTemplate(name) });
      assert.deepEqual(new Set(outcome.rules), new Set(['SP1102', 'SP1103', 'SP1105', 'SP1106', 'SP1107']), outcome.detail);
      const [validated] = await engine(missingNamesTemplate(name));
      assert.equal(validated.kind, 'refused');
      const [, created] = await engine(missingMappingKeyTemplate(name));
      assert.equal(created.detail, `CreateStack ROLLBACK_COMPLETE (Template error: Unable to get mapping for Map::top::${name})`);
      const [, resolved] = await engine(missingSecretKeyTemplate(name));
      assert.match(resolved.detail, new RegExp(`^CreateStack ROLLBACK_COMPLETE \\(Could not find SecretString JSON key ${name} in arn:`));
    });

    it(`${name} as a resource type and inside a parameter type`, async () => {
      const outcome = await validate({ 'template.yaml': hostileTypesTemplate(name) });
      assert.ok(lines(outcome).includes(`3:11 SP2001 Parameter Param has an unknown Type "List<${name}>"`), outcome.detail);
      assert.ok(lines(outcome).includes('7:11 SP1001 The Type of Named must be a resource type name such as AWS::S3::Bucket'), outcome.detail);
      const [validated] = await engine(hostileTypesTemplate(name));
      assert.equal(validated.detail, `ValidationError: Template format error: Unrecognized resource types: [${name}]`);
    });
  }

  it('parameter files and manifests with those names', async () => {
    for (const name of HOSTILE_NAMES) {
      const outcome = await validate({ 'template.yaml': hostileKeysTemplate('x'), 'values.json': JSON.stringify({ [name]: 'v' }) }, 'template.yaml', 'values.json');
      assert.ok(outcome.detail.includes(`1:2 SP2010 ${name} is not a parameter of `), outcome.detail);
      const manifest = `project: demo\nstacks:\n  main:\n    template: template.yaml\n    parameters:\n      ${name}: x\n    tags:\n      ${name}: x\nenvironments:\n  dev:\n    stacks:\n      main:\n        parameters:\n          ${name}: x\n`;
      const project = await validate({ 'stackpilot.yaml': manifest, 'template.yaml': hostileKeysTemplate('x') });
      const expected =
        name === '__proto__'
          ? ['6:7 SP5010 stacks.main.parameters.__proto__: the name __proto__ cannot be used here', '8:7 SP5010 stacks.main.tags.__proto__: the name __proto__ cannot be used here', '14:11 SP5010 environments.dev.stacks.main.parameters.__proto__: the name __proto__ cannot be used here']
          : [`6:7 SP2010 ${name} is not a parameter of`, `14:11 SP2010 ${name} is not a parameter of`];
      assert.deepEqual(
        lines(project).map((l) => l.replace(/ of .*/, ' of')),
        expected,
      );
    }
  });
});

describe('values of the wrong shape', () => {
  it('are findings and AWS-shaped errors where CloudFormation wants text', async () => {
    const outcome = await validate({ 'template.yaml': WRONG_SHAPES });
    assert.ok(lines(outcome).includes('4:14 SP2001 The Default of Shaped must be a string or a number'), outcome.detail);
    const [validated, created] = await engine(WRONG_SHAPES, { Shaped: 'x' });
    assert.equal(validated.kind, 'accepted');
    assert.equal(created.detail, 'CreateStack ROLLBACK_COMPLETE (Template format error: Every Mappings attribute must be a String or a List.)');
  });
});
