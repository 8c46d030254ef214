import "server-only";
import {
  resolveApiVersion,
  resolveRequestConnection,
  type Connection,
  type LocalConnection,
} from "../connections";
import { withoutPaths } from "@/lib/engine/errors";
import { jsonBudgetProblem } from "@/lib/engine/json-budget";
import { getEngineFor } from "../engine";
import { EnvError } from "../env";
import { checkAccess } from "./access";
import { checkConnectionKind, FORWARDED_QUERY_PARAMS, matchRoute } from "./allowlist";
import { DEFAULT_LIMITS, prepareBody, type BodyLimits } from "./body";
import { errorResponse, ProxyError } from "./errors";
import { clientResponseHeaders, upstreamRequestHeaders } from "./headers";
import { pathEncodingError } from "./path";
import { forwardToEngine, forwardToRemote, type UpstreamRequest, type UpstreamResponse } from "./upstream";

export { ProxyError, errorResponse } from "./errors";
export { DEFAULT_LIMITS, type BodyLimits } from "./body";
export { ENDPOINTS } from "./allowlist";

export interface ProxyOptions {
  limits?: BodyLimits;
}

function forwardedQuery(search: URLSearchParams, apiVersion: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of search) {
    if (FORWARDED_QUERY_PARAMS.has(name)) out.append(name, value);
  }
  out.set("api-version", apiVersion);
  return out;
}

async function startLocalEngine(connection: LocalConnection) {
  try {
    // One engine per local connection; the default `local` is getEngine()'s.
    return getEngineFor(connection.config);
  } catch (err) {
    if (err instanceof EnvError) throw err;
    throw new ProxyError(
      503,
      "engine_unavailable",
      `The local engine could not start: ${withoutPaths(err instanceof Error ? err.message : String(err))}`,
    );
  }
}

/** Sends a checked request to the connection's upstream. */
export function sendToConnection(connection: Connection, req: UpstreamRequest): Promise<UpstreamResponse> {
  if (connection.kind !== "local") return forwardToRemote(connection, req);
  return startLocalEngine(connection).then((engine) => forwardToEngine(engine, req));
}

const LIST_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * Foundry's lists are `{data, last_id, has_more}` (no `object`, no `first_id`; `/files` has no
 * `has_more`). The browser speaks Azure's surface, where lists carry all four: fill them in, so
 * every list reads the same and the SDK's auto-paging (`after=<last id>`, `has_more`) works.
 */
async function normalizeList(upstream: UpstreamResponse): Promise<UpstreamResponse> {
  const headers =
    upstream.headers instanceof Headers
      ? upstream.headers
      : new Headers(
          Object.entries(upstream.headers).flatMap(([k, v]) =>
            v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v] as [string, string]],
          ),
        );
  const length = Number(headers.get("content-length") ?? "0");
  if (
    !(headers.get("content-type") ?? "").includes("json") ||
    headers.has("content-encoding") ||
    length > LIST_LIMIT_BYTES ||
    !upstream.body
  )
    return upstream;
  const text = await new Response(upstream.body).text();
  // A misbehaving or compromised upstream could send a list that takes seconds to parse.
  if (jsonBudgetProblem(text)) return { ...upstream, headers, body: new Response(text).body };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ...upstream, headers, body: new Response(text).body };
  }
  if (typeof body === "object" && body !== null && Array.isArray((body as { data?: unknown }).data)) {
    const list = body as {
      object?: unknown;
      data: { id?: unknown }[];
      first_id?: unknown;
      last_id?: unknown;
      has_more?: unknown;
    };
    const idOf = (item: { id?: unknown } | undefined) => (typeof item?.id === "string" ? item.id : "");
    const filled = {
      object: "list",
      ...list,
      first_id: typeof list.first_id === "string" ? list.first_id : idOf(list.data[0]),
      last_id: typeof list.last_id === "string" ? list.last_id : idOf(list.data.at(-1)),
      has_more: typeof list.has_more === "boolean" ? list.has_more : false,
    };
    const out = JSON.stringify(filled);
    headers.set("content-length", String(Buffer.byteLength(out)));
    headers.delete("content-encoding");
    return { ...upstream, headers, body: new Response(out).body };
  }
  return { ...upstream, headers, body: new Response(text).body };
}

function isList(match: { method: string; endpoint: { pattern: string } }): boolean {
  return (
    match.method === "GET" &&
    !match.endpoint.pattern.endsWith("{id}") &&
    !match.endpoint.pattern.endsWith("content")
  );
}

/**
 * Forwards one browser request on `/api/openai/<pathSegments>` to the connection it names, or
 * refuses it with an Azure-shaped JSON error before any upstream sees it.
 */
export async function handleProxy(
  request: Request,
  pathSegments: readonly string[] | undefined,
  options: ProxyOptions = {},
): Promise<Response> {
  let connection: Connection | undefined;
  let apiVersion = "";
  try {
    await checkAccess(request);
    const url = new URL(request.url);
    const badPath = pathEncodingError(url.pathname);
    if (badPath) throw badPath;
    const match = matchRoute(request.method, pathSegments ?? [], url.pathname);
    connection = await resolveRequestConnection(request.headers);
    checkConnectionKind(match, connection.kind, connection.name);
    apiVersion = resolveApiVersion(connection, url.searchParams.get("api-version"));
    const body = await prepareBody(request, match.body, options.limits ?? DEFAULT_LIMITS);

    let upstream = await sendToConnection(connection, {
      method: match.method,
      path: match.path,
      query: forwardedQuery(url.searchParams, apiVersion),
      headers: upstreamRequestHeaders(request.headers),
      body,
      signal: request.signal,
    });
    if (connection.kind !== "local" && connection.normalizeLists && upstream.status === 200 && isList(match))
      upstream = await normalizeList(upstream);
    return new Response(upstream.body, {
      status: upstream.status,
      headers: clientResponseHeaders(upstream.headers, {
        connection: connection.name,
        apiVersion,
        fileContent: match.endpoint.fileContent === true && match.method === "GET",
      }),
    });
  } catch (err) {
    const extra: Record<string, string> = connection ? { "x-playground-connection": connection.name } : {};
    if (err instanceof ProxyError) return errorResponse(err, extra);
    if (err instanceof EnvError) {
      console.error(`[proxy] ${err.message}`);
      return errorResponse(
        new ProxyError(500, "configuration_error", `The server is misconfigured. ${err.message}`),
        extra,
      );
    }
    // Unknown failures are logged by kind only: their messages could carry request details.
    console.error(
      "[proxy] unexpected failure:",
      err instanceof Error ? `${err.name}: ${err.message}` : typeof err,
    );
    return errorResponse(
      new ProxyError(500, "internal_error", "The proxy failed unexpectedly; see the server log."),
      extra,
    );
  }
}
