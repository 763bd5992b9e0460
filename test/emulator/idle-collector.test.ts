import assert from 'node:assert/strict';
import { Server } from 'node:http';
import { describe, test } from 'node:test';
import { collectWhenIdle, fullCollection } from '../../src/emulator/idle-collector.ts';

describe('collecting garbage once a server idles', () => {
  test('collects once after idleMs without a request, and not while requests keep coming', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const server = new Server();
    let collections = 0;
    const stop = collectWhenIdle(server, { idleMs: 1000, collect: () => collections++ });
    t.mock.timers.tick(5000);
    assert.equal(collections, 0, 'a server that has answered nothing has nothing to give back');
    for (let i = 0; i < 5; i++) {
      server.emit('request');
      t.mock.timers.tick(999);
    }
    server.emit('checkContinue');
    t.mock.timers.tick(999);
    assert.equal(collections, 0, 'requests keep coming: no collection in their midst');
    t.mock.timers.tick(1);
    assert.equal(collections, 1);
    t.mock.timers.tick(60_000);
    assert.equal(collections, 1, 'one collection per idle spell');
    stop();
    server.emit('request');
    t.mock.timers.tick(5000);
    assert.equal(collections, 1, 'stopped: requests no longer arm a collection');
  });

  test('the full collection frees what nothing references any more', async () => {
    // Made in a function of its own: no variable here refers to the object.
    const ref = ((): WeakRef<object> => new WeakRef({ payload: new Array(1000).fill('x') }))();
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    fullCollection()();
    assert.equal(ref.deref(), undefined);
  });
});
