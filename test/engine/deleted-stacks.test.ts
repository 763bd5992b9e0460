import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

const template = JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } } } });

/** A local AWS on a state folder of its own, removed afterwards whatever happens; `use` may close and reopen it. */
async function withState(use: (open: () => Promise<{ local: LocalAws; cfn: CloudFormationClient }>, dataDir: string) => Promise<void>): Promise<void> {
  const root = temporaryFolder('deleted');
  const opened: LocalAws[] = [];
  try {
    await use(async () => {
      const local = await LocalAws.open({ dataDir: join(root, '.stackpilot', 'local') });
      opened.push(local);
      await local.settled();
      return { local, cfn: new CloudFormationClient(local.clientConfig()) };
    }, join(root, '.stackpilot', 'local'));
  } finally {
    for (const local of opened) await local.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function createAndDelete(local: LocalAws, cfn: CloudFormationClient, name: string): Promise<string> {
  const { StackId } = await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template }));
  await local.settled();
  await cfn.send(new DeleteStackCommand({ StackName: name }));
  await local.settled();
  return StackId!;
}

const listed = async (cfn: CloudFormationClient) => ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).map((s) => `${s.StackId} ${s.StackStatus}`);

describe('deleted stacks', () => {
  // DescribeStacks, StackName: "Running stacks: You can specify either the stack's name or its unique stack ID.
  // Deleted stacks: You must specify the unique stack ID."
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
  // ListStacks: "Deleted stacks are listed for 90 days after they've been deleted."
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStacks.html
  it('are described by stack id as DELETE_COMPLETE, with their events, and listed by ListStacks; by name they do not exist; a restart keeps them so', async () => {
    await withState(async (open) => {
      const first = await open();
      const oldId = await createAndDelete(first.local, first.cfn, 'gone');
      const { StackId: newId } = await first.cfn.send(new CreateStackCommand({ StackName: 'gone', TemplateBody: template }));
      await first.local.settled();
      await first.local.close();

      const { local, cfn } = await open();
      const deleted = (await cfn.send(new DescribeStacksCommand({ StackName: oldId }))).Stacks![0];
      assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
      assert.equal(deleted.StackName, 'gone');
      assert.ok(deleted.DeletionTime instanceof Date);
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: oldId }))).StackEvents!.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
      assert.deepEqual(events.slice(0, 2), ['gone DELETE_COMPLETE', 'Flag DELETE_COMPLETE'], 'newest first');
      assert.ok(events.includes('gone CREATE_COMPLETE'), events.join('\n'));

      const byName = (await cfn.send(new DescribeStacksCommand({ StackName: 'gone' }))).Stacks!;
      assert.deepEqual(byName.map((s) => `${s.StackId} ${s.StackStatus}`), [`${newId} CREATE_COMPLETE`], 'by name, only the stack alive under it');
      assert.deepEqual(await listed(cfn), [`${newId} CREATE_COMPLETE`, `${oldId} DELETE_COMPLETE`], 'newest first, the deleted one included');
      const all = (await cfn.send(new DescribeStacksCommand({}))).Stacks!;
      assert.deepEqual(all.map((s) => s.StackId), [newId], 'DescribeStacks without a name shows the stacks alive');

      await cfn.send(new DeleteStackCommand({ StackName: 'gone' }));
      await local.settled();
      await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'gone' })), (error: Error) => {
        assert.equal(error.name, 'ValidationError');
        assert.equal(error.message, 'Stack with id gone does not exist');
        return true;
      });
    });
  });

  it('are forgotten 90 days after their deletion, files and all', async () => {
    await withState(async (open, dataDir) => {
      const first = await open();
      const oldId = await createAndDelete(first.local, first.cfn, 'expiring');
      await first.local.close();
      const folder = join(dataDir, 'cloudformation', 'us-east-1', 'stacks', 'deleted');
      const files = () => readdirSync(folder).filter((f) => f.startsWith('expiring-'));
      assert.equal(files().length, 2, 'its record and its events');

      const later = await open();
      assert.deepEqual(await listed(later.cfn), [`${oldId} DELETE_COMPLETE`], '89 days and less: still listed');
      await later.local.close();

      mock.timers.enable({ apis: ['Date'], now: Date.now() + 91 * 24 * 60 * 60 * 1000 });
      try {
        const { cfn } = await open();
        assert.deepEqual(await listed(cfn), []);
        await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: oldId })), /does not exist/);
        assert.deepEqual(files(), []);
        assert.ok(existsSync(folder));
      } finally {
        mock.timers.reset();
      }
    });
  });
});
