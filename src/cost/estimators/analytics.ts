import { HOURS_PER_MONTH, type Estimator } from '../lines.ts';
import { figure, numberOf, objectOf, textOf } from './values.ts';

const stream: Estimator = (resource, { usage }) => {
  const notes: string[] = [];
  if (textOf(objectOf(resource.properties.StreamModeDetails).StreamMode) === 'ON_DEMAND') {
    return [
      { service: 'kinesis', price: 'on-demand-stream-hour', quantity: HOURS_PER_MONTH, description: 'on-demand stream hours' },
      { service: 'kinesis', price: 'on-demand-gb-in', quantity: usage.get('kinesisGbPerMonth'), description: 'data written', usage: ['kinesisGbPerMonth'] },
    ];
  }
  const shards = figure(resource.properties.ShardCount, 1, 'ShardCount', notes);
  return [
    { service: 'kinesis', price: 'shard-hour', quantity: shards * HOURS_PER_MONTH, description: 'shard hours', detail: `${shards} shard${shards === 1 ? '' : 's'}`, notes },
    { service: 'kinesis', price: 'put-units', quantity: usage.get('kinesisPutUnitsPerMonth') / 1e6, description: 'PUT payload units', usage: ['kinesisPutUnitsPerMonth'] },
  ];
};

const deliveryStream: Estimator = (_, { usage }) => [{ service: 'firehose', price: 'gb-ingested', quantity: usage.get('firehoseGbPerMonth'), description: 'data ingested', usage: ['firehoseGbPerMonth'] }];

/** DPUs per worker of each Glue worker type. */
const WORKER_DPUS = new Map([['Standard', 1], ['G.025X', 0.25], ['G.1X', 1], ['G.2X', 2], ['G.4X', 4], ['G.8X', 8], ['Z.2X', 2]]);

const glueJob: Estimator = (resource, { usage }) => {
  const { properties } = resource;
  const notes: string[] = [];
  const workerType = textOf(properties.WorkerType);
  const workers = numberOf(properties.NumberOfWorkers);
  const pythonShell = textOf(objectOf(properties.Command).Name) === 'pythonshell';
  let dpus: number;
  if (workerType && workers !== undefined) {
    const each = WORKER_DPUS.get(workerType);
    if (each === undefined) return `worker type ${workerType} is not estimated`;
    dpus = workers * each;
  } else dpus = figure(properties.MaxCapacity ?? properties.AllocatedCapacity, pythonShell ? 0.0625 : 10, 'MaxCapacity', notes);
  const hours = usage.get('glueJobHoursPerMonth');
  return [{ service: 'glue', price: 'dpu-hour', quantity: dpus * hours, description: 'job DPU-hours', detail: `${dpus} DPU × ${hours} h`, usage: ['glueJobHoursPerMonth'], notes }];
};

const crawler: Estimator = (_, { usage }) => [{ service: 'glue', price: 'crawler-dpu-hour', quantity: usage.get('glueCrawlerDpuHoursPerMonth'), description: 'crawler DPU-hours', usage: ['glueCrawlerDpuHoursPerMonth'] }];

export const analyticsEstimators: Record<string, Estimator> = {
  'AWS::Kinesis::Stream': stream,
  'AWS::KinesisFirehose::DeliveryStream': deliveryStream,
  'AWS::Glue::Job': glueJob,
  'AWS::Glue::Crawler': crawler,
};
