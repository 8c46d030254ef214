/**
 * Which requests the proxy forwards: the Assistants endpoints with their real methods (the paths
 * of specs/azure-openai/2024-05-01-preview/assistants_generated.json and the v1 spec beside it),
 * nothing else. Everything here is decided from the path and method alone, before any connection or
 * upstream is involved.
 */
import { ProxyError } from "./errors";

export type Method = "GET" | "POST" | "DELETE";
export type BodyKind = "none" | "json" | "multipart";
export type ConnectionKind = "local" | "azure-openai" | "foundry-agents" | "openai-compatible";

export interface Endpoint {
  /** Segments; `{id}` stands for an object id. */
  pattern: string;
  methods: Partial<Record<Method, BodyKind>>;
  /** Restricts the endpoint to some connection kinds (the upstream does not have it). */
  only?: ConnectionKind[];
  /** Serves file bytes: answered with download-safety headers. */
  fileContent?: boolean;
}

export const ENDPOINTS: readonly Endpoint[] = [
  { pattern: "assistants", methods: { GET: "none", POST: "json" } },
  { pattern: "assistants/{id}", methods: { GET: "none", POST: "json", DELETE: "none" } },
  // v1 (2024-02-15-preview family) assistant files
  { pattern: "assistants/{id}/files", methods: { GET: "none", POST: "json" } },
  { pattern: "assistants/{id}/files/{id}", methods: { GET: "none", DELETE: "none" } },
  // Listing threads exists in the local engine and Foundry, not in Azure OpenAI.
  { pattern: "threads", methods: { GET: "none" }, only: ["local", "foundry-agents"] },
  { pattern: "threads", methods: { POST: "json" } },
  { pattern: "threads/runs", methods: { POST: "json" } },
  { pattern: "threads/{id}", methods: { GET: "none", POST: "json", DELETE: "none" } },
  { pattern: "threads/{id}/messages", methods: { GET: "none", POST: "json" } },
  { pattern: "threads/{id}/messages/{id}", methods: { GET: "none", POST: "json", DELETE: "none" } },
  // v1 message files
  { pattern: "threads/{id}/messages/{id}/files", methods: { GET: "none" } },
  { pattern: "threads/{id}/messages/{id}/files/{id}", methods: { GET: "none" } },
  { pattern: "threads/{id}/runs", methods: { GET: "none", POST: "json" } },
  { pattern: "threads/{id}/runs/{id}", methods: { GET: "none", POST: "json" } },
  { pattern: "threads/{id}/runs/{id}/submit_tool_outputs", methods: { POST: "json" } },
  { pattern: "threads/{id}/runs/{id}/cancel", methods: { POST: "json" } },
  { pattern: "threads/{id}/runs/{id}/steps", methods: { GET: "none" } },
  { pattern: "threads/{id}/runs/{id}/steps/{id}", methods: { GET: "none" } },
  { pattern: "files", methods: { GET: "none", POST: "multipart" } },
  { pattern: "files/{id}", methods: { GET: "none", DELETE: "none" } },
  { pattern: "files/{id}/content", methods: { GET: "none" }, fileContent: true },
  { pattern: "vector_stores", methods: { GET: "none", POST: "json" } },
  { pattern: "vector_stores/{id}", methods: { GET: "none", POST: "json", DELETE: "none" } },
  { pattern: "vector_stores/{id}/files", methods: { GET: "none", POST: "json" } },
  { pattern: "vector_stores/{id}/files/{id}", methods: { GET: "none", DELETE: "none" } },
  { pattern: "vector_stores/{id}/file_batches", methods: { POST: "json" } },
  { pattern: "vector_stores/{id}/file_batches/{id}", methods: { GET: "none" } },
  { pattern: "vector_stores/{id}/file_batches/{id}/cancel", methods: { POST: "json" } },
  { pattern: "vector_stores/{id}/file_batches/{id}/files", methods: { GET: "none" } },
];

/** Object ids on this protocol: `asst_…`, `thread_…`, `file-…`, `assistant-…`, `vs_…` and the like. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const LITERALS = new Set(ENDPOINTS.flatMap((e) => e.pattern.split("/")).filter((s) => s !== "{id}"));
const MAX_SEGMENTS = Math.max(...ENDPOINTS.map((e) => e.pattern.split("/").length));

/** Query parameters the Assistants endpoints take; anything else is dropped, not forwarded. */
export const FORWARDED_QUERY_PARAMS = new Set([
  "limit",
  "order",
  "after",
  "before",
  "run_id",
  "filter",
  "purpose",
  "include",
  "include[]",
  // `@azure/ai-agents` encodes this name twice; the engine reads it (lib/engine/handlers/runs.ts).
  "include%5B%5D",
]);

export interface RouteMatch {
  path: string;
  method: Method;
  body: BodyKind;
  endpoint: Endpoint;
}

function describe(method: string, segments: readonly string[]): string {
  const shown = segments.join("/").slice(0, 200);
  return `${method} /${shown}`;
}

/**
 * Validates the path and finds its endpoint. `rawPath` is the request URL's pathname as it arrived
 * (still percent-encoded), `segments` what the router decoded from it; both must agree.
 */
export function matchRoute(method: string, segments: readonly string[], rawPath: string): RouteMatch {
  if (segments.length === 0) {
    throw new ProxyError(
      404,
      "endpoint_not_allowed",
      "No endpoint given: the proxy serves /api/openai/<Assistants API path>.",
    );
  }
  // Percent-encoding (`%2F`, `%2e`, `%5C`…) is never needed for the ids and names of this protocol.
  if (rawPath.includes("%") || rawPath.includes("\\")) {
    throw new ProxyError(400, "invalid_path", "Encoded characters are not allowed in the path.");
  }
  const joined = segments.join("/");
  if (!rawPath.endsWith(`/${joined}`) || rawPath.includes("//")) {
    throw new ProxyError(400, "invalid_path", "Empty path segments are not allowed.");
  }
  if (segments[0] === "_engine") {
    throw new ProxyError(
      404,
      "endpoint_not_allowed",
      "The engine's control endpoints are not reachable through the proxy.",
    );
  }
  for (const segment of segments) {
    if (segment === "") throw new ProxyError(400, "invalid_path", "Empty path segments are not allowed.");
    if (segment === "." || segment === "..")
      throw new ProxyError(400, "invalid_path", "Relative path segments are not allowed.");
    if (segment.includes(":"))
      throw new ProxyError(400, "invalid_path", "Absolute URLs are not allowed in the path.");
    if (!ID.test(segment)) {
      throw new ProxyError(
        400,
        "invalid_path",
        `Path segment "${segment.slice(0, 64)}" has characters that no endpoint or id uses.`,
      );
    }
  }

  let best: { endpoint: Endpoint; literals: number } | undefined;
  if (segments.length <= MAX_SEGMENTS) {
    for (const endpoint of ENDPOINTS) {
      const parts = endpoint.pattern.split("/");
      if (parts.length !== segments.length) continue;
      let literals = 0;
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const part = parts[i];
        const segment = segments[i] ?? "";
        // An id never spells an endpoint name, so `threads/runs` can only be create-thread-and-run.
        if (part === "{id}") ok = !LITERALS.has(segment);
        else if (part === segment) literals++;
        else ok = false;
      }
      if (!ok) continue;
      if (!best || literals > best.literals) best = { endpoint, literals };
    }
  }
  if (!best) {
    throw new ProxyError(
      404,
      "endpoint_not_allowed",
      `${describe(method, segments)} is not an Assistants API endpoint; the playground proxy forwards only assistants, threads, messages, runs, run steps, files and vector stores.`,
    );
  }
  const pattern = best.endpoint.pattern;
  const candidates = ENDPOINTS.filter((e) => e.pattern === pattern);
  const endpoint = candidates.find((e) => method in e.methods);
  if (!endpoint) {
    const allowed = [...new Set(candidates.flatMap((e) => Object.keys(e.methods)))].join(", ");
    throw new ProxyError(
      405,
      "method_not_allowed",
      `${method} is not allowed on /${joined}; allowed: ${allowed}.`,
      null,
      { allow: allowed },
    );
  }
  const m = method as Method;
  return { path: joined, method: m, body: endpoint.methods[m] ?? "none", endpoint };
}

/** Refuses an endpoint the chosen connection's upstream does not have. */
export function checkConnectionKind(match: RouteMatch, kind: ConnectionKind, connectionName: string): void {
  if (match.endpoint.only && !match.endpoint.only.includes(kind)) {
    throw new ProxyError(
      404,
      "endpoint_not_allowed",
      `${match.method} /${match.path} is not available on connection "${connectionName}" (${kind}).`,
    );
  }
}
