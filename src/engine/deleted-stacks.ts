import { appendFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_FILE_MODE, makeStateFolder, writeFileAtomic } from '../emulator/state-files.ts';
import type { StateSecrets } from '../emulator/state-secrets.ts';
import { StackFiles, fileNameOf, readLines } from './stack-files.ts';
import type { StackRecord } from './state.ts';

/**
 * How long a deleted stack stays listed, as in CloudFormation: "ListStacks ... Deleted stacks are
 * listed for 90 days after they've been deleted"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStacks.html).
 */
export const DELETED_STACK_DAYS = 90;
const DELETED_STACK_MS = DELETED_STACK_DAYS * 24 * 60 * 60 * 1000;

const DELETED_FOLDER = 'deleted';
const INDEX_FILE = 'index.jsonl';
/** Deleted stacks read back from disk and kept at hand: a deploy tool describes the one it just deleted, a few times. */
const RECENT_RECORDS = 8;

/** What ListStacks shows of a deleted stack: kept in memory, the rest stays on disk. */
type Summary = Pick<StackRecord, 'stackId' | 'stackName' | 'status' | 'statusReason' | 'description' | 'creationTime' | 'lastUpdatedTime' | 'deletionTime' | 'parentId' | 'rootId'>;

/**
 * The deleted stacks: out of the live stacks' way, so that they never cost a live stack's
 * operation anything. In a state folder they sit in `stacks/deleted/`, their files moved there
 * as they were, with one summary line each in `index.jsonl`; only the summaries are in memory.
 * They are forgotten (files removed) 90 days after their deletion.
 */
export class DeletedStacks {
  private readonly summaryById = new Map<string, Summary>();
  /** Without a state folder, the records themselves. */
  private readonly inMemory = new Map<string, StackRecord>();
  private readonly recent = new Map<string, StackRecord>();
  private readonly files: StackFiles | undefined;

  constructor(
    private readonly liveFiles: StackFiles | undefined,
    private readonly secrets: StateSecrets | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.files = liveFiles && secrets && new StackFiles(join(liveFiles.folder, DELETED_FOLDER), secrets);
  }

  private get indexPath(): string {
    return join(this.files!.folder, INDEX_FILE);
  }

  /** Reads the summaries; finishes a move a kill interrupted; forgets the expired stacks. */
  load(): void {
    const { files, liveFiles, secrets } = this;
    if (!files || !liveFiles || !secrets) return;
    const lines = readLines<Summary>(this.indexPath, secrets);
    for (const [summary] of lines) this.summaryById.set(summary.stackId, summary);
    for (const summary of this.summaryById.values()) {
      const file = fileNameOf(summary);
      // A kill between the moves of the record and of its events.
      if (existsSync(join(liveFiles.folder, `${file}.events.jsonl`))) renameSync(join(liveFiles.folder, `${file}.events.jsonl`), join(files.folder, `${file}.events.jsonl`));
      if (!existsSync(join(files.folder, `${file}.json`))) this.summaryById.delete(summary.stackId);
    }
    const expired = this.expire();
    if (expired || this.summaryById.size !== lines.length) this.rewriteIndex();
  }

  /** Takes a stack that has just been deleted (its files written whole, in a state folder). */
  add(stack: StackRecord): void {
    const summary: Summary = {
      stackId: stack.stackId,
      stackName: stack.stackName,
      status: stack.status,
      statusReason: stack.statusReason,
      description: stack.description,
      creationTime: stack.creationTime,
      lastUpdatedTime: stack.lastUpdatedTime,
      deletionTime: stack.deletionTime ?? new Date(this.now()).toISOString(),
      parentId: stack.parentId,
      rootId: stack.rootId,
    };
    this.summaryById.delete(stack.stackId);
    this.summaryById.set(stack.stackId, summary);
    const { files, liveFiles, secrets } = this;
    if (!files || !liveFiles || !secrets) this.inMemory.set(stack.stackId, stack);
    else {
      makeStateFolder(files.folder);
      appendFileSync(this.indexPath, `${secrets.sealedJson(summary, (text) => secrets.holdsKnownSecret(text))}\n`, { mode: STATE_FILE_MODE });
      // The record first: a record left behind is moved again at the next start; its events, if left, are fetched.
      const file = fileNameOf(stack);
      renameSync(join(liveFiles.folder, `${file}.json`), join(files.folder, `${file}.json`));
      if (existsSync(join(liveFiles.folder, `${file}.events.jsonl`))) renameSync(join(liveFiles.folder, `${file}.events.jsonl`), join(files.folder, `${file}.events.jsonl`));
      rmSync(join(liveFiles.folder, `${file}.changes.jsonl`), { force: true });
      liveFiles.forget(stack);
    }
    if (this.expire() && files) this.rewriteIndex();
  }

  /** A deleted stack's whole record, events included, by id. */
  record(stackId: string): StackRecord | undefined {
    const kept = this.inMemory.get(stackId) ?? this.recent.get(stackId);
    if (kept || !this.files || !this.summaryById.has(stackId)) return kept;
    const record = this.files.read(`${fileNameOf({ stackId })}.json`, { events: true });
    this.files.forget(record);
    this.recent.set(stackId, record);
    if (this.recent.size > RECENT_RECORDS) this.recent.delete(this.recent.keys().next().value!);
    return record;
  }

  /** The deleted stacks as ListStacks shows them: records with no resources, events or template. */
  summaries(): StackRecord[] {
    return [...this.summaryById.values()].map((summary) => ({
      templateBody: '',
      parameters: [],
      capabilities: [],
      notificationARNs: [],
      tags: [],
      disableRollback: false,
      terminationProtection: false,
      outputs: [],
      imports: [],
      resources: {},
      events: [],
      ...summary,
    }));
  }

  /** Forgets the stacks deleted longer ago than CloudFormation lists them: the oldest come first. */
  private expire(): boolean {
    const limit = this.now() - DELETED_STACK_MS;
    let expired = false;
    for (const summary of this.summaryById.values()) {
      if (Date.parse(summary.deletionTime!) >= limit) break;
      this.summaryById.delete(summary.stackId);
      this.inMemory.delete(summary.stackId);
      this.recent.delete(summary.stackId);
      if (this.files) for (const suffix of ['.json', '.events.jsonl']) rmSync(join(this.files.folder, `${fileNameOf(summary)}${suffix}`), { force: true });
      expired = true;
    }
    return expired;
  }

  private rewriteIndex(): void {
    const secrets = this.secrets!;
    writeFileAtomic(this.indexPath, [...this.summaryById.values()].map((summary) => `${secrets.sealedJson(summary, (text) => secrets.holdsKnownSecret(text))}\n`).join(''));
  }
}
