import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudFormationClient,
  paginateDescribeStackEvents,
  paginateDescribeStacks,
  paginateListChangeSets,
  paginateListExports,
  paginateListImports,
  paginateListStackResources,
  paginateListStacks,
} from '@aws-sdk/client-cloudformation';
import { deploy, openEngine, REGION, type Harness } from './engine-harness.ts';

/**
 * Every list call pages as CloudFormation pages: 100 items at most, then a NextToken. The AWS API
 * reference gives 100 for ListExports and ListImports ("If the output exceeds 100 exported output
 * values, a string that identifies the next page of exports"):
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListExports.html and
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListImports.html
 */

const handles = (count: number, prefix = 'Handle') => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, { Type: 'AWS::CloudFormation::WaitConditionHandle' }]));

async function pageSizes<T>(pages: AsyncIterable<T>, items: (page: T) => unknown[] | undefined): Promise<{ sizes: number[]; all: unknown[] }> {
  const sizes: number[] = [];
  const all: unknown[] = [];
  for await (const page of pages) {
    const list = items(page) ?? [];
    sizes.push(list.length);
    all.push(...list);
  }
  return { sizes, all };
}

describe('pagination', () => {
  let h: Harness;
  let client: CloudFormationClient;
  before(async () => {
    h = await openEngine();
    client = new CloudFormationClient(h.aws.clientConfig(REGION));
  });
  after(async () => {
    client.destroy();
    await h.close();
  });

  it('ListExports and ListImports page at 100, each export once', async () => {
    const outputs = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`Out${i}`, { Value: `value-${i}`, Export: { Name: `shared-${String(i).padStart(3, '0')}` } }]));
    assert.equal(await deploy(h.engine, 'exporter', { Resources: handles(1), Outputs: outputs }), 'CREATE_COMPLETE');
    const exports = await pageSizes(paginateListExports({ client }, {}), (p) => p.Exports);
    assert.deepEqual(exports.sizes, [100, 50]);
    assert.equal(new Set(exports.all.map((e) => (e as { Name: string }).Name)).size, 150);

    for (let i = 0; i < 101; i++) {
      await h.engine.createStack({ StackName: `importer${i}`, TemplateBody: JSON.stringify({ Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::ImportValue': 'shared-000' } } } } }) });
    }
    await h.engine.settled();
    const imports = await pageSizes(paginateListImports({ client }, { ExportName: 'shared-000' }), (p) => p.Imports);
    assert.deepEqual(imports.sizes, [100, 1]);
    assert.equal(new Set(imports.all).size, 101);
  });

  it('DescribeStacks and ListStacks page at 100', async () => {
    // 102 stacks from the test before: the exporter and its 101 importers.
    const described = await pageSizes(paginateDescribeStacks({ client }, {}), (p) => p.Stacks);
    assert.deepEqual(described.sizes, [100, 2]);
    assert.equal(new Set(described.all.map((s) => (s as { StackId: string }).StackId)).size, 102);
    const listed = await pageSizes(paginateListStacks({ client }, { StackStatusFilter: ['CREATE_COMPLETE'] }), (p) => p.StackSummaries);
    assert.deepEqual(listed.sizes, [100, 2]);
  });

  it('ListStackResources and DescribeStackEvents page at 100; events newest first across pages', async () => {
    assert.equal(await deploy(h.engine, 'wide', { Resources: handles(150) }), 'CREATE_COMPLETE');
    const resources = await pageSizes(paginateListStackResources({ client }, { StackName: 'wide' }), (p) => p.StackResourceSummaries);
    assert.deepEqual(resources.sizes, [100, 50]);
    assert.equal(new Set(resources.all.map((r) => (r as { LogicalResourceId: string }).LogicalResourceId)).size, 150);

    const events = await pageSizes(paginateDescribeStackEvents({ client }, { StackName: 'wide' }), (p) => p.StackEvents);
    // 150 resources x (CREATE_IN_PROGRESS, CREATE_IN_PROGRESS "Resource creation Initiated", CREATE_COMPLETE) + the stack's two.
    assert.deepEqual(events.sizes, [100, 100, 100, 100, 52]);
    const times = events.all.map((e) => (e as { Timestamp: Date }).Timestamp.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first, across pages');
    const last = events.all.at(-1) as { LogicalResourceId: string; ResourceStatus: string };
    assert.deepEqual([last.LogicalResourceId, last.ResourceStatus], ['wide', 'CREATE_IN_PROGRESS']);
  });

  it('a NextToken stays valid while new events arrive: the next page continues where the first ended', async () => {
    const first = await h.engine.describeStackEvents({ StackName: 'wide' });
    await h.engine.updateStack({ StackName: 'wide', TemplateBody: JSON.stringify({ Resources: handles(151) }) });
    await h.engine.settled();
    const second = await h.engine.describeStackEvents({ StackName: 'wide', NextToken: first.NextToken });
    const lastOfFirst = first.StackEvents!.at(-1)!.Timestamp!.getTime();
    assert.ok(second.StackEvents!.every((e) => e.Timestamp!.getTime() < lastOfFirst), 'no event of the first page again, no new event in an old page');
    assert.equal(second.StackEvents!.length, 100);
  });

  it('ListChangeSets pages at 100', async () => {
    for (let i = 0; i < 101; i++) {
      await h.engine.createChangeSet({ StackName: 'wide', ChangeSetName: `grow${i}`, TemplateBody: JSON.stringify({ Resources: handles(151 + (i % 3) + 1) }) });
    }
    await h.engine.settled();
    const summaries = await pageSizes(paginateListChangeSets({ client }, { StackName: 'wide' }), (p) => p.Summaries);
    assert.deepEqual(summaries.sizes, [100, 1]);
    assert.equal(new Set(summaries.all.map((s) => (s as { ChangeSetName: string }).ChangeSetName)).size, 101);
  });
});
