import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomResourceType, resourceFacts } from '../../src/spec/resource-facts.ts';

describe('resource facts', () => {
  const facts = resourceFacts();

  it('knows a DynamoDB table: required key schema, replacing properties, attributes, identifier, state', () => {
    const table = facts.resource('AWS::DynamoDB::Table')!;
    assert.equal(table.properties.KeySchema.required, true);
    assert.equal(table.properties.TableName.causesReplacement, 'yes');
    assert.equal(table.properties.BillingMode.causesReplacement, 'no');
    assert.deepEqual(table.attributes.sort(), ['Arn', 'StreamArn']);
    assert.deepEqual(table.primaryIdentifier, ['TableName']);
    assert.equal(table.isStateful, true);
    assert.equal(table.arnTemplate, 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}');
  });

  it('describes nested property shapes, lists and maps', () => {
    const bucket = facts.resource('AWS::S3::Bucket')!;
    const lifecycle = bucket.properties.LifecycleConfiguration.type;
    assert.equal(lifecycle.kind, 'shape');
    const shape = facts.shape((lifecycle as { shape: number }).shape);
    assert.equal(shape.properties.Rules.required, true);
    assert.equal(shape.properties.Rules.type.kind, 'list');
    assert.equal(bucket.isStateful, true);
    assert.equal(facts.resource('AWS::SNS::Topic')!.isStateful, false);
  });

  it('lists dotted attributes and knows replacement that depends on the value', () => {
    assert.ok(facts.resource('AWS::RDS::DBInstance')!.attributes.includes('Endpoint.Address'));
    const maybes = facts.resourceTypes().flatMap((t) => Object.values(facts.resource(t)!.properties).filter((p) => p.causesReplacement === 'maybe'));
    assert.ok(maybes.length > 0);
  });

  it('answers undefined for a type that does not exist, and tells custom resources apart', () => {
    assert.equal(facts.resource('AWS::S3::Buckett'), undefined);
    assert.ok(isCustomResourceType('Custom::Seeder'));
    assert.ok(isCustomResourceType('AWS::CloudFormation::CustomResource'));
    assert.ok(!isCustomResourceType('AWS::S3::Bucket'));
    assert.ok(facts.resourceTypes().length > 1500);
  });
});
