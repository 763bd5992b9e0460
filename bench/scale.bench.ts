import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median } from './measure.ts';
import { pass, serveForBench, waitForStack, type ServedLocalAws } from './served.ts';

/** CloudFormation's quota of resources in one stack: larger deployments are split into nested stacks of this size. */
const PER_STACK = 500;
const BUCKET = 'bench-scale-templates';
const MIXED_TYPES = ['AWS::SSM::Parameter', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket'] as const;

type Kind = 'ssm' | 'mixed';

/** One resource; `version` 2 changes a property every type updates in place. */
function resource(type: string, i: number, version: number): Record<string, unknown> {
  const tags = [{ Key: 'version', Value: String(version) }];
  switch (type) {
    case 'AWS::SSM::Parameter':
      return { Type: type, Properties: { Type: 'String', Value: `value-${i}-v${version}` } };
    case 'AWS::SQS::Queue':
      return { Type: type, Properties: { VisibilityTimeout: 30 + version } };
    case 'AWS::DynamoDB::Table':
      return {
        Type: type,
        Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], Tags: tags },
      };
    default:
      return { Type: type, Properties: { Tags: tags } };
  }
}

function childTemplate(kind: Kind, count: number, version: number): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) resources[`R${i}`] = resource(kind === 'ssm' ? 'AWS::SSM::Parameter' : MIXED_TYPES[i % MIXED_TYPES.length], i, version);
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources });
}

/** A deployment of `total` resources: a parent with one nested stack per 500 (children's templates in S3, as their size requires). */
async function deploymentTemplate(local: ServedLocalAws, kind: Kind, total: number, version: number): Promise<string> {
  const children: Record<string, unknown> = {};
  for (let c = 0; c < Math.ceil(total / PER_STACK); c++) {
    const key = `${kind}-${total}-${c}-v${version}.json`;
    await local.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: childTemplate(kind, Math.min(PER_STACK, total - c * PER_STACK), version) }));
    children[`Part${c}`] = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://${BUCKET}.s3.amazonaws.com/${key}` } };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: children });
}

interface Lifecycle {
  create: number;
  update: number;
  delete: number;
  /** The slowest DescribeStacks answer during the create. */
  slowestDescribeMs: number;
}

async function timed(cfn: CloudFormationClient, stackId: string, expected: string, start: number): Promise<{ seconds: number; slowestDescribeMs: number }> {
  const { status, slowestDescribeMs } = await waitForStack(cfn, stackId);
  if (status !== expected) throw new Error(`stack ${stackId} ended ${status}, not ${expected}`);
  return { seconds: (performance.now() - start) / 1000, slowestDescribeMs };
}

/** Create, update (every resource changed in place), delete of a deployment, through the SDK, timed until each ends. */
async function lifecycle(local: ServedLocalAws, kind: Kind, total: number, name: string): Promise<Lifecycle> {
  const v1 = await deploymentTemplate(local, kind, total, 1);
  const v2 = await deploymentTemplate(local, kind, total, 2);
  let start = performance.now();
  const { StackId } = await local.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: v1 }));
  const create = await timed(local.cfn, StackId!, 'CREATE_COMPLETE', start);
  start = performance.now();
  await local.cfn.send(new UpdateStackCommand({ StackName: name, TemplateBody: v2 }));
  const update = await timed(local.cfn, StackId!, 'UPDATE_COMPLETE', start);
  start = performance.now();
  await local.cfn.send(new DeleteStackCommand({ StackName: name }));
  const deleted = await timed(local.cfn, StackId!, 'DELETE_COMPLETE', start);
  if (process.env.BENCH_VERBOSE) console.log(`    (${kind} ${total}: slowest DescribeStacks ${create.slowestDescribeMs.toFixed(0)} / ${update.slowestDescribeMs.toFixed(0)} / ${deleted.slowestDescribeMs.toFixed(0)} ms)`);
  return { create: create.seconds, update: update.seconds, delete: deleted.seconds, slowestDescribeMs: create.slowestDescribeMs };
}

const RATIO_TARGET = 4.5;

async function benchGrowth(kind: Kind): Promise<number> {
  const local = await serveForBench();
  try {
    await local.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const small = await lifecycle(local, kind, 500, `${kind}-500`);
    const large = await lifecycle(local, kind, 2000, `${kind}-2000`);
    const label = kind === 'ssm' ? 'SSM parameters' : 'mixed SSM, SQS, DynamoDB tables, S3 buckets';
    console.log(`  ${label}: N = 500 (1 nested stack) and 2,000 (4 nested stacks of 500 under one parent)`);
    for (const step of ['create', 'update', 'delete'] as const) {
      const ratio = large[step] / small[step];
      console.log(`    ${step.padEnd(6)}  ${small[step].toFixed(2)} s -> ${large[step].toFixed(2)} s   ${ratio.toFixed(2)}x   (target <= ${RATIO_TARGET}x: ${pass(ratio <= RATIO_TARGET)})`);
    }
    return large.slowestDescribeMs;
  } finally {
    await local.stop();
  }
}

const CYCLES = 20;
const IDLE_SECONDS = 90;

/**
 * The server's RSS once it has been left alone: the lowest in IDLE_SECONDS without requests. V8
 * lets garbage pile up while a process is busy, and `local serve` collects it once no request
 * has come for 10 s (see idle-collector.ts), so RSS read mid-work measures the collector's pace,
 * not what the server holds.
 */
async function idleRssMb(local: ServedLocalAws): Promise<number> {
  let lowest = local.rssMb();
  for (let waited = 0; waited < IDLE_SECONDS; waited += 2) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    lowest = Math.min(lowest, local.rssMb());
  }
  return lowest;
}
const CYCLE_RESOURCES = 100;

/** Create/delete cycles of one 100-resource (mixed) stack: each as fast as the first, the server no larger. */
async function benchCycles(): Promise<void> {
  const local = await serveForBench();
  try {
    const template = childTemplate('mixed', CYCLE_RESOURCES, 1);
    const cycle = async (): Promise<number> => {
      const start = performance.now();
      const { StackId } = await local.cfn.send(new CreateStackCommand({ StackName: 'cycled', TemplateBody: template }));
      await timed(local.cfn, StackId!, 'CREATE_COMPLETE', start);
      await local.cfn.send(new DeleteStackCommand({ StackName: 'cycled' }));
      await timed(local.cfn, StackId!, 'DELETE_COMPLETE', start);
      return (performance.now() - start) / 1000;
    };
    // One cycle before measuring: code loaded and compiled, caches filled.
    await cycle();
    const startRss = await idleRssMb(local);
    const times: number[] = [];
    for (let i = 0; i < CYCLES; i++) times.push(await cycle());
    const busyRss = local.rssMb();
    const endRss = await idleRssMb(local);
    // The median of three at each end: one cycle alone is at the mercy of a garbage collection or another process.
    const first = median(times.slice(0, 3));
    const last = median(times.slice(-3));
    const ratio = last / first;
    console.log(`  ${CYCLES} create/delete cycles of a ${CYCLE_RESOURCES}-resource mixed stack (after one warm-up cycle)`);
    console.log(`    cycle time   first ${first.toFixed(2)} s, last ${last.toFixed(2)} s (medians of 3)   ${ratio.toFixed(2)}x   (target <= 1.1x: ${pass(ratio <= 1.1)})`);
    const growth = endRss - startRss;
    console.log(`    server RSS once idle   ${startRss.toFixed(0)} MB -> ${endRss.toFixed(0)} MB   ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB   (target within 20 MB: ${pass(Math.abs(growth) <= 20)}; ${busyRss.toFixed(0)} MB right after the last cycle)`);
  } finally {
    await local.stop();
  }
}

/**
 * The scale figures of the local engine, through `stackpilot local serve` over HTTP and SDK
 * clients. Run alone: `npx tsx bench/scale.bench.ts [ssm] [mixed] [cycles]` (all by default).
 */
export async function benchScale(parts: string[] = []): Promise<void> {
  const runs = (part: string) => parts.length === 0 || parts.includes(part);
  // Timings and latencies say little on a machine busy with other work: the load is shown with them.
  console.log(`local engine at scale: \`stackpilot local serve\` driven by SDK clients over HTTP (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`);
  if (runs('ssm')) await benchGrowth('ssm');
  if (runs('mixed')) {
    const slowest = await benchGrowth('mixed');
    console.log(`  slowest DescribeStacks while the 2,000-resource mixed deployment was created   ${slowest.toFixed(0)} ms   (target <= 100 ms: ${pass(slowest <= 100)})`);
  }
  if (runs('cycles')) await benchCycles();
  console.log(`  (load average at the end ${loadavg()[0].toFixed(1)})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchScale(process.argv.slice(2));
