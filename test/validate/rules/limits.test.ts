import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ruleFindings, writeProject } from '../../helpers.ts';
import { rules, severities } from './support.ts';

const HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nDescription: Alert topics\n";

/** A valid template of exactly `bytes` bytes: a topic with a long note in its Metadata. */
function templateOfSize(bytes: number): string {
  const head = `${HEAD}Metadata:\n  Notes: '`;
  const tail = "'\nResources:\n  AlertsTopic:\n    Type: AWS::SNS::Topic\n";
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
}

const topics = (n: number) => Array.from({ length: n }, (_, i) => `  Topic${i}:\n    Type: AWS::SNS::Topic\n`).join('');

/** Writes one template into a temporary folder and returns its path. */
function write(text: string): string {
  return join(writeProject({ 'template.yaml': text }), 'template.yaml');
}

describe('SP4001 template limits', () => {
  it('notes a body over 51,200 bytes as info: it must go through S3', () => {
    const path = write(templateOfSize(51_201));
    assert.deepEqual(ruleFindings(path, 'SP4001'), [
      '1:1 The template is 51,201 bytes, over the 51,200-byte limit for a template body: it must be deployed from S3 (stackpilot deploy uploads it)',
    ]);
    assert.deepEqual(severities(path, 'SP4001'), ['info']);
  });

  it('says nothing at exactly 51,200 bytes', () => {
    assert.deepEqual(ruleFindings(write(templateOfSize(51_200)), 'SP4001'), []);
  });

  it('reports a template over 1 MB as an error', () => {
    const path = write(templateOfSize(1_000_001));
    assert.deepEqual(ruleFindings(path, 'SP4001'), [
      "1:1 The template is 1,000,001 bytes, over CloudFormation's 1 MB limit even through S3: split it into nested stacks",
    ]);
    assert.deepEqual(severities(path, 'SP4001'), ['error']);
  });

  it('only notes a template of exactly 1 MB', () => {
    assert.deepEqual(severities(write(templateOfSize(1_000_000)), 'SP4001'), ['info']);
  });

  it('reports more than 500 resources at the Resources section', () => {
    const path = write(`${HEAD}Resources:\n${topics(501)}`);
    assert.deepEqual(ruleFindings(path, 'SP4001'), ['3:1 501 resources: CloudFormation allows at most 500 per template']);
    assert.deepEqual(severities(path, 'SP4001'), ['error']);
    assert.deepEqual(ruleFindings(write(`${HEAD}Resources:\n${topics(500)}`), 'SP4001'), []);
  });

  it('reports more than 200 parameters, outputs or mappings at their section', () => {
    const parameters = Array.from({ length: 201 }, (_, i) => `  Name${i}:\n    Type: String\n    Default: topic-${i}\n`).join('');
    const outputs = Array.from({ length: 201 }, (_, i) => `  Arn${i}:\n    Value: !Ref Topic0\n`).join('');
    const mappings = Array.from({ length: 201 }, (_, i) => `  Settings${i}:\n    us-east-1: { Retention: '${i}' }\n`).join('');
    const path = write(`${HEAD}Parameters:\n${parameters}Mappings:\n${mappings}Resources:\n${topics(1)}Outputs:\n${outputs}`);
    assert.deepEqual(ruleFindings(path, 'SP4001'), [
      '3:1 201 parameters: CloudFormation allows at most 200 per template',
      '607:1 201 mappings: CloudFormation allows at most 200 per template',
      '1013:1 201 outputs: CloudFormation allows at most 200 per template',
    ]);
  });

  it('accepts 200 parameters, outputs and mappings', () => {
    const parameters = Array.from({ length: 200 }, (_, i) => `  Name${i}:\n    Type: String\n    Default: topic-${i}\n`).join('');
    const outputs = Array.from({ length: 200 }, (_, i) => `  Arn${i}:\n    Value: !Ref Topic0\n`).join('');
    const mappings = Array.from({ length: 200 }, (_, i) => `  Settings${i}:\n    us-east-1: { Retention: '${i}' }\n`).join('');
    assert.deepEqual(ruleFindings(write(`${HEAD}Parameters:\n${parameters}Mappings:\n${mappings}Resources:\n${topics(1)}Outputs:\n${outputs}`), 'SP4001'), []);
  });

  it('says nothing about a small template', () => {
    assert.deepEqual(ruleFindings(rules('SP4001', 'good.yaml'), 'SP4001'), []);
  });
});
