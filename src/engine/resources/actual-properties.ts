import { DescribeContinuousBackupsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketTaggingCommand, GetBucketVersioningCommand, HeadBucketCommand, type LifecycleRule } from '@aws-sdk/client-s3';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../api.ts';
import { propertyDifferences } from '../drift.ts';
import { errorName } from './provider.ts';

type Props = Record<string, unknown>;

/**
 * Reads a resource's actual configuration back from its data plane, through the same SDK
 * clients its provider writes with (so a change made with PutBucketVersioning or PutParameter
 * is what drift sees), in the template's shape: the properties it lists, or undefined when the
 * resource is gone.
 */
export interface ActualPropertiesReader {
  properties: readonly string[];
  read(physicalId: string, clients: AwsClients): Promise<Props | undefined>;
}

/** What a read answers when the resource is missing, or a configuration never set. */
async function orWhenMissing<T, F>(read: () => Promise<T>, missing: string[], fallback: F): Promise<T | F> {
  try {
    return await read();
  } catch (error) {
    if (missing.includes(errorName(error) ?? '')) return fallback;
    throw error;
  }
}

const GONE = Symbol('gone');
const defined = (entries: [string, unknown][]): Props => Object.fromEntries(entries.filter(([, v]) => v !== undefined));

const s3Bucket: ActualPropertiesReader = {
  properties: ['VersioningConfiguration', 'BucketEncryption', 'Tags', 'LifecycleConfiguration'],
  async read(bucket, { s3 }) {
    if ((await orWhenMissing(() => s3.send(new HeadBucketCommand({ Bucket: bucket })), ['NotFound', 'NoSuchBucket'], GONE)) === GONE) return undefined;
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    const encryption = await orWhenMissing(() => s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })), ['ServerSideEncryptionConfigurationNotFoundError'], undefined);
    const tagging = await orWhenMissing(() => s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), ['NoSuchTagSet'], undefined);
    const lifecycle = await orWhenMissing(() => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), ['NoSuchLifecycleConfiguration'], undefined);
    const rules = encryption?.ServerSideEncryptionConfiguration?.Rules ?? [];
    return defined([
      ['VersioningConfiguration', versioning.Status ? { Status: versioning.Status } : undefined],
      [
        'BucketEncryption',
        rules.length > 0
          ? {
              ServerSideEncryptionConfiguration: rules.map((rule) => defined([
                ['ServerSideEncryptionByDefault', rule.ApplyServerSideEncryptionByDefault && defined([['SSEAlgorithm', rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm], ['KMSMasterKeyID', rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID]])],
                ['BucketKeyEnabled', rule.BucketKeyEnabled],
              ])),
            }
          : undefined,
      ],
      ['Tags', (tagging?.TagSet ?? []).map((t) => ({ Key: t.Key, Value: t.Value }))],
      ['LifecycleConfiguration', lifecycle?.Rules ? { Rules: lifecycle.Rules.map(templateLifecycleRule) } : undefined],
    ]);
  },
};

/** The S3 API's lifecycle rule in CloudFormation's shape (the reverse of the provider's). */
function templateLifecycleRule(rule: LifecycleRule): Props {
  const transitions = (rule.Transitions ?? []).map((t) => defined([['TransitionInDays', t.Days], ['StorageClass', t.StorageClass]]));
  const noncurrentTransitions = (rule.NoncurrentVersionTransitions ?? []).map((t) => defined([['TransitionInDays', t.NoncurrentDays], ['StorageClass', t.StorageClass], ['NewerNoncurrentVersions', t.NewerNoncurrentVersions]]));
  const tags = rule.Filter?.And?.Tags ?? (rule.Filter?.Tag ? [rule.Filter.Tag] : []);
  const noncurrentDays = rule.NoncurrentVersionExpiration?.NoncurrentDays;
  // Where a template may give either of two forms (Transition or Transitions...), both are shown: only the one it sets is compared.
  return defined([
    ['Id', rule.ID],
    ['Status', rule.Status],
    ['Prefix', rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix],
    ['TagFilters', tags.length > 0 ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined],
    ['ExpirationInDays', rule.Expiration?.Days],
    ['ExpirationDate', rule.Expiration?.Date?.toISOString()],
    ['ExpiredObjectDeleteMarker', rule.Expiration?.ExpiredObjectDeleteMarker],
    ['Transitions', transitions.length > 0 ? transitions : undefined],
    ['Transition', transitions.length === 1 ? transitions[0] : undefined],
    ['NoncurrentVersionTransitions', noncurrentTransitions.length > 0 ? noncurrentTransitions : undefined],
    ['NoncurrentVersionTransition', noncurrentTransitions.length === 1 ? noncurrentTransitions[0] : undefined],
    ['NoncurrentVersionExpirationInDays', noncurrentDays],
    ['NoncurrentVersionExpiration', noncurrentDays !== undefined ? { NoncurrentDays: noncurrentDays } : undefined],
    ['AbortIncompleteMultipartUpload', rule.AbortIncompleteMultipartUpload ? { DaysAfterInitiation: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation } : undefined],
  ]);
}

const dynamoDbTable: ActualPropertiesReader = {
  properties: ['BillingMode', 'TimeToLiveSpecification', 'PointInTimeRecoverySpecification', 'Tags'],
  async read(table, { dynamodb }) {
    const described = await orWhenMissing(() => dynamodb.send(new DescribeTableCommand({ TableName: table })), ['ResourceNotFoundException'], GONE);
    if (described === GONE) return undefined;
    const ttl = (await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription;
    const backups = (await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: table }))).ContinuousBackupsDescription;
    const tags = described.Table?.TableArn ? ((await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: described.Table.TableArn }))).Tags ?? []) : [];
    const ttlEnabled = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
    return defined([
      ['BillingMode', described.Table?.BillingModeSummary?.BillingMode ?? 'PROVISIONED'],
      ['TimeToLiveSpecification', defined([['AttributeName', ttl?.AttributeName], ['Enabled', ttlEnabled]])],
      ['PointInTimeRecoverySpecification', { PointInTimeRecoveryEnabled: backups?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED' }],
      ['Tags', tags.map((t) => ({ Key: t.Key, Value: t.Value }))],
    ]);
  },
};

const ssmParameter: ActualPropertiesReader = {
  properties: ['Value', 'Type'],
  async read(name, { ssm }) {
    const found = await orWhenMissing(() => ssm.send(new GetParameterCommand({ Name: name })), ['ParameterNotFound'], GONE);
    if (found === GONE) return undefined;
    return defined([['Value', found.Parameter?.Value], ['Type', found.Parameter?.Type]]);
  },
};

const secret: ActualPropertiesReader = {
  properties: ['Description', 'Tags'],
  async read(secretId, { secretsManager }) {
    const found = await orWhenMissing(() => secretsManager.send(new DescribeSecretCommand({ SecretId: secretId })), ['ResourceNotFoundException'], GONE);
    // A secret scheduled for deletion is gone as far as the stack is concerned.
    if (found === GONE || found.DeletedDate !== undefined) return undefined;
    return defined([['Description', found.Description], ['Tags', (found.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }))]]);
  },
};

const READERS = new Map<string, ActualPropertiesReader>([
  ['AWS::S3::Bucket', s3Bucket],
  ['AWS::DynamoDB::Table', dynamoDbTable],
  ['AWS::SSM::Parameter', ssmParameter],
  ['AWS::SecretsManager::Secret', secret],
]);

/** The reader for a resource type whose drift the engine checks; other types are NOT_CHECKED. */
export function actualPropertiesReader(type: string): ActualPropertiesReader | undefined {
  return READERS.get(type);
}

/**
 * The properties an update starts from, with the actual values of those that drifted: providers
 * apply what differs from them to the new properties, so an update resets what was changed
 * outside CloudFormation in the properties the template sets, as CloudFormation does. Only
 * drifted properties are replaced, so an update re-applies nothing that is as it should be.
 */
export async function withActualValues(type: string, physicalId: string, previous: Props, clients: AwsClients): Promise<Props> {
  const reader = actualPropertiesReader(type);
  if (!reader) return previous;
  const expected = Object.fromEntries(reader.properties.filter((name) => Object.hasOwn(previous, name)).map((name) => [name, previous[name]]));
  if (Object.keys(expected).length === 0) return previous;
  const actual = await reader.read(physicalId, clients);
  if (!actual) return previous;
  const drifted = new Set(propertyDifferences(expected, actual).map((d) => d.PropertyPath.split('/')[1]));
  return drifted.size === 0 ? previous : { ...previous, ...Object.fromEntries([...drifted].map((name) => [name, Object.hasOwn(actual, name) ? actual[name] : undefined])) };
}
