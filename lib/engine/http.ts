import { EngineError, errors } from "./errors";
import { jsonBudgetProblem } from "./json-budget";
import { MAX_JSON_BODY_BYTES } from "../protocol/limits";
import { LIMITS } from "./limits";
import { CursorNotFound, pageOf, type PageQuery, type PageResult } from "./store";
import type { Generation } from "./model/types";

export interface Ctx {
  request: Request;
  url: URL;
  generation: Generation;
  params: Record<string, string>;
}

/** Longer than any path of this protocol (ids are at most 128 characters, paths at most 8 segments). */
export const MAX_PATH_LENGTH = 2048;

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Refuses, with a 400, a URL path that no endpoint could have and that a decoder would choke on: too
 * long, a `%` that starts no `%XX`, percent-encoded bytes that are not UTF-8 (overlong `%c0%ae`,
 * surrogates `%ed%a0%80`), control characters (`%00`). Without this they fall through to a 404 that
 * hides what was wrong.
 */
export function checkPath(pathname: string): void {
  const refuse = (why: string) => errors.invalid(`Invalid URL path: ${why}`, undefined, "invalid_path");
  if (pathname.length > MAX_PATH_LENGTH)
    throw refuse(`${pathname.length} characters long; the limit is ${MAX_PATH_LENGTH}.`);
  if (!pathname.includes("%")) {
    if (CONTROL_CHARS.test(pathname)) throw refuse("it contains control characters.");
    return;
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(pathname))
    throw refuse("a '%' does not start a percent-encoded byte (%XX).");
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw refuse(
      "its percent-encoded bytes are not valid UTF-8 (overlong forms and surrogates are refused).",
    );
  }
  if (CONTROL_CHARS.test(decoded)) throw refuse("it contains encoded control characters (such as %00).");
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function bodyTooLarge(): EngineError {
  return new EngineError(413, {
    code: "request_too_large",
    message: `The request body is larger than ${MAX_JSON_BODY_BYTES} bytes.`,
    type: "invalid_request_error",
  });
}

/** The body as text, read only up to the limit (`request.text()` would hold any size in memory). */
async function readCappedText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > MAX_JSON_BODY_BYTES) throw bodyTooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_JSON_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export async function readJson(ctx: Ctx): Promise<Record<string, unknown>> {
  const text = await readCappedText(ctx.request);
  if (!text.trim()) return {};
  const tooCostly = jsonBudgetProblem(text);
  if (tooCostly) throw errors.invalid(tooCostly, undefined, "invalid_json");
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

/** `limit`, `order`, `after`, `before` of a list request, checked. */
export function pageQuery(url: URL, opts: { maxLimit?: number; defaultLimit?: number } = {}): PageQuery {
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
  return { order, limit, after: q.get("after") || null, before: q.get("before") || null };
}

/** A store page (or an in-memory one) as the wire's list object. */
export async function listPage<T extends { id: string }, R>(
  fetchPage: () => Promise<PageResult<T>> | PageResult<T>,
  render: (item: T) => R | Promise<R>,
): Promise<Page<R>> {
  let page: PageResult<T>;
  try {
    page = await fetchPage();
  } catch (e) {
    if (e instanceof CursorNotFound)
      throw errors.invalid(`Invalid '${e.param}': no object with id '${e.id}' in this list.`, e.param);
    throw e;
  }
  const data: R[] = [];
  for (const item of page.data) data.push(await render(item));
  return {
    object: "list",
    data,
    // Azure's list schemas require string ids, so an empty page carries "".
    first_id: page.data[0]?.id ?? "",
    last_id: page.data[page.data.length - 1]?.id ?? "",
    has_more: page.hasMore,
  };
}

/** Cursor pagination of an in-memory list (items in any order; sorted on `_seq`). */
export function paginate<T extends Sortable, R>(
  items: T[],
  url: URL,
  render: (item: T) => R,
  opts: { maxLimit?: number; defaultLimit?: number } = {},
): Promise<Page<R>> {
  const q = pageQuery(url, opts);
  const ascending = [...items].sort((a, b) => a._seq - b._seq);
  return listPage(() => pageOf(ascending, q), render);
}
