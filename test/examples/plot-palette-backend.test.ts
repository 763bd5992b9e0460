import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JobConfig, JobExistsError, createPresignedUrl, generateJobId, getJob, listJobsForUser, putNewJob, validateModel } from '../../examples/plot-palette/backend/shared/index.ts';
import { deployProject } from '../../src/deploy/deploy.ts';
import { serveLocalAws, type LocalAwsServer } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { copyExample } from '../helpers.ts';

/** A job of `user` created at `createdAt`, as the jobs API would write it. */
function newJob(user: string, createdAt: string): JobConfig {
  return validateModel(JobConfig, { job_id: generateJobId(), user_id: user, status: 'QUEUED', created_at: createdAt, updated_at: createdAt, config: { template_id: 'tpl-1', num_records: 100, output_format: 'JSONL' }, budget_limit: 10 });
}

// Seed 003's checks of the database and storage stacks, made with the backend's own code
// against Plot Palette as `stackpilot deploy` leaves it on the local engine.
describe('the Plot Palette backend library against the deployed example', () => {
  let local: LocalAws;
  let server: LocalAwsServer;
  let outputs: Record<string, string>;

  before(async () => {
    const dir = copyExample('plot-palette');
    const report = await deployProject(dir, { target: 'local', env: 'development', concurrency: 4, yes: false }, () => {});
    assert.equal(report.ok, true, 'plot-palette deploys');
    outputs = JSON.parse(readFileSync(report.outputsFiles![0], 'utf8')).master;
    local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
    server = await serveLocalAws(local, { port: 0 });
  });
  after(async () => {
    await server.close();
    await local.close();
  });

  it('writes JobConfigs to the Jobs table and reads a user\'s jobs back through user-id-index by created_at', async () => {
    const dynamodb = new DynamoDBClient(local.clientConfig());
    const table = outputs.JobsTableName;
    assert.equal(table, 'plot-palette-jobs-development');
    // Written out of order, plus a job of another user. The second was created at 23:00 UTC,
    // before the third, though its text as given ("2025-11-20T01:00+02:00") sorts after it.
    const jobs = [newJob('user-456', '2025-11-19T10:00:00Z'), newJob('user-456', '2025-11-20T01:00:00+02:00'), newJob('user-456', '2025-11-19T23:30:00Z'), newJob('user-789', '2025-11-19T11:00:00Z')];
    for (const job of [jobs[2], jobs[0], jobs[3], jobs[1]]) await putNewJob(dynamodb, table, job);

    assert.deepEqual(await listJobsForUser(dynamodb, table, 'user-456'), [jobs[2], jobs[1], jobs[0]], 'newest first');
    assert.deepEqual(await listJobsForUser(dynamodb, table, 'user-456', { oldestFirst: true }), [jobs[0], jobs[1], jobs[2]]);
    assert.deepEqual(await listJobsForUser(dynamodb, table, 'user-456', { limit: 2 }), [jobs[2], jobs[1]]);
    assert.deepEqual(await listJobsForUser(dynamodb, table, 'user-789'), [jobs[3]]);
    assert.deepEqual(await getJob(dynamodb, table, jobs[0].job_id), jobs[0]);
    assert.equal(await getJob(dynamodb, table, 'no-such-job'), undefined);

    await assert.rejects(putNewJob(dynamodb, table, { ...jobs[0], status: 'RUNNING' }), JobExistsError);
    assert.equal((await getJob(dynamodb, table, jobs[0].job_id))?.status, 'QUEUED', 'an existing job is not overwritten');
    dynamodb.destroy();
  });

  it('hands out presigned links that download from the data bucket', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const bucket = outputs.BucketName;
    const key = 'jobs/job-1/outputs/dataset.jsonl';
    const dataset = '{"author":"Mary Oliver","poem":"Wild Geese"}\n';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: dataset, ContentType: 'application/x-ndjson' }));

    const link = await createPresignedUrl(bucket, key, 300, s3);
    assert.ok(link.startsWith(`${server.url}/${bucket}/`), link);
    const download = await fetch(link);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/x-ndjson');
    assert.equal(await download.text(), dataset);
    assert.equal((await fetch(await createPresignedUrl(bucket, 'jobs/job-1/outputs/missing.csv', 300, s3))).status, 404);
    s3.destroy();
  });
});
