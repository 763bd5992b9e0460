import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let temporaryCounter = 0;

/** Writes a file so that readers only ever see the old or the new content, never a torn one. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${++temporaryCounter}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value));
}

/** The parsed file, or `undefined` when it does not exist. */
export function readJsonIfExists<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function removePath(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/**
 * A JSON document a small service keeps its whole state in: read once when opened, rewritten
 * atomically after every change; in memory only when there is no path.
 */
export class JsonDocument<T> {
  readonly value: T;

  constructor(
    private readonly path: string | undefined,
    initial: () => T,
  ) {
    this.value = (path ? readJsonIfExists<T>(path) : undefined) ?? initial();
  }

  save(): void {
    if (this.path) writeJsonAtomic(this.path, this.value);
  }
}

/** One `JsonDocument` per region, opened on first use: `<folder>/<region>.json`. */
export class RegionalDocuments<T> {
  private readonly documents = new Map<string, JsonDocument<T>>();

  constructor(
    private readonly folder: string | undefined,
    private readonly initial: () => T,
  ) {}

  forRegion(region: string): JsonDocument<T> {
    let document = this.documents.get(region);
    if (!document) {
      document = new JsonDocument(this.folder ? join(this.folder, `${region}.json`) : undefined, this.initial);
      this.documents.set(region, document);
    }
    return document;
  }
}
