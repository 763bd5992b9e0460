import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertInOrder } from './helpers.ts';

describe('assertInOrder, the order check tests use instead of comparing indexOf results', () => {
  it('passes items present in this order, in a list or as parts of a text', () => {
    assertInOrder(['change-preview', 'drift-warning', 'stack-start'], 'change-preview', 'stack-start');
    assertInOrder('warning SP3101 ... stopped for confirmation', 'SP3101', 'stopped');
  });

  it('fails naming an item that is missing, where indexOf(missing) < indexOf(present) would pass', () => {
    assert.throws(() => assertInOrder(['stack-start'], 'drift-warning', 'stack-start'), { message: /^missing: drift-warning\n/ });
    assert.throws(() => assertInOrder('stopped for confirmation', 'SP3101', 'stopped'), { message: /^missing: SP3101\n/ });
  });

  it('fails naming an item that comes too early', () => {
    assert.throws(() => assertInOrder(['stack-start', 'drift-warning'], 'drift-warning', 'stack-start'), { message: /^out of order: stack-start\n/ });
  });
});
