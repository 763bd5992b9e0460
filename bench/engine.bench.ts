import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, paginateListStackResources, type DescribeStacksCommandOutput, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { serveLocalAws } from '../src/emulator/http-server.ts';
import { LocalAws } from '../src/emulator/local-aws.ts';
import { median, verdict } from './measure.ts';

/** A template of `count` resources of common types, a quarter of them depending on another. */
function wideTemplate(count: number): string {
  const resources: Record<string, unknown> = {};
  const types = ['AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::IAM::Role', 'AWS::Logs::LogGroup'];
  for (let i = 0; i < count; i++) {
    const type = types[i % types.length];
    const properties: Record<string, unknown> =
      type === 'AWS::IAM::Role'
        ? { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }
        : type === 'AWS::Logs::LogGroup'
          ? { RetentionInDays: 7 }
          : {};
    if (i % 4 === 1 && i > 4) properties.Tags = [{ Key: 'peer', Value: { Ref: `R${i - 4}` } }];
    resources[`R${i}`] = { Type: type, Properties: properties };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources });
}

async function waitFor(cfn: CloudFormationClient, name: string): Promise<string> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack.StackStatus!;
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The local engine: a 500-resource stack, and the aws CLI over HTTP. */
export async function benchEngine(): Promise<void> {
  const local = await LocalAws.open({ engine: { timeScale: 0 } });
  const cfn = new CloudFormationClient(local.clientConfig());
  const s3 = new S3Client(local.clientConfig());
  try {
    // Over 51,200 bytes, the template goes through S3, as CloudFormation requires.
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-templates' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench-templates', Key: 'wide.json', Body: wideTemplate(500) }));
    const template = { TemplateURL: 'https://bench-templates.s3.amazonaws.com/wide.json' };
    const creates: number[] = [];
    for (let run = 0; run < 3; run++) {
      const name = `wide-${run}`;
      const start = performance.now();
      await cfn.send(new CreateStackCommand({ StackName: name, ...template, Capabilities: ['CAPABILITY_IAM'] }));
      const status = await waitFor(cfn, name);
      creates.push((performance.now() - start) / 1000);
      if (status !== 'CREATE_COMPLETE') throw new Error(`${name} ended ${status}`);
      const resources: StackResourceSummary[] = [];
      for await (const page of paginateListStackResources({ client: cfn }, { StackName: name })) resources.push(...(page.StackResourceSummaries ?? []));
      if (resources.length !== 500 || resources.some((r) => r.ResourceStatus !== 'CREATE_COMPLETE')) throw new Error(`${name}: ${resources.length} resources created`);
      await cfn.send(new DeleteStackCommand({ StackName: name }));
      await waitFor(cfn, name).catch(() => undefined);
    }
    const create = median(creates);
    console.log('engine: a 500-resource stack created through the SDK, no simulated delay (median of 3)');
    console.log(`  wall time   ${create.toFixed(3)} s   (target < 2 s: ${verdict(create, 2)})`);

    await cfn.send(new CreateStackCommand({ StackName: 'small', TemplateBody: wideTemplate(10), Capabilities: ['CAPABILITY_IAM'] }));
    await waitFor(cfn, 'small');
    const server = await serveLocalAws(local, { port: 0 });
    try {
      const env = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1' };
      const start = performance.now();
      // Asynchronously: this process is the server the CLI talks to.
      const result = await promisify(execFile)('aws', ['--endpoint-url', server.url, 'cloudformation', 'describe-stacks', '--stack-name', 'small', '--output', 'json'], { env }).then(
        ({ stdout }) => ((JSON.parse(stdout) as DescribeStacksCommandOutput).Stacks?.[0]?.StackStatus === 'CREATE_COMPLETE' ? 'works' : `FAILED: unexpected reply ${stdout.slice(0, 200)}`),
        (error: Error) => `FAILED: ${error.message.split('\n')[0]}`,
      );
      const seconds = (performance.now() - start) / 1000;
      console.log('engine: served over HTTP, `aws cloudformation describe-stacks` (the aws CLI)');
      console.log(`  ${result}   (${seconds.toFixed(2)} s including the CLI's start)`);
    } finally {
      await server.close();
    }
  } finally {
    cfn.destroy();
    s3.destroy();
    await local.close();
  }
}
