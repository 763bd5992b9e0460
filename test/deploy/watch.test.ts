import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, type DescribeStackEventsCommandOutput } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { newestEventId, watchStack } from '../../src/deploy/watch.ts';
import { deploy, openEngine, REGION, stackOf, type Harness } from '../engine/engine-harness.ts';

const handles = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`Handle${i}`, { Type: 'AWS::CloudFormation::WaitConditionHandle' }]));

/** A client that notes each DescribeStackEvents page it receives: whether it asked for a later page, and how many events came. */
function countingClient(h: Harness) {
  const client = new CloudFormationClient(h.aws.clientConfig(REGION));
  const pages: { followed: boolean; events: number }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'DescribeStackEventsCommand') {
        pages.push({ followed: (args.input as { NextToken?: string }).NextToken !== undefined, events: (result.output as DescribeStackEventsCommandOutput).StackEvents?.length ?? 0 });
      }
      return result;
    },
    { step: 'initialize', name: 'countEventPages' },
  );
  return { client, pages };
}

describe('the deploy watcher', () => {
  let h: Harness;
  before(async () => {
    h = await openEngine();
    assert.equal(await deploy(h.engine, 'history', { Resources: handles(150) }), 'CREATE_COMPLETE');
  });
  after(() => h.close());

  async function watchUpdate(resources: number) {
    const { client, pages } = countingClient(h);
    try {
      const { StackId } = await stackOf(h.engine, 'history');
      const since = new Date();
      // As the deploy does: the newest event before the operation marks where reading stops.
      const after = await newestEventId(client, StackId!);
      pages.length = 0;
      await h.engine.updateStack({ StackName: 'history', TemplateBody: JSON.stringify({ Resources: handles(resources) }) });
      const events: DeployEvent[] = [];
      const result = await watchStack(client, StackId!, { stack: 'history', stackName: 'history', since, polling: { first: 1, max: 5 }, after }, (e) => events.push(e));
      return { result, events, pages };
    } finally {
      client.destroy();
    }
  }

  it('reads only the newest page of a long history while one resource changes', async () => {
    // 452 events before the update (150 resources x 3, the stack's 2).
    const { result, events, pages } = await watchUpdate(151);
    assert.equal(result.status, 'UPDATE_COMPLETE');
    assert.deepEqual(events.map((e) => (e.code === 'resource' ? `${e.logicalId} ${e.status}` : e.code)), ['Handle150 CREATE_IN_PROGRESS', 'Handle150 CREATE_IN_PROGRESS', 'Handle150 CREATE_COMPLETE']);
    assert.ok(pages.length >= 2);
    assert.ok(pages.every((p) => !p.followed), 'the old history is never paged through');
    assert.ok(pages.every((p) => p.events <= 100));
  });

  it('follows NextToken only as far as the new events go, and reports each once', async () => {
    // 120 new resources: 360 new events, more than three pages.
    const { result, events, pages } = await watchUpdate(271);
    assert.equal(result.status, 'UPDATE_COMPLETE');
    const reported = events.map((e) => (e.code === 'resource' ? `${e.logicalId} ${e.status}` : e.code));
    assert.equal(reported.length, 360);
    assert.equal(new Set(reported.filter((r) => r.endsWith('CREATE_COMPLETE'))).size, 120);
    const read = pages.reduce((sum, p) => sum + p.events, 0);
    const polls = pages.filter((p) => !p.followed).length;
    assert.ok(read <= 360 + polls * 100, `read ${read} events in ${polls} polls: the old history stays unread`);
  });
});

describe('the deploy watcher and nested stacks', () => {
  let h: Harness;
  before(async () => {
    h = await openEngine();
  });
  after(() => h.close());

  it('reports the resources of nested stacks it finds on its last poll, at every depth', async () => {
    const s3 = h.aws.clients.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    const nested = (key: string) => ({ Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://templates.s3.us-east-1.amazonaws.com/${key}` } });
    await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'leaf.json', Body: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }) }));
    await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'middle.json', Body: JSON.stringify({ Resources: { Leaf: nested('leaf.json') } }) }));
    const since = new Date();
    assert.equal(await deploy(h.engine, 'nested', { Resources: { Middle: nested('middle.json') } }), 'CREATE_COMPLETE');
    // Watching an operation that has already ended: everything is found on the last poll,
    // as when a fast operation ends between two polls.
    const client = new CloudFormationClient(h.aws.clientConfig(REGION));
    const events: DeployEvent[] = [];
    try {
      const { StackId } = await stackOf(h.engine, 'nested');
      const result = await watchStack(client, StackId!, { stack: 'nested', stackName: 'nested', since, polling: { first: 1, max: 5 } }, (e) => events.push(e));
      assert.equal(result.status, 'CREATE_COMPLETE');
    } finally {
      client.destroy();
    }
    const reported = events.map((e) => (e.code === 'resource' ? `${[...e.nestedPath, e.logicalId].join('/')} ${e.status}` : e.code));
    for (const line of ['Middle CREATE_COMPLETE', 'Middle/Leaf CREATE_COMPLETE', 'Middle/Leaf/Queue CREATE_IN_PROGRESS', 'Middle/Leaf/Queue CREATE_COMPLETE']) {
      assert.ok(reported.includes(line), `${line} is reported; got ${reported.join(', ')}`);
    }
  });
});
