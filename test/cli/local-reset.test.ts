import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { holdLocalState, killHard, runCli, writeProject } from '../helpers.ts';
import { BUCKET, projectWithLocalState } from '../emulator/local-state.ts';

describe('stackpilot local reset', () => {
  it('deletes the project\'s local state with --yes and says what it held; a damaged state too', async () => {
    const { project, dataDir } = await projectWithLocalState();
    writeFileSync(join(dataDir, 's3', BUCKET, 'bucket.json'), '{}');
    assert.equal(runCli(['status', project]).code, 3, 'the state is damaged');
    const run = runCli(['local', 'reset', project, '--yes']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `deleted the local state in ${dataDir}\n  CloudFormation: us-east-1\n  S3: 1 bucket\n  DynamoDB: us-east-1\n  SSM: us-east-1\n  Secrets Manager: us-east-1\n`);
    assert.ok(!existsSync(dataDir));
    const status = runCli(['status', project]);
    assert.equal(status.code, 1, status.stderr);
    assert.match(status.stdout, /state-dev-app +NOT_DEPLOYED/);
  });

  it('refuses without a terminal and without --yes, and deletes nothing', async () => {
    const { project, dataDir } = await projectWithLocalState();
    const run = runCli(['local', 'reset'], { cwd: project });
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `nothing was deleted: deleting the local state in ${dataDir} needs confirmation: run again on a terminal, or with --yes\n`);
    assert.ok(existsSync(join(dataDir, 's3', BUCKET, 'bucket.json')));
  });

  it('refuses, exit 3, while another process uses the state', async () => {
    const { project, dataDir } = await projectWithLocalState();
    const holder = await holdLocalState(dataDir);
    try {
      const run = runCli(['local', 'reset', project, '--yes']);
      assert.equal(run.code, 3);
      assert.ok(run.stderr.startsWith(`error: The local state in ${dataDir} is in use by process ${holder.pid} `), run.stderr);
      assert.match(run.stderr, new RegExp(`\n {2}Stop process ${holder.pid}`));
    } finally {
      await killHard(holder);
    }
    assert.ok(existsSync(join(dataDir, 's3', BUCKET, 'bucket.json')));
  });

  it('says so when there is no local state, and takes --data-dir', () => {
    const project = writeProject({});
    const dataDir = join(project, 'elsewhere');
    const run = runCli(['local', 'reset', '--data-dir', dataDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `no local state in ${dataDir}: nothing to delete\n`);
  });
});
