import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentDrift, propertyDifferences, resourceDrift, stackDriftStatus } from '../../src/engine/drift.ts';
import type { ResourceRecord } from '../../src/engine/state.ts';

describe('drift comparison', () => {
  it('reports a changed nested value with its path, expected and actual', () => {
    assert.deepEqual(propertyDifferences({ VersioningConfiguration: { Status: 'Enabled' } }, { VersioningConfiguration: { Status: 'Suspended' } }), [
      { PropertyPath: '/VersioningConfiguration/Status', ExpectedValue: 'Enabled', ActualValue: 'Suspended', DifferenceType: 'NOT_EQUAL' },
    ]);
  });

  it('does not count a property the template leaves to its default, nor text against number or boolean', () => {
    const expected = { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'true' }, LifecycleConfiguration: { Rules: [{ ExpirationInDays: '30' }] } };
    const actual = { BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] } };
    assert.deepEqual(resourceDrift(expected, actual), { status: 'IN_SYNC', differences: [] });
  });

  it('reports a configuration removed, and list items added or removed', () => {
    assert.deepEqual(propertyDifferences({ BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }, {}), [
      { PropertyPath: '/BucketEncryption', ExpectedValue: '{"ServerSideEncryptionConfiguration":[{"ServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"}}]}', ActualValue: 'null', DifferenceType: 'REMOVE' },
    ]);
    assert.deepEqual(propertyDifferences({ LifecycleConfiguration: { Rules: [{ Id: 'a' }] } }, { LifecycleConfiguration: { Rules: [{ Id: 'a' }, { Id: 'b' }] } }), [
      { PropertyPath: '/LifecycleConfiguration/Rules/1', ExpectedValue: 'null', ActualValue: '{"Id":"b"}', DifferenceType: 'ADD' },
    ]);
  });

  it('compares tags as a set: order does not matter; changed, removed and added tags are each reported; aws: tags are ignored', () => {
    const expected = { Tags: [{ Key: 'team', Value: 'data' }, { Key: 'env', Value: 'prod' }, { Key: 'cost', Value: 'x' }] };
    assert.deepEqual(propertyDifferences(expected, { Tags: [{ Key: 'cost', Value: 'x' }, { Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'data' }, { Key: 'aws:cloudformation:stack-name', Value: 's' }] }), []);
    assert.deepEqual(propertyDifferences(expected, { Tags: [{ Key: 'owner', Value: 'me' }, { Key: 'team', Value: 'ops' }, { Key: 'cost', Value: 'x' }] }), [
      { PropertyPath: '/Tags/0/Value', ExpectedValue: 'data', ActualValue: 'ops', DifferenceType: 'NOT_EQUAL' },
      { PropertyPath: '/Tags/1', ExpectedValue: '{"Key":"env","Value":"prod"}', ActualValue: 'null', DifferenceType: 'REMOVE' },
      { PropertyPath: '/Tags/0', ExpectedValue: 'null', ActualValue: '{"Key":"owner","Value":"me"}', DifferenceType: 'ADD' },
    ]);
  });

  it('leaves values held by dynamic references uncompared, and reads keys named like Object members as plain names', () => {
    assert.deepEqual(propertyDifferences({ Value: '{{resolve:ssm:/shared/url}}' }, { Value: 'https://example.com' }), []);
    const expected = JSON.parse('{"Settings": {"constructor": "a", "__proto__": "b"}}') as Record<string, unknown>;
    assert.deepEqual(propertyDifferences(expected, { Settings: {} }), [
      { PropertyPath: '/Settings/constructor', ExpectedValue: 'a', ActualValue: 'null', DifferenceType: 'REMOVE' },
      { PropertyPath: '/Settings/__proto__', ExpectedValue: 'b', ActualValue: 'null', DifferenceType: 'REMOVE' },
    ]);
  });

  it('is DELETED when the resource is gone, and the stack DRIFTED when any resource is MODIFIED or DELETED', () => {
    assert.equal(resourceDrift({ Value: 'x' }, undefined).status, 'DELETED');
    assert.equal(stackDriftStatus(['IN_SYNC', 'NOT_CHECKED']), 'IN_SYNC');
    assert.equal(stackDriftStatus(['IN_SYNC', 'DELETED']), 'DRIFTED');
  });

  it('shows data found gone at start-up when that is newer than the last detection', () => {
    const resource = { missingSince: '2026-11-30T10:00:00.000Z', drift: { status: 'IN_SYNC', checkedAt: '2026-11-30T09:00:00.000Z' } } as ResourceRecord;
    assert.equal(currentDrift(resource)?.status, 'DELETED');
    resource.drift = { status: 'IN_SYNC', checkedAt: '2026-11-30T11:00:00.000Z' };
    assert.equal(currentDrift(resource)?.status, 'IN_SYNC');
  });
});
