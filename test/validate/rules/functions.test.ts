import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleFindings } from '../../helpers.ts';
import { rules, severities } from './support.ts';

describe('SP1101 intrinsic function shape and arity', () => {
  it('reports each malformed function at its name', () => {
    const path = rules('SP1101', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP1101'), [
      '13:10 Fn::Not takes a list of one condition',
      '14:17 Fn::And takes a list of 2 to 10 conditions',
      '21:18 Fn::Join takes [delimiter, [values]]',
      '22:31 Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]',
      '23:21 Fn::Select takes [index, [values]]',
      '24:26 Fn::If takes [conditionName, valueIfTrue, valueIfFalse]',
      '28:18 Fn::Sub takes a string, or [string, {variable: value}]',
      '29:20 Ref takes a logical id or pseudo parameter name',
      '32:12 Fn::GetAtt takes [logicalId, attribute] (or "logicalId.attribute")',
    ]);
    assert.ok(severities(path, 'SP1101').every((s) => s === 'error'));
  });

  it('reports malformed functions in the JSON long form', () => {
    assert.deepEqual(ruleFindings(rules('SP1101', 'bad.json'), 'SP1101'), [
      '7:24 Fn::Join takes [delimiter, [values]]',
      '14:26 Fn::GetAtt takes [logicalId, attribute] (or "logicalId.attribute")',
    ]);
  });

  it('does not also report a malformed Fn::If as a property value of the wrong type', () => {
    assert.deepEqual(ruleFindings(rules('SP1101', 'bad.yaml'), 'SP3004'), []);
  });

  it('accepts every function in its documented shapes, nested functions included', () => {
    assert.deepEqual(ruleFindings(rules('SP1101', 'good.yaml'), 'SP1101'), []);
  });
});

describe('SP1102 Ref to an unknown name', () => {
  it('reports Refs to unknown names (in Resources and Outputs), pseudo parameters that do not exist, and resources within Conditions', () => {
    assert.deepEqual(ruleFindings(rules('SP1102', 'bad.yaml'), 'SP1102'), [
      '8:30 Conditions can only refer to parameters, not to resource AlertsTopic',
      '13:23 Ref to TopicName, which is not a parameter, resource or pseudo parameter of this template',
      '14:25 Ref to AWS::Stage (not a pseudo parameter), which is not a parameter, resource or pseudo parameter of this template',
      '18:22 Ref to AlertTopic, which is not a parameter, resource or pseudo parameter of this template',
      '25:17 Ref to AlertSubscription, which is not a parameter, resource or pseudo parameter of this template',
    ]);
  });

  it('accepts Refs to parameters, resources and pseudo parameters (AWS::NoValue included)', () => {
    assert.deepEqual(ruleFindings(rules('SP1102', 'good.yaml'), 'SP1102'), []);
  });
});

describe('SP1103 GetAtt to an unknown resource or attribute', () => {
  const bad = rules('SP1103', 'bad.yaml');

  it('reports a dotted attribute the type does not have, listing the ones it has', () => {
    const [first] = ruleFindings(bad, 'SP1103');
    assert.match(first, /^23:20 AWS::RDS::DBInstance has no attribute Endpoint\.Hostname; it has .*\bEndpoint\.Address\b/);
  });

  it('reports an unknown attribute, a parameter and an unknown resource', () => {
    assert.deepEqual(ruleFindings(bad, 'SP1103').slice(1), [
      '25:20 AWS::SQS::Queue has no attribute Url; it has Arn, QueueName, QueueUrl',
      '27:20 GetAtt needs a resource; DbPasswordSecretArn is a parameter (use Ref)',
      '29:20 GetAtt on Cache, which is not a resource of this template',
    ]);
  });

  it("accepts dotted attributes, a custom resource's any attribute and a nested stack's Outputs.X", () => {
    assert.deepEqual(ruleFindings(rules('SP1103', 'good.yaml'), 'SP1103'), []);
  });
});

describe('SP1104 Sub variable that resolves to nothing', () => {
  it('reports unknown variables, in both forms, and unknown attributes; ${!Literal} is text', () => {
    assert.deepEqual(ruleFindings(rules('SP1104', 'bad.yaml'), 'SP1104'), [
      '10:23 ${Stag} is not a parameter, resource, pseudo parameter or variable of this Sub',
      '12:11 ${Owner} is not a parameter, resource, pseudo parameter or variable of this Sub',
      '16:17 ${AlertsTopic.Arn}: AWS::SNS::Topic has no attribute Arn; it has TopicArn, TopicName',
      '18:17 ${Missing} is not a parameter, resource, pseudo parameter or variable of this Sub',
    ]);
  });

  it('accepts parameters, resources, attributes, pseudo parameters, local variables and ${!Literal}', () => {
    assert.deepEqual(ruleFindings(rules('SP1104', 'good.yaml'), 'SP1104'), []);
  });
});

describe('SP1105 FindInMap key that does not exist', () => {
  it('reports an unknown mapping, top-level key and second-level key at the name', () => {
    assert.deepEqual(ruleFindings(rules('SP1105', 'bad.yaml'), 'SP1105'), [
      '18:58 Mapping StageSettings has no key staging',
      '19:59 Mapping StageSettings.prod has no key VisibilityTimeout',
      '20:33 No mapping named QueueSettings in Mappings',
    ]);
  });

  it('accepts existing keys, keys from a Ref, and a lookup with a DefaultValue', () => {
    assert.deepEqual(ruleFindings(rules('SP1105', 'good.yaml'), 'SP1105'), []);
  });
});

describe('SP1106 unknown condition', () => {
  it('reports undeclared conditions of Fn::If, Condition attributes and {Condition: name}', () => {
    assert.deepEqual(ruleFindings(rules('SP1106', 'bad.yaml'), 'SP1106'), [
      '8:37 Condition names condition IsProduction, which is not declared in Conditions',
      '12:16 AlertsTopic names condition IsStaging, which is not declared in Conditions',
      '14:25 Fn::If names condition IsDev, which is not declared in Conditions',
      '17:16 The Condition of JobsQueue must be a condition name',
      '22:16 QueueUrl names condition HasQueue, which is not declared in Conditions',
    ]);
  });

  it('accepts declared conditions', () => {
    assert.deepEqual(ruleFindings(rules('SP1106', 'good.yaml'), 'SP1106'), []);
  });
});

describe('SP1107 DependsOn target that is not a resource', () => {
  it('reports a self dependency, an unknown resource and a target that is not a name', () => {
    assert.deepEqual(ruleFindings(rules('SP1107', 'bad.yaml'), 'SP1107'), [
      '6:16 AlertsTopic depends on itself',
      '9:17 AlertsSubscription depends on AlertTopic, which is not a resource of this template',
      '9:29 DependsOn takes a resource logical id or a list of them',
    ]);
  });

  it('accepts resources as a string and as a list', () => {
    assert.deepEqual(ruleFindings(rules('SP1107', 'good.yaml'), 'SP1107'), []);
  });
});

describe('SP1108 circular dependency between resources', () => {
  it('reports cycles through GetAtt and Ref, a Ref to itself, and DependsOn with Sub', () => {
    assert.deepEqual(ruleFindings(rules('SP1108', 'bad.yaml'), 'SP1108'), [
      '7:3 Circular dependency between resources WebSecurityGroup, DbSecurityGroup: each needs another to exist first',
      '27:3 LogsBucket depends on itself',
      '40:3 Circular dependency between resources AlertsTopic, AlertsPolicy: each needs another to exist first',
    ]);
  });

  it('accepts security groups whose cross rules are separate resources', () => {
    assert.deepEqual(ruleFindings(rules('SP1108', 'good.yaml'), 'SP1108'), []);
  });
});
