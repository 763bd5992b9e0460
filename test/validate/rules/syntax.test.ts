import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findings, ruleFindings } from '../../helpers.ts';
import { projectFindings, rules, severities } from './support.ts';

describe('SP0001 malformed YAML or JSON', () => {
  it('reports a YAML mapping item indented off its siblings, on its line', () => {
    const path = rules('SP0001', 'bad-indentation.yaml');
    assert.deepEqual(ruleFindings(path, 'SP0001'), ['8:1 All mapping items must start at the same column']);
    assert.deepEqual(severities(path, 'SP0001'), ['error']);
  });

  it('reports an unclosed YAML flow sequence', () => {
    assert.deepEqual(ruleFindings(rules('SP0001', 'bad-unclosed-flow.yaml'), 'SP0001'), [
      '7:1 Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports two short-form tags on one node (one must be written in the long form)', () => {
    assert.deepEqual(ruleFindings(rules('SP0001', 'bad-two-tags.yaml'), 'SP0001'), ['10:26 A node can have at most one tag']);
  });

  it('reports a trailing comma in JSON at the comma', () => {
    assert.deepEqual(ruleFindings(rules('SP0001', 'bad-trailing-comma.json'), 'SP0001'), ['8:7 Invalid JSON: Trailing comma before }']);
  });

  it('reports unclosed JSON at the end of the file', () => {
    assert.deepEqual(ruleFindings(rules('SP0001', 'bad-unclosed.json'), 'SP0001'), [
      "9:1 Invalid JSON: Expected ',' or '}' after a property value, found end of file",
    ]);
  });

  it('reports a template that is a list rather than a mapping of sections', () => {
    assert.deepEqual(ruleFindings(rules('SP0001', 'not-a-mapping.yaml'), 'SP0001'), [
      '1:1 A template must be a mapping of sections (AWSTemplateFormatVersion, Parameters, Resources, ...)',
    ]);
  });

  it('stops template checks on JSON it cannot read', () => {
    assert.deepEqual(
      findings(rules('SP0001', 'bad-trailing-comma.json')).map((d) => d.rule),
      ['SP0001'],
    );
  });

  it('accepts well-formed YAML and JSON', () => {
    assert.deepEqual(ruleFindings(rules('SP0001', 'good.yaml'), 'SP0001'), []);
    assert.deepEqual(ruleFindings(rules('SP0001', 'good.json'), 'SP0001'), []);
  });
});

describe('SP0002 duplicate key', () => {
  it('reports a repeated YAML property at the second occurrence, naming the key', () => {
    const path = rules('SP0002', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP0002'), ['11:7 Duplicate key "VisibilityTimeout"']);
    assert.deepEqual(severities(path, 'SP0002'), ['error']);
  });

  it('sees a quoted and a plain YAML key as the same key', () => {
    assert.deepEqual(ruleFindings(rules('SP0002', 'bad-quoted.yaml'), 'SP0002'), ['8:7 Duplicate key "TopicName"']);
  });

  it('reports a repeated JSON key, which JSON.parse would silently collapse', () => {
    assert.deepEqual(ruleFindings(rules('SP0002', 'bad.json'), 'SP0002'), ['10:5 Duplicate key "JobsQueue"']);
  });

  it('reports a repeated key in a parameter file, in that file', () => {
    const dir = rules('SP0002', 'parameters');
    assert.deepEqual(projectFindings(dir, 'SP0002', { parametersFile: `${dir}/duplicate.json` }, `${dir}/template.yaml`), [
      'duplicate.json 3:3 Duplicate key "QueueName"',
    ]);
  });

  it('accepts the same key in different mappings', () => {
    assert.deepEqual(ruleFindings(rules('SP0002', 'good.yaml'), 'SP0002'), []);
    assert.deepEqual(ruleFindings(rules('SP0002', 'good.json'), 'SP0002'), []);
  });
});

describe('SP0003 unknown tag', () => {
  it("reports another tool's tags at the tag (Rain's are SP1004)", () => {
    const path = rules('SP0003', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP0003'), ['21:20 Unknown tag !Base64Decode']);
    assert.deepEqual(severities(path, 'SP0003'), ['error']);
  });

  it("accepts CloudFormation's short forms", () => {
    assert.deepEqual(ruleFindings(rules('SP0003', 'good.yaml'), 'SP0003'), []);
  });
});
