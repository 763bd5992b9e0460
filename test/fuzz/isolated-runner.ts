import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { temporaryFolder } from '../helpers.ts';

/** One input to read: files for `stackpilot validate`, or a template body for the local engine. */
export type CaseRequest = { id?: number } & (
  | { target: 'validate'; files: Record<string, string>; entry: string; parametersFile?: string }
  | { target: 'engine'; body: string; parameters?: Record<string, string>; via?: 'body' | 'url' }
);

/**
 * What came of one call: `accepted` (findings, a stack), `refused` (a StackpilotError, or an
 * AWS-shaped 4xx error: both expected answers to bad input), `crash` (anything else), `hang`
 * (no answer within the time budget: the process was killed).
 */
export interface Outcome {
  kind: 'accepted' | 'refused' | 'crash' | 'hang';
  detail: string;
  /** Rule ids of the findings, for validate. */
  rules?: string[];
}

export interface CaseReply {
  id: number;
  /** validate: one outcome; engine: ValidateTemplate, then CreateStack. */
  outcomes: Outcome[];
  /** The child's peak resident memory so far. */
  peakRssMb: number;
}

const CHILD = join(import.meta.dirname, 'isolated-child.ts');
/** The folder (made and removed by the runner) where a child writes its cases' files. */
export const SCRATCH_ENV = 'STACKPILOT_FUZZ_SCRATCH';
const TSX_LOADER = import.meta.resolve('tsx');
/** Past this heap, a blow-up ends the child (seen as a crash) instead of taking the machine's memory. */
const CHILD_HEAP_MB = 1024;

/**
 * Runs hostile cases in a child process, one at a time, each against a time budget: a case that
 * does not answer in time is a hang (the child is killed and the next case gets a new one), a
 * child that dies is a crash. The budget only detects hangs; nothing asserts how fast a case runs.
 */
export class IsolatedRunner {
  private child: ChildProcess | undefined;
  private scratch: string | undefined;
  private nextId = 0;
  /** Highest peak RSS any child reported. */
  peakRssMb = 0;
  /** Children started (1 plus one per hang or crash that killed one). */
  childrenStarted = 0;

  constructor(private readonly budgetMs = 30_000) {}

  private async start(): Promise<ChildProcess> {
    // A child killed on a hang cannot clean up: its folders live in one this process removes.
    this.scratch ??= temporaryFolder('hostile');
    const child = fork(CHILD, [], {
      execArgv: ['--import', TSX_LOADER, `--max-old-space-size=${CHILD_HEAP_MB}`],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', [SCRATCH_ENV]: this.scratch },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.resume();
    const [first] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [undefined])])) as [unknown];
    if (!first) throw new Error('the isolated child did not start');
    this.childrenStarted++;
    return child;
  }

  async run(request: CaseRequest): Promise<Outcome[]> {
    this.child ??= await this.start();
    const child = this.child;
    const id = ++this.nextId;
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<CaseReply | 'hang' | 'exit'>((resolve) => {
      const onMessage = (reply: CaseReply) => {
        if (reply.id === id) resolve(reply);
      };
      child.on('message', onMessage);
      child.once('exit', () => resolve('exit'));
      timer = setTimeout(() => resolve('hang'), this.budgetMs);
    });
    child.send({ ...request, id });
    const reply = await answer;
    clearTimeout(timer);
    child.removeAllListeners('message');
    child.removeAllListeners('exit');
    if (reply === 'hang' || reply === 'exit') {
      this.child = undefined;
      if (reply === 'hang') {
        child.kill('SIGKILL');
        if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      }
      const detail = reply === 'hang' ? `no answer within ${this.budgetMs} ms` : `the process died (exit ${child.exitCode ?? child.signalCode})`;
      return [{ kind: reply === 'hang' ? 'hang' : 'crash', detail }];
    }
    this.peakRssMb = Math.max(this.peakRssMb, reply.peakRssMb);
    return reply.outcomes;
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
