import { CloudFormationClient, CreateStackCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deleteProject, type DeleteOptions } from '../../src/deploy/delete.ts';
import { deployProject } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { copyExample, writeProject } from '../helpers.ts';

async function remove(dir: string, options: Partial<DeleteOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deleteProject(dir, { env: 'development', target: 'local', concurrency: 4, yes: true, emptyBuckets: false, ...options }, (e) => events.push(e));
  return { report, events };
}

async function liveStacks(dir: string): Promise<string[]> {
  const local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
  const cfn = new CloudFormationClient(local.clientConfig());
  try {
    return ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName!);
  } finally {
    cfn.destroy();
    await local.close();
  }
}

describe('stackpilot delete on the local engine', () => {
  it('removes the concert platform completely, dependents first', async () => {
    const dir = copyExample('concert-platform');
    assert.equal((await deployProject(dir, { env: 'development', target: 'local', concurrency: 4, yes: false }, () => {})).ok, true);
    const { report, events } = await remove(dir);
    assert.equal(report.ok, true);
    const finished = events.flatMap((e) => (e.code === 'stack-done' ? [e.stack] : []));
    assert.deepEqual(finished.slice(3), ['compute', 'storage', 'networking']);
    assert.deepEqual(finished.slice(0, 3).sort(), ['chatbot', 'monitoring', 'tracing']);
    assert.deepEqual(await liveStacks(dir), []);
  });

  it('asks for the project name, and refuses without it', async () => {
    const dir = copyExample('concert-platform');
    await deployProject(dir, { env: 'development', target: 'local', concurrency: 4, yes: false }, () => {});
    assert.match((await remove(dir, { yes: false })).report.refused!, /confirmation needed/);
    assert.match((await remove(dir, { yes: false, askForName: async () => 'concert' })).report.refused!, /expected "concert-platform"/);
    assert.equal((await liveStacks(dir)).length, 6, 'nothing was deleted');
    assert.equal((await remove(dir, { yes: false, askForName: async () => 'concert-platform' })).report.ok, true);
  });

  it('finds an export still imported outside the project before deleting anything', async () => {
    const dir = copyExample('concert-platform');
    await deployProject(dir, { env: 'development', target: 'local', concurrency: 4, yes: false }, () => {});
    const local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
    const cfn = new CloudFormationClient(local.clientConfig());
    const outsider = { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::ImportValue': 'concert-platform-networking-development-VpcId' } } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'outsider', TemplateBody: JSON.stringify(outsider) }));
    await local.settled();
    cfn.destroy();
    await local.close();

    const { report } = await remove(dir);
    assert.equal(report.ok, false);
    assert.match(report.refused!, /export concert-platform-networking-development-VpcId is imported by outsider/);
    assert.equal((await liveStacks(dir)).length, 7, 'nothing was deleted');
  });

  it('lists what a DeletionPolicy keeps', async () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: keep\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n',
      'data.yaml': "Resources:\n  Archive:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n  Scratch:\n    Type: AWS::SNS::Topic\n",
    });
    await deployProject(dir, { target: 'local', concurrency: 1, yes: false }, () => {});
    const report = await deleteProject(dir, { target: 'local', concurrency: 1, yes: true, emptyBuckets: false }, () => {});
    assert.equal(report.ok, true);
    assert.equal(report.retained.length, 1);
    assert.match(report.retained[0], /^keep-dev-data\/Archive \(AWS::S3::Bucket\) keep-dev-data-archive-/);
  });
});
