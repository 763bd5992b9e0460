import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from './bucket-data.ts';
import { canonicalItemDigest } from './checksum.ts';
import { forEachConcurrently } from './concurrency.ts';

/**
 * A table backup's items as JSON Lines objects in the artifacts bucket, beside DynamoDB's own
 * backup. DynamoDB can restore a backup only into a new table; putting the items back into the
 * table a stack owns takes the items themselves, read here instead of from a staging table
 * restored for the purpose (which costs a whole second copy of the table).
 */

/** A part is written once its lines reach this size: memory stays bounded whatever the table's size. */
const PART_BYTES = 8 * 1024 * 1024;
const READ_CONCURRENCY = 4;

/** Collects scanned items per scan segment and writes them in parts of about 8 MB. */
export class ItemExportWriter {
  private readonly pending = new Map<number, { lines: string[]; bytes: number; parts: number }>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  /** Adds items of a segment, each as one line of JSON. */
  async add(segment: number, lines: string[]): Promise<void> {
    let part = this.pending.get(segment);
    if (!part) this.pending.set(segment, (part = { lines: [], bytes: 0, parts: 0 }));
    for (const line of lines) {
      part.lines.push(line);
      part.bytes += line.length + 1;
    }
    if (part.bytes >= PART_BYTES) await this.writePart(segment);
  }

  /** Writes what remains of every segment. */
  async finish(): Promise<void> {
    for (const segment of this.pending.keys()) await this.writePart(segment);
  }

  private async writePart(segment: number): Promise<void> {
    const part = this.pending.get(segment)!;
    if (part.lines.length === 0) return;
    const body = `${part.lines.join('\n')}\n`;
    const key = `${this.prefix}part-${String(segment).padStart(3, '0')}-${String(part.parts++).padStart(5, '0')}.jsonl`;
    part.lines = [];
    part.bytes = 0;
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
  }
}

export interface ExportedItems {
  /** One item's JSON each, as exported. */
  lines: string[];
  /** Each line's hash as it was read: a checksum of them equals the backup's only if every line is the canonical JSON of its item, unchanged. */
  digests: string[];
}

/** The exported items of a backup, as lines of JSON not yet parsed (a restore parses them batch by batch). */
export async function readItemExport(s3: S3Client, bucket: string, prefix: string): Promise<ExportedItems> {
  const parts = await listObjects(s3, bucket, prefix);
  const exported: ExportedItems = { lines: [], digests: [] };
  await forEachConcurrently(
    parts,
    async ({ key }) => {
      const text = (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString('utf8')) ?? '';
      for (const line of text.split('\n')) {
        if (line === '') continue;
        exported.lines.push(line);
        exported.digests.push(canonicalItemDigest(line));
      }
    },
    READ_CONCURRENCY,
  );
  return exported;
}
