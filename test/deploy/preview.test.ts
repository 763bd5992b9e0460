import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudFormationClient, CreateChangeSetCommand, waitUntilChangeSetCreateComplete } from '@aws-sdk/client-cloudformation';
import { deployProject } from '../../src/deploy/deploy.ts';
import type { PreviewedChange } from '../../src/deploy/events.ts';
import { planProject } from '../../src/deploy/plan.ts';
import { previewChangeSet } from '../../src/deploy/preview.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { writeProject } from '../helpers.ts';

/** A table keyed `key`, with the policies given (none when omitted) and optional tags. */
function table(id: string, key: string, policies: { deletion?: string; replace?: string } = {}, tag?: string): string {
  return [
    `  ${id}:`,
    '    Type: AWS::DynamoDB::Table',
    ...(policies.deletion ? [`    DeletionPolicy: ${policies.deletion}`] : []),
    ...(policies.replace ? [`    UpdateReplacePolicy: ${policies.replace}`] : []),
    '    Properties:',
    '      BillingMode: PAY_PER_REQUEST',
    `      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]`,
    `      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]`,
    ...(tag ? [`      Tags: [{ Key: team, Value: ${tag} }]`] : []),
    '',
  ].join('\n');
}

const topic = (name: string) => `  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: ${name}\n`;
const nested = (id: string) => `  ${id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://templates.s3.amazonaws.com/child.yaml\n`;
const child = nested('Child');
/** A database whose removal CloudFormation snapshots first. */
const database = '  Db:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      AllocatedStorage: "20"\n      MasterUsername: app\n      ManageMasterUserPassword: true\n';

/** The plan's rows of the project's first stack. */
async function changes(dir: string): Promise<PreviewedChange[]> {
  return (await planProject(dir, { target: 'local' }, () => {})).stacks[0].changes;
}

/** A row as `path action (replace) causes verdict`. */
const rowText = (c: PreviewedChange) => `${[...c.nestedPath, c.logicalId].join('/')} ${c.action}${c.replacement ? ` (replace: ${c.replacement})` : ''} [${c.causes.join(',')}] ${c.dataAtRisk ? 'at risk' : 'kept'}`;

/** Every row of the plan, as rowText, sorted. */
async function rows(dir: string): Promise<string[]> {
  return (await changes(dir)).map(rowText).sort();
}

describe('the change preview: which rows delete data', () => {
  it('follows each policy that keeps data, flags stateful resources only, names what forces a replacement, and looks into nested stacks', async () => {
    const v1 =
      'Resources:\n' +
      table('KeptExceptOnCreate', 'id', { deletion: 'RetainExceptOnCreate' }) +
      table('RemovedWithoutPolicy', 'id') +
      table('ReplacedWithoutPolicy', 'id') +
      table('ReplacedAndTagged', 'id', { deletion: 'Delete', replace: 'Delete' }, 'a') +
      table('TaggedOnly', 'id', { deletion: 'Delete', replace: 'Delete' }, 'a') +
      table('RetainedFromNowOn', 'id', { deletion: 'Delete', replace: 'Delete' }) +
      topic('alerts-a') +
      database +
      child +
      nested('GoneChild');
    const v2 =
      'Resources:\n' +
      table('ReplacedWithoutPolicy', 'job_id') +
      table('ReplacedAndTagged', 'job_id', { deletion: 'Delete', replace: 'Delete' }, 'b') +
      table('TaggedOnly', 'id', { deletion: 'Delete', replace: 'Delete' }, 'b') +
      // The replacement follows the policy the update brings, not the one deployed.
      table('RetainedFromNowOn', 'job_id', { deletion: 'Delete', replace: 'Retain' }) +
      topic('alerts-b') +
      child;
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n',
      'app.yaml': v1,
      'child.yaml': `Resources:\n${table('Orders', 'id', { deletion: 'Delete', replace: 'Delete' })}`,
    });
    assert.equal((await deployProject(dir, { target: 'local', concurrency: 1, yes: false }, () => {})).ok, true);
    writeFileSync(join(dir, 'app.yaml'), v2);
    writeFileSync(join(dir, 'child.yaml'), `Resources:\n${table('Orders', 'order_id', { deletion: 'Delete', replace: 'Delete' })}`);

    assert.deepEqual(await rows(dir), [
      // A topic holds no data: replacing it loses none.
      'Alerts Modify (replace: True) [TopicName] kept',
      // The nested stack's own row says nothing: its resources' rows do, under its path.
      'Child Modify (replace: False) [TemplateURL] kept',
      'Child/Orders Modify (replace: True) [KeySchema] at risk',
      // Snapshot keeps the data.
      'Db Remove [] kept',
      // A nested stack removed is judged by its own resources (which this change set does not list).
      'GoneChild Remove [] kept',
      'KeptExceptOnCreate Remove [] kept',
      // No policy is CloudFormation's Delete.
      'RemovedWithoutPolicy Remove [] at risk',
      // Only the property that forces the replacement is its cause, not the tags changed with it.
      'ReplacedAndTagged Modify (replace: True) [KeySchema] at risk',
      'ReplacedWithoutPolicy Modify (replace: True) [KeySchema] at risk',
      'RetainedFromNowOn Modify (replace: True) [KeySchema] kept',
      // An in-place change keeps the data; its causes are what changed.
      'TaggedOnly Modify (replace: False) [Tags] kept',
    ]);
  });

  it('counts a replacement that may happen (Conditional) as one, and reads every page of a large change set', async () => {
    const domain = (version: string, topics: number) =>
      `Resources:\n  Search:\n    Type: AWS::OpenSearchService::Domain\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      EngineVersion: ${version}\n      Tags: [{ Key: version, Value: '${version}' }]\n` +
      Array.from({ length: topics }, (_, i) => `  Topic${i}:\n    Type: AWS::SNS::Topic\n`).join('');
    const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n', 'app.yaml': domain('OpenSearch_2.11', 0) });
    assert.equal((await deployProject(dir, { target: 'local', concurrency: 1, yes: false }, () => {})).ok, true);
    // 100 topics added: 101 changes, more than one page of DescribeChangeSet (100).
    writeFileSync(join(dir, 'app.yaml'), domain('OpenSearch_2.13', 100));
    const plan = await changes(dir);
    const all = plan.map(rowText);
    assert.equal(all.length, 101);
    assert.deepEqual(
      all.filter((row) => !row.startsWith('Topic')),
      ['Search Modify (replace: Conditional) [EngineVersion] at risk'],
    );
    // The resources added beside it do not hide what changes in the modified one.
    assert.deepEqual(plan.find((c) => c.logicalId === 'Search')?.properties, [
      { path: 'EngineVersion', before: 'OpenSearch_2.11', after: 'OpenSearch_2.13' },
      { path: 'Tags[0].Value', before: 'OpenSearch_2.11', after: 'OpenSearch_2.13' },
    ]);
  });

  it('counts a removal as data at risk when the deployed template, and so its policy, cannot be read', async () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml, name: shop-app }\nenvironments:\n  dev: {}\n', 'app.yaml': `Resources:\n${table('Orders', 'id', { deletion: 'Retain' })}${topic('alerts')}` });
    assert.equal((await deployProject(dir, { target: 'local', concurrency: 1, yes: false }, () => {})).ok, true);
    const local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
    const cfn = new CloudFormationClient(local.clientConfig());
    try {
      const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName: 'shop-app', ChangeSetName: 'drop', TemplateBody: `Resources:\n${topic('alerts')}` }));
      await waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.05 }, { ChangeSetName: Id });
      const read = await previewChangeSet(cfn, Id!, () => undefined);
      assert.deepEqual(read.map((c) => [c.logicalId, c.action, c.dataAtRisk]), [['Orders', 'Remove', false]], 'Retain keeps the table when the policy is known');
      // GetTemplate refused (throttled, or no permission): the Retain is unknown, so the verdict errs on the side of the data.
      cfn.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'GetTemplateCommand') throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
          return next(args);
        },
        { step: 'initialize' },
      );
      const unread = await previewChangeSet(cfn, Id!, () => undefined);
      assert.deepEqual(unread.map((c) => [c.logicalId, c.action, c.dataAtRisk]), [['Orders', 'Remove', true]]);
    } finally {
      cfn.destroy();
      await local.close();
    }
  });
});
