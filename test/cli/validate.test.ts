import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aliasBomb, CATASTROPHIC_PATTERN, deepJson } from '../fuzz/hostile-cases.ts';
import { runCli, writeProject } from '../helpers.ts';

const stackpilot = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

const clean = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
const warning = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Unused: { Type: String, Default: x }\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
const broken = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicNam: alerts\n";

describe('stackpilot validate', () => {
  const dir = writeProject({ 'clean.yaml': clean, 'warning.yaml': warning, 'broken.yaml': broken, 'bad.json': '{"Resources": {,}}' });
  const at = (name: string) => join(dir, name);

  it('exits 0 with no errors, and says so', () => {
    const r = stackpilot(['validate', at('clean.yaml')]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), '✔ 0 errors, 0 warnings in 1 file');
  });

  it('passes warnings, unless --strict, whose summary then agrees with the exit code', () => {
    const lenient = stackpilot(['validate', at('warning.yaml')]);
    assert.equal(lenient.code, 0);
    assert.match(lenient.stdout, /^✔ 0 errors, 1 warning in 1 file$/m);
    const strict = stackpilot(['validate', '--strict', at('warning.yaml')]);
    assert.equal(strict.code, 2);
    assert.match(strict.stdout, /^✖ 0 errors, 1 warning in 1 file \(--strict: warnings fail\)$/m);
  });

  it('exits 2 on errors and starts every finding line with file:line:col (relative to the current folder, as tsc does), without colour off a terminal', () => {
    const r = runCli(['validate', 'broken.yaml', at('clean.yaml')], { cwd: dir });
    assert.equal(r.code, 2);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^broken\.yaml:6:7 {2}error {2}SP3002 {2}AWS::SNS::Topic has no property TopicNam \(did you mean TopicName\?\)$/);
    assert.match(r.stdout, /✖ 1 error, 0 warnings in 2 files/);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    const elsewhere = runCli(['validate', at('broken.yaml')], { cwd: writeProject({}) });
    assert.match(elsewhere.stdout.split('\n')[0], new RegExp(`^${at('broken.yaml').replace(/[.\\]/g, '\\$&')}:6:7 `), 'a file outside the current folder keeps its full path');
  });

  it('reads malformed JSON as a finding (exit 2), not an I/O problem', () => {
    const r = stackpilot(['validate', at('bad.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /1:16 +error +SP0001 {2}Invalid JSON/);
  });

  it('answers hostile templates with findings and exit 2, within a minute', () => {
    const hostile = writeProject({ 'pattern.yaml': CATASTROPHIC_PATTERN, 'bomb.yaml': aliasBomb(), 'deep.json': deepJson(10_000) });
    const r = runCli(['validate', '--format', 'json', ...['pattern.yaml', 'bomb.yaml', 'deep.json'].map((f) => join(hostile, f))], { timeout: 60_000 });
    assert.equal(r.code, 2, r.stderr);
    const rules = (JSON.parse(r.stdout) as { diagnostics: { rule: string }[] }).diagnostics.map((d) => d.rule);
    for (const rule of ['SP2001', 'SP0006', 'SP0005']) assert.ok(rules.includes(rule), `${rule} in ${rules.join(', ')}`);
  });

  it('prints the documented JSON interface with --format json', () => {
    const r = stackpilot(['validate', '--format', 'json', at('broken.yaml'), at('warning.yaml')]);
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['diagnostics', 'summary', 'suppressed']);
    assert.deepEqual(out.summary, { files: 2, errors: 1, warnings: 1, infos: 0, suppressed: 0 });
    assert.deepEqual(out.diagnostics[0], {
      file: at('broken.yaml'),
      line: 6,
      column: 7,
      endLine: 6,
      endColumn: 15,
      severity: 'error',
      rule: 'SP3002',
      message: 'AWS::SNS::Topic has no property TopicNam (did you mean TopicName?)',
    });
  });

  it('shows file paths as given on the command line, joined with the path inside a folder', () => {
    const project = writeProject({ 'templates/app.yaml': broken });
    const r = runCli(['validate', '--format', 'json', '.'], { cwd: project });
    assert.equal(JSON.parse(r.stdout).diagnostics[0].file, 'templates/app.yaml');
  });

  it('prints SARIF 2.1.0 for code-scanning UIs', () => {
    const r = stackpilot(['validate', '--format', 'sarif', at('broken.yaml')]);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'stackpilot');
    assert.deepEqual(run.tool.driver.rules.map((rule: { id: string }) => rule.id), ['SP3002']);
    assert.match(run.tool.driver.rules[0].helpUri, /^https:\/\/docs\.aws\.amazon\.com\//);
    assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 6, startColumn: 7, endLine: 6, endColumn: 15 });
    assert.equal(run.results[0].level, 'error');
  });

  it('colours only when asked to, and never with NO_COLOR', () => {
    assert.match(stackpilot(['validate', at('broken.yaml')], { FORCE_COLOR: '1' }).stdout, /\x1b\[31merror/);
    assert.doesNotMatch(stackpilot(['validate', at('broken.yaml')], { NO_COLOR: '1' }).stdout, /\x1b\[/);
  });

  it('exits 3 for a path that does not exist, after checking the others', () => {
    const r = stackpilot(['validate', at('clean.yaml'), at('missing.yaml')]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /missing\.yaml: no such file or directory/);
    assert.match(r.stdout, /0 errors, 0 warnings in 1 file/);
  });

  it('exits 3 for a usage error and 0 for --help', () => {
    assert.equal(stackpilot(['validate', '--format', 'xml', at('clean.yaml')]).code, 3);
    assert.equal(stackpilot(['validate']).code, 3);
    const help = stackpilot(['validate', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes: 0 no errors/);
  });

  it('exits 3 for an environment the manifest does not declare, naming the ones it does', () => {
    const project = writeProject({ 'stackpilot.yaml': 'project: p\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': clean });
    const r = stackpilot(['validate', project, '--env', 'prod']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no environment "prod"\n {2}Choose one of: dev\./);
  });
});

describe('stackpilot validate --as-of / plan --as-of: the day lifecycle dates are judged by', () => {
  // nodejs22.x: deprecated 2027-04-30, creating functions blocked from 2027-06-01 (data/lambda-runtimes.json).
  const dir = writeProject({
    'stackpilot.yaml': 'project: dated\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: { region: us-east-1 }\n',
    'app.yaml': [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Resources:',
      '  Handler:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      Role: arn:aws:iam::123456789012:role/handler',
      "      Code: { ZipFile: 'exports.handler = async () => 1' }",
      '',
    ].join('\n'),
  });

  it('passes before the deprecation, warns after it and fails once AWS blocks the runtime', () => {
    const before = stackpilot(['validate', dir, '--as-of', '2027-04-29']);
    assert.deepEqual([before.code, before.stdout.trim()], [0, '✔ 0 errors, 0 warnings in 2 files']);
    const deprecated = stackpilot(['validate', dir, '--as-of', '2027-04-30']);
    assert.equal(deprecated.code, 0);
    assert.match(deprecated.stdout, /app\.yaml:6:16 {2}warning {2}SP3007 {2}Lambda runtime nodejs22\.x is deprecated since 2027-04-30/);
    const blocked = stackpilot(['validate', dir, '--as-of', '2027-06-01']);
    assert.equal(blocked.code, 2);
    assert.match(blocked.stdout, /app\.yaml:6:16 {2}error {2}SP3007 {2}Lambda runtime nodejs22\.x is deprecated: AWS has blocked creating functions with it since 2027-06-01/);
  });

  it('refuses a day that is not YYYY-MM-DD or not on the calendar, as a usage error that checks nothing', () => {
    for (const day of ['2027-02-30', '30/06/2027', 'tomorrow', '2027-6-30']) {
      const r = stackpilot(['validate', dir, '--as-of', day]);
      assert.equal(r.code, 3, day);
      assert.equal(r.stdout, '', day);
      assert.match(r.stderr, new RegExp(`"${day.replaceAll('/', '\\/')}" is not a day\\. Give it as YYYY-MM-DD, such as 2027-06-30\\.`), day);
    }
  });

  it('gives plan the same day: it plans before the block and stops at the validation error after it', () => {
    const open = runCli(['plan', '.', '--as-of', '2027-05-31'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(open.code, 0, open.stderr);
    assert.match(open.stdout, /warning {2}SP3007 {2}Lambda runtime nodejs22\.x is deprecated since 2027-04-30/);
    assert.match(open.stdout, /^dated-dev-app {2}create$/m);
    const blocked = runCli(['plan', '.', '--as-of', '2027-06-01'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(blocked.code, 2, blocked.stderr);
    assert.match(blocked.stdout, /Nothing was planned: fix the errors above\./);
  });
});
