import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketChecksum, bodyDigest, canonicalJson, tableChecksum } from '../../src/backup/checksum.ts';

const items = [
  { id: { S: 'a' }, n: { N: '1' }, tags: { L: [{ S: 'x' }, { S: 'y' }] } },
  { id: { S: 'b' }, profile: { M: { name: { S: 'Ann' }, age: { N: '40' } } } },
  { id: { S: 'c' }, on: { BOOL: true } },
];

describe('backup checksums', () => {
  it('do not depend on the order of items, nor on the order of their attributes', () => {
    const reordered = [items[2], { profile: { M: { age: { N: '40' }, name: { S: 'Ann' } } }, id: { S: 'b' } }, items[0]];
    assert.equal(tableChecksum(reordered), tableChecksum(items));
    assert.match(tableChecksum(items), /^sha256:[0-9a-f]{64}$/);
  });

  it('change when one attribute of one item changes, or an item is missing or doubled', () => {
    const base = tableChecksum(items);
    assert.notEqual(tableChecksum([items[0], items[1], { id: { S: 'c' }, on: { BOOL: false } }]), base);
    assert.notEqual(tableChecksum([items[0], { ...items[1], profile: { M: { name: { S: 'Ann' }, age: { N: '41' } } } }, items[2]]), base);
    assert.notEqual(tableChecksum([items[0], items[1]]), base);
    assert.notEqual(tableChecksum([...items, items[0]]), base);
    // A list's order is content.
    assert.notEqual(tableChecksum([{ ...items[0], tags: { L: [{ S: 'y' }, { S: 'x' }] } }, items[1], items[2]]), base);
  });

  it('of a bucket do not depend on the listing order, and change with one byte or a renamed key', () => {
    const body = (text: string) => bodyDigest(new TextEncoder().encode(text));
    const objects = [
      { key: 'a.txt', bodySha256: body('alpha') },
      { key: 'dir/b.bin', bodySha256: body('beta') },
    ];
    const base = bucketChecksum(objects);
    assert.equal(bucketChecksum([objects[1], objects[0]]), base);
    assert.notEqual(bucketChecksum([objects[0], { key: 'dir/b.bin', bodySha256: body('betb') }]), base);
    assert.notEqual(bucketChecksum([{ key: 'a2.txt', bodySha256: objects[0].bodySha256 }, objects[1]]), base);
  });

  it('read items through canonical JSON: keys sorted at every depth', () => {
    assert.equal(canonicalJson({ b: { d: 1, c: [{ f: 2, e: 3 }] }, a: 'x' }), '{"a":"x","b":{"c":[{"e":3,"f":2}],"d":1}}');
  });
});
