import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployProject } from '../../src/deploy/deploy.ts';
import { changedProperties } from '../../src/engine/operations/replacement.ts';
import { resourceFacts } from '../../src/spec/resource-facts.ts';
import { planProject } from '../../src/deploy/plan.ts';
import { runCli, writeProject } from '../helpers.ts';
import { deploy, openEngine, physicalIds, statusOf, type Harness } from './engine-harness.ts';

/**
 * Replacement verdicts for a DynamoDB table, as the documentation states them:
 * - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-table-localsecondaryindex.html:
 *   "A local secondary index can only be created when its parent table is created." So adding one replaces the table.
 * - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html: GlobalSecondaryIndexes
 *   "Update requires: No interruption"; AttributeDefinitions "Replacement if you edit an existing AttributeDefinition".
 */
const KEYS = [{ AttributeName: 'pk', AttributeType: 'S' }];
const table = (extra: Record<string, unknown> = {}, attributes: unknown[] = KEYS) => ({
  Resources: {
    Orders: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: attributes, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(extra.sort ? [{ AttributeName: 'sk', KeyType: 'RANGE' }] : [])], ...(extra.properties as object) },
    },
  },
});
const withSortKey = [...KEYS, { AttributeName: 'sk', AttributeType: 'S' }];
const byCustomer = { IndexName: 'by-customer', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'customer', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } };
const byStatus = { IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } };

describe('replacement verdicts of a DynamoDB table', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const tableChange = async (stack: string, name: string, template: unknown) => {
    await h.engine.createChangeSet({ StackName: stack, ChangeSetName: name, TemplateBody: JSON.stringify(template) });
    await h.engine.settled();
    const described = await h.engine.describeChangeSet({ StackName: stack, ChangeSetName: name });
    return described.Changes!.map((c) => c.ResourceChange!).find((c) => c.LogicalResourceId === 'Orders')!;
  };

  it('adding a local secondary index replaces the table: the change set says so, and the deploy makes a new table', async () => {
    assert.equal(await deploy(h.engine, 'orders', table({ sort: true }, withSortKey)), 'CREATE_COMPLETE');
    const before = (await physicalIds(h.engine, 'orders')).Orders;
    const change = await tableChange('orders', 'add-lsi', table({ sort: true, properties: { LocalSecondaryIndexes: [byCustomer] } }, [...withSortKey, { AttributeName: 'customer', AttributeType: 'S' }]));
    assert.equal(change.Replacement, 'True');
    assert.deepEqual(
      change.Details!.map((d) => `${d.Target!.Name} ${d.Target!.RequiresRecreation}`),
      ['AttributeDefinitions Never', 'LocalSecondaryIndexes Always'],
      'a new attribute definition is not an edit of an existing one',
    );
    await h.engine.executeChangeSet({ StackName: 'orders', ChangeSetName: 'add-lsi' });
    await h.engine.settled();
    assert.equal(await statusOf(h.engine, 'orders'), 'UPDATE_COMPLETE');
    const after = (await physicalIds(h.engine, 'orders')).Orders;
    assert.notEqual(after, before, 'a new table');
    const ddb = new DynamoDBClient(h.aws.clientConfig('us-east-1'));
    try {
      const described = await ddb.send(new DescribeTableCommand({ TableName: after }));
      assert.deepEqual(described.Table!.LocalSecondaryIndexes!.map((i) => i.IndexName), ['by-customer']);
      await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: before })), /ResourceNotFoundException|not found/i, 'the old table is gone, and its data with it');
    } finally {
      ddb.destroy();
    }
  });

  it('adding a global secondary index updates the table in place', async () => {
    assert.equal(await deploy(h.engine, 'orders-gsi', table()), 'CREATE_COMPLETE');
    const change = await tableChange('orders-gsi', 'add-gsi', table({ properties: { GlobalSecondaryIndexes: [byStatus] } }, [...KEYS, { AttributeName: 'status', AttributeType: 'S' }]));
    assert.equal(change.Replacement, 'False');
  });

  it('editing an existing attribute definition replaces the table', async () => {
    assert.equal(await deploy(h.engine, 'orders-edit', table()), 'CREATE_COMPLETE');
    const change = await tableChange('orders-edit', 'retype', table({}, [{ AttributeName: 'pk', AttributeType: 'N' }]));
    assert.equal(change.Replacement, 'True');
    assert.deepEqual(change.Details!.map((d) => `${d.Target!.Name} ${d.Target!.RequiresRecreation}`), ['AttributeDefinitions Always']);
  });

  it('editing one attribute definition among unchanged ones replaces the table', async () => {
    assert.equal(await deploy(h.engine, 'orders-edit-one', table({ sort: true }, withSortKey)), 'CREATE_COMPLETE');
    const change = await tableChange('orders-edit-one', 'retype-sk', table({ sort: true }, [...KEYS, { AttributeName: 'sk', AttributeType: 'N' }]));
    assert.equal(change.Replacement, 'True');
  });
});

/**
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-opensearchservice-domain.html#cfn-opensearchservice-domain-vpcoptions:
 * "If you remove this entity altogether, along with its associated properties, it causes a replacement."
 */
describe('replacement verdicts of an OpenSearch domain\'s VPCOptions', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const domain = (vpc?: unknown) => ({ Resources: { Search: { Type: 'AWS::OpenSearchService::Domain', Properties: { EngineVersion: 'OpenSearch_2.11', ...(vpc ? { VPCOptions: vpc } : {}) } } } });
  const searchChange = async (name: string, template: unknown) => {
    await h.engine.createChangeSet({ StackName: 'search', ChangeSetName: name, TemplateBody: JSON.stringify(template) });
    await h.engine.settled();
    const described = await h.engine.describeChangeSet({ StackName: 'search', ChangeSetName: name });
    return described.Changes![0].ResourceChange!;
  };

  it('removing them replaces the domain; changing them updates it in place', async () => {
    assert.equal(await deploy(h.engine, 'search', domain({ SubnetIds: ['subnet-1'] })), 'CREATE_COMPLETE');
    assert.equal((await searchChange('drop-vpc', domain())).Replacement, 'True');
    assert.equal((await searchChange('move-vpc', domain({ SubnetIds: ['subnet-2'] }))).Replacement, 'False');
  });
});

describe('stackpilot plan of a local secondary index added to a table', () => {
  it('warns that the table\'s data is at risk, and executes nothing', async () => {
    const yaml = (lsi: boolean) => [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Resources:',
      '  Orders:',
      '    Type: AWS::DynamoDB::Table',
      '    DeletionPolicy: Delete',
      '    UpdateReplacePolicy: Delete',
      '    Properties:',
      '      BillingMode: PAY_PER_REQUEST',
      '      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }, { AttributeName: sk, AttributeType: S }]',
      '      KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk, KeyType: RANGE }]',
      ...(lsi ? ['      LocalSecondaryIndexes:', '        - IndexName: by-sk', '          KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk, KeyType: RANGE }]', '          Projection: { ProjectionType: KEYS_ONLY }'] : []),
      '',
    ].join('\n');
    const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n', 'data.yaml': yaml(false) });
    assert.equal((await deployProject(dir, { target: 'local', concurrency: 1, yes: false }, () => {})).ok, true);
    writeFileSync(join(dir, 'data.yaml'), yaml(true));
    const report = await planProject(dir, { target: 'local' }, () => {});
    assert.deepEqual(
      report.stacks[0].changes.map((c) => [c.action, c.logicalId, c.replacement, c.causes.join(','), c.dataAtRisk]),
      [['Modify', 'Orders', 'True', 'LocalSecondaryIndexes', true]],
    );
    const cli = runCli(['plan', dir], { env: { CI: 'true' } });
    assert.equal(cli.code, 0);
    assert.match(cli.stdout, /^ {2}Modify +Orders +AWS::DynamoDB::Table +True +LocalSecondaryIndexes +⚠ data at risk$/m);
  });
});

describe('the verdict for an attribute definition edited, on values that are not a list of definitions', () => {
  const table = resourceFacts().resource('AWS::DynamoDB::Table');
  const verdict = (before: unknown, after: unknown) => changedProperties({ AttributeDefinitions: before }, { AttributeDefinitions: after }, table).map((c) => c.requiresRecreation);

  it('a value changed to another replaces; one added where there was none does not', () => {
    assert.deepEqual(verdict('pk', 'sk'), ['Always']);
    assert.deepEqual(verdict([{ AttributeName: 'pk', AttributeType: 'S' }], 'pk'), ['Always']);
    assert.deepEqual(verdict(undefined, [{ AttributeName: 'pk', AttributeType: 'S' }]), ['Never']);
    assert.deepEqual(verdict([{ AttributeName: 'pk', AttributeType: 'S' }], undefined), ['Never']);
  });

  it('list elements that are not definitions are compared whole, and a null among them is no definition', () => {
    assert.deepEqual(verdict(['pk'], ['pk', 'sk']), ['Never']);
    assert.deepEqual(verdict([null, { AttributeName: 'pk', AttributeType: 'S' }], [null, { AttributeName: 'pk', AttributeType: 'N' }]), ['Always']);
    assert.deepEqual(verdict([null], [null, { AttributeName: 'pk', AttributeType: 'S' }]), ['Never']);
  });
});
