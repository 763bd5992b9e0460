import { performance } from 'node:perf_hooks';

/**
 * Keeps work that runs as promises from holding the event loop. A stack operation starts all its
 * ready resources at once, and each one's calls to the data planes are answered in-process,
 * without I/O: hundreds of them can run back to back while requests over HTTP (a DescribeStacks
 * watching the operation), timers and signals wait. Each call first asks `turn()`: once a slice
 * of the loop's time has been used, callers wait for the next turn of the loop, after whatever
 * I/O came in meanwhile has been answered.
 */
export class EventLoopShare {
  /** The process's share: there is one event loop. */
  static readonly process = new EventLoopShare();

  private sliceStart = performance.now();
  private sliceScheduled = false;

  constructor(private readonly sliceMs = 10) {}

  /** Resolves at once while the current slice lasts; otherwise at a later turn of the loop. */
  async turn(): Promise<void> {
    // Each waiter wakes in an immediate of its own and looks at the clock again: the work of
    // those woken before it counts against the slice.
    while (performance.now() - this.sliceStart > this.sliceMs) {
      if (!this.sliceScheduled) {
        this.sliceScheduled = true;
        // The next turn's slice starts with the first immediate of that turn.
        setImmediate(() => {
          this.sliceScheduled = false;
          this.sliceStart = performance.now();
        });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
