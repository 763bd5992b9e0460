import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reverseGraph, runReadyQueue, throwUnreported } from '../../src/deploy/scheduler.ts';

/** A run whose nodes finish only when the test says so, so the order of events is exact. */
function controlledRun() {
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const started: string[] = [];
  const run = (id: string) =>
    new Promise<void>((resolve, reject) => {
      started.push(id);
      waiting.set(id, { resolve, reject });
    });
  const settle = async (id: string, error?: Error) => {
    const w = waiting.get(id);
    assert.ok(w, `${id} has not started`);
    if (error) w.reject(error);
    else w.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { run, started, settle };
}

const graph = () =>
  new Map([
    ['network', []],
    ['storage', ['network']],
    ['compute', ['network', 'storage']],
    ['chatbot', ['compute']],
    ['monitoring', ['compute']],
    ['tracing', ['compute']],
  ]);

describe('the ready queue', () => {
  it('starts each stack the moment what it waits for is done, several at once up to the limit', async () => {
    const c = controlledRun();
    const done = runReadyQueue(graph(), c.run, { concurrency: 2 });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(c.started, ['network']);
    await c.settle('network');
    assert.deepEqual(c.started, ['network', 'storage']);
    await c.settle('storage');
    await c.settle('compute');
    assert.deepEqual(c.started, ['network', 'storage', 'compute', 'chatbot', 'monitoring'], 'two at a time');
    await c.settle('monitoring');
    assert.deepEqual(c.started.at(-1), 'tracing', 'a slot that frees up is taken at once');
    await c.settle('chatbot');
    await c.settle('tracing');
    const outcomes = await done;
    assert.deepEqual([...outcomes].map(([id, o]) => `${id} ${o.status}`).sort(), ['chatbot', 'compute', 'monitoring', 'network', 'storage', 'tracing'].map((id) => `${id} succeeded`));
  });

  it('starts nothing new after a failure, lets running stacks finish, and reports the rest as not started', async () => {
    const c = controlledRun();
    const done = runReadyQueue(graph(), c.run, { concurrency: 3 });
    await c.settle('network');
    await c.settle('storage');
    await c.settle('compute');
    assert.deepEqual(c.started.slice(3), ['chatbot', 'monitoring', 'tracing']);
    await c.settle('monitoring', new Error('alarm failed'));
    await c.settle('chatbot');
    await c.settle('tracing');
    const outcomes = await done;
    assert.equal(outcomes.get('monitoring')!.status, 'failed');
    assert.equal(outcomes.get('chatbot')!.status, 'succeeded');
    assert.equal(outcomes.get('tracing')!.status, 'succeeded');
  });

  it('starts nothing new once interrupted, and lets what runs finish', async () => {
    const c = controlledRun();
    const interrupt = new AbortController();
    const done = runReadyQueue(graph(), c.run, { concurrency: 2, signal: interrupt.signal });
    await c.settle('network');
    assert.deepEqual(c.started, ['network', 'storage']);
    interrupt.abort();
    await c.settle('storage');
    const outcomes = await done;
    assert.deepEqual(c.started, ['network', 'storage'], 'compute was ready, but the interrupt came first');
    assert.deepEqual([...outcomes].map(([id, o]) => `${id} ${o.status}`), ['network succeeded', 'storage succeeded', 'compute not-started', 'chatbot not-started', 'monitoring not-started', 'tracing not-started']);
  });

  it('never starts what waits for a failed stack', async () => {
    const c = controlledRun();
    const done = runReadyQueue(graph(), c.run, { concurrency: 4 });
    await c.settle('network');
    await c.settle('storage', new Error('bucket exists'));
    const outcomes = await done;
    assert.deepEqual(Object.fromEntries([...outcomes].map(([id, o]) => [id, o.status])), {
      network: 'succeeded',
      storage: 'failed',
      compute: 'not-started',
      chatbot: 'not-started',
      monitoring: 'not-started',
      tracing: 'not-started',
    });
  });

  it('tells a failure the run reported (it resolved to false) from an error it threw', async () => {
    const outcomes = await runReadyQueue(new Map([['reported', []], ['thrown', []], ['after', ['reported']]]), async (id) => (id === 'thrown' ? Promise.reject(new Error('a bug')) : id !== 'reported'), { concurrency: 2 });
    assert.deepEqual(Object.fromEntries(outcomes), { reported: { status: 'failed' }, thrown: { status: 'failed', error: new Error('a bug') }, after: { status: 'not-started' } });
    assert.throws(() => throwUnreported(outcomes), { message: 'a bug' });
  });

  it('reports stacks on a cycle as not started instead of waiting forever', async () => {
    const outcomes = await runReadyQueue(new Map([['a', ['b']], ['b', ['a']], ['c', []]]), async () => {}, { concurrency: 2 });
    assert.deepEqual([...outcomes.values()].map((o) => o.status), ['not-started', 'not-started', 'succeeded']);
  });

  it('turns the graph round for deletion: dependents go first', () => {
    assert.deepEqual(Object.fromEntries(reverseGraph(graph())), {
      network: ['storage', 'compute'],
      storage: ['compute'],
      compute: ['chatbot', 'monitoring', 'tracing'],
      chatbot: [],
      monitoring: [],
      tracing: [],
    });
  });
});
