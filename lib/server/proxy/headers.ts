/**
 * Headers pass by allowlist in both directions. Browser credentials (cookies, authorization,
 * api-key) and forwarding headers never go upstream; upstream cookies, CORS and hop-by-hop
 * headers never come back.
 */

const REQUEST_HEADERS = new Set([
  "accept",
  "content-type",
  "openai-beta",
  "user-agent",
  "x-ms-client-request-id",
  "x-stainless-arch",
  "x-stainless-lang",
  "x-stainless-os",
  "x-stainless-package-version",
  "x-stainless-runtime",
  "x-stainless-runtime-version",
  "x-stainless-retry-count",
  "x-stainless-timeout",
  "x-stainless-helper-method",
]);

const RESPONSE_HEADERS = new Set([
  "content-type",
  "content-length",
  // Bytes pass through untouched, so their encoding must travel with them.
  "content-encoding",
  "content-disposition",
  "retry-after",
  "retry-after-ms",
  "openai-poll-after-ms",
  "openai-processing-ms",
  "apim-request-id",
  "x-request-id",
  "x-ms-request-id",
  "x-ms-region",
  "x-ratelimit-limit-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-requests",
  "x-ratelimit-reset-tokens",
]);

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function entries(source: HeaderSource): [string, string][] {
  if (source instanceof Headers) return [...source.entries()];
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    out.push([name.toLowerCase(), Array.isArray(value) ? value.join(", ") : value]);
  }
  return out;
}

/** The browser's headers that may reach an upstream (auth is added by the upstream layer). */
export function upstreamRequestHeaders(incoming: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of incoming.entries()) {
    if (REQUEST_HEADERS.has(name)) out[name] = value;
  }
  return out;
}

export interface ResponseHeaderOptions {
  connection: string;
  apiVersion: string;
  fileContent: boolean;
}

const SAFE_INLINE_TYPES = /^image\/(png|jpeg|gif|webp|avif|bmp)\b/i;

/** The upstream's response headers the client may see, plus the proxy's own. */
export function clientResponseHeaders(upstream: HeaderSource, options: ResponseHeaderOptions): Headers {
  const out = new Headers();
  for (const [name, value] of entries(upstream)) {
    if (RESPONSE_HEADERS.has(name)) out.set(name, value);
  }
  out.set("cache-control", "no-store");
  out.set("x-content-type-options", "nosniff");
  out.set("x-playground-connection", options.connection);
  out.set("x-playground-api-version", options.apiVersion);
  if ((out.get("content-type") ?? "").startsWith("text/event-stream")) {
    // Tells any buffering reverse proxy in front of the app to pass events through as they come.
    out.set("x-accel-buffering", "no");
  }
  if (options.fileContent) {
    // File bytes come from users and models: they must never render as a page of this origin.
    out.set("content-security-policy", "sandbox");
    const type = out.get("content-type") ?? "";
    const disposition = out.get("content-disposition");
    const filename = disposition ? (/;\s*filename\*?=.*$/i.exec(disposition)?.[0] ?? "") : "";
    // SVG is an image that can carry script, so only raster types are shown inline.
    out.set("content-disposition", `${SAFE_INLINE_TYPES.test(type) ? "inline" : "attachment"}${filename}`);
  }
  return out;
}
