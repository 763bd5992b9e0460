import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { seededRandom } from '../../src/engine/ids.ts';
import { findings, writeProject } from '../helpers.ts';

/** Malformed files are findings (exit 2), never crashes: the tool reads anything a user can hand it. */
describe('malformed input', () => {
  const dir = writeProject({
    'empty.yaml': '',
    'comment.yaml': '# nothing but a comment\n',
    'alias.yaml': 'Resources:\n  A: &a\n    Type: AWS::SNS::Topic\n  B: *a\n  C: *nope\n',
    'shapes.yaml': 'Resources: [1, 2]\nParameters: hello\nOutputs: {A: 1}\nConditions: {C: !Equals [1]}\n',
    'weird.yaml': 'Resources:\n  A:\n    Type: 5\n    Properties: [x]\n    DependsOn: {a: 1}\n    Condition: [1]\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref\n      DisplayName: !Sub [1, 2, 3]\n      KmsMasterKeyId: !GetAtt\n',
    'functions.json': '{"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"Subscription": [{"Endpoint": {"Fn::GetAtt": []}, "Protocol": {"Fn::If": []}}]}}}, "Outputs": {"O": {"Value": {"Fn::Sub": [null, null]}, "Export": {"Name": {"Fn::Join": [1, 2]}}}}}',
    'self-nesting.yaml': 'Resources:\n  Again:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://bucket.s3.amazonaws.com/self-nesting.yaml\n',
  });
  const at = (name: string) => findings(join(dir, name)).map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`);

  it('says an empty file or a comment is not a template', () => {
    assert.deepEqual(at('empty.yaml'), ['1:1 SP0001 The template is empty']);
    assert.deepEqual(at('comment.yaml'), ['1:1 SP0001 The template is empty']);
  });

  it('reads random bytes as findings, never as a crash', () => {
    // Reproducible noise: 200 files of bytes from a seeded source.
    const random = seededRandom(2026);
    const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`noise-${i}.yaml`, Buffer.from(Array.from({ length: 512 }, () => Math.floor(random() * 256))).toString('latin1')]));
    const noise = writeProject(files);
    for (const name of Object.keys(files)) {
      const errors = findings(join(noise, name)).filter((d) => d.severity === 'error');
      assert.ok(errors.length > 0, `${name} is not a template, and says so`);
    }
  });

  it('reports an alias to nothing and keeps going', () => {
    assert.deepEqual(at('alias.yaml'), ['5:6 SP0001 Unknown alias *nope', '5:6 SP1001 The resource C must be a mapping']);
  });

  it('reports sections, types, properties and functions of the wrong shape where they are', () => {
    assert.deepEqual(at('shapes.yaml'), [
      '1:12 SP1001 Resources must be a mapping of names to declarations',
      '2:13 SP1001 Parameters must be a mapping of names to declarations',
      '3:14 SP1001 The output A must be a mapping',
      '4:17 SP1101 Fn::Equals takes [value1, value2]',
    ]);
    const weird = at('weird.yaml');
    for (const expected of [
      '3:11 SP1001 The Type of A must be a resource type name such as AWS::S3::Bucket',
      '4:17 SP1001 The Properties of A must be a mapping',
      '5:16 SP1107 DependsOn takes a resource logical id or a list of them',
      '6:16 SP1106 The Condition of A must be a condition name',
      '10:18 SP1101 Ref takes a logical id or pseudo parameter name',
      '11:20 SP1101 Fn::Sub takes a string, or [string, {variable: value}]',
      '12:23 SP1101 Fn::GetAtt takes [logicalId, attribute] (or "logicalId.attribute")',
    ]) {
      assert.ok(weird.includes(expected), `${expected}\nin\n${weird.join('\n')}`);
    }
    assert.equal(findings(join(dir, 'functions.json')).filter((d) => d.rule === 'SP1101').length, 4);
  });

  it('stops a template that nests itself', () => {
    assert.deepEqual(at('self-nesting.yaml').filter((f) => f.includes('SP5005')).length, 1);
  });
});
