/**
 * Errors the proxy itself produces, in the Azure/OpenAI wire shape
 * `{"error":{"code","message","type","param"}}`, so the SDK raises the matching APIError subclass.
 */

export type ProxyErrorCode =
  | "cross_origin_refused"
  | "invalid_path"
  | "endpoint_not_allowed"
  | "method_not_allowed"
  | "unsupported_media_type"
  | "request_too_large"
  | "invalid_request_body"
  | "unknown_connection"
  | "invalid_api_version"
  | "configuration_error"
  | "engine_unavailable"
  | "upstream_unreachable"
  | "upstream_timeout"
  | "client_closed_request"
  | "internal_error"
  // access control (lib/server/proxy/access.ts, lib/server/auth)
  | "sign_in_required"
  | "invalid_access_token"
  | "host_not_allowed"
  // connections (lib/server/connections.ts, lib/server/user-connections.ts)
  | "upstream_redirect"
  | "entra_token_unavailable"
  | "user_connection_refused"
  | "user_connections_disabled";

export class ProxyError extends Error {
  override name = "ProxyError";
  constructor(
    readonly status: number,
    readonly code: ProxyErrorCode,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorResponse(error: ProxyError, extraHeaders: Record<string, string> = {}): Response {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      type: error.status >= 500 ? "proxy_error" : "invalid_request_error",
      param: error.param,
    },
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...error.headers,
      ...extraHeaders,
    },
  });
}
