import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, UpdateStackCommand, type DescribeStackEventsCommandOutput } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { newestEventId, watchStack } from '../src/deploy/watch.ts';
import { LocalAws } from '../src/emulator/local-aws.ts';

const RESOURCES = 500;

const handles = (count: number) => JSON.stringify({ Resources: Object.fromEntries(Array.from({ length: count }, (_, i) => [`Handle${i}`, { Type: 'AWS::CloudFormation::WaitConditionHandle' }])) });

/**
 * The deploy watcher on a long history: a 500-resource stack (1,502 events) updated by one
 * resource. Before pages, each poll read the whole history; now it reads the newest page only.
 */
export async function benchWatch(): Promise<void> {
  const local = await LocalAws.open({ engine: { timeScale: 1 } });
  const cfn = new CloudFormationClient(local.clientConfig());
  const s3 = new S3Client(local.clientConfig());
  const pages: number[] = [];
  cfn.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'DescribeStackEventsCommand') pages.push((result.output as DescribeStackEventsCommandOutput).StackEvents?.length ?? 0);
      return result;
    },
    { step: 'initialize', name: 'countEventPages' },
  );
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-watch' }));
    for (const count of [RESOURCES, RESOURCES + 1]) await s3.send(new PutObjectCommand({ Bucket: 'bench-watch', Key: `${count}.json`, Body: handles(count) }));
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'history', TemplateURL: `https://bench-watch.s3.amazonaws.com/${RESOURCES}.json` }));
    await local.settled();
    const history = (await cfn.send(new DescribeStacksCommand({ StackName: 'history' }))).Stacks![0].StackStatus;
    if (history !== 'CREATE_COMPLETE') throw new Error(`history ended ${history}`);
    let total = 0;
    for (let token: string | undefined, first = true; first || token; first = false) {
      const page = await cfn.send(new DescribeStackEventsCommand({ StackName: StackId, NextToken: token }));
      total += page.StackEvents?.length ?? 0;
      token = page.NextToken;
    }

    const since = new Date();
    const after = await newestEventId(cfn, StackId!);
    pages.length = 0;
    await cfn.send(new UpdateStackCommand({ StackName: StackId, TemplateURL: `https://bench-watch.s3.amazonaws.com/${RESOURCES + 1}.json` }));
    const result = await watchStack(cfn, StackId!, { stack: 'history', stackName: 'history', since, polling: { first: 5, max: 20 }, after }, () => {});
    const read = pages.reduce((sum, n) => sum + n, 0);
    console.log(`watch: a one-resource update of a ${RESOURCES}-resource stack whose history holds ${total} events (${result.status})`);
    console.log(`  ${pages.length} DescribeStackEvents calls, ${read} events read, at most ${Math.max(...pages)} a call`);
    console.log(`  (reading the whole history each poll, as before paging: ${pages.length} x ${total} = ${pages.length * total} events)`);
  } finally {
    cfn.destroy();
    s3.destroy();
    await local.close();
  }
}
