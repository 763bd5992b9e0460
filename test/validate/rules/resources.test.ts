import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceFacts } from '../../../src/spec/resource-facts.ts';
import { ruleFindings } from '../../helpers.ts';
import { rules, severities } from './support.ts';

describe('SP3001 unknown resource type', () => {
  const bad = rules('SP3001', 'bad.yaml');
  const spec = resourceFacts().specVersion;

  it('reports AWS types that do not exist as errors and other namespaces as warnings', () => {
    assert.deepEqual(ruleFindings(bad, 'SP3001'), [
      `5:11 Unknown resource type AWS::SNS::Topics (not in the resource specification ${spec})`,
      `7:11 Unknown resource type AWS::SQS::queue (not in the resource specification ${spec})`,
      '11:11 Resource type Datadog::Monitors::Monitor is not an AWS type: it must be registered in the target account (a third-party or private registry type)',
    ]);
    assert.deepEqual(severities(bad, 'SP3001'), ['error', 'error', 'warning']);
  });

  it('accepts AWS types, custom resources and registry modules', () => {
    assert.deepEqual(ruleFindings(rules('SP3001', 'good.yaml'), 'SP3001'), []);
  });
});

describe('SP3002 unknown property', () => {
  it('reports misspelt properties at every depth with a did-you-mean, and unknown resource attributes', () => {
    assert.deepEqual(ruleFindings(rules('SP3002', 'bad.yaml'), 'SP3002'), [
      '9:7 AWS::S3::Bucket has no property BucketNam (did you mean BucketName?)',
      '11:9 AWS::S3::Bucket.VersioningConfiguration has no property Satus (did you mean Status?)',
      '16:13 AWS::S3::Bucket.LifecycleConfiguration.Rules has no property NoncurrentVersionExpirationDays (did you mean NoncurrentVersionExpirationInDays?)',
      '22:9 AWS::S3::Bucket.PublicAccessBlockConfiguration has no property Encrypted',
      '25:5 DeletionPolicies is not a resource attribute (known: Type, Properties, DependsOn, Condition, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy, UpdatePolicy, Version, Description)',
      '39:7 AWS::Lambda::Function has no property timeout (did you mean Timeout?)',
    ]);
  });

  it('accepts known properties and attributes, and anything on a custom resource', () => {
    assert.deepEqual(ruleFindings(rules('SP3002', 'good.yaml'), 'SP3002'), []);
  });
});

describe('SP3003 missing required property', () => {
  it('reports required properties left out, at the top level and nested', () => {
    assert.deepEqual(ruleFindings(rules('SP3003', 'bad.yaml'), 'SP3003'), [
      '10:5 AWS::SQS::QueuePolicy requires the property PolicyDocument',
      '17:7 AWS::S3::Bucket.VersioningConfiguration requires the property Status',
      '20:13 AWS::S3::Bucket.LifecycleConfiguration.Rules requires the property Status',
      '26:3 AWS::Lambda::Function requires the property Code',
      '26:3 AWS::Lambda::Function requires the property Role',
    ]);
  });

  it('accepts resources with their required properties', () => {
    assert.deepEqual(ruleFindings(rules('SP3003', 'good.yaml'), 'SP3003'), []);
  });
});

describe('SP3004 property value of the wrong type', () => {
  it('reports scalars where lists go and the reverse, non-integers, non-booleans and scalars for structures', () => {
    assert.deepEqual(ruleFindings(rules('SP3004', 'bad.yaml'), 'SP3004'), [
      '14:26 AWS::SQS::Queue.VisibilityTimeout must be an integer, not "abc"',
      '15:21 AWS::SQS::Queue.DelaySeconds must be an integer, not 2.5',
      '16:18 AWS::SQS::Queue.FifoQueue must be a boolean (true or false), not "yes"',
      '18:9 AWS::SQS::Queue.Tags must be a list, not a mapping',
      '26:25 AWS::EC2::Instance.SecurityGroupIds must be a list, not "sg-0a1b2c3d4e5f67890"',
      '27:19 AWS::EC2::Instance.Monitoring must be a boolean (true or false), not a list',
      '31:25 AWS::EC2::Instance.BlockDeviceMappings.Ebs.VolumeSize must be an integer, not "twenty"',
      '37:32 AWS::S3::Bucket.VersioningConfiguration must be a mapping, not "Enabled"',
    ]);
  });

  it('accepts integers and booleans written as strings, functions, and both branches of Fn::If', () => {
    assert.deepEqual(ruleFindings(rules('SP3004', 'good.yaml'), 'SP3004'), []);
  });
});

describe('SP3101 stateful resource without DeletionPolicy/UpdateReplacePolicy', () => {
  it('warns about data stores that leave out one policy or both', () => {
    const path = rules('SP3101', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP3101'), [
      '4:3 OrdersTable (AWS::DynamoDB::Table) holds data but has no DeletionPolicy or UpdateReplacePolicy: deleting or replacing it deletes the data; set Retain or Snapshot, or Delete to make the choice explicit',
      '14:3 AppLogs (AWS::Logs::LogGroup) holds data but has no UpdateReplacePolicy: deleting or replacing it deletes the data; set Retain or Snapshot, or Delete to make the choice explicit',
      '19:3 JobsQueue (AWS::SQS::Queue) holds data but has no DeletionPolicy: deleting or replacing it deletes the data; set Retain or Snapshot, or Delete to make the choice explicit',
    ]);
    assert.deepEqual(severities(path, 'SP3101'), ['warning', 'warning', 'warning']);
  });

  it('accepts explicit policies (Delete included), stateless resources and nested stacks', () => {
    assert.deepEqual(ruleFindings(rules('SP3101', 'good.yaml'), 'SP3101'), []);
  });
});

describe('SP3102 IAM statement allowing * on *', () => {
  it('warns about Allow * on * in inline and managed policies, as a list or a single statement', () => {
    const path = rules('SP3102', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP3102'), [
      '25:17 DeployRole allows every action ("*") on every resource ("*"): grant only the actions and resources needed',
      '34:11 AdminPolicy allows every action ("*") on every resource ("*"): grant only the actions and resources needed',
    ]);
    assert.deepEqual(severities(path, 'SP3102'), ['warning', 'warning']);
  });

  it('accepts scoped statements and a Deny on everything', () => {
    assert.deepEqual(ruleFindings(rules('SP3102', 'good.yaml'), 'SP3102'), []);
  });
});

describe('SP3103 S3 bucket without a public access block', () => {
  it('warns about a bucket without a block and ones that leave settings out', () => {
    const path = rules('SP3103', 'bad.yaml');
    assert.deepEqual(ruleFindings(path, 'SP3103'), [
      '4:3 Bucket AssetsBucket has no PublicAccessBlockConfiguration: set all four settings to true unless it must be public',
      '13:7 The public access block of LogsBucket leaves out BlockPublicPolicy, RestrictPublicBuckets (they default to false)',
      '21:7 The public access block of ArchiveBucket leaves out RestrictPublicBuckets (they default to false)',
    ]);
    assert.deepEqual(severities(path, 'SP3103'), ['warning', 'warning', 'warning']);
  });

  it('accepts a full block, and a block chosen by Fn::If', () => {
    assert.deepEqual(ruleFindings(rules('SP3103', 'good.yaml'), 'SP3103'), []);
  });
});
