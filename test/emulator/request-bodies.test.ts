import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { serveLocalAws, type LocalAwsServer } from '../../src/emulator/http-server.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { MAX_BUFFERED_BODY_BYTES } from '../../src/emulator/request-body.ts';
import { decodeAwsChunked } from '../../src/emulator/s3/aws-chunked.ts';
import { writeProject } from '../helpers.ts';
import { rawRequest, sigV4Authorization, type RawReply } from './raw-http.ts';

const MAX_OBJECT_BYTES = 1024 * 1024;

/** Sends headers that announce a body, waits for `100 Continue` before sending it: what the SDKs do for large uploads. */
function requestExpectingContinue(port: number, options: { path: string; method: string; headers: Record<string, string>; body: Buffer }): Promise<RawReply & { sentBody: boolean }> {
  return new Promise((resolve, reject) => {
    let sentBody = false;
    const req = httpRequest({ host: '127.0.0.1', port, path: options.path, method: options.method, headers: { host: `127.0.0.1:${port}`, expect: '100-continue', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), sentBody }));
    });
    req.on('continue', () => {
      sentBody = true;
      req.end(options.body);
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** aws-chunked framing of `payload`, in chunks of `size` bytes, as SDKs send streamed uploads. */
function awsChunked(payload: Buffer, size: number): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < payload.length; at += size) {
    const chunk = payload.subarray(at, at + size);
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${'0'.repeat(64)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'));
  return Buffer.concat(parts);
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('request bodies', () => {
  let local: LocalAws;
  let server: LocalAwsServer;
  let s3: S3Client;
  let dataDir: string;

  /** What the bucket's folder holds besides its objects: upload leftovers would show here. */
  const leftovers = () => readdirSync(join(dataDir, 's3', 'bodies')).filter((name) => name !== 'bucket.json' && name !== 'objects');

  before(async () => {
    dataDir = join(writeProject({}), 'state');
    local = await LocalAws.open({ dataDir, maxObjectBytes: MAX_OBJECT_BYTES });
    server = await serveLocalAws(local, { port: 0 });
    s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'bodies' }));
  });
  after(async () => {
    s3.destroy();
    await server.close();
    await local.close();
  });

  it('streams an upload to disk as it arrives, aws-chunked or not, and sends it back as it reads it', async () => {
    const payload = Buffer.alloc(MAX_OBJECT_BYTES, 'stackpilot/');
    const md5 = createHash('md5').update(payload).digest('hex');
    // A stream of unknown length: the SDK sends it aws-chunked, with its checksum as a trailer.
    await s3.send(new PutObjectCommand({ Bucket: 'bodies', Key: 'streamed.bin', Body: Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]), ContentLength: payload.length }));
    await s3.send(new PutObjectCommand({ Bucket: 'bodies', Key: 'whole.bin', Body: payload }));
    for (const Key of ['streamed.bin', 'whole.bin']) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'bodies', Key }));
      assert.equal(got.ETag, `"${md5}"`, Key);
      assert.equal(createHash('md5').update(await got.Body!.transformToByteArray()).digest('hex'), md5, Key);
    }
    assert.deepEqual(leftovers(), []);
    // Sent as read from disk, whole or in part.
    const ranged = await s3.send(new GetObjectCommand({ Bucket: 'bodies', Key: 'streamed.bin', Range: 'bytes=1000-1010' }));
    assert.equal(ranged.ContentRange, `bytes 1000-1010/${MAX_OBJECT_BYTES}`);
    assert.equal(await ranged.Body?.transformToString(), payload.toString('latin1', 1000, 1011));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'bodies', Key: 'streamed.bin' }))).ContentLength, MAX_OBJECT_BYTES);
  });

  it('refuses an upload declared beyond the largest object before its body is sent (EntityTooLarge)', { timeout: 60_000 }, async () => {
    const reply = await requestExpectingContinue(server.port, {
      path: '/bodies/huge.bin',
      method: 'PUT',
      headers: { ...sigV4Authorization('s3'), 'content-length': String(6 * 1024 ** 3), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: Buffer.alloc(0),
    });
    assert.equal(reply.status, 400);
    assert.match(reply.body, /<Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message><ProposedSize>6442450944<\/ProposedSize><MaxSizeAllowed>1048576<\/MaxSizeAllowed>/);
    assert.equal(reply.sentBody, false);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'bodies', Key: 'huge.bin' })), { name: 'NotFound' });
  });

  it('refuses an upload that grows beyond the largest object without saying its size, and keeps nothing of it', async () => {
    const tooLarge = Buffer.alloc(MAX_OBJECT_BYTES + 1, 'x');
    for (const [headers, body] of [
      [{ 'transfer-encoding': 'chunked' }, tooLarge],
      [{ 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'transfer-encoding': 'chunked' }, awsChunked(tooLarge, 65536)],
    ] as const) {
      const reply = await rawRequest(server.port, { path: '/bodies/grown.bin', method: 'PUT', headers: { ...sigV4Authorization('s3'), ...headers }, body });
      assert.equal(reply.status, 400, reply.body);
      assert.match(reply.body, /<Code>EntityTooLarge<\/Code>/);
    }
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'bodies', Key: 'grown.bin' })), { name: 'NotFound' });
    assert.deepEqual(leftovers(), []);
    // The connection and the server carry on.
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'bodies', Key: 'whole.bin' }))).ContentLength, MAX_OBJECT_BYTES);
  });

  it('keeps nothing of an upload whose Content-MD5 does not match what came (BadDigest)', async () => {
    const reply = await rawRequest(server.port, {
      path: '/bodies/digest.txt',
      method: 'PUT',
      headers: { ...sigV4Authorization('s3'), 'content-md5': createHash('md5').update('something else').digest('base64') },
      body: 'the body',
    });
    assert.equal(reply.status, 400);
    assert.match(reply.body, /<Code>BadDigest<\/Code>/);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'bodies', Key: 'digest.txt' })), { name: 'NotFound' });
    assert.deepEqual(leftovers(), []);
  });

  it('refuses other bodies beyond 16 MiB, in each protocol\'s words, declared or not', { timeout: 60_000 }, async () => {
    const declared = await requestExpectingContinue(server.port, {
      path: '/',
      method: 'POST',
      headers: { ...sigV4Authorization('dynamodb'), 'x-amz-target': 'DynamoDB_20120810.BatchWriteItem', 'content-type': 'application/x-amz-json-1.0', 'content-length': String(MAX_BUFFERED_BODY_BYTES + 1) },
      body: Buffer.alloc(0),
    });
    assert.equal(declared.status, 413);
    assert.equal(declared.headers['x-amzn-errortype'], 'RequestEntityTooLarge');
    assert.equal(declared.sentBody, false);

    const oversized = Buffer.alloc(MAX_BUFFERED_BODY_BYTES + 1, ' ');
    const grown = await rawRequest(server.port, {
      path: '/',
      method: 'POST',
      headers: { ...sigV4Authorization('ssm'), 'x-amz-target': 'AmazonSSM.PutParameter', 'content-type': 'application/x-amz-json-1.1', 'transfer-encoding': 'chunked' },
      body: oversized,
    });
    assert.equal(grown.status, 413);
    assert.equal(grown.headers['x-amzn-errortype'], 'RequestEntityTooLarge');

    const document = await rawRequest(server.port, { path: '/bodies/whole.bin?tagging', method: 'PUT', headers: { ...sigV4Authorization('s3'), 'transfer-encoding': 'chunked' }, body: oversized });
    assert.equal(document.status, 400);
    assert.match(document.body, /<Code>MaxMessageLengthExceeded<\/Code>/);
  });
});

describe('aws-chunked decoding', () => {
  it('decodes a body however its reads are cut, trailers left out', async () => {
    const payload = Buffer.from('the payload of a streamed upload, in chunks of seven bytes');
    const framed = awsChunked(payload, 7);
    for (const readSize of [1, 2, 3, 5, 64, framed.length]) {
      const reads: Buffer[] = [];
      for (let at = 0; at < framed.length; at += readSize) reads.push(framed.subarray(at, at + readSize));
      assert.deepEqual(await collect(decodeAwsChunked(reads)), payload, `reads of ${readSize} bytes`);
    }
  });

  it('refuses framing that is not aws-chunked (IncompleteBody)', async () => {
    const payload = Buffer.from('abc');
    const broken = [
      Buffer.from('3\r\nabc\r\n'), // no final chunk
      Buffer.from('3\r\nabcX\r\n0\r\n\r\n'), // data longer than its size
      Buffer.from('zz\r\nabc\r\n0\r\n\r\n'), // a size that is not hex
      Buffer.concat([Buffer.from('3;'), Buffer.alloc(10_000, 'a'), Buffer.from('\r\nabc\r\n0\r\n\r\n')]), // a size line without end
    ];
    for (const body of broken) await assert.rejects(collect(decodeAwsChunked([body])), { code: 'IncompleteBody' }, body.toString('latin1', 0, 20));
    assert.deepEqual(await collect(decodeAwsChunked([awsChunked(payload, 2)])), payload);
  });
});
