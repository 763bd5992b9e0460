import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allowedValues } from '../../../src/validate/rules/resources/allowed-values-data.ts';
import { REPO, ruleFindings } from '../../helpers.ts';
import { rules } from './support.ts';

describe('SP3005 property value AWS does not accept', () => {
  it('reports literal enum values AWS rejects, in nested properties, lists and Fn::If branches, with did-you-mean', () => {
    assert.deepEqual(ruleFindings(rules('SP3005', 'bad.yaml'), 'SP3005'), [
      '14:20 AWS::DynamoDB::Table BillingMode does not accept "PAY_PER_REQUESTS": did you mean PAY_PER_REQUEST? (accepted: PAY_PER_REQUEST, PROVISIONED)',
      '17:26 AWS::DynamoDB::Table.AttributeDefinition AttributeType does not accept "s": did you mean S? (accepted: B, N, S)',
      '20:20 AWS::DynamoDB::Table.KeySchema KeyType does not accept "PRIMARY" (accepted: HASH, RANGE)',
      '22:38 AWS::DynamoDB::Table.StreamSpecification StreamViewType does not accept "NEW_AND_OLD_IMAGE": did you mean NEW_AND_OLD_IMAGES? (accepted: KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE)',
      '31:29 AWS::S3::Bucket.ServerSideEncryptionByDefault SSEAlgorithm does not accept "kms" (accepted: AES256, aws:kms, aws:kms:dsse)',
      '36:31 AWS::S3::Bucket.Transition StorageClass does not accept "glacier": did you mean GLACIER? (accepted: DEEP_ARCHIVE, GLACIER, GLACIER_IR, Glacier, INTELLIGENT_TIERING, ONEZONE_IA, STANDARD_IA)',
      '47:20 AWS::Lambda::Function PackageType does not accept "zip": did you mean Zip? (accepted: Image, Zip)',
      '48:30 AWS::Lambda::Function Architectures does not accept "x86" (accepted: arm64, x86_64)',
      '54:19 AWS::ECS::Service LaunchType does not accept "FARGATE_SPOT" (accepted: EC2, EXTERNAL, FARGATE)',
    ]);
  });

  it('accepts listed values, values made by functions, properties AWS reads in any case, and custom resources', () => {
    assert.deepEqual(ruleFindings(rules('SP3005', 'good.yaml'), 'SP3005'), []);
  });

  it('knows every value of the data file, though it reads the file a type at a time', () => {
    const { types } = JSON.parse(readFileSync(join(REPO, 'data', 'property-values.json'), 'utf8')) as { types: Record<string, Record<string, Record<string, string[]>>> };
    let properties = 0;
    for (const [type, definitions] of Object.entries(types)) {
      for (const [definition, values] of Object.entries(definitions)) {
        for (const [property, accepted] of Object.entries(values)) {
          assert.deepEqual(allowedValues(type, definition, property), accepted, `${type} ${definition} ${property}`);
          properties++;
        }
      }
    }
    assert.ok(properties > 1500, `${properties} properties`);
    assert.equal(allowedValues('AWS::S3::Bucket', 'constructor', 'name'), undefined);
    assert.equal(allowedValues('toString', '', 'x'), undefined);
  });
});

describe('SP3006 KMS key reference AWS rejects', () => {
  it('reports AWS managed keys written without alias/, saying what to write', () => {
    assert.deepEqual(ruleFindings(rules('SP3006', 'bad.yaml'), 'SP3006'), [
      '7:23 KmsMasterKeyId "aws/sns" is not a KMS key id, ARN or alias: write alias/aws/sns for the AWS managed key',
      '13:23 KmsMasterKeyId "aws/sqs" is not a KMS key id, ARN or alias: write alias/aws/sqs for the AWS managed key',
      '19:17 KmsKeyId "aws/logs" is not a KMS key id, ARN or alias: write alias/aws/logs for the AWS managed key',
    ]);
  });

  it('accepts aliases, alias and key ARNs, values made by Sub, and aws/ values of other properties', () => {
    assert.deepEqual(ruleFindings(rules('SP3006', 'good.yaml'), 'SP3006'), []);
  });
});
