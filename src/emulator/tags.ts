import { ServiceError } from './wire.ts';

/** A tag as SSM and Secrets Manager carry them. */
export interface Tag {
  Key: string;
  Value: string;
}

/** `current` with `added` set: a key already there takes its new value and keeps its place. */
export function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export function withoutTags(current: Tag[], keys: string[]): Tag[] {
  return current.filter((tag) => !keys.includes(tag.Key));
}

/** A tag list, or a list of tag keys, that SSM and Secrets Manager require to hold at least one item: an absent or empty one is refused. */
export function requireSome<T>(list: unknown, member: string): T[] {
  if (!Array.isArray(list)) throw new ServiceError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  if (list.length === 0) throw new ServiceError('ValidationException', `1 validation error detected: Value '[]' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  return list as T[];
}
