/** The items of an auto-paging SDK list, in its order, up to `max` (the rest is never fetched). */
export async function collectPages<T>(pages: AsyncIterable<T>, max = Infinity): Promise<T[]> {
  const out: T[] = [];
  if (max <= 0) return out;
  for await (const item of pages) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}
