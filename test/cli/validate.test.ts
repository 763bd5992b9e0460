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

  it('passes warnings, unless --strict', () => {
    assert.equal(stackpilot(['validate', at('warning.yaml')]).code, 0);
    assert.equal(stackpilot(['validate', '--strict', at('warning.yaml')]).code, 2);
  });

  it('exits 2 on errors and prints them grouped by file, at file:line:col, without colour off a terminal', () => {
    const r = stackpilot(['validate', at('broken.yaml'), at('clean.yaml')]);
    assert.equal(r.code, 2);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], at('broken.yaml'));
    assert.match(lines[1], /^ {2}6:7 +error +SP3002 {2}AWS::SNS::Topic has no property TopicNam \(did you mean TopicName\?\)$/);
    assert.match(r.stdout, /✖ 1 error, 0 warnings in 2 files/);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
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
