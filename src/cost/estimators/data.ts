import { HOURS_PER_MONTH, type Estimator, type LineDraft } from '../lines.ts';
import { figure, listOf, objectOf, textOf } from './values.ts';

const dynamodbTable: Estimator = (resource, { usage }) => {
  const { properties } = resource;
  const drafts: LineDraft[] = [];
  // Without BillingMode a table is PROVISIONED, as in CloudFormation.
  if ((textOf(properties.BillingMode) ?? 'PROVISIONED') === 'PAY_PER_REQUEST') {
    drafts.push({ service: 'dynamodb', price: 'on-demand-writes', quantity: usage.get('dynamodbWritesPerMonth') / 1e6, description: 'on-demand writes', usage: ['dynamodbWritesPerMonth'] });
    drafts.push({ service: 'dynamodb', price: 'on-demand-reads', quantity: usage.get('dynamodbReadsPerMonth') / 1e6, description: 'on-demand reads', usage: ['dynamodbReadsPerMonth'] });
  } else {
    const notes: string[] = [];
    const throughputs = [objectOf(properties.ProvisionedThroughput), ...listOf(properties.GlobalSecondaryIndexes).map((i) => objectOf(objectOf(i).ProvisionedThroughput))];
    const total = (key: string) => throughputs.reduce((sum, t, i) => sum + figure(t[key], i === 0 ? 5 : 0, `${i === 0 ? '' : 'index '}${key}`, notes, 'none given'), 0);
    const writes = total('WriteCapacityUnits');
    const reads = total('ReadCapacityUnits');
    drafts.push({ service: 'dynamodb', price: 'wcu-hour', quantity: writes * HOURS_PER_MONTH, description: 'provisioned writes', detail: `${writes} WCU`, notes });
    drafts.push({ service: 'dynamodb', price: 'rcu-hour', quantity: reads * HOURS_PER_MONTH, description: 'provisioned reads', detail: `${reads} RCU`, notes });
  }
  drafts.push({ service: 'dynamodb', price: 'storage', quantity: usage.get('dynamodbStorageGb'), description: 'storage', usage: ['dynamodbStorageGb'] });
  const pitr = objectOf(properties.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled;
  if (pitr === true || pitr === 'true') drafts.push({ service: 'dynamodb', price: 'pitr', quantity: usage.get('dynamodbStorageGb'), description: 'point-in-time recovery', usage: ['dynamodbStorageGb'] });
  return drafts;
};

const bucket: Estimator = (_, { usage }) => [
  { service: 's3', price: 'standard-storage', quantity: usage.get('s3StorageGb'), description: 'Standard storage', usage: ['s3StorageGb'] },
  { service: 's3', price: 'put-requests', quantity: usage.get('s3PutRequestsPerMonth') / 1000, description: 'PUT requests', usage: ['s3PutRequestsPerMonth'] },
  { service: 's3', price: 'get-requests', quantity: usage.get('s3GetRequestsPerMonth') / 1000, description: 'GET requests', usage: ['s3GetRequestsPerMonth'] },
];

function cacheNodes(nodeType: unknown, nodes: number, notes: string[]): LineDraft[] | string {
  const type = textOf(nodeType);
  if (!type) return 'its CacheNodeType is known only after deploy';
  return [{ service: 'elasticache', price: `node:${type}`, quantity: nodes * HOURS_PER_MONTH, description: 'node hours', detail: `${nodes} × ${type}`, notes }];
}

const replicationGroup: Estimator = (resource) => {
  const { properties } = resource;
  const notes: string[] = [];
  const nodes = properties.NumNodeGroups !== undefined
    ? figure(properties.NumNodeGroups, 1, 'NumNodeGroups', notes) * (figure(properties.ReplicasPerNodeGroup, 0, 'ReplicasPerNodeGroup', notes) + 1)
    : figure(properties.NumCacheClusters, 1, 'NumCacheClusters', notes);
  return cacheNodes(properties.CacheNodeType, nodes, notes);
};

const cacheCluster: Estimator = (resource) => {
  const notes: string[] = [];
  return cacheNodes(resource.properties.CacheNodeType, figure(resource.properties.NumCacheNodes, 1, 'NumCacheNodes', notes), notes);
};

const redshiftWorkgroup: Estimator = (resource, { usage }) => {
  const notes: string[] = [];
  const rpus = figure(resource.properties.BaseCapacity, 128, 'BaseCapacity', notes);
  const hours = usage.get('redshiftActiveHoursPerMonth');
  return [{ service: 'redshift-serverless', price: 'rpu-hour', quantity: rpus * hours, description: 'RPU hours', detail: `${rpus} RPUs × ${hours} active hours`, usage: ['redshiftActiveHoursPerMonth'], notes }];
};

const redshiftNamespace: Estimator = (_, { usage }) => [{ service: 'redshift-serverless', price: 'storage', quantity: usage.get('redshiftStorageGb'), description: 'managed storage', usage: ['redshiftStorageGb'] }];

export const dataEstimators: Record<string, Estimator> = {
  'AWS::DynamoDB::Table': dynamodbTable,
  'AWS::S3::Bucket': bucket,
  'AWS::ElastiCache::ReplicationGroup': replicationGroup,
  'AWS::ElastiCache::CacheCluster': cacheCluster,
  'AWS::RedshiftServerless::Workgroup': redshiftWorkgroup,
  'AWS::RedshiftServerless::Namespace': redshiftNamespace,
};
