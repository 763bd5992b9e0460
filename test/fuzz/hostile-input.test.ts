import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bigJsonTemplate, CATASTROPHIC_PATTERN, catastrophicPatternWithDefault, patternTemplate } from './hostile-cases.ts';
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
