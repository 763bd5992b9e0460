import type { EventSink } from './events.ts';

/**
 * Says, the moment an interrupt aborts the signal, that no new stack will start and which are
 * still running (they are let finish, so that every stack ends in a state of its own).
 */
export function reportInterrupt(signal: AbortSignal | undefined, running: () => string[], emit: EventSink): void {
  signal?.addEventListener(
    'abort',
    () => {
      const names = running();
      emit({ code: 'warning', message: `interrupted: no new stack will start${names.length > 0 ? `; waiting for ${names.join(', ')} to finish` : ''}` });
    },
    { once: true },
  );
}

/** The stacks running now, for reportInterrupt: `track` holds a name while its work runs. */
export function runningSet(): { names: () => string[]; track<T>(name: string, work: () => Promise<T>): Promise<T> } {
  const running = new Set<string>();
  return {
    names: () => [...running],
    async track(name, work) {
      running.add(name);
      try {
        return await work();
      } finally {
        running.delete(name);
      }
    },
  };
}
