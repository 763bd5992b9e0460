import type { Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full garbage collection, made available to this process (as `node --expose-gc` would). */
export function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  // A new context reads the flag: its global has `gc`, which collects the whole process's heap.
  return runInNewContext('gc') as () => void;
}

/**
 * A long-lived server keeps the garbage of its last burst of work: V8 collects when allocation
 * needs room, and an idle server allocates nothing, so its heap stays at the high-water mark
 * (some 40 MB above its base after a few thousand stack operations, not given back however long
 * it idles). Once no request has come for `idleMs`, one full collection returns that memory.
 * Returns the function that stops watching.
 */
export function collectWhenIdle(server: Server, { idleMs = 10_000, collect = fullCollection() } = {}): () => void {
  let timer: NodeJS.Timeout | undefined;
  const onRequest = () => {
    clearTimeout(timer);
    // unref: a pending collection never keeps the process alive.
    timer = setTimeout(collect, idleMs).unref();
  };
  server.on('request', onRequest);
  server.on('checkContinue', onRequest);
  return () => {
    clearTimeout(timer);
    server.off('request', onRequest);
    server.off('checkContinue', onRequest);
  };
}
