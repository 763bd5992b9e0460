import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { describeLocalState, resetLocalState } from '../../src/emulator/reset.ts';
import { LOCK_FILE } from '../../src/emulator/state-lock.ts';
import { SECRETS_KEY_FILE } from '../../src/emulator/state-secrets.ts';
import { writeProject } from '../helpers.ts';
import { BUCKET, projectWithLocalState } from './local-state.ts';

const ALL_PARTS = ['CloudFormation: us-east-1', 'S3: 1 bucket', 'DynamoDB: us-east-1', 'SSM: us-east-1', 'Secrets Manager: us-east-1'];

describe('resetLocalState', () => {
  it('deletes the local state folder once confirmed, saying what it held', async () => {
    const { dataDir } = await projectWithLocalState();
    assert.ok(existsSync(join(dataDir, SECRETS_KEY_FILE)), 'the state has the key of its secret values');
    let asked: string[] = [];
    const outcome = await resetLocalState(dataDir, { confirm: async (contents) => ((asked = contents), true) });
    assert.deepEqual(outcome, { kind: 'removed', dataDir, contents: ALL_PARTS });
    assert.deepEqual(asked, ALL_PARTS);
    assert.ok(!existsSync(dataDir));
    const fresh = await LocalAws.open({ dataDir });
    await fresh.close();
  });

  it('deletes nothing without a confirmation, or when it is declined', async () => {
    const { dataDir } = await projectWithLocalState();
    assert.deepEqual(await resetLocalState(dataDir), { kind: 'unconfirmed', dataDir, contents: ALL_PARTS });
    assert.deepEqual(await resetLocalState(dataDir, { confirm: async () => false }), { kind: 'declined', dataDir, contents: ALL_PARTS });
    assert.deepEqual(describeLocalState(dataDir), ALL_PARTS);
    assert.ok(!existsSync(join(dataDir, LOCK_FILE)), 'the lock is released');
  });

  it('deletes the key of the secret values, and its drafts, even when they are all that is left', async () => {
    const project = writeProject({ '.stackpilot/local/secrets.key': 'key\n', [`.stackpilot/local/secrets.key.${process.pid}.1.tmp`]: 'draft' });
    const dataDir = join(project, '.stackpilot', 'local');
    assert.deepEqual(await resetLocalState(dataDir, { confirm: async () => true }), { kind: 'removed', dataDir, contents: [] });
    assert.ok(!existsSync(dataDir));
  });

  it('says there is nothing to delete when there is no local state', async () => {
    const project = writeProject({});
    const dataDir = join(project, '.stackpilot', 'local');
    assert.deepEqual(await resetLocalState(dataDir, { confirm: async () => assert.fail('nothing to confirm') }), { kind: 'absent', dataDir });
    mkdirSync(dataDir, { recursive: true });
    assert.deepEqual(await resetLocalState(dataDir, { confirm: async () => assert.fail('nothing to confirm') }), { kind: 'absent', dataDir });
  });

  it('is refused while a LocalAws of this process has the state open', async () => {
    const { dataDir } = await projectWithLocalState();
    const local = await LocalAws.open({ dataDir });
    try {
      await assert.rejects(resetLocalState(dataDir, { confirm: async () => true }), { code: 'LocalStateLocked', message: new RegExp(`in use by process ${process.pid}\\b`) });
    } finally {
      await local.close();
    }
    assert.deepEqual(describeLocalState(dataDir), ALL_PARTS);
  });

  it('deletes damaged state, a folder in place of the lock included', async () => {
    const { dataDir } = await projectWithLocalState();
    writeFileSync(join(dataDir, 's3', BUCKET, 'bucket.json'), '{"trunc');
    writeFileSync(join(dataDir, 'dynamodb', 'us-east-1', 'tables', 'CURRENT'), 'garbage');
    mkdirSync(join(dataDir, LOCK_FILE));
    await assert.rejects(LocalAws.open({ dataDir }), { code: 'LocalStateDamaged' });
    assert.equal((await resetLocalState(dataDir, { confirm: async () => true })).kind, 'removed');
    assert.ok(!existsSync(dataDir));
  });

  it('refuses a folder that holds anything but local state', async () => {
    const { dataDir } = await projectWithLocalState();
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    await assert.rejects(resetLocalState(dataDir, { confirm: async () => true }), { code: 'NotLocalState', message: `${dataDir} holds notes.txt, which is not local state: nothing was removed` });
    assert.deepEqual(describeLocalState(dataDir), ALL_PARTS);
    const file = join(writeProject({ 'state.json': '{}' }), 'state.json');
    await assert.rejects(resetLocalState(file, { confirm: async () => true }), { code: 'NotLocalState', message: `${file} is not a folder: nothing was removed` });
  });
});
