import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceFacts } from '../../src/spec/resource-facts.ts';
import { replacementOf, UPDATE_REQUIRES_SOURCE, UPDATE_REQUIRES_TYPES, updateRequiresOf, updateRequiresPage } from '../../src/spec/update-requires.ts';

/**
 * The "Update requires" of every property of the stateful types, from each type's page of the
 * AWS CloudFormation resource reference (sources: awsdocs/aws-cloudformation-user-guide
 * @6c68a17aef7f0ccd1f6786f19da341d8c92737e7, doc_source/<page>.md, read by
 * scripts/build-update-requires.mjs), and the resource facts after the table is merged into them.
 */
const facts = resourceFacts();
const STRICTNESS = { no: 0, maybe: 1, yes: 2 } as const;

describe('"Update requires" of the stateful types', () => {
  it('covers DynamoDB, S3, RDS and Aurora, ElastiCache, Redshift, EFS, OpenSearch, Kinesis and SQS', () => {
    assert.equal(UPDATE_REQUIRES_SOURCE, 'awsdocs/aws-cloudformation-user-guide@6c68a17aef7f0ccd1f6786f19da341d8c92737e7');
    for (const type of ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup', 'AWS::Redshift::Cluster', 'AWS::EFS::FileSystem', 'AWS::OpenSearchService::Domain', 'AWS::Kinesis::Stream', 'AWS::SQS::Queue']) {
      assert.ok(UPDATE_REQUIRES_TYPES.includes(type), type);
      assert.ok(Object.keys(updateRequiresOf(type)).length > 3, `${type}: ${updateRequiresPage(type)}`);
    }
  });

  it('is never weaker in the merged facts than in the documentation', () => {
    const weaker: string[] = [];
    for (const type of UPDATE_REQUIRES_TYPES) {
      const resource = facts.resource(type)!;
      for (const [name, entry] of Object.entries(updateRequiresOf(type))) {
        const property = resource.properties[name];
        if (!property) continue; // read-only values the page lists among properties (DBInstance Endpoint)
        if (STRICTNESS[property.causesReplacement] < STRICTNESS[replacementOf(entry)]) weaker.push(`${type}.${name}: ${property.causesReplacement}, documented ${entry.requires}`);
      }
    }
    assert.deepEqual(weaker, []);
  });

  it('names every property the documentation snapshot predates, whose verdict comes from the registry schema in the facts', () => {
    // Properties added after the snapshot: the resource reference pages for them are generated from the
    // CloudFormation registry schemas (createOnlyProperties = "Update requires: Replacement"), which the
    // generated facts read. A newer facts release adding a property makes this list, and so this test, change.
    const newer = Object.fromEntries(UPDATE_REQUIRES_TYPES.map((type) => [type, Object.keys(facts.resource(type)!.properties).filter((p) => !(p in updateRequiresOf(type))).sort()]).filter(([, names]) => names.length > 0));
    assert.deepEqual(newer, {
      'AWS::DynamoDB::Table': ['OnDemandThroughput', 'ResourcePolicy', 'VectorIndexes', 'WarmThroughput'],
      'AWS::DynamoDB::GlobalTable': ['GlobalTableSourceArn', 'GlobalTableWitnesses', 'MultiRegionConsistency', 'ReadOnDemandThroughputSettings', 'ReadProvisionedThroughputSettings', 'VectorIndexes', 'WarmThroughput', 'WriteOnDemandThroughputSettings'],
      'AWS::S3::Bucket': ['AbacStatus', 'BucketNamePrefix', 'BucketNamespace', 'MetadataConfiguration', 'MetadataTableConfiguration'],
      'AWS::RDS::DBInstance': ['AdditionalStorageVolumes', 'ApplyImmediately', 'AutomaticBackupReplicationKmsKeyId', 'AutomaticBackupReplicationRegion', 'AutomaticBackupReplicationRetentionPeriod', 'BackupTarget', 'DBSystemId', 'DatabaseInsightsMode', 'DedicatedLogVolume', 'EngineLifecycleSupport', 'MasterUserAuthenticationType', 'TdeCredentialArn', 'TdeCredentialPassword'],
      'AWS::RDS::DBCluster': ['ClusterScalabilityType', 'DatabaseInsightsMode', 'DeleteAutomatedBackups', 'EnableGlobalWriteForwarding', 'EnableLocalWriteForwarding', 'EngineLifecycleSupport', 'MasterUserAuthenticationType', 'SourceDbClusterResourceId'],
      'AWS::RDS::GlobalCluster': ['EngineLifecycleSupport', 'Tags'],
      'AWS::ElastiCache::ReplicationGroup': ['Durability'],
      'AWS::Redshift::Cluster': ['ManageMasterPassword', 'MasterPasswordSecretKmsKeyId', 'MultiAZ', 'NamespaceResourcePolicy'],
      'AWS::EFS::FileSystem': ['FileSystemProtection', 'ReplicationConfiguration'],
      'AWS::OpenSearchService::Domain': ['AIMLOptions', 'AutomatedSnapshotPauseOptions', 'DeploymentStrategyOptions', 'DomainArn', 'EngineMode', 'IPAddressType', 'IdentityCenterOptions', 'SkipShardMigrationWait', 'UseCase'],
      'AWS::Elasticsearch::Domain': ['DomainArn'],
      'AWS::Kinesis::Stream': ['DesiredShardLevelMetrics', 'MaxRecordSizeInKiB', 'WarmThroughputMiBps'],
    });
  });

  it('replaces a DynamoDB table for its key, name and local secondary indexes, and updates the rest in place', () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html: KeySchema, TableName and
    // ImportSourceSpecification "Update requires: Replacement"; AttributeDefinitions "Replacement if you edit an existing AttributeDefinition".
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-table-localsecondaryindex.html:
    // "A local secondary index can only be created when its parent table is created."
    const table = facts.resource('AWS::DynamoDB::Table')!.properties;
    const verdicts = Object.fromEntries(Object.entries(table).map(([name, p]) => [name, p.causesReplacement]));
    assert.deepEqual(
      Object.keys(verdicts).filter((name) => verdicts[name] === 'yes').sort(),
      ['ImportSourceSpecification', 'KeySchema', 'LocalSecondaryIndexes', 'TableName'],
    );
    assert.equal(table.AttributeDefinitions.causesReplacement, 'maybe');
    assert.equal(table.AttributeDefinitions.replacementWhen, 'element-edited:AttributeName');
    assert.equal(table.GlobalSecondaryIndexes.causesReplacement, 'no');
  });

  it('replaces what each page says replaces: a FIFO queue\'s type, a file system\'s encryption, a bucket\'s name, a stream\'s name', () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html (FifoQueue),
    // aws-resource-efs-filesystem.html (Encrypted, KmsKeyId, PerformanceMode), aws-properties-s3-bucket.html (BucketName),
    // aws-resource-kinesis-stream.html (Name), aws-resource-rds-dbcluster.html (DBClusterIdentifier, StorageEncrypted),
    // aws-resource-rds-dbinstance.html (PerformanceInsightsKMSKeyId: Replacement, where the generated facts said it depends).
    const verdict = (type: string, property: string) => facts.resource(type)!.properties[property].causesReplacement;
    assert.equal(verdict('AWS::SQS::Queue', 'FifoQueue'), 'yes');
    assert.equal(verdict('AWS::SQS::Queue', 'ContentBasedDeduplication'), 'no');
    assert.equal(verdict('AWS::EFS::FileSystem', 'Encrypted'), 'yes');
    assert.equal(verdict('AWS::EFS::FileSystem', 'PerformanceMode'), 'yes');
    assert.equal(verdict('AWS::S3::Bucket', 'BucketName'), 'yes');
    assert.equal(verdict('AWS::S3::Bucket', 'VersioningConfiguration'), 'no');
    assert.equal(verdict('AWS::Kinesis::Stream', 'Name'), 'yes');
    assert.equal(verdict('AWS::RDS::DBCluster', 'StorageEncrypted'), 'yes');
    assert.equal(verdict('AWS::RDS::DBInstance', 'PerformanceInsightsKMSKeyId'), 'yes');
    assert.equal(verdict('AWS::OpenSearchService::Domain', 'VPCOptions'), 'maybe');
    assert.equal(verdict('AWS::OpenSearchService::Domain', 'EngineVersion'), 'maybe');
  });
});
