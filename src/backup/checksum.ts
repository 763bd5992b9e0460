import { createHash } from 'node:crypto';

/**
 * Content checksums of backed-up data, independent of the order it was read in (a Scan's order,
 * a listing's order): each item or object is hashed alone, the hashes are sorted, and the sorted
 * list is hashed. One changed attribute or byte changes the result.
 */

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/**
 * JSON with the keys of every object sorted, so that equal items give equal text (undefined
 * members left out, as JSON.stringify does). Built by concatenation: it runs once per item.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    text += (text.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(record[key]);
  }
  return `${text}}`;
}

/** The hash of one DynamoDB item in its AttributeValue form (`{"id": {"S": "a"}}`). */
export function itemDigest(item: Record<string, unknown>): string {
  return canonicalItemDigest(canonicalJson(item));
}

/** `itemDigest` of an item whose canonical JSON is at hand (a backup's exported line). */
export function canonicalItemDigest(canonical: string): string {
  return sha256(canonical);
}

/** The checksum of a set of hashes, whatever order they come in: `sha256:<hex>`. */
export function combinedChecksum(digests: string[]): string {
  return `sha256:${sha256([...digests].sort().join('\n'))}`;
}

/** The checksum of a table's items. */
export function tableChecksum(items: Record<string, unknown>[]): string {
  return combinedChecksum(items.map(itemDigest));
}

/** The hash of a body's bytes. */
export function bodyDigest(body: Uint8Array): string {
  return sha256(body);
}

/** The line an object adds to its bucket's checksum: its key and the hash of its body. */
export function objectDigest(key: string, bodySha256: string): string {
  return `${key}\0${bodySha256}`;
}

/** The checksum of a bucket's objects, from their `objectDigest` lines. */
export function bucketChecksum(objects: { key: string; bodySha256: string }[]): string {
  return combinedChecksum(objects.map((o) => objectDigest(o.key, o.bodySha256)));
}
