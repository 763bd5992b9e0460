import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findings, ruleFindings, writeProject } from '../../helpers.ts';
import { projectFindings, rules, severities } from './support.ts';

describe('SP2001 parameter type and default', () => {
  it('reports unknown types, invalid patterns and defaults that break their own constraints', () => {
    const path = rules('SP2001', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP2001'), [
      '7:14 The Default of Stage breaks its own constraints: "staging" is not one of the allowed values: dev, prod',
      '12:14 The Default of RetentionSeconds breaks its own constraints: "30" is less than MinValue 60',
      '15:21 The AllowedPattern of QueuePrefix is not a valid regular expression: missing closing ]: `[a-z`',
      '17:11 Parameter DelaySeconds has an unknown Type "Integer"',
      '20:14 The Default of VpcId would fail wherever a stack is deployed with it: "vpc-main" is not a valid AWS::EC2::VPC::Id (AWS checks it only when a stack is created or updated with it, so a placeholder every deploy overrides is fine)',
      '24:14 The Default of Owner breaks its own constraints: "platform-team" is longer than MaxLength 5 (at most 5 characters)',
      '28:14 The Default of Tags must be a string or a number',
      '31:14 The Default of Zones must be a string or a number, not a list: write the items separated by commas',
    ]);
    assert.deepEqual(severities(path, 'SP2001'), ['error', 'error', 'error', 'error', 'warning', 'error', 'error', 'error']);
  });

  it('accepts valid types (lists, AWS and SSM types) and defaults within their constraints', () => {
    assert.deepEqual(ruleFindings(rules('SP2001', 'good.yaml'), 'SP2001'), []);
  });
});

describe('placeholder Defaults of AWS-specific parameter types', () => {
  const template = [
    'Parameters:',
    '  SubnetIds:',
    '    Type: List<AWS::EC2::Subnet::Id>',
    '    Default: subnet-1,subnet-2',
    '  ImageParameter:',
    '    Type: AWS::SSM::Parameter::Name',
    '    Default: "set per environment"',
    'Resources:',
    '  Group:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: !Join [",", !Ref SubnetIds]',
    '      Tags: [{ Key: image, Value: !Ref ImageParameter }]',
    '',
  ].join('\n');
  const project = (environments: string) => writeProject({ 'stackpilot.yaml': `project: net\nstacks:\n  net: { template: net.yaml }\nenvironments:\n${environments}`, 'net.yaml': template });
  const errors = (dir: string) => findings(dir).filter((d) => d.severity === 'error').map((d) => `${d.rule} ${d.line}:${d.column} ${d.message}`);

  it('are only a warning when every environment gives the parameters a value', () => {
    const dir = project('  staging: { parameters: { SubnetIds: "subnet-0a1b2c3d,subnet-4e5f6a7b", ImageParameter: /images/staging } }\n');
    assert.deepEqual(errors(dir), []);
    assert.deepEqual(
      findings(dir).filter((d) => d.rule === 'SP2001').map((d) => `${d.severity} ${d.line}:${d.column}`),
      ['warning 4:14', 'warning 4:14', 'warning 7:14'],
    );
  });

  it('are an error, at the Default, naming the environments that deploy them', () => {
    const dir = project('  staging: { stacks: { net: { parameters: { SubnetIds: "subnet-0a1b2c3d", ImageParameter: /images/staging } } } }\n  dev: {}\n  test: { parameters: { ImageParameter: /images/test } }\n');
    assert.deepEqual(errors(dir), [
      'SP2010 4:14 Environments dev, test deploy the Default of SubnetIds, which AWS will reject: item "subnet-1" is not a valid AWS::EC2::Subnet::Id; item "subnet-2" is not a valid AWS::EC2::Subnet::Id. Give SubnetIds a value for them (a parameter file, the manifest, or --parameter)',
      'SP2010 7:14 Environment dev deploys the Default of ImageParameter, which AWS will reject: "set per environment" is not an SSM parameter name (type AWS::SSM::Parameter::Name). Give ImageParameter a value for it (a parameter file, the manifest, or --parameter)',
    ]);
  });
});

describe('SP2002 unused parameter', () => {
  it('warns about each parameter nothing refers to, at its name', () => {
    const path = rules('SP2002', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP2002'), [
      '6:3 Parameter AlertEmail is declared but never used',
      '8:3 Parameter RetentionDays is declared but never used',
    ]);
    assert.deepEqual(severities(path, 'SP2002'), ['warning', 'warning']);
  });

  it('counts uses by Ref, Sub, conditions and outputs', () => {
    assert.deepEqual(ruleFindings(rules('SP2002', 'good.yaml'), 'SP2002'), []);
  });
});

describe('SP2003 NoEcho parameter with a Default', () => {
  it('warns about a secret written into the template', () => {
    const path = rules('SP2003', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP2003'), [
      '8:14 NoEcho parameter DbPassword has a Default: the secret is stored in the template; pass it at deploy time or use a dynamic reference ({{resolve:secretsmanager:...}})',
    ]);
    assert.deepEqual(severities(path, 'SP2003'), ['warning']);
  });

  it('accepts NoEcho parameters without a Default, or with an empty one', () => {
    assert.deepEqual(ruleFindings(rules('SP2003', 'good.yaml'), 'SP2003'), []);
  });
});

describe('SP2010 parameter values', () => {
  const dir = rules('SP2010');
  const template = `${dir}/template.yaml`;
  const withFile = (name: string) => projectFindings(dir, 'SP2010', { parametersFile: `${dir}/parameters/${name}` }, template);

  it('checks the values of a parameter file in the array form, and its unknown keys at their line', () => {
    assert.deepEqual(withFile('bad-array.json'), [
      'parameters/bad-array.json 2:54 Environment: "staging" is not one of the allowed values: development, production',
      'parameters/bad-array.json 3:52 QueueName: "Work_Queue" does not match the pattern [a-z][a-z0-9-]* (lower-case letters, digits and hyphens)',
      'parameters/bad-array.json 4:59 RetentionSeconds: "30" is less than MinValue 60',
      `parameters/bad-array.json 6:5 AlertEmail is not a parameter of ${template}`,
    ]);
  });

  it('checks the values of a parameter file in the plain form, numbers included', () => {
    assert.deepEqual(withFile('bad-plain.json'), [
      'parameters/bad-plain.json 3:16 QueueName: "wq" is shorter than MinLength 3 (lower-case letters, digits and hyphens)',
      'parameters/bad-plain.json 4:23 RetentionSeconds: "2000000" is greater than MaxValue 1209600',
      `parameters/bad-plain.json 6:3 Team is not a parameter of ${template}`,
    ]);
  });

  it('reports the parameters without a Default that the file gives no value', () => {
    assert.deepEqual(withFile('missing.json'), [
      `parameters/missing.json 1:1 No value for Environment, AlarmEmail of ${template}: these parameters have no Default`,
    ]);
  });

  it('reports items of the array form it cannot use', () => {
    assert.deepEqual(withFile('malformed-array.json'), [
      `parameters/malformed-array.json 1:1 No value for QueueName of ${template}: these parameters have no Default`,
      'parameters/malformed-array.json 3:3 Each item must be an object with "ParameterKey" and "ParameterValue"',
      'parameters/malformed-array.json 4:3 Parameter QueueName has no "ParameterValue"',
      'parameters/malformed-array.json 5:53 The value of AlarmEmail must be a string, number, boolean or list of them',
      'parameters/malformed-array.json 6:21 Parameter Environment is given twice in this file',
    ]);
  });

  it('accepts good parameter files in both forms, and a template checked without one', () => {
    assert.deepEqual(withFile('good-array.json'), []);
    assert.deepEqual(withFile('good-plain.json'), []);
    assert.deepEqual(ruleFindings(template, 'SP2010'), []);
  });

  describe('in a manifest project', () => {
    const project = rules('SP2010', 'project');

    it('checks stack files, environment values and region overrides, and required values per environment', () => {
      assert.deepEqual(projectFindings(project, 'SP2010'), [
        `parameters/development/queue.json 3:3 QueueNmae is not a parameter of ${project}/templates/queue.yaml (stack queue)`,
        'stackpilot.yaml 15:7 LogLevel is not a parameter of any stack of the project',
        `stackpilot.yaml 17:5 No value for AlarmEmail of ${project}/templates/queue.yaml (environment production): these parameters have no Default`,
        'stackpilot.yaml 18:20 Environment: "prod" is not one of the allowed values: development, production',
        'stackpilot.yaml 21:41 RetentionSeconds: "two weeks" is not a number (type Number)',
        'stackpilot.yaml 24:37 RetentionSeconds for us-west-2: "30" is less than MinValue 60',
        'stackpilot.yaml 24:41 BucketName (for us-west-2) is not a parameter of any stack, so it is not applied',
      ]);
    });

    it('warns, rather than errs, about a region override no stack declares', () => {
      assert.deepEqual(severities(project, 'SP2010'), ['error', 'error', 'error', 'error', 'error', 'error', 'warning']);
    });

    it('checks only the environment asked for', () => {
      assert.deepEqual(projectFindings(project, 'SP2010', { env: 'development' }), [
        `parameters/development/queue.json 3:3 QueueNmae is not a parameter of ${project}/templates/queue.yaml (stack queue)`,
        'stackpilot.yaml 15:7 LogLevel is not a parameter of any stack of the project',
        'stackpilot.yaml 24:37 RetentionSeconds for us-west-2: "30" is less than MinValue 60',
        'stackpilot.yaml 24:41 BucketName (for us-west-2) is not a parameter of any stack, so it is not applied',
      ]);
    });

    it('accepts a project whose every environment gives valid values (dynamic references included)', () => {
      assert.deepEqual(projectFindings(rules('SP2010', 'good-project'), 'SP2010'), []);
    });
  });
});
