import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrSubnets } from '../../src/engine/evaluate/cidr.ts';
import { conditionResolver } from '../../src/engine/evaluate/conditions.ts';
import { EvaluationError } from '../../src/engine/evaluate/evaluation-error.ts';
import { evaluate, type EvaluationScope } from '../../src/engine/evaluate/intrinsics.ts';

const conditions = new Map<string, unknown>([
  ['IsProd', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
  ['IsDev', { 'Fn::Not': [{ Condition: 'IsProd' }] }],
  ['Both', { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'a'] }] }],
  ['Either', { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': [1, '1'] }] }],
]);

function scope(parameters: Record<string, string | string[]> = { Env: 'dev' }): EvaluationScope {
  const s: EvaluationScope = {
    pseudo: {
      accountId: '123456789012',
      region: 'eu-west-1',
      stackName: 'app',
      stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/app/0000',
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
      notificationARNs: ['arn:aws:sns:eu-west-1:123456789012:alerts'],
    },
    parameters: new Map(Object.entries(parameters)),
    mappings: { Sizes: { prod: { Instance: 'm5.large' }, dev: { Instance: 't3.micro' } } },
    condition: conditionResolver(conditions, () => s),
    resourceRef: (id) => {
      if (id === 'Bucket') return 'app-bucket-abc';
      throw new EvaluationError(`no ${id}`);
    },
    getAtt: (id, attribute) => `${id}:${attribute}`,
    importValue: (name) => {
      if (name === 'shared-VpcId') return 'vpc-123';
      throw new EvaluationError(`No export named ${name} found. Rollback requested by user.`);
    },
  };
  return s;
}

const run = (value: unknown, parameters?: Record<string, string | string[]>) => evaluate(value, scope(parameters));

describe('intrinsic functions', () => {
  it('Ref returns parameters, resources and pseudo parameters', () => {
    assert.equal(run({ Ref: 'Env' }), 'dev');
    assert.equal(run({ Ref: 'Bucket' }), 'app-bucket-abc');
    assert.deepEqual(run(['AccountId', 'Region', 'StackName', 'StackId', 'Partition', 'URLSuffix'].map((p) => ({ Ref: `AWS::${p}` }))), [
      '123456789012', 'eu-west-1', 'app', 'arn:aws:cloudformation:eu-west-1:123456789012:stack/app/0000', 'aws', 'amazonaws.com',
    ]);
    assert.deepEqual(run({ Ref: 'AWS::NotificationARNs' }), ['arn:aws:sns:eu-west-1:123456789012:alerts']);
    assert.deepEqual(run({ Ref: 'Subnets' }, { Subnets: ['subnet-1', 'subnet-2'] }), ['subnet-1', 'subnet-2']);
  });

  it('AWS::NoValue removes the property or the list item', () => {
    assert.deepEqual(run({ A: { Ref: 'AWS::NoValue' }, B: 1, C: ['x', { 'Fn::If': ['IsProd', 'y', { Ref: 'AWS::NoValue' }] }] }), { B: 1, C: ['x'] });
  });

  it('GetAtt in both forms, dotted attributes, and an attribute chosen by Ref', () => {
    assert.equal(run({ 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }), 'Db:Endpoint.Address');
    assert.equal(run({ 'Fn::GetAtt': 'Db.Endpoint.Port' }), 'Db:Endpoint.Port');
    assert.equal(run({ 'Fn::GetAtt': ['Db', { Ref: 'Env' }] }), 'Db:dev');
  });

  it('Sub with pseudo parameters, resources, attributes, local variables and escapes', () => {
    assert.equal(run({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${Env}' }), 'arn:aws:s3:::app-bucket-abc/dev');
    assert.equal(run({ 'Fn::Sub': '${Db.Endpoint.Address}:${!Literal}' }), 'Db:Endpoint.Address:${Literal}');
    assert.equal(run({ 'Fn::Sub': ['${Name}-${AWS::Region}', { Name: { 'Fn::Join': ['-', ['a', 'b']] } }] }), 'a-b-eu-west-1');
  });

  it('Join, Select, Split, Length and ToJsonString', () => {
    assert.equal(run({ 'Fn::Join': [':', ['a', { Ref: 'Env' }, 3]] }), 'a:dev:3');
    assert.equal(run({ 'Fn::Select': ['1', { 'Fn::Split': [',', 'x,y,z'] }] }), 'y');
    assert.throws(() => run({ 'Fn::Select': [5, ['a']] }), /Fn::Select cannot select nonexistent value at index 5/);
    assert.equal(run({ 'Fn::Length': ['a', { Ref: 'AWS::NoValue' }, 'b'] }), 2);
    assert.equal(run({ 'Fn::ToJsonString': { a: [1, { Ref: 'Env' }] } }), '{"a":[1,"dev"]}');
  });

  it('conditions: Equals, And, Or, Not, Condition and If', () => {
    assert.equal(run({ 'Fn::If': ['IsProd', 'big', 'small'] }), 'small');
    assert.equal(run({ 'Fn::If': ['IsProd', 'big', 'small'] }, { Env: 'prod' }), 'big');
    const s = scope();
    assert.deepEqual(['IsProd', 'IsDev', 'Both', 'Either'].map((c) => s.condition(c)), [false, true, true, true]);
  });

  it('a condition that refers to itself is an error', () => {
    const loop = new Map<string, unknown>([['A', { 'Fn::Not': [{ Condition: 'B' }] }], ['B', { 'Fn::Not': [{ Condition: 'A' }] }]]);
    const s = { ...scope() };
    s.condition = conditionResolver(loop, () => s);
    assert.throws(() => s.condition('A'), /Circular dependency between conditions/);
  });

  it('FindInMap, with and without DefaultValue', () => {
    assert.equal(run({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Instance'] }), 't3.micro');
    assert.equal(run({ 'Fn::FindInMap': ['Sizes', 'test', 'Instance', { DefaultValue: 'none' }] }), 'none');
    assert.throws(() => run({ 'Fn::FindInMap': ['Sizes', 'test', 'Instance'] }), /Unable to get mapping for Sizes::test::Instance/);
  });

  it('GetAZs returns the region\'s zones', () => {
    assert.deepEqual(run({ 'Fn::GetAZs': '' }), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    assert.deepEqual(run({ 'Fn::GetAZs': 'us-east-1' }), ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `us-east-1${l}`));
    assert.equal(run({ 'Fn::Select': [0, { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] }), 'eu-west-1a');
  });

  it('ImportValue and Base64', () => {
    assert.equal(run({ 'Fn::ImportValue': { 'Fn::Sub': 'shared-VpcId' } }), 'vpc-123');
    assert.throws(() => run({ 'Fn::ImportValue': 'missing' }), /No export named missing found/);
    assert.equal(run({ 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\necho ${Env}' } }), Buffer.from('#!/bin/bash\necho dev').toString('base64'));
  });
});

describe('Fn::Cidr', () => {
  it('splits IPv4 blocks exactly', () => {
    assert.deepEqual(cidrSubnets('10.0.0.0/16', 4, 8), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    assert.deepEqual(cidrSubnets('192.168.0.0/24', 3, 6), ['192.168.0.0/26', '192.168.0.64/26', '192.168.0.128/26']);
    assert.deepEqual(cidrSubnets('10.0.5.7/16', 2, 12), ['10.0.0.0/20', '10.0.16.0/20'], 'starts at the network address');
  });

  it('splits IPv6 blocks with compressed notation', () => {
    assert.deepEqual(cidrSubnets('2001:db8::/56', 3, 64), ['2001:db8::/64', '2001:db8:0:1::/64', '2001:db8:0:2::/64']);
  });

  it('refuses more subnets than fit, and subnets larger than the block', () => {
    assert.throws(() => cidrSubnets('10.0.0.0/24', 5, 6), /cannot hold 5 subnets/);
    assert.throws(() => cidrSubnets('10.0.0.0/24', 1, 9), /does not fit/);
  });

  it('through the evaluator', () => {
    assert.deepEqual(run({ 'Fn::Cidr': ['10.1.0.0/16', '2', '8'] }), ['10.1.0.0/24', '10.1.1.0/24']);
  });
});
