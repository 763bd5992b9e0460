import { isCustomResourceType } from '../../../spec/resource-facts.ts';
import type { ResourceProvider } from '../provider.ts';
import { customResourceProvider } from './custom-resource.ts';
import { dynamoDbTableProvider } from './dynamodb-table.ts';
import { genericProvider } from './generic.ts';
import { nestedStackProvider } from './nested-stack.ts';
import { s3BucketProvider } from './s3-bucket.ts';
import { secretProvider } from './secret.ts';
import { ssmParameterProvider } from './ssm-parameter.ts';

const PROVIDERS: Record<string, ResourceProvider> = {
  'AWS::S3::Bucket': s3BucketProvider,
  'AWS::DynamoDB::Table': dynamoDbTableProvider,
  'AWS::SSM::Parameter': ssmParameterProvider,
  'AWS::SecretsManager::Secret': secretProvider,
  'AWS::CloudFormation::Stack': nestedStackProvider,
};

/** The provider for a resource type: a data-plane one where the engine has it, else the generic one. */
export function providerFor(type: string): ResourceProvider {
  if (isCustomResourceType(type)) return customResourceProvider;
  return PROVIDERS[type] ?? genericProvider;
}

/** Types whose DeletionPolicy Snapshot keeps a backup; for other types Snapshot deletes as Delete does. */
export const SNAPSHOT_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::EC2::Volume', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup', 'AWS::Redshift::Cluster', 'AWS::Neptune::DBCluster', 'AWS::DocDB::DBCluster']);
