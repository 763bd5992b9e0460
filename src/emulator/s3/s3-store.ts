import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, openSync, readFileSync, renameSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { STATE_FILE_MODE, damagedState, isJsonObject, makeStateFolder, readStateJson, removePath, stateSubfolders, temporaryPathFor, writeFileAtomic, writeJsonAtomic } from '../state-files.ts';

export interface BucketRecord {
  name: string;
  region: string;
  creationDate: string;
  versioning?: 'Enabled' | 'Suspended';
  /** Bucket subresource configurations (`lifecycle`, `cors`, `tagging`...) as the XML or JSON documents PUT. */
  configurations: Record<string, string>;
}

/** One version of a key: an object or a delete marker. Bodies live apart, by version id. */
export interface ObjectVersion {
  key: string;
  versionId: string;
  deleteMarker?: boolean;
  etag: string;
  size: number;
  lastModified: string;
  /** Content-Type, Cache-Control... as stored with the object (lower-case names). */
  headers: Record<string, string>;
  /** User metadata (`x-amz-meta-*` without the prefix). */
  metadata: Record<string, string>;
  tags?: { Key: string; Value: string }[];
}

/**
 * An object body received before its version is added: a temporary file in its bucket's folder,
 * moved into place when added (or its bytes, without a data folder).
 */
export type StagedBody = { size: number; file: string } | { size: number; bytes: Buffer };

interface KeyVersionsFile {
  key: string;
  versions: ObjectVersion[];
}

interface BucketState {
  record: BucketRecord;
  /** Versions of each key, oldest first: the last one is the current version. */
  objects: Map<string, ObjectVersion[]>;
}

/**
 * S3's data: bucket records and object versions indexed in memory, and on disk under
 * `<dataDir>/s3/<bucket>/` when there is a data folder (bucket.json, then per key a folder
 * named by the key's hash with versions.json and one body file per version, all written
 * atomically). Without a folder, bodies are kept in memory.
 */
/** Where deleted buckets' folders go, to be removed in the background: no bucket name starts with a dot. */
const DELETED_FOLDER = '.deleted';

export class S3Store {
  private readonly buckets = new Map<string, BucketState>();
  private readonly memoryBodies = new Map<string, Buffer>();
  /** Folders of deleted buckets being removed in the background. */
  private readonly removals = new Set<Promise<void>>();

  constructor(private readonly root: string | undefined) {
    if (root) this.loadFromDisk(root);
  }

  private loadFromDisk(root: string): void {
    // Deleted buckets whose folders were still being removed when the process stopped.
    for (const folder of stateSubfolders(join(root, DELETED_FOLDER))) this.removeInBackground(join(root, DELETED_FOLDER, folder));
    for (const folder of stateSubfolders(root)) {
      if (folder === DELETED_FOLDER) continue;
      const bucketFolder = join(root, folder);
      const record = readStateJson<BucketRecord>(join(bucketFolder, 'bucket.json'), {
        check: (value) => bucketRecordProblem(value, folder),
        repair: { remove: bucketFolder, losing: `bucket ${folder} and its objects` },
      });
      if (!record) continue;
      const objects = new Map<string, ObjectVersion[]>();
      for (const keyFolder of stateSubfolders(join(bucketFolder, 'objects'))) {
        const file = readStateJson<KeyVersionsFile>(join(bucketFolder, 'objects', keyFolder, 'versions.json'), {
          check: (value) => keyVersionsProblem(value, keyFolder),
          repair: { remove: join(bucketFolder, 'objects', keyFolder), losing: `the versions of one key of bucket ${folder}` },
        });
        if (file && file.versions.length > 0) objects.set(file.key, file.versions);
      }
      this.buckets.set(record.name, { record, objects });
    }
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name)?.record;
  }

  createBucket(record: BucketRecord): void {
    this.buckets.set(record.name, { record, objects: new Map() });
    this.saveBucket(record);
  }

  saveBucket(record: BucketRecord): void {
    if (this.root) writeJsonAtomic(join(this.root, record.name, 'bucket.json'), record);
  }

  /**
   * The bucket is gone once its folder has moved aside (one rename); the folder is removed in the
   * background (among hundreds of buckets, removing one can take milliseconds), or at the next
   * open if a kill comes first.
   */
  deleteBucket(name: string): void {
    this.buckets.delete(name);
    if (!this.root) return;
    const aside = join(this.root, DELETED_FOLDER, `${name}.${randomUUID()}`);
    makeStateFolder(join(this.root, DELETED_FOLDER));
    renameSync(join(this.root, name), aside);
    this.removeInBackground(aside);
  }

  private removeInBackground(folder: string): void {
    const removal: Promise<void> = rm(folder, { recursive: true, force: true })
      .catch(() => undefined)
      .finally(() => this.removals.delete(removal));
    this.removals.add(removal);
  }

  /** Resolves once the folders of deleted buckets are removed. */
  async settled(): Promise<void> {
    await Promise.all([...this.removals]);
  }

  hasAnyVersion(bucket: string): boolean {
    return (this.buckets.get(bucket)?.objects.size ?? 0) > 0;
  }

  /** Every key of a bucket, sorted as S3 lists them (by UTF-8 bytes, which is code point order). */
  sortedKeys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.objects.keys() ?? [])].sort(compareKeys);
  }

  versions(bucket: string, key: string): ObjectVersion[] {
    return this.buckets.get(bucket)?.objects.get(key) ?? [];
  }

  /** The current version (which may be a delete marker), or a given one. */
  version(bucket: string, key: string, versionId?: string): ObjectVersion | undefined {
    const versions = this.versions(bucket, key);
    return versionId === undefined ? versions[versions.length - 1] : versions.find((v) => v.versionId === versionId);
  }

  /**
   * Adds a version as the current one. Unversioned and suspended buckets keep a single
   * `null` version per key, which a new write replaces.
   */
  addVersion(bucket: string, version: ObjectVersion, body: Buffer | StagedBody | undefined): void {
    const state = this.requireBucket(bucket);
    const previous = state.objects.get(version.key) ?? [];
    const replaced = previous.filter((v) => v.versionId === version.versionId);
    const versions = [...previous.filter((v) => v.versionId !== version.versionId), version];
    for (const old of replaced) this.removeBody(bucket, old);
    if (body) this.writeBody(bucket, version, body);
    state.objects.set(version.key, versions);
    this.saveKey(bucket, version.key, versions);
  }

  /**
   * Receives a body as it arrives, into a temporary file written once (its bytes never held
   * whole), to be added with `addVersion` or dropped with `discardStaged`. A failure of the
   * chunks (a body too large, a client gone) leaves no file behind.
   */
  async stageBody(bucket: string, chunks: AsyncIterable<Buffer>): Promise<StagedBody> {
    if (!this.root) {
      const parts: Buffer[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      const bytes = Buffer.concat(parts);
      return { size: bytes.length, bytes };
    }
    const folder = join(this.root, bucket);
    makeStateFolder(folder);
    // Owner-only, as all the local state; a file beside the bucket's folders is not state, and is ignored on loading.
    const file = temporaryPathFor(join(folder, 'upload'));
    const handle = await open(file, 'wx', STATE_FILE_MODE);
    let size = 0;
    try {
      for await (const chunk of chunks) {
        await handle.write(chunk);
        size += chunk.length;
      }
    } catch (error) {
      await handle.close();
      removePath(file);
      throw error;
    }
    await handle.close();
    return { size, file };
  }

  discardStaged(body: StagedBody): void {
    if ('file' in body) removePath(body.file);
  }

  updateVersion(bucket: string, version: ObjectVersion): void {
    this.saveKey(bucket, version.key, this.versions(bucket, version.key));
  }

  removeVersion(bucket: string, key: string, versionId: string): ObjectVersion | undefined {
    const state = this.requireBucket(bucket);
    const versions = state.objects.get(key) ?? [];
    const removed = versions.find((v) => v.versionId === versionId);
    if (!removed) return undefined;
    const remaining = versions.filter((v) => v !== removed);
    this.removeBody(bucket, removed);
    if (remaining.length === 0) state.objects.delete(key);
    else state.objects.set(key, remaining);
    this.saveKey(bucket, key, remaining);
    return removed;
  }

  readBody(bucket: string, version: ObjectVersion): Buffer {
    if (version.deleteMarker) return Buffer.alloc(0);
    if (!this.root) return this.memoryBodies.get(bodyId(bucket, version)) ?? Buffer.alloc(0);
    const path = this.bodyPath(bucket, version);
    try {
      return readFileSync(path);
    } catch (error) {
      throw this.unreadableBody(bucket, version, path, error);
    }
  }

  /**
   * A version's body, or the inclusive byte range of it, read as it is sent: never held whole.
   * The file is opened now, so that a missing one is reported by the request that needs it.
   */
  openBody(bucket: string, version: ObjectVersion, [start, end]: [number, number] = [0, version.size - 1]): Readable {
    if (!this.root || version.deleteMarker || end < start) return Readable.from([this.readBody(bucket, version).subarray(start, end + 1)]);
    const path = this.bodyPath(bucket, version);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw this.unreadableBody(bucket, version, path, error);
    }
    return createReadStream(path, { fd, start, end });
  }

  private unreadableBody(bucket: string, version: ObjectVersion, path: string, error: unknown): Error {
    return damagedState(`The body of version ${version.versionId} of s3://${bucket}/${version.key}, ${path}, cannot be read: ${(error as Error).message}`, path, {
      remove: this.keyFolder(bucket, version.key),
      losing: `the versions of ${version.key}`,
    });
  }

  private writeBody(bucket: string, version: ObjectVersion, body: Buffer | StagedBody): void {
    if (Buffer.isBuffer(body) || 'bytes' in body) {
      const bytes = Buffer.isBuffer(body) ? body : body.bytes;
      if (this.root) writeFileAtomic(this.bodyPath(bucket, version), bytes);
      else this.memoryBodies.set(bodyId(bucket, version), bytes);
      return;
    }
    // A rename in the same file system: readers see no body or the whole of it.
    makeStateFolder(this.keyFolder(bucket, version.key));
    renameSync(body.file, this.bodyPath(bucket, version));
  }

  private removeBody(bucket: string, version: ObjectVersion): void {
    if (this.root) removePath(this.bodyPath(bucket, version));
    else this.memoryBodies.delete(bodyId(bucket, version));
  }

  private saveKey(bucket: string, key: string, versions: ObjectVersion[]): void {
    if (!this.root) return;
    const folder = this.keyFolder(bucket, key);
    if (versions.length === 0) removePath(folder);
    else writeJsonAtomic(join(folder, 'versions.json'), { key, versions } satisfies KeyVersionsFile);
  }

  private keyFolder(bucket: string, key: string): string {
    return join(this.root!, bucket, 'objects', keyFolderName(key));
  }

  private bodyPath(bucket: string, version: ObjectVersion): string {
    return join(this.keyFolder(bucket, version.key), `${version.versionId}.body`);
  }

  private requireBucket(name: string): BucketState {
    const state = this.buckets.get(name);
    if (!state) throw new Error(`S3Store: no bucket ${name}`);
    return state;
  }
}

export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function bodyId(bucket: string, version: ObjectVersion): string {
  return `${bucket}\u0000${version.key}\u0000${version.versionId}`;
}

// Keys may be up to 1024 bytes of anything; a hash makes a safe, bounded folder name.
function keyFolderName(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What makes a bucket.json unusable: the fields the store and the bucket operations rely on. */
function bucketRecordProblem(value: unknown, folder: string): string | undefined {
  if (!isJsonObject(value)) return 'is not a JSON object';
  if (typeof value.name !== 'string' || value.name === '') return 'has no bucket name';
  // Deleting the bucket removes the folder its name gives.
  if (value.name !== folder) return `names bucket ${value.name}, but is in the folder of bucket ${folder}`;
  if (typeof value.region !== 'string') return 'has no region';
  if (typeof value.creationDate !== 'string') return 'has no creation date';
  if (!isStringRecord(value.configurations)) return 'has no configurations record';
  return undefined;
}

/** What makes a versions.json unusable: its key, and each version's fields that requests read. */
function keyVersionsProblem(value: unknown, folder: string): string | undefined {
  if (!isJsonObject(value)) return 'is not a JSON object';
  if (typeof value.key !== 'string') return 'has no key';
  // Writes go to the folder the key hashes to: a file elsewhere would never be updated.
  if (keyFolderName(value.key) !== folder) return `is in the folder of another key than its own (${value.key})`;
  if (!Array.isArray(value.versions)) return 'has no versions list';
  for (const version of value.versions as unknown[]) {
    if (!isJsonObject(version) || typeof version.versionId !== 'string') return 'has a version without a version id';
    const problem = objectVersionProblem(version, value.key);
    if (problem) return `has version ${version.versionId}, which ${problem}`;
  }
  return undefined;
}

function objectVersionProblem(version: Record<string, unknown>, key: string): string | undefined {
  if (version.key !== key) return 'is of another key';
  if (typeof version.etag !== 'string') return 'has no etag';
  if (typeof version.size !== 'number') return 'has no size';
  if (typeof version.lastModified !== 'string') return 'has no modification date';
  if (!isStringRecord(version.headers)) return 'has no headers record';
  if (!isStringRecord(version.metadata)) return 'has no metadata record';
  return undefined;
}

function isStringRecord(value: unknown): boolean {
  return isJsonObject(value) && Object.values(value).every((entry) => typeof entry === 'string');
}
