import "server-only";
/**
 * "Test connection": one cheap, read-only call (`GET assistants?limit=1`) on the connection, and a
 * diagnosis a person can act on — unreachable host (DNS, refused, TLS, timeout), bad key (401),
 * missing role (403, naming the role), wrong resource or retired API (404), unsupported api-version.
 */
import {
  CONNECTION_HEADER,
  resolveApiVersion,
  resolveRequestConnection,
  type Connection,
} from "./connections";
import { EnvError } from "./env";
import { checkAccess } from "./proxy/access";
import type { ConnectionKind } from "./proxy/allowlist";
import { errorResponse, ProxyError } from "./proxy/errors";
import { sendToConnection } from "./proxy/index";

export type Outcome =
  | "ok"
  | "unreachable"
  | "timeout"
  | "tls"
  | "bad_key"
  | "missing_role"
  | "not_found"
  | "unsupported_api_version"
  | "no_token"
  | "redirect"
  | "refused"
  | "rate_limited"
  | "not_assistants"
  | "upstream_error";

export interface Diagnosis {
  ok: boolean;
  outcome: Outcome;
  /** One line: what happened. */
  title: string;
  /** What it means and what to do. */
  detail: string;
  connection: string;
  kind: ConnectionKind | null;
  host: string | null;
  apiVersion: string | null;
  /** The upstream's HTTP status, code and message, when it answered. */
  status: number | null;
  code: string | null;
  message: string | null;
}

/** Azure OpenAI retired its hosted Assistants API on this date; Foundry classic agents follow later. */
export const AZURE_ASSISTANTS_RETIRED = "2026-08-26";
export const FOUNDRY_CLASSIC_RETIRES = "2027-03-31";

const TEST_TIMEOUT_MS = 12_000;
const CONNECT_TIMEOUT_MS = 8_000;
const MAX_BODY = 64 * 1024;

function secretsOf(connection: Connection): string[] {
  if (connection.kind === "local") return [];
  const a = connection.auth;
  return a.type === "api-key" || (a.type === "bearer" && a.key) ? [a.key as string] : [];
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("[redacted]");
  return out.length > 400 ? `${out.slice(0, 400)}…` : out;
}

async function readSome(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseError(text: string): { code: string | null; message: string | null } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown }; message?: unknown };
    const e = body.error ?? body;
    return {
      code:
        typeof (e as { code?: unknown }).code === "string" ||
        typeof (e as { code?: unknown }).code === "number"
          ? String((e as { code: unknown }).code)
          : null,
      message: typeof e.message === "string" ? e.message : null,
    };
  } catch {
    return { code: null, message: text.trim() ? text.trim().slice(0, 200) : null };
  }
}

function where(connection: Connection): string {
  return connection.kind === "local" ? "the local engine" : connection.host;
}

/**
 * What the one-item listing tells about the connection's assistants: it asks for one, so with more
 * on the server it can only say "more than one" (never "one" when there are nine).
 */
function assistantsFound(count: number, more: boolean): string {
  if (count === 0) return "none yet";
  if (more) return "more than one assistant; the test reads only the first";
  return "1 assistant";
}

/** `where` at the start of a sentence. */
function Where(connection: Connection): string {
  const w = where(connection);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function roleAdvice(connection: Connection): string {
  if (connection.kind === "foundry-agents")
    return 'Give this server\'s identity the "Azure AI User" role on the Foundry project (Access control (IAM) → Add role assignment), then wait a few minutes for it to apply.';
  if (connection.kind === "azure-openai" && connection.auth.type === "entra")
    return 'Give this server\'s identity the "Cognitive Services OpenAI User" role on the Azure OpenAI resource (Access control (IAM) → Add role assignment), then wait a few minutes for it to apply.';
  if (connection.kind === "azure-openai")
    return 'The key was accepted but access is forbidden: the resource\'s networking rules (firewall, private endpoint) may block this server. With Microsoft Entra ID instead of a key, the identity needs the "Cognitive Services OpenAI User" role.';
  return "The server accepted the key but refuses access: check the key's permissions or project on that server.";
}

function notFoundAdvice(connection: Connection, apiVersion: string): string {
  switch (connection.kind) {
    case "azure-openai":
      return (
        `Nothing answers at ${connection.host}/openai/assistants with api-version ${apiVersion}. Either the endpoint is not this Azure OpenAI resource ` +
        `(check the resource name in the endpoint), or the API is gone: Azure OpenAI retired its hosted Assistants API on ${AZURE_ASSISTANTS_RETIRED}, after which every Assistants call answers 404. ` +
        `Keep working on the local engine (Backup exports your assistants), or move to Foundry agents (classic agents retire on ${FOUNDRY_CLASSIC_RETIRES}).`
      );
    case "foundry-agents":
      return (
        `Nothing answers at ${connection.host} for this project. Check the project endpoint (https://<resource>.services.ai.azure.com/api/projects/<project>). ` +
        `Foundry classic agents retire on ${FOUNDRY_CLASSIC_RETIRES}; after that this endpoint answers 404 and the local engine is the place to keep them.`
      );
    case "openai-compatible":
      return (
        `Nothing answers at ${connection.host} for /assistants. Check the base URL (it usually ends in /v1). ` +
        `OpenAI retired its hosted Assistants API on ${AZURE_ASSISTANTS_RETIRED}, so api.openai.com answers 404 to it.`
      );
    default:
      return "The local engine does not know this path.";
  }
}

function networkDiagnosis(
  err: ProxyError,
  base: Omit<Diagnosis, "ok" | "outcome" | "title" | "detail">,
): Diagnosis {
  const code = (err as ProxyError & { networkCode?: string | null }).networkCode ?? null;
  const host = base.host ?? "the host";
  const common = { ...base, ok: false, code: code ?? err.code, message: err.message };
  if (err.code === "upstream_timeout" || code === "ETIMEDOUT")
    return {
      ...common,
      outcome: "timeout",
      title: "Timed out",
      detail: `${host} did not answer in time. Check the endpoint, and that this server may reach it (firewall, private endpoint, proxy).`,
    };
  if (
    code === "ENOTFOUND" ||
    code === "EAI_AGAIN" ||
    /DNS lookup failed|resolves to no address/.test(err.message)
  )
    return {
      ...common,
      outcome: "unreachable",
      title: "Host not found (DNS)",
      detail: `The name ${host} does not resolve. Check the endpoint for typos; a resource name is part of its host (https://<resource>.openai.azure.com).`,
    };
  if (code === "ECONNREFUSED")
    return {
      ...common,
      outcome: "unreachable",
      title: "Connection refused",
      detail: `${host} refused the connection: nothing listens on that port, or a firewall rejects this server.`,
    };
  if (code && (/^ERR_TLS|CERT|SSL/.test(code) || code === "EPROTO"))
    return {
      ...common,
      outcome: "tls",
      title: "TLS failed",
      detail: `The secure connection to ${host} failed (${code}): its certificate is not valid for this name or not trusted here.`,
    };
  return {
    ...common,
    outcome: "unreachable",
    title: "Host unreachable",
    detail: `Could not reach ${host}${code ? ` (${code})` : ""}. Check the endpoint and this server's network access.`,
  };
}

/** Runs the test call on `connection` and explains the answer. */
export async function testConnection(connection: Connection, apiVersion: string): Promise<Diagnosis> {
  const base = {
    connection: connection.name,
    kind: connection.kind,
    host: connection.kind === "local" ? null : connection.host,
    apiVersion,
    status: null,
    code: null,
    message: null,
  };
  const secrets = secretsOf(connection);
  let status: number;
  let text: string;
  try {
    const query = new URLSearchParams({ limit: "1", "api-version": apiVersion });
    const response = await sendToConnection(connection, {
      method: "GET",
      path: "assistants",
      query,
      headers: { accept: "application/json" },
      body: { kind: "none" },
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    status = response.status;
    text = await readSome(response.body);
  } catch (err) {
    if (!(err instanceof ProxyError)) throw err;
    const message = scrub(err.message, secrets);
    switch (err.code) {
      case "entra_token_unavailable":
        return {
          ...base,
          ok: false,
          outcome: "no_token",
          title: "No Microsoft Entra token",
          detail: `This server could not sign in to Microsoft Entra ID. ${message}`,
          code: err.code,
          message,
        };
      case "upstream_redirect":
        return {
          ...base,
          ok: false,
          outcome: "redirect",
          title: "Redirected",
          detail: `${message} An Assistants endpoint answers directly; a redirect usually means a wrong URL or a sign-in page in front of it.`,
          code: err.code,
          message,
        };
      case "client_closed_request":
        return {
          ...base,
          ok: false,
          outcome: "timeout",
          title: "Timed out",
          detail: `${Where(connection)} accepted the connection but did not answer within ${TEST_TIMEOUT_MS / 1000} s.`,
          code: "timeout",
          message: null,
        };
      case "upstream_unreachable":
      case "upstream_timeout":
        return networkDiagnosis(err, { ...base, message });
      default:
        return {
          ...base,
          ok: false,
          outcome: "upstream_error",
          title: `Failed (${err.status})`,
          detail: message,
          status: err.status,
          code: err.code,
          message,
        };
    }
  }

  const parsed = parseError(text);
  const answered = {
    ...base,
    status,
    code: parsed.code,
    message: parsed.message === null ? null : scrub(parsed.message, secrets),
  };
  const upstreamSays = answered.message ? ` The upstream says: "${answered.message}"` : "";
  if (status === 200) {
    let count: number | null = null;
    let more = false;
    try {
      const body = JSON.parse(text) as { data?: unknown; has_more?: unknown };
      if (Array.isArray(body.data)) count = body.data.length;
      more = body.has_more === true;
    } catch {
      // handled below
    }
    if (count === null)
      return {
        ...answered,
        code: null,
        message: null,
        ok: false,
        outcome: "not_assistants",
        title: "Not an Assistants endpoint",
        detail: `${Where(connection)} answered 200, but not with a list of assistants. Check the endpoint URL.`,
      };
    return {
      ...answered,
      code: null,
      message: null,
      ok: true,
      outcome: "ok",
      title: "Connected",
      detail: `${Where(connection)} answered the Assistants API on api-version ${apiVersion}${connection.kind === "openai-compatible" ? " (Assistants v2; no api-version is sent)" : ""}: listing assistants works (${assistantsFound(count, more)}).`,
    };
  }
  if (status === 401)
    return {
      ...answered,
      ok: false,
      outcome: "bad_key",
      title: "Bad key (401)",
      detail:
        (connection.kind !== "local" && connection.auth.type === "entra"
          ? "The resource refused this server's Microsoft Entra token: the identity may belong to another tenant, or the endpoint is not the resource you meant."
          : connection.kind === "azure-openai"
            ? "The resource refused the api-key. Copy Key 1 or Key 2 from the resource's Keys and Endpoint page, and check that the endpoint is the same resource."
            : "The server refused the key. Check the key, and that it belongs to this server.") +
        upstreamSays,
    };
  if (status === 403)
    return {
      ...answered,
      ok: false,
      outcome: "missing_role",
      title: "Access denied (403): missing role",
      detail: roleAdvice(connection) + upstreamSays,
    };
  if (status === 404)
    return {
      ...answered,
      ok: false,
      outcome: "not_found",
      title: "Not found (404): wrong resource or retired API",
      detail: notFoundAdvice(connection, apiVersion) + upstreamSays,
    };
  if (status === 400 && /api[- _]?version/i.test(`${answered.message ?? ""} ${answered.code ?? ""}`))
    return {
      ...answered,
      ok: false,
      outcome: "unsupported_api_version",
      title: `Unsupported api-version ${apiVersion}`,
      detail: `${Where(connection)} does not take api-version ${apiVersion}.${upstreamSays} Choose another api-version in the header (Assistants exist on dated *-preview versions${connection.kind === "foundry-agents" ? "; Foundry takes v1 or 2025-05-01" : ""}).`,
    };
  if (status === 429)
    return {
      ...answered,
      ok: false,
      outcome: "rate_limited",
      title: "Reachable, but rate-limited (429)",
      detail: `The credentials work, but ${where(connection)} asks to slow down right now. Try again in a moment.${upstreamSays}`,
    };
  return {
    ...answered,
    ok: false,
    outcome: "upstream_error",
    title: `Upstream error (${status})`,
    detail: `${Where(connection)} answered ${status}.${upstreamSays}`,
  };
}

/**
 * POST /api/playground/connections/test `{ connection?, apiVersion? }` → `{ diagnosis }`. A user
 * connection's details come in its `x-playground-user-*` headers, as on the proxy.
 */
export async function handleConnectionTest(request: Request): Promise<Response> {
  try {
    await checkAccess(request);
    let input: { connection?: unknown; apiVersion?: unknown } = {};
    const text = await request.text();
    if (text.length > 4096) throw new ProxyError(413, "request_too_large", "The test request is too large.");
    if (text.trim()) {
      try {
        input = JSON.parse(text) as typeof input;
      } catch {
        throw new ProxyError(
          400,
          "invalid_request_body",
          'Send JSON: { "connection": "name", "apiVersion": "…" }.',
        );
      }
    }
    const headers = new Headers(request.headers);
    if (typeof input.connection === "string" && input.connection)
      headers.set(CONNECTION_HEADER, input.connection);
    const requestedVersion = typeof input.apiVersion === "string" ? input.apiVersion : null;
    let connection: Connection;
    try {
      connection = await resolveRequestConnection(headers);
    } catch (err) {
      if (
        err instanceof ProxyError &&
        ["user_connection_refused", "upstream_unreachable"].includes(err.code)
      ) {
        const name = headers.get(CONNECTION_HEADER) ?? "";
        const base = {
          connection: name,
          kind: null,
          host: null,
          apiVersion: requestedVersion,
          status: null,
          code: err.code,
          message: err.message,
        };
        const diagnosis: Diagnosis =
          err.code === "upstream_unreachable"
            ? networkDiagnosis(err, base)
            : {
                ...base,
                ok: false,
                outcome: "refused",
                title: "Refused by this server",
                detail: err.message,
              };
        return Response.json({ diagnosis }, { headers: { "cache-control": "no-store" } });
      }
      throw err;
    }
    const apiVersion = resolveApiVersion(connection, requestedVersion);
    const diagnosis = await testConnection(connection, apiVersion);
    return Response.json({ diagnosis }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof ProxyError) return errorResponse(err);
    if (err instanceof EnvError)
      return errorResponse(
        new ProxyError(500, "configuration_error", `The server is misconfigured. ${err.message}`),
      );
    console.error("[connection-test] unexpected failure:", err instanceof Error ? err.name : typeof err);
    return errorResponse(
      new ProxyError(
        500,
        "internal_error",
        "Testing the connection failed unexpectedly; see the server log.",
      ),
    );
  }
}
