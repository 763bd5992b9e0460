import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validatePath } from '../../src/validate/validate.ts';
import { runCli, writeProject } from '../helpers.ts';

/** A template with an unused parameter (SP2002), two tables without policies (SP3101) and an admin policy (SP3102). */
const template = (o: { topMetadata?: string; firstTableMetadata?: string } = {}) => `AWSTemplateFormatVersion: '2010-09-09'
${o.topMetadata ?? ''}Parameters:
  Unused: { Type: String, Default: x }
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
${o.firstTableMetadata ?? ''}    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Invoices:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement: [{ Effect: Allow, Action: '*', Resource: '*' }]
`;

const rulesOf = (list: { rule: string; message: string; file: string }[]) => list.map((d) => `${d.file.replace(/^.*\//, '')} ${d.rule} ${d.message.split(' ')[0]}`).sort();

describe('suppressing findings', () => {
  it('without an ignore list, every finding counts', () => {
    const dir = writeProject({ 'app.yaml': template() });
    const result = validatePath(join(dir, 'app.yaml'));
    assert.deepEqual(rulesOf(result.diagnostics), ['app.yaml SP2002 Parameter', 'app.yaml SP3101 Invoices', 'app.yaml SP3101 Orders', 'app.yaml SP3102 Admin']);
    assert.deepEqual(result.suppressed, []);
  });

  it('on a resource, suppresses that rule\'s findings in that resource only', () => {
    const dir = writeProject({ 'app.yaml': template({ firstTableMetadata: '    Metadata:\n      stackpilot:\n        ignore: [SP3101]\n' }) });
    const result = validatePath(join(dir, 'app.yaml'));
    assert.deepEqual(rulesOf(result.suppressed), ['app.yaml SP3101 Orders']);
    assert.deepEqual(rulesOf(result.diagnostics), ['app.yaml SP2002 Parameter', 'app.yaml SP3101 Invoices', 'app.yaml SP3102 Admin']);
  });

  it('at the template\'s top level, suppresses the rule in the whole template', () => {
    const dir = writeProject({ 'app.yaml': template({ topMetadata: 'Metadata:\n  stackpilot:\n    ignore: [SP3101, SP2002]\n' }) });
    const result = validatePath(join(dir, 'app.yaml'));
    assert.deepEqual(rulesOf(result.suppressed), ['app.yaml SP2002 Parameter', 'app.yaml SP3101 Invoices', 'app.yaml SP3101 Orders']);
    assert.deepEqual(rulesOf(result.diagnostics), ['app.yaml SP3102 Admin']);
  });

  it('in the manifest, suppresses a rule everywhere, or in one file only', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml }\n  legacy: { template: legacy/old.yaml }\nenvironments:\n  dev: {}\nvalidate:\n  ignore:\n    - SP2002\n    - { rule: SP3102, path: legacy }\n',
      'app.yaml': template(),
      'legacy/old.yaml': template(),
    });
    const result = validatePath(dir);
    assert.deepEqual(rulesOf(result.suppressed), ['app.yaml SP2002 Parameter', 'old.yaml SP2002 Parameter', 'old.yaml SP3102 Admin']);
    assert.deepEqual(new Set(result.suppressed.map((d) => d.suppression)), new Set(['external']), 'written outside the templates');
    assert.deepEqual(rulesOf(result.diagnostics), ['app.yaml SP3101 Invoices', 'app.yaml SP3101 Orders', 'app.yaml SP3102 Admin', 'old.yaml SP3101 Invoices', 'old.yaml SP3101 Orders']);
  });

  it('warns of an id no rule has, where it is written, and suppresses nothing with it', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\nvalidate:\n  ignore: [SP3110]\n',
      'app.yaml': template({ firstTableMetadata: '    Metadata:\n      stackpilot:\n        ignore: [SP3011]\n' }),
    });
    const result = validatePath(dir);
    const typos = result.diagnostics.filter((d) => d.rule === 'SP1003').map((d) => `${d.file.replace(/^.*\//, '')}:${d.line}:${d.column} ${d.severity} ${d.message}`);
    assert.deepEqual(typos, [
      'app.yaml:9:18 warning SP3011 is not a rule of stackpilot (see docs/rules.md): it suppresses nothing',
      'stackpilot.yaml:7:12 warning SP3110 is not a rule of stackpilot (see docs/rules.md): it suppresses nothing',
    ]);
    assert.deepEqual(result.suppressed, []);
  });

  it('counts suppressed findings in the summary, lists them with --show-suppressed, and leaves them out of the exit code', () => {
    const dir = writeProject({ 'app.yaml': template({ topMetadata: 'Metadata:\n  stackpilot:\n    ignore: [SP3101, SP2002]\n' }) });
    const file = join(dir, 'app.yaml');
    const text = runCli(['validate', file, '--strict']);
    assert.equal(text.code, 2, 'the one warning left fails --strict');
    assert.match(text.stdout, /✔ 0 errors, 1 warning, 3 suppressed in 1 file$/m);
    assert.doesNotMatch(text.stdout, /SP3101/);

    const shown = runCli(['validate', file, '--show-suppressed']);
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /^Suppressed\n/);
    assert.equal(shown.stdout.match(/SP3101/g)?.length, 2);

    const json = JSON.parse(runCli(['validate', file, '--format', 'json']).stdout) as { summary: Record<string, number>; suppressed: { rule: string }[] };
    assert.deepEqual(json.summary, { files: 1, errors: 0, warnings: 1, infos: 0, suppressed: 3 });
    assert.deepEqual(json.suppressed.map((d) => d.rule), ['SP2002', 'SP3101', 'SP3101']);

    // Code-scanning UIs show a result with suppressions as suppressed, not as an open alert.
    const sarif = JSON.parse(runCli(['validate', file, '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string; suppressions?: { kind: string }[] }[] }[] };
    assert.deepEqual(sarif.runs[0].results.map((r) => `${r.ruleId} ${r.suppressions?.[0].kind ?? 'open'}`).sort(), ['SP2002 inSource', 'SP3101 inSource', 'SP3101 inSource', 'SP3102 open']);
  });
});
