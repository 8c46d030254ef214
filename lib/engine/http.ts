import { errors } from "./errors";
import { LIMITS } from "./limits";
import type { Generation } from "./model/types";

export interface Ctx {
  request: Request;
  url: URL;
  generation: Generation;
  params: Record<string, string>;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export async function readJson(ctx: Ctx): Promise<Record<string, unknown>> {
  const text = await ctx.request.text();
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.invalid("We could not parse the JSON body of your request.", undefined, "invalid_json");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw errors.invalid("The request body must be a JSON object.");
  return parsed as Record<string, unknown>;
}

interface Sortable {
  id: string;
  _seq: number;
}

export interface Page<T> {
  object: "list";
  data: T[];
  first_id: string;
  last_id: string;
  has_more: boolean;
}

/** Cursor pagination as the SDK expects: `after`/`before` are exclusive, in the requested order. */
export function paginate<T extends Sortable, R>(
  items: T[],
  url: URL,
  render: (item: T) => R,
  opts: { maxLimit?: number; defaultLimit?: number } = {},
): Page<R> {
  const q = url.searchParams;
  const maxLimit = opts.maxLimit ?? LIMITS.listLimitMax;
  const limitRaw = q.get("limit");
  let limit = opts.defaultLimit ?? LIMITS.listLimitDefault;
  if (limitRaw !== null) {
    limit = Number(limitRaw);
    if (!Number.isInteger(limit) || limit < LIMITS.listLimitMin || limit > maxLimit)
      throw errors.invalid(
        `Invalid 'limit': integer between ${LIMITS.listLimitMin} and ${maxLimit} expected, got '${limitRaw}'.`,
        "limit",
      );
  }
  const order = q.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc")
    throw errors.invalid(`Invalid 'order': 'asc' or 'desc' expected, got '${order}'.`, "order");
  const sorted = [...items].sort((a, b) => (order === "asc" ? a._seq - b._seq : b._seq - a._seq));
  let start = 0;
  let end = sorted.length;
  const after = q.get("after");
  if (after) {
    const i = sorted.findIndex((x) => x.id === after);
    if (i < 0) throw errors.invalid(`Invalid 'after': no object with id '${after}' in this list.`, "after");
    start = i + 1;
  }
  const before = q.get("before");
  if (before) {
    const i = sorted.findIndex((x) => x.id === before);
    if (i < 0)
      throw errors.invalid(`Invalid 'before': no object with id '${before}' in this list.`, "before");
    end = i;
  }
  let window = sorted.slice(start, Math.max(start, end));
  let hasMore: boolean;
  if (before && !after) {
    // Paging backwards: the items nearest the cursor, still in the requested order.
    hasMore = window.length > limit;
    window = window.slice(Math.max(0, window.length - limit));
  } else {
    hasMore = window.length > limit;
    window = window.slice(0, limit);
  }
  const data = window.map(render);
  return {
    object: "list",
    data,
    // Azure's list schemas require string ids, so an empty page carries "".
    first_id: window[0]?.id ?? "",
    last_id: window[window.length - 1]?.id ?? "",
    has_more: hasMore,
  };
}
