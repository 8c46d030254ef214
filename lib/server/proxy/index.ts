import "server-only";
import { resolveApiVersion, resolveConnection, type Connection } from "../connections";
import { getEngine } from "../engine";
import { EnvError } from "../env";
import { checkAccess } from "./access";
import { checkConnectionKind, FORWARDED_QUERY_PARAMS, matchRoute } from "./allowlist";
import { DEFAULT_LIMITS, prepareBody, type BodyLimits } from "./body";
import { errorResponse, ProxyError } from "./errors";
import { clientResponseHeaders, upstreamRequestHeaders } from "./headers";
import { forwardToAzure, forwardToEngine, type UpstreamRequest, type UpstreamResponse } from "./upstream";

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

async function startLocalEngine() {
  try {
    return getEngine();
  } catch (err) {
    if (err instanceof EnvError) throw err;
    throw new ProxyError(
      503,
      "engine_unavailable",
      `The local engine could not start: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function send(connection: Connection, req: UpstreamRequest): Promise<UpstreamResponse> {
  if (connection.kind === "azure-openai") return forwardToAzure(connection, req);
  return startLocalEngine().then((engine) => forwardToEngine(engine, req));
}

/**
 * Forwards one browser request on `/api/openai/<pathSegments>` to the connection it names, or
 * refuses it with an Azure-shaped JSON error before any upstream sees it.
 */
export async function handleProxy(
  request: Request,
  pathSegments: readonly string[],
  options: ProxyOptions = {},
): Promise<Response> {
  let connection: Connection | undefined;
  let apiVersion = "";
  try {
    await checkAccess(request);
    const url = new URL(request.url);
    const match = matchRoute(request.method, pathSegments, url.pathname);
    connection = resolveConnection(request.headers);
    checkConnectionKind(match, connection.kind, connection.name);
    apiVersion = resolveApiVersion(connection, url.searchParams.get("api-version"));
    const body = await prepareBody(request, match.body, options.limits ?? DEFAULT_LIMITS);

    const upstream = await send(connection, {
      method: match.method,
      path: match.path,
      query: forwardedQuery(url.searchParams, apiVersion),
      headers: upstreamRequestHeaders(request.headers),
      body,
      signal: request.signal,
    });
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
