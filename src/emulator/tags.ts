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
