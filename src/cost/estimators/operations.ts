import type { Estimator } from '../lines.ts';
import { listOf, numberOf, objectOf, textOf } from './values.ts';

/** Stored log data at steady state: a month's events kept for the retention period (never-expiring groups: a year assumed). */
const logGroup: Estimator = (resource, { usage }) => {
  const ingested = usage.get('logIngestedGbPerGroup');
  const retention = resource.properties.RetentionInDays;
  const days = numberOf(retention);
  const keptDays = days ?? 365;
  const unset = 'no RetentionInDays (never expires): a year of logs kept assumed';
  const notes = [days !== undefined ? `RetentionInDays ${days}` : retention === undefined ? unset : 'RetentionInDays known only after deploy: a year of logs kept assumed'];
  return [
    { service: 'cloudwatch', price: 'logs-ingested', quantity: ingested, description: 'log ingestion', usage: ['logIngestedGbPerGroup'] },
    { service: 'cloudwatch', price: 'logs-stored', quantity: (ingested * keptDays) / 30, description: 'log storage', usage: ['logIngestedGbPerGroup'], notes },
  ];
};

/** An alarm is billed per metric it watches (a metric math alarm: each metric it reads). */
const alarm: Estimator = (resource) => {
  const metrics = listOf(resource.properties.Metrics).map(objectOf).filter((m) => m.MetricStat !== undefined).length;
  const count = Math.max(1, metrics);
  return [{ service: 'cloudwatch', price: 'alarm', quantity: count, description: 'standard alarm', detail: `${count} metric${count === 1 ? '' : 's'}` }];
};

const dashboard: Estimator = () => [{ service: 'cloudwatch', price: 'dashboard', quantity: 1, description: 'dashboard', notes: ["the account's first 3 dashboards are free: not applied"] }];

const secret: Estimator = (_, { usage }) => [
  { service: 'secrets-manager', price: 'secret', quantity: 1, description: 'secret' },
  { service: 'secrets-manager', price: 'api-calls', quantity: usage.get('secretsApiCallsPerMonth') / 10_000, description: 'API calls', usage: ['secretsApiCallsPerMonth'] },
];

const key: Estimator = (_, { usage }) => [
  { service: 'kms', price: 'key', quantity: 1, description: 'customer managed key' },
  { service: 'kms', price: 'requests', quantity: usage.get('kmsRequestsPerMonth') / 10_000, description: 'requests', usage: ['kmsRequestsPerMonth'] },
];

/** Standard parameters cost nothing; advanced ones are not priced here. */
const ssmParameter: Estimator = (resource) => (textOf(resource.properties.Tier) === 'Advanced' ? 'advanced parameters are not priced' : []);

export const operationsEstimators: Record<string, Estimator> = {
  'AWS::Logs::LogGroup': logGroup,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::CloudWatch::Dashboard': dashboard,
  'AWS::SecretsManager::Secret': secret,
  'AWS::KMS::Key': key,
  'AWS::SSM::Parameter': ssmParameter,
};
