import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudFormationClient, DescribeStacksCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { fixture, temporaryFolder } from '../helpers.ts';

const CRASH_AT = fixture('crash', 'crash-at.ts');
const TSX = import.meta.resolve('tsx');
const COUNT = 200;

const parameters = (version: string) => ({
  Resources: Object.fromEntries(Array.from({ length: COUNT }, (_, i) => [`P${i}`, { Type: 'AWS::SSM::Parameter', Properties: { Name: `/many/p${i}`, Type: 'String', Value: `${version}-${i}` } }])),
});

describe('the stack change log', () => {
  it('after a kill in the middle of a large update, the changes written since the last snapshot bring the stack back, and the update rolls back', async () => {
    const root = temporaryFolder('change-log');
    const dataDir = join(root, '.stackpilot', 'local');
    let local: LocalAws | undefined;
    try {
      const steps = [
        { call: 'CreateStack', input: { StackName: 'many', TemplateBody: JSON.stringify(parameters('v1')) } },
        { call: 'UpdateStack', input: { StackName: 'many', TemplateBody: JSON.stringify(parameters('v2')) } },
      ];
      // Killed once the 151st value of the update is in SSM: most resources are updated, their records only in the change log or a compacted snapshot.
      const run = spawnSync(process.execPath, ['--import', TSX, CRASH_AT, JSON.stringify({ dataDir, steps, killAfter: { command: 'PutParameterCommand', match: '"v2-150"' } })], { encoding: 'utf8' });
      assert.equal(run.signal, 'SIGKILL', run.stderr);
      const stacks = join(dataDir, 'cloudformation', 'us-east-1', 'stacks');
      assert.ok(readdirSync(stacks).some((f) => f.endsWith('.changes.jsonl')), 'the kill came while changes were being logged');

      local = await LocalAws.open({ dataDir });
      await local.settled();
      const cfn = new CloudFormationClient(local.clientConfig());
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'many' }))).Stacks![0];
      assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      let resources = 0;
      for await (const page of paginateListStackResources({ client: cfn }, { StackName: 'many' })) resources += page.StackResourceSummaries?.length ?? 0;
      assert.equal(resources, COUNT);
      const values: string[] = [];
      for (let i = 0; i < COUNT; i++) values.push((await local.clients.ssm.send(new GetParameterCommand({ Name: `/many/p${i}` }))).Parameter!.Value!);
      assert.deepEqual(values, Array.from({ length: COUNT }, (_, i) => `v1-${i}`), 'every value the update had changed is put back');
    } finally {
      await local?.close();
    }
  });
});
