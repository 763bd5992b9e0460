import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { performance } from 'node:perf_hooks';
import { stackDrift } from '../src/deploy/drift.ts';
import { LocalAws } from '../src/emulator/local-aws.ts';
import { median } from './measure.ts';

const PARAMETERS = 300;
const BUCKETS = 100;

/** A stack of SSM parameters and versioned, tagged buckets: the resources drift reads back one by one. */
function checkedTemplate(): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < PARAMETERS; i++) resources[`Parameter${i}`] = { Type: 'AWS::SSM::Parameter', Properties: { Name: `/bench-drift/p${i}`, Type: 'String', Value: `value-${i}` } };
  for (let i = 0; i < BUCKETS; i++) resources[`Bucket${i}`] = { Type: 'AWS::S3::Bucket', Properties: { BucketName: `bench-drift-${i}`, VersioningConfiguration: { Status: 'Enabled' }, Tags: [{ Key: 'n', Value: String(i) }] } };
  return JSON.stringify({ Resources: resources });
}

/**
 * `stackpilot drift` and deploy's drift check on one large stack: a detection (DetectStackDrift,
 * polled to its end, then DescribeStackResourceDrifts) over 400 checked resources, 10 of them drifted.
 */
export async function benchDrift(): Promise<void> {
  const local = await LocalAws.open();
  const cfn = new CloudFormationClient(local.clientConfig());
  try {
    // Past TemplateBody's 51,200 bytes: read from S3, as deploy uploads large templates.
    await local.clients.s3.send(new CreateBucketCommand({ Bucket: 'bench-drift-templates' }));
    await local.clients.s3.send(new PutObjectCommand({ Bucket: 'bench-drift-templates', Key: 'stack.json', Body: checkedTemplate() }));
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'bench-drift', TemplateURL: 'https://bench-drift-templates.s3.amazonaws.com/stack.json' }));
    await local.settled();
    for (let i = 0; i < 10; i++) await local.clients.ssm.send(new PutParameterCommand({ Name: `/bench-drift/p${i}`, Value: 'changed', Overwrite: true }));
    const seconds: number[] = [];
    let drifted = 0;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      const drift = await stackDrift(cfn, StackId!, 'bench-drift', { first: 5, max: 20 });
      seconds.push((performance.now() - start) / 1000);
      drifted = drift.resources.length;
    }
    console.log(`drift: one detection over a stack of ${PARAMETERS + BUCKETS} checked resources (${PARAMETERS} SSM parameters, ${BUCKETS} buckets), ${drifted} found drifted`);
    console.log(`  median ${median(seconds).toFixed(2)} s over 5 runs (${(median(seconds) * 1000 / (PARAMETERS + BUCKETS)).toFixed(2)} ms a resource)`);
  } finally {
    cfn.destroy();
    await local.close();
  }
}
