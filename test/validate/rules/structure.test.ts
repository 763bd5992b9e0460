import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleFindings } from '../../helpers.ts';
import { rules, severities } from './support.ts';

describe('SP1001 template sections and their shapes', () => {
  it('reports a wrong format version, an unknown section, and entries without Type or Value', () => {
    const path = rules('SP1001', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP1001'), [
      '1:27 AWSTemplateFormatVersion must be "2010-09-09", the only version CloudFormation knows (found "2010-09-10")',
      '3:1 Unknown top-level section Parameter (known: AWSTemplateFormatVersion, Description, Metadata, Parameters, Rules, Mappings, Conditions, Transform, Resources, Outputs, Hooks)',
      '7:3 The parameter BucketSuffix has no Type',
      '10:3 The resource name "Logs-Bucket" must be alphanumeric (A-Za-z0-9)',
      '12:3 The resource Archive has no Type',
      '16:3 The output BucketName has no Value',
      '18:14 The output BucketArn must be a mapping',
    ]);
    assert.ok(severities(path, 'SP1001').every((s) => s === 'error'));
  });

  it('reports sections of the wrong shape and an empty Resources section', () => {
    assert.deepEqual(ruleFindings(rules('SP1001', 'bad-shapes.json'), 'SP1001'), [
      '3:18 Description must be a string',
      '4:17 Parameters must be a mapping of names to declarations',
      '5:17 Conditions must be a mapping of names to declarations',
      '6:16 Resources must declare at least one resource',
    ]);
  });

  it('reports a template without Resources', () => {
    assert.deepEqual(ruleFindings(rules('SP1001', 'no-resources.yaml'), 'SP1001'), ['1:1 A template needs a Resources section with at least one resource']);
  });

  it('accepts every section in its shape', () => {
    assert.deepEqual(ruleFindings(rules('SP1001', 'good.yaml'), 'SP1001'), []);
  });

  it('accepts Globals in a template that uses the Serverless transform', () => {
    assert.deepEqual(ruleFindings(rules('SP1001', 'good-sam.yaml'), 'SP1001'), []);
  });
});

describe('SP1002 transform noted', () => {
  it('notes the Serverless transform as info', () => {
    const path = rules('SP1002', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP1002'), [
      '2:12 Transform AWS::Serverless-2016-10-31 is applied by CloudFormation at deploy time; resources it generates are not checked here',
    ]);
    assert.deepEqual(severities(path, 'SP1002'), ['info']);
  });

  it('notes each transform of a list, plain or with parameters', () => {
    assert.deepEqual(ruleFindings(rules('SP1002', 'bad-list.yaml'), 'SP1002'), [
      '3:3 Transform AWS::LanguageExtensions is applied by CloudFormation at deploy time; resources it generates are not checked here',
      '3:3 Transform AWS::Include is applied by CloudFormation at deploy time; resources it generates are not checked here',
    ]);
  });

  it('says nothing about a template without a transform', () => {
    assert.deepEqual(ruleFindings(rules('SP1002', 'good.yaml'), 'SP1002'), []);
  });
});
