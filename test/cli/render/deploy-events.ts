import { Writable } from 'node:stream';
import type { DeployEvent } from '../../../src/deploy/events.ts';

/** 12:03:04 UTC on 1 June 2025. */
export const T0 = Date.UTC(2025, 5, 1, 12, 3, 4);

const storage = { stack: 'storage', stackName: 'concert-platform-storage-development' };
const compute = { stack: 'compute', stackName: 'concert-platform-compute-development' };
const monitoring = { stack: 'monitoring', stackName: 'concert-platform-monitoring-development' };
const at = (seconds: number) => new Date(T0 + seconds * 1000);
/**
 * A three-stack deploy: storage updates (its DynamoDB table replaced, data at risk) and compute
 * creates (through a nested stack) in parallel; monitoring starts once storage is done and fails.
 * As the orchestrator does (src/deploy/watch.ts), stacks' own status events are not reported:
 * stack-done carries the final status.
 */
export const DEPLOY: DeployEvent[] = [
  { code: 'phase', phase: 'package', message: 'Packaging 1 nested template' },
  { code: 'package', bucket: 'concert-platform-cfn-123456789012-us-east-1', uploaded: 1, unchanged: 2 },
  { code: 'phase', phase: 'deploy', message: 'Deploying 3 stacks' },
  {
    code: 'change-preview',
    ...storage,
    changes: [
      { action: 'Modify', logicalId: 'EventsTable', resourceType: 'AWS::DynamoDB::Table', replacement: 'True', causes: ['KeySchema', 'TableName'], nestedPath: [], dataAtRisk: true },
      { action: 'Add', logicalId: 'RawDataBucket', resourceType: 'AWS::S3::Bucket', causes: [], nestedPath: [], dataAtRisk: false },
    ],
  },
  { code: 'stack-start', ...storage, operation: 'update', resources: 2 },
  { code: 'resource', ...storage, logicalId: 'RawDataBucket', resourceType: 'AWS::S3::Bucket', status: 'CREATE_IN_PROGRESS', timestamp: at(1), nestedPath: [] },
  {
    code: 'change-preview',
    ...compute,
    changes: [
      { action: 'Add', logicalId: 'ApiStack', resourceType: 'AWS::CloudFormation::Stack', causes: [], nestedPath: [], dataAtRisk: false },
      { action: 'Add', logicalId: 'HealthFunction', resourceType: 'AWS::Lambda::Function', causes: [], nestedPath: ['ApiStack'], dataAtRisk: false },
    ],
  },
  { code: 'stack-start', ...compute, operation: 'create', resources: 1 },
  { code: 'resource', ...compute, logicalId: 'ApiStack', resourceType: 'AWS::CloudFormation::Stack', status: 'CREATE_IN_PROGRESS', timestamp: at(2), nestedPath: [] },
  { code: 'resource', ...compute, logicalId: 'HealthFunction', resourceType: 'AWS::Lambda::Function', status: 'CREATE_IN_PROGRESS', timestamp: at(5), nestedPath: ['ApiStack'] },
  {
    code: 'resource',
    ...storage,
    logicalId: 'EventsTable',
    resourceType: 'AWS::DynamoDB::Table',
    status: 'UPDATE_IN_PROGRESS',
    reason: 'Requested update requires the creation of a new physical resource; hence creating one.',
    physicalId: 'concert-platform-events-development',
    timestamp: at(6),
    nestedPath: [],
  },
  { code: 'resource', ...storage, logicalId: 'RawDataBucket', resourceType: 'AWS::S3::Bucket', status: 'CREATE_COMPLETE', timestamp: at(22), nestedPath: [] },
  { code: 'resource', ...storage, logicalId: 'EventsTable', resourceType: 'AWS::DynamoDB::Table', status: 'UPDATE_COMPLETE', timestamp: at(40), nestedPath: [] },
  { code: 'stack-done', ...storage, outcome: 'succeeded', status: 'UPDATE_COMPLETE', seconds: 41.6 },
  { code: 'outputs', ...storage, outputs: { RawDataBucketName: 'concert-platform-raw-data-development', EventsTableName: 'concert-platform-events-development' } },
  { code: 'stack-start', ...monitoring, operation: 'create', resources: 1 },
  { code: 'resource', ...monitoring, logicalId: 'AlarmTopic', resourceType: 'AWS::SNS::Topic', status: 'CREATE_IN_PROGRESS', timestamp: at(43), nestedPath: [] },
  { code: 'resource', ...compute, logicalId: 'HealthFunction', resourceType: 'AWS::Lambda::Function', status: 'CREATE_COMPLETE', timestamp: at(50), nestedPath: ['ApiStack'] },
  {
    code: 'resource',
    ...monitoring,
    logicalId: 'AlarmTopic',
    resourceType: 'AWS::SNS::Topic',
    status: 'CREATE_FAILED',
    reason: 'Resource handler returned message: "Invalid parameter: KmsMasterKeyId" (Service: Sns, Status Code: 400)',
    timestamp: at(55),
    nestedPath: [],
  },
  { code: 'resource', ...compute, logicalId: 'ApiStack', resourceType: 'AWS::CloudFormation::Stack', status: 'CREATE_COMPLETE', timestamp: at(62), nestedPath: [] },
  { code: 'stack-done', ...compute, outcome: 'succeeded', status: 'CREATE_COMPLETE', seconds: 63.2 },
  { code: 'outputs', ...compute, outputs: { ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/development' } },
  {
    code: 'stack-done',
    ...monitoring,
    outcome: 'failed',
    status: 'ROLLBACK_COMPLETE',
    firstFailure: { logicalId: 'AlarmTopic', reason: 'Invalid parameter: KmsMasterKeyId', nestedPath: [] },
    seconds: 21.4,
  },
  { code: 'phase', phase: 'health', message: 'Checking 1 endpoint' },
  { code: 'health', check: 'GET ApiUrl/health', ok: true, detail: '200 in 84 ms' },
  { code: 'warning', message: 'concert-platform-monitoring-development is in ROLLBACK_COMPLETE: delete it before deploying again' },
];

/** The compute stack of DEPLOY, failed instead because CloudFormation refused its change set: no resource failed. */
export const REFUSED: DeployEvent = {
  code: 'stack-done',
  ...compute,
  outcome: 'failed',
  reason: 'CloudFormation CreateChangeSet failed: ValidationError: Parameters: [VpcId] must have values',
  hint: 'AWS refused the call: correct what the message names and run again.',
  seconds: 0.4,
};

/** A writable stream that keeps what it is given. */
export function collectingStream(options: { columns?: number; rows?: number } = {}): Writable & { text(): string; columns?: number; rows?: number } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, options, { text: () => chunks.join('') });
}
