import { S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPresignedUrl, generateJobId, getNestedField, parseEtag } from '../shared/index.ts';

describe('generateJobId', () => {
  it('makes version 4 UUIDs, a new one every time', () => {
    const ids = Array.from({ length: 1000 }, generateJobId);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('getNestedField', () => {
  const record = { author: { name: 'Mary Oliver', biography: 'American poet', works: [{ title: 'Dream Work' }] }, empty: null };

  it('follows dotted paths through objects and arrays', () => {
    assert.equal(getNestedField(record, 'author.biography'), 'American poet');
    assert.deepEqual(getNestedField(record, 'author'), record.author);
    assert.equal(getNestedField(record, 'author.works.0.title'), 'Dream Work');
    assert.equal(getNestedField(record, 'empty'), null);
  });

  it('finds nothing where a step is missing, and never inherited members', () => {
    assert.equal(getNestedField(record, 'author.birthplace'), undefined);
    assert.equal(getNestedField(record, 'author.name.first'), undefined);
    assert.equal(getNestedField(record, 'empty.value'), undefined);
    assert.equal(getNestedField(record, 'constructor.name'), undefined);
    assert.equal(getNestedField(record, 'author.toString'), undefined);
    assert.equal(getNestedField('text', 'length'), undefined);
  });

  it('rejects paths that name no field', () => {
    assert.throws(() => getNestedField(record, ''), /"" is not a field path/);
    assert.throws(() => getNestedField(record, 'author..name'), RangeError);
  });
});

describe('parseEtag', () => {
  it('removes the quotes and the weak prefix, and keeps a multipart part count', () => {
    assert.equal(parseEtag('"9b2cf535f27731c974343645a3985328"'), '9b2cf535f27731c974343645a3985328');
    assert.equal(parseEtag('W/"9b2cf535f27731c974343645a3985328"'), '9b2cf535f27731c974343645a3985328');
    assert.equal(parseEtag('"d41d8cd98f00b204e9800998ecf8427e-3"'), 'd41d8cd98f00b204e9800998ecf8427e-3');
    assert.equal(parseEtag('9b2cf535f27731c974343645a3985328'), '9b2cf535f27731c974343645a3985328');
  });
});

describe('createPresignedUrl', () => {
  const client = new S3Client({ region: 'us-west-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

  it('signs a GET of the object for the time asked', async () => {
    const url = new URL(await createPresignedUrl('plot-palette-data', 'jobs/job-1/outputs/dataset.jsonl', 600, client));
    assert.equal(url.host, 'plot-palette-data.s3.us-west-2.amazonaws.com');
    assert.equal(url.pathname, '/jobs/job-1/outputs/dataset.jsonl');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '600');
    assert.match(url.searchParams.get('X-Amz-Credential') ?? '', /^AKIDEXAMPLE\/\d{8}\/us-west-2\/s3\/aws4_request$/);
    assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
  });

  it('refuses lifetimes SigV4 cannot sign, and a missing bucket or key', async () => {
    await assert.rejects(createPresignedUrl('b', 'k', 0, client), /expiresIn must be a whole number of seconds from 1 to 604800 \(seven days\), got 0/);
    await assert.rejects(createPresignedUrl('b', 'k', 604_801, client), RangeError);
    await assert.rejects(createPresignedUrl('b', 'k', 1.5, client), RangeError);
    await assert.rejects(createPresignedUrl('', 'k', 60, client), /needs both a bucket and a key/);
  });
});
