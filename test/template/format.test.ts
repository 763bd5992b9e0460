import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { formatTemplate } from '../../src/template/format.ts';
import { parseTemplate } from '../../src/template/parse.ts';
import { CORPUS, REPO, runCli, writeProject } from '../helpers.ts';

const format = (text: string, file = 'template.yaml') => {
  const result = formatTemplate(text, file);
  assert.ok('text' in result, 'problem' in result ? result.problem : '');
  return result.text;
};

const MESSY = `# Orders service
Resources:
    Table:   # the one table
        Type: "AWS::DynamoDB::Table"
        Properties:
            TableName: !Sub "\${AWS::StackName}-orders"
            AttributeDefinitions: [{AttributeName: "id", AttributeType: S}]
            KeySchema: [ { AttributeName: id, KeyType: HASH } ]
            Tags: []
            SSESpecification: {}
    Alarm:
        Type: AWS::CloudWatch::Alarm
        Properties:
            Dimensions:
            -   Name: TableName
                Value: !Ref Table
            AlarmActions: [!GetAtt Topic.Arn]
            Enabled: "yes"
Outputs:
    TableArn: { Value: !GetAtt Table.Arn }
AWSTemplateFormatVersion: "2010-09-09"
Description: >
    Orders.
`;

const CANONICAL = `# Orders service

AWSTemplateFormatVersion: '2010-09-09'
Description: >
  Orders.
Resources:
  Table:
    # the one table
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub \${AWS::StackName}-orders
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      Tags: []
      SSESpecification: {}
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Dimensions:
        - Name: TableName
          Value: !Ref Table
      AlarmActions:
        - !GetAtt Topic.Arn
      Enabled: 'yes'
Outputs:
  TableArn:
    Value: !GetAtt Table.Arn
`;

describe('formatTemplate', () => {
  it('lays a YAML template out canonically, keeping comments and short-form tags', () => {
    assert.equal(format(MESSY), CANONICAL);
    assert.deepEqual(parseTemplate(CANONICAL, 't.yaml').body, parseTemplate(MESSY, 't.yaml').body);
  });

  it('is idempotent', () => {
    assert.equal(format(CANONICAL), CANONICAL);
  });

  it('indents JSON by two spaces and keeps its key order', () => {
    const json = '{"Resources":{"B":{"Type":"AWS::SNS::Topic"},"A":{"Type":"AWS::SQS::Queue","Properties":{"DelaySeconds":5}}},"AWSTemplateFormatVersion":"2010-09-09"}';
    assert.equal(format(json, 't.json'), `{\n  "Resources": {\n    "B": {\n      "Type": "AWS::SNS::Topic"\n    },\n    "A": {\n      "Type": "AWS::SQS::Queue",\n      "Properties": {\n        "DelaySeconds": 5\n      }\n    }\n  },\n  "AWSTemplateFormatVersion": "2010-09-09"\n}\n`);
  });

  it('keeps numbers and strings as written, where a round trip through a JS number would change them', () => {
    const yaml = 'Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Account: 012345678901\n      Big: 123456789012345678901\n      Ratio: 1.50\n      Quoted: "012345678901"\n';
    assert.equal(format(yaml), "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Account: 012345678901\n      Big: 123456789012345678901\n      Ratio: 1.50\n      Quoted: '012345678901'\n");
    const json = '{"Resources": {"Role": {"Properties": {"Big": 123456789012345678901, "Ratio": 1.0, "Name": "caf\\u00e9", "Tags": [ ], "Empty": {}}}}}';
    assert.equal(format(json, 't.json'), '{\n  "Resources": {\n    "Role": {\n      "Properties": {\n        "Big": 123456789012345678901,\n        "Ratio": 1.0,\n        "Name": "caf\\u00e9",\n        "Tags": [],\n        "Empty": {}\n      }\n    }\n  }\n}\n');
  });

  it('leaves a template that does not parse as it is, saying why', () => {
    const result = formatTemplate('Resources:\n  A: {Type: AWS::SNS::Topic\n', 'broken.yaml');
    assert.ok('problem' in result);
    assert.match(result.problem, /does not parse/);
  });

  it('keeps the meaning of every example and corpus template, and formats each once for all', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ya?ml|json)$/.test(name)) files.push(path);
      }
    };
    walk(join(REPO, 'examples'));
    walk(CORPUS);
    let formatted = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      const before = parseTemplate(text, path);
      if (!before.body || !('Resources' in before.body) || before.problems.length > 0) continue;
      const once = format(text, path);
      assert.deepEqual(parseTemplate(once, path).body, before.body, `${relative(REPO, path)}: same template after formatting`);
      assert.equal(format(once, path), once, `${relative(REPO, path)}: formatting twice gives what once does`);
      formatted++;
    }
    assert.ok(formatted > 250, `${formatted} templates formatted`);
  });
});

describe('stackpilot fmt', () => {
  it('--check names the files that would change (exit 1) and changes nothing; fmt rewrites them; then --check passes', () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  orders: { template: orders.yaml }\n  tidy: { template: tidy.yaml }\nenvironments:\n  dev: {}\n', 'orders.yaml': MESSY, 'tidy.yaml': CANONICAL });
    const check = runCli(['fmt', dir, '--check']);
    assert.equal(check.code, 1, check.stderr);
    assert.ok(check.stdout.includes(`would reformat ${join(dir, 'orders.yaml')}\n`), check.stdout);
    assert.ok(!check.stdout.includes('tidy.yaml'));
    assert.equal(readFileSync(join(dir, 'orders.yaml'), 'utf8'), MESSY, '--check changes nothing');

    const fmt = runCli(['fmt', dir]);
    assert.equal(fmt.code, 0, fmt.stderr);
    assert.match(fmt.stdout, /1 file reformatted, 1 already formatted/);
    assert.equal(readFileSync(join(dir, 'orders.yaml'), 'utf8'), CANONICAL);
    assert.equal(runCli(['fmt', dir, '--check']).code, 0);
  });

  it('leaves a file that does not parse as it is, naming it, with exit 2', () => {
    const broken = 'Resources:\n  A: {Type: AWS::SNS::Topic\n';
    const dir = writeProject({ 'broken.yaml': broken });
    const run = runCli(['fmt', join(dir, 'broken.yaml')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /broken\.yaml: left as it is: it does not parse/);
    assert.equal(readFileSync(join(dir, 'broken.yaml'), 'utf8'), broken);
  });
});
