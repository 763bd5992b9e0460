import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { REPO } from './measure.ts';

const UPLOADS = 5;
const UPLOAD_BYTES = 200 * 1024 * 1024;

/** A body of `size` bytes made as it is read, so that the client holds none of it. */
function generatedBody(size: number): Readable {
  const block = Buffer.alloc(1024 * 1024, 'stackpilot ');
  let sent = 0;
  return new Readable({
    read() {
      const length = Math.min(block.length, size - sent);
      sent += length;
      this.push(length > 0 ? block.subarray(0, length) : null);
    },
  });
}

/** The bytes of a body read to its end and dropped. */
async function drainedSize(body: AsyncIterable<Uint8Array>): Promise<number> {
  let size = 0;
  for await (const chunk of body) size += chunk.length;
  return size;
}

/**
 * Peak resident memory of `stackpilot local serve` (the built CLI) while it receives five
 * 200 MB S3 PUTs at once, then sends the five objects back at once, from the SDK over HTTP.
 * Run alone: `npx tsx bench/serve-uploads.bench.ts`.
 */
export async function benchServeUploads(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackpilot-bench-uploads-'));
  const server = spawn(process.execPath, ['--import', join(REPO, 'bench', 'report-rss.mjs'), join(REPO, 'bin', 'stackpilot.js'), 'local', 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      server.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]);
      });
      server.once('exit', () => reject(new Error(`local serve stopped: ${stderr}`)));
    });
    const s3 = new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    const start = performance.now();
    await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: `object-${i}`, Body: generatedBody(UPLOAD_BYTES), ContentLength: UPLOAD_BYTES }))),
    );
    const seconds = (performance.now() - start) / 1000;
    const downloaded = await Promise.all(
      Array.from({ length: UPLOADS }, async (_, i) => drainedSize((await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: `object-${i}` }))).Body as AsyncIterable<Uint8Array>)),
    );
    if (downloaded.some((size) => size !== UPLOAD_BYTES)) throw new Error(`objects came back with ${downloaded.join(', ')} bytes`);
    s3.destroy();
    server.kill('SIGINT');
    await exited;
    const rss = /bench-peak-rss-kb (\d+)/.exec(stderr);
    console.log(`local serve: ${UPLOADS} parallel S3 PUTs of ${UPLOAD_BYTES / 1024 / 1024} MB over HTTP, then as many GETs`);
    console.log(`  peak RSS of the server  ${rss ? (Number(rss[1]) / 1024).toFixed(0) : '?'} MB   (the PUTs took ${seconds.toFixed(1)} s)`);
  } finally {
    if (server.exitCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchServeUploads();
