import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate } from '../../src/template/parse.ts';

const yaml = (text: string) => parseTemplate(text, 'template.yaml');
const json = (text: string) => parseTemplate(text, 'template.json');
/** A parsed value with ordinary objects: the reader's mappings have no prototype. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('reading YAML templates', () => {
  it('turns every short-form tag into the long JSON form', () => {
    const { body, problems } = yaml(`
AWSTemplateFormatVersion: 2010-09-09
Resources:
  R:
    Type: AWS::SNS::Topic
    Properties:
      Ref: !Ref Param
      Att: !GetAtt Bucket.Arn
      NestedOutput: !GetAtt Network.Outputs.VpcId
      AttList: !GetAtt [Bucket, Arn]
      Sub: !Sub 'arn:\${AWS::Partition}:s3:::\${Bucket}'
      SubList: !Sub ['\${A}-x', { A: !Ref Param }]
      If: !If [IsProd, 1, !Ref AWS::NoValue]
      Join: !Join [',', [a, b]]
      Select: !Select [0, !GetAZs '']
      Split: !Split [',', 'a,b']
      FindInMap: !FindInMap [M, !Ref AWS::Region, Ami]
      Import: !ImportValue shared-VpcId
      Base64: !Base64 hello
      Cidr: !Cidr [10.0.0.0/16, 3, 8]
      Length: !Length [a, b]
      ToJson: !ToJsonString { a: 1 }
      Transform: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Both: !And [!Condition IsProd, !Not [!Equals [a, b]]]
  Either: !Or [!Condition IsProd, !Condition Both]
`);
    assert.deepEqual(problems, []);
    assert.equal(body!.AWSTemplateFormatVersion, '2010-09-09', 'a YAML 1.2 date-looking scalar stays a string');
    const p = plain((body!.Resources as any).R.Properties) as any;
    assert.deepEqual(p.Ref, { Ref: 'Param' });
    assert.deepEqual(p.Att, { 'Fn::GetAtt': ['Bucket', 'Arn'] });
    assert.deepEqual(p.NestedOutput, { 'Fn::GetAtt': ['Network', 'Outputs.VpcId'] });
    assert.deepEqual(p.AttList, { 'Fn::GetAtt': ['Bucket', 'Arn'] });
    assert.deepEqual(p.Sub, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' });
    assert.deepEqual(p.SubList, { 'Fn::Sub': ['${A}-x', { A: { Ref: 'Param' } }] });
    assert.deepEqual(p.If, { 'Fn::If': ['IsProd', 1, { Ref: 'AWS::NoValue' }] });
    assert.deepEqual(p.Join, { 'Fn::Join': [',', ['a', 'b']] });
    assert.deepEqual(p.Select, { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
    assert.deepEqual(p.Split, { 'Fn::Split': [',', 'a,b'] });
    assert.deepEqual(p.FindInMap, { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'Ami'] });
    assert.deepEqual(p.Import, { 'Fn::ImportValue': 'shared-VpcId' });
    assert.deepEqual(p.Base64, { 'Fn::Base64': 'hello' });
    assert.deepEqual(p.Cidr, { 'Fn::Cidr': ['10.0.0.0/16', 3, 8] });
    assert.deepEqual(p.Length, { 'Fn::Length': ['a', 'b'] });
    assert.deepEqual(p.ToJson, { 'Fn::ToJsonString': { a: 1 } });
    assert.deepEqual(p.Transform, { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } });
    const c = plain(body!.Conditions) as any;
    assert.deepEqual(c.IsProd, { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] });
    assert.deepEqual(c.Both, { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }] });
    assert.deepEqual(c.Either, { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'Both' }] });
  });

  it('keeps the YAML 1.2 core schema: yes/no/on stay strings, numbers and booleans are typed', () => {
    const { body } = yaml('Resources: {}\nA: yes\nB: on\nC: 012\nD: true\nE: 1.5\nF: ~\n');
    assert.deepEqual([body!.A, body!.B, body!.C, body!.D, body!.E, body!.F], ['yes', 'on', 12, true, 1.5, null]);
  });

  it('keeps a position for every node, keys and values apart, inside short forms too', () => {
    const text = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "${AWS::StackName}-data"\n      Tags:\n        - Key: team\n          Value: !Join ["-", [a, !Ref Team]]\n';
    const { map } = yaml(text);
    assert.deepEqual(map.locate(['Resources', 'Bucket'], 'key'), { line: 2, column: 3, endLine: 2, endColumn: 9 });
    assert.deepEqual(map.locate(['Resources', 'Bucket', 'Type']), { line: 3, column: 11, endLine: 3, endColumn: 26 });
    assert.equal(map.locate(['Resources', 'Bucket', 'Properties', 'BucketName']).column, 19, 'a tagged value starts at its tag');
    assert.equal(map.locate(['Resources', 'Bucket', 'Properties', 'BucketName', 'Fn::Sub']).column, 24, 'the argument sits after the tag');
    const ref = map.locate(['Resources', 'Bucket', 'Properties', 'Tags', 0, 'Value', 'Fn::Join', 1, 1, 'Ref']);
    assert.deepEqual([ref.line, ref.column], [8, 39]);
    const missing = map.locate(['Resources', 'Bucket', 'Properties', 'Nope']);
    assert.deepEqual([missing.line, missing.column], [4, 5], 'an unknown path falls back to the nearest ancestor key');
  });

  it('reports duplicate keys, bad indentation and unknown tags as findings with positions, never as exceptions', () => {
    const dup = yaml('Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n');
    assert.deepEqual(dup.problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.message}`), ['SP0002 4:3 Duplicate key "A"']);

    const indent = yaml('Resources:\n  A:\n    Type: AWS::SNS::Topic\n   Properties: {}\n');
    assert.equal(indent.problems[0].rule, 'SP0001');
    assert.equal(indent.problems[0].line, 4);

    const tag = yaml('Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Base64Decode name.txt\n');
    assert.deepEqual(tag.problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.message}`), ['SP0003 5:18 Unknown tag !Base64Decode']);
    assert.deepEqual((tag.body!.Resources as any).A.Properties.TopicName, 'name.txt', 'the rest of the template is still read');

    // Rain's directives read as Rain's JSON form, for the validator to report once each (SP1004).
    const rain = yaml('Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Rain::Embed name.txt\n');
    assert.deepEqual(rain.problems, []);
    assert.deepEqual({ ...(rain.body!.Resources as any).A.Properties.TopicName }, { 'Rain::Embed': 'name.txt' });
  });

  it('reads a template that is not a mapping as a finding', () => {
    const list = yaml('- a\n- b\n');
    assert.equal(list.body, undefined);
    assert.match(list.problems[0].message, /must be a mapping of sections/);
  });
});

describe('keys that are names on Object.prototype', () => {
  for (const [format, read, text] of [
    ['YAML', yaml, 'Mappings:\n  M:\n    __proto__: {a: 1}\n    constructor: x\nResources: {}\n'],
    ['JSON', json, '{"Mappings": {"M": {"__proto__": {"a": 1}, "constructor": "x"}}, "Resources": {}}'],
  ] as const) {
    it(`reads them as keys like any other, in ${format}`, () => {
      const mapping = read(text).body!.Mappings as Record<string, Record<string, unknown>>;
      assert.equal(Object.getPrototypeOf(mapping.M), null, 'mappings have no prototype');
      assert.deepEqual(Object.keys(mapping.M), ['__proto__', 'constructor']);
      assert.deepEqual(plain(mapping.M.__proto__), { a: 1 });
      const unwritten: string = 'toString';
      assert.equal(mapping.M[unwritten], undefined, 'a key not written is not there');
    });
  }
});

describe('reading JSON templates', () => {
  it('reads JSON with positions for keys and values', () => {
    const t = json('{\n  "Resources": {\n    "Topic": { "Type": "AWS::SNS::Topic" }\n  }\n}\n');
    assert.deepEqual(t.problems, []);
    assert.deepEqual(plain(t.body), { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
    assert.deepEqual(t.map.locate(['Resources', 'Topic'], 'key'), { line: 3, column: 5, endLine: 3, endColumn: 12 });
    assert.deepEqual(t.map.locate(['Resources', 'Topic', 'Type']), { line: 3, column: 24, endLine: 3, endColumn: 41 });
  });

  it('reports invalid JSON at the place it goes wrong', () => {
    const cases: [string, string][] = [
      ['{\n  "Resources": {\n    "A": 1,\n  }\n}', '4:3 Invalid JSON: Trailing comma before }'],
      ['{\n  "Resources": {\n    "A": 1\n    "B": 2\n  }\n}', "4:5 Invalid JSON: Expected ',' or '}' after a property value, found '\"'"],
      ['{"Resources": {"A": tru}}', "1:21 Invalid JSON: Unexpected 't'"],
      ['{"Resources": {"A": "x', '1:21 Invalid JSON: Unterminated string'],
      ['{"Resources": {}}}', "1:18 Invalid JSON: Unexpected '}' after the end of the document"],
    ];
    for (const [text, expected] of cases) {
      const t = json(text);
      assert.equal(t.body, undefined);
      assert.deepEqual(t.problems.map((p) => `${p.line}:${p.column} ${p.message}`), [expected]);
      assert.equal(t.problems[0].rule, 'SP0001');
    }
  });

  it('reports duplicate keys, which JSON.parse silently collapses', () => {
    const t = json('{"Resources": {"A": {"Type": "AWS::SNS::Topic"}, "A": {"Type": "AWS::SQS::Queue"}}}');
    assert.deepEqual(t.problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.message}`), ['SP0002 1:50 Duplicate key "A"']);
  });

  it('reads escapes and unicode exactly as JSON.parse does', () => {
    const text = '{"Resources": {}, "S": "a\\"b\\\\c\\n\\u00e9\\/"}';
    assert.deepEqual(plain(json(text).body), JSON.parse(text));
  });
});
