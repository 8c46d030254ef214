/**
 * The parts of a JSON value whose keys or values contain `query` (case-insensitive), with the
 * objects and arrays on the way to them. A matching key keeps its whole value. Returns undefined
 * when nothing matches. Arrays keep their matching items only, so indexes may shift; the copy
 * button always copies the whole object.
 */
export function filterJson(value: unknown, query: string): unknown {
  const q = query.trim().toLowerCase();
  if (!q) return value;
  return filter(value, q);
}

function filter(value: unknown, q: string): unknown {
  if (value === null || typeof value !== "object")
    return String(value).toLowerCase().includes(q) ? value : undefined;
  if (Array.isArray(value)) {
    const kept = value.map((v) => filter(v, q)).filter((v) => v !== undefined);
    return kept.length ? kept : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.toLowerCase().includes(q)) out[k] = v;
    else {
      const kept = filter(v, q);
      if (kept !== undefined) out[k] = kept;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** How many keys and scalar values contain the query (what the search box reports). */
export function countMatches(value: unknown, query: string): number {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const walk = (v: unknown): number => {
    if (v === null || typeof v !== "object") return String(v).toLowerCase().includes(q) ? 1 : 0;
    if (Array.isArray(v)) return v.reduce<number>((n, x) => n + walk(x), 0);
    return Object.entries(v).reduce<number>(
      (n, [k, x]) => n + (k.toLowerCase().includes(q) ? 1 : 0) + walk(x),
      0,
    );
  };
  return walk(value);
}
