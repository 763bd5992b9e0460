import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalAws } from '../src/emulator/local-aws.ts';
import { median, verdict } from './measure.ts';

async function timeRoundTrips(count: number, send: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await send();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await send();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** In-process SDK round trips against the local emulator: the cost every local deploy and test pays per call. */
export async function benchLocalAws(): Promise<void> {
  const local = await LocalAws.open();
  try {
    const cloudformation = new CloudFormationClient(local.clientConfig());
    const template = JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } } }, Outputs: { Flag: { Value: { Ref: 'Flag' } } } });
    await cloudformation.send(new CreateStackCommand({ StackName: 'bench', TemplateBody: template }));
    await local.settled();
    const describe = await timeRoundTrips(2000, () => cloudformation.send(new DescribeStacksCommand({ StackName: 'bench' })));
    const s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench-bucket', Key: 'object', Body: 'x'.repeat(4096) }));
    const getObject = await timeRoundTrips(2000, async () => (await s3.send(new GetObjectCommand({ Bucket: 'bench-bucket', Key: 'object' }))).Body?.transformToString());
    console.log('local emulator: in-process SDK round trips (median of 2000)');
    console.log(`  DescribeStacks  ${describe.toFixed(3)} ms   (target < 1 ms: ${verdict(describe, 1)})`);
    console.log(`  GetObject 4 KB  ${getObject.toFixed(3)} ms`);
  } finally {
    await local.close();
  }
}
