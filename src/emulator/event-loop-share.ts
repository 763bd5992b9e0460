/**
 * Keeps work that runs as promises from holding the event loop. A stack operation starts all its
 * ready resources at once, and each one's calls to the data planes are answered in-process,
 * without I/O: hundreds of them would run back to back while requests over HTTP (a DescribeStacks
 * watching the operation), timers and signals wait. Each call first asks for a `turn()`: the
 * callers go one at a time, first come first served, one per turn of the event loop, so whatever
 * came in over I/O is answered between any two of them.
 */
export class EventLoopShare {
  /** The process's share: there is one event loop. */
  static readonly process = new EventLoopShare();

  private waiting: (() => void)[] = [];
  private head = 0;
  private scheduled = false;

  /** Resolves at a later turn of the event loop, after those who asked before. */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // An immediate set while immediates run waits for the next turn, after the loop has polled for I/O.
    setImmediate(() => {
      this.scheduled = false;
      const next = this.waiting[this.head++];
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      if (this.head < this.waiting.length) this.schedule();
      // Its work, up to its next wait, runs once this immediate returns: before the next turn.
      next?.();
    });
  }
}
