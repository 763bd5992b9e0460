import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePath } from '../../../src/validate/validate.ts';
import { rules } from './support.ts';

/** The findings of one rule on the given day, as `line:column severity message`. */
function findingsOn(path: string, rule: string, today: string): string[] {
  return validatePath(path, { today })
    .diagnostics.filter((d) => d.rule === rule)
    .map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`);
}

describe('SP3007 deprecated Lambda runtime', () => {
  const functions = rules('SP3007', 'functions.yaml');

  it('warns once AWS has deprecated a runtime, with the dates it blocks creating and updating functions', () => {
    assert.deepEqual(findingsOn(functions, 'SP3007', '2026-11-30'), [
      '11:16 warning Lambda runtime python3.8 is deprecated since 2024-10-14 (no more security patches); AWS blocks creating functions with it from 2027-02-01 and updating them from 2027-03-03; move to python3.14',
      '19:16 warning Lambda runtime nodejs20.x is deprecated since 2026-04-30 (no more security patches); AWS blocks creating functions with it from 2027-02-01 and updating them from 2027-03-03; move to nodejs24.x',
    ]);
  });

  it('reports an error once AWS blocks creating functions with the runtime (the deploy would fail)', () => {
    assert.deepEqual(findingsOn(functions, 'SP3007', '2027-02-01'), [
      '11:16 error Lambda runtime python3.8 is deprecated: AWS has blocked creating functions with it since 2027-02-01 (existing functions can still be updated until 2027-03-03); move to python3.14',
      '19:16 error Lambda runtime nodejs20.x is deprecated: AWS has blocked creating functions with it since 2027-02-01 (existing functions can still be updated until 2027-03-03); move to nodejs24.x',
    ]);
  });

  it('stays quiet before the deprecation date, for supported runtimes and for runtimes given by a parameter', () => {
    assert.deepEqual(findingsOn(functions, 'SP3007', '2024-10-13'), []);
  });

  it('checks the runtime SAM functions take from Globals and their own', () => {
    assert.deepEqual(findingsOn(rules('SP3007', 'sam.yaml'), 'SP3007', '2026-11-30'), [
      '5:14 warning Lambda runtime python3.9 is deprecated since 2025-12-15 (no more security patches); AWS blocks creating functions with it from 2027-02-01 and updating them from 2027-03-03; move to python3.14',
    ]);
  });
});

describe('SP3008 resource type of a retired AWS service', () => {
  const retired = rules('SP3008', 'retired.yaml');

  it('reports types of services shut down as errors, from the shutdown date on', () => {
    assert.deepEqual(findingsOn(retired, 'SP3008', '2026-11-30'), [
      '5:11 error AWS::IoTAnalytics::Channel belongs to an AWS service that was shut down on 2025-12-15: CloudFormation can no longer create or update it; remove the resource or move to another service',
      '9:11 error AWS::MediaStore::Container belongs to an AWS service that was shut down on 2025-11-13: CloudFormation can no longer create or update it; remove the resource or move to another service',
      '13:11 error AWS::AppMesh::Mesh belongs to an AWS service that was shut down on 2026-09-30: CloudFormation can no longer create or update it; remove the resource or move to another service',
    ]);
  });

  it('warns of a shutdown still to come, with its date', () => {
    assert.deepEqual(findingsOn(retired, 'SP3008', '2025-06-01'), [
      '5:11 warning AWS::IoTAnalytics::Channel belongs to an AWS service that shuts down on 2025-12-15: plan a move to another service',
      '9:11 warning AWS::MediaStore::Container belongs to an AWS service that shuts down on 2025-11-13: plan a move to another service',
      '13:11 warning AWS::AppMesh::Mesh belongs to an AWS service that shuts down on 2026-09-30: plan a move to another service',
    ]);
  });

  it('only notes services closed to new accounts, and says nothing of services that are available', () => {
    const launchConfiguration = rules('SP3008', 'maintenance.yaml');
    assert.deepEqual(findingsOn(launchConfiguration, 'SP3008', '2026-11-30'), [
      '5:11 info AWS::AutoScaling::LaunchConfiguration belongs to an AWS service in maintenance since 2024-10-01: accounts new to it cannot use it',
    ]);
  });
});

describe('SP3009 deprecated or rejected property', () => {
  const rejected = rules('SP3009', 'rejected.yaml');

  it('reports properties AWS no longer accepts as errors at the property, in lists and Fn::If branches, with what to use instead', () => {
    assert.deepEqual(findingsOn(rejected, 'SP3009', '2026-11-30'), [
      '14:13 error TopicRulePayload.Actions[1].IotAnalytics of AWS::IoT::TopicRule is no longer accepted by AWS (since 2025-12-15, with the shutdown of AWS IoT Analytics): remove it',
      '19:13 error TopicRulePayload.ErrorAction.IotAnalytics of AWS::IoT::TopicRule is no longer accepted by AWS (since 2025-12-15, with the shutdown of AWS IoT Analytics): remove it',
      '31:7 error CacheSecurityGroupNames of AWS::ElastiCache::CacheCluster is no longer accepted by AWS (since 2023-08-15, with the retirement of EC2-Classic, where cache security groups live): use VpcSecurityGroupIds instead',
      '37:7 error PricingPlanDataSource of AWS::Location::Tracker is no longer accepted by AWS (since 2022-02-01): remove it',
    ]);
  });

  it('warns, with the date, before AWS stops accepting a property', () => {
    assert.deepEqual(findingsOn(rejected, 'SP3009', '2025-06-01'), [
      '14:13 warning TopicRulePayload.Actions[1].IotAnalytics of AWS::IoT::TopicRule is deprecated: AWS stops accepting it on 2025-12-15, with the shutdown of AWS IoT Analytics: remove it',
      '19:13 warning TopicRulePayload.ErrorAction.IotAnalytics of AWS::IoT::TopicRule is deprecated: AWS stops accepting it on 2025-12-15, with the shutdown of AWS IoT Analytics: remove it',
      '31:7 error CacheSecurityGroupNames of AWS::ElastiCache::CacheCluster is no longer accepted by AWS (since 2023-08-15, with the retirement of EC2-Classic, where cache security groups live): use VpcSecurityGroupIds instead',
      '37:7 error PricingPlanDataSource of AWS::Location::Tracker is no longer accepted by AWS (since 2022-02-01): remove it',
    ]);
  });

  it('only warns of a property CloudFormation still accepts, and says nothing of the same name on another type or of its replacement', () => {
    assert.deepEqual(findingsOn(rules('SP3009', 'deprecated.yaml'), 'SP3009', '2026-11-30'), [
      '13:7 warning NotificationConfiguration of AWS::AutoScaling::AutoScalingGroup is deprecated (CloudFormation still accepts it): use NotificationConfigurations instead',
    ]);
  });
});
