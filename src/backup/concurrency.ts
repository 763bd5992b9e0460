/** Runs `work` for each item, at most `limit` at once; the first failure fails the whole. */
export async function forEachConcurrently<T>(items: readonly T[], work: (item: T) => Promise<void>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
