import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { StackpilotError } from '../../src/errors.ts';
import { deploy, eventLines, openEngine, outputsOf, physicalIds, stackOf, statusOf, tempDir, update } from './engine-harness.ts';

describe('persistence', () => {
  it('a new engine on the same state folder sees the stacks and can carry on with them', async () => {
    const stateDir = tempDir();
    const first = await openEngine({ stateDir });
    const template = { Parameters: { Secret: { Type: 'String', NoEcho: true } }, Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'v1' } } }, Outputs: { Arn: { Value: { Ref: 'Topic' }, Export: { Name: 'kept-topic' } } } };
    assert.equal(await deploy(first.engine, 'kept', template, { Parameters: [{ ParameterKey: 'Secret', ParameterValue: 'p4ss' }] }), 'CREATE_COMPLETE');
    const ids = await physicalIds(first.engine, 'kept');
    const events = await eventLines(first.engine, 'kept');
    await first.close();

    const second = await openEngine({ stateDir });
    assert.equal(await statusOf(second.engine, 'kept'), 'CREATE_COMPLETE');
    assert.deepEqual(await physicalIds(second.engine, 'kept'), ids);
    assert.deepEqual(await eventLines(second.engine, 'kept'), events);
    assert.equal((await outputsOf(second.engine, 'kept')).Arn, ids.Topic);
    assert.equal((await stackOf(second.engine, 'kept')).Parameters![0].ParameterValue, '****');
    assert.equal((await second.engine.listExports({})).Exports!.length, 1);
    const v2 = structuredClone(template);
    v2.Resources.Topic.Properties.DisplayName = 'v2';
    assert.equal(await update(second.engine, 'kept', v2, { Parameters: [{ ParameterKey: 'Secret', UsePreviousValue: true }] }), 'UPDATE_COMPLETE', 'previous NoEcho values survive the restart');
    await second.close();
  });

  it('writes each stack apart, readable by its owner only, its events appended; a torn last event line is left out', async () => {
    const stateDir = tempDir();
    const first = await openEngine({ stateDir });
    assert.equal(await deploy(first.engine, 'one', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }), 'CREATE_COMPLETE');
    const events = await eventLines(first.engine, 'one');
    await first.close();

    const folder = join(stateDir, 'stacks');
    const [record] = readdirSync(folder).filter((f) => f.endsWith('.json'));
    assert.match(record, /^one-[0-9a-f-]+\.json$/);
    assert.equal(statSync(join(folder, record)).mode & 0o777, 0o600, 'NoEcho values live in these files');
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    appendFileSync(join(folder, record.replace(/\.json$/, '.events.jsonl')), '{"eventId":"torn by a kill');

    const second = await openEngine({ stateDir });
    assert.deepEqual(await eventLines(second.engine, 'one'), events);
    await second.close();
  });

  it('names a damaged stack file and the ways out, rather than crash', async () => {
    const dataDir = join(tempDir(), '.stackpilot', 'local');
    const first = await LocalAws.open({ dataDir });
    await new CloudFormationClient(first.clientConfig()).send(new CreateStackCommand({ StackName: 'two', TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }) }));
    await first.settled();
    await first.close();
    const folder = join(dataDir, 'cloudformation', 'us-east-1', 'stacks');
    const record = join(folder, readdirSync(folder).find((f) => f.endsWith('.json'))!);
    writeFileSync(record, readFileSync(record, 'utf8').slice(0, 40));
    await assert.rejects(LocalAws.open({ dataDir }), (error: unknown) => {
      assert.ok(error instanceof StackpilotError);
      assert.equal(error.code, 'LocalStateDamaged');
      assert.ok(error.message.includes(record), error.message);
      assert.match(error.message, /is not valid JSON/);
      assert.match(error.hint ?? '', /remove .*two-.*\.json \(losing this stack/);
      assert.match(error.hint ?? '', /stackpilot local reset/);
      return true;
    });
  });

  it('reads the single state file of earlier versions and carries on in the new layout', async () => {
    const stateDir = tempDir();
    const first = await openEngine({ stateDir });
    await deploy(first.engine, 'old', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
    const ids = await physicalIds(first.engine, 'old');
    await first.close();
    // What an earlier version wrote: every stack, events inside, in one file.
    const folder = join(stateDir, 'stacks');
    const file = readdirSync(folder).find((f) => f.endsWith('.json'))!;
    const stack = { ...JSON.parse(readFileSync(join(folder, file), 'utf8')), events: readFileSync(join(folder, file.replace(/\.json$/, '.events.jsonl')), 'utf8').trim().split('\n').map((l) => JSON.parse(l)) };
    rmSync(folder, { recursive: true });
    writeFileSync(join(stateDir, 'cloudformation-state.json'), JSON.stringify({ version: 1, stacks: [stack], changeSets: [] }));

    const second = await openEngine({ stateDir });
    assert.equal(await statusOf(second.engine, 'old'), 'CREATE_COMPLETE');
    assert.deepEqual(await physicalIds(second.engine, 'old'), ids);
    assert.ok(existsSync(folder) && !existsSync(join(stateDir, 'cloudformation-state.json')));
    await second.close();
  });
});
