import "server-only";
import {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  FOUNDRY_API_VERSIONS as ENGINE_FOUNDRY_VERSIONS,
  OPENAI_COMPATIBLE_API_VERSION,
} from "@/lib/protocol/api-versions";
import { codeSandboxStatus, engineModelLabel } from "./engine";
import { ENTRA_SCOPES } from "./entra";
import { EnvError, getEnv, type ServerEnv } from "./env";
import {
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  FOUNDRY_API_VERSIONS,
  USER_CONNECTION_NAME,
  type ConnectionConfig,
  type UpstreamTimeouts,
} from "./env/connections-env";
import type { ConnectionKind } from "./proxy/allowlist";
import { errorResponse, ProxyError } from "./proxy/errors";
import type { AuthKind, Connection } from "./connection-types";

export const CONNECTION_HEADER = "x-playground-connection";

/** A dated Azure api-version, or an undated label (`v1` on Foundry, `v2` for OpenAI-compatible servers). */
export const REQUEST_API_VERSION_PATTERN = /^(\d{4}-\d{2}-\d{2}(-preview)?|v\d)$/;
const DATED = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** What an OpenAI-compatible connection reports as its version: it takes none, speaks Assistants v2. */
export const OPENAI_COMPATIBLE_VERSION = OPENAI_COMPATIBLE_API_VERSION;

/** The dated Azure OpenAI api-versions that have the Assistants API (v1 and v2 shapes; the engine speaks the same). */
export const AZURE_ASSISTANTS_VERSIONS = API_VERSIONS.map((v) => v.version);

export type { Auth, AuthKind, Connection, LocalConnection, RemoteConnection } from "./connection-types";

/** What the browser may know about a connection: no endpoint URL, no key. */
export interface PublicConnection {
  name: string;
  kind: ConnectionKind;
  label: string;
  description: string;
  apiVersion: string;
  apiVersions: string[];
  deployments: string[];
  /** The endpoint's host (no path, no key); null for the local engine. */
  host: string | null;
  auth: AuthKind;
  listThreads: boolean;
  /**
   * What runs code-interpreter code on a local engine connection (its sandbox's status); null for
   * remote connections, whose service runs code itself.
   */
  codeSandbox: { kind: "python" | "azure-sessions" | "off"; available: boolean; description: string } | null;
  /** The local engine's model kind (the builder's note differs); null for remote connections. */
  engineModel: "scripted" | "chat-completions" | null;
  default: boolean;
}

const ENGINE_VERSIONS = API_VERSIONS.map((v) => v.version);
/** The engine also speaks Foundry's surface (`@azure/ai-agents` sends `v1`); the UI is offered Azure's. */
const ENGINE_ACCEPTS = [...ENGINE_VERSIONS, ...ENGINE_FOUNDRY_VERSIONS];

function localModelLabel(config: Extract<ConnectionConfig, { kind: "local" }>): string {
  return engineModelLabel(config.model);
}

function withVersion(list: readonly string[], version: string): string[] {
  return list.includes(version) ? [...list] : [...list, version];
}

const DEFAULT_TIMEOUTS: UpstreamTimeouts = {
  responseTimeoutMs: DEFAULT_UPSTREAM_TIMEOUT_MS,
  streamIdleTimeoutMs: DEFAULT_STREAM_IDLE_TIMEOUT_MS,
};

/** The server-wide upstream timeouts (PLAYGROUND_UPSTREAM_TIMEOUT_MS, PLAYGROUND_STREAM_IDLE_TIMEOUT_MS). */
export function upstreamTimeouts(env: ServerEnv = getEnv()): UpstreamTimeouts {
  return env.upstreamTimeouts;
}

/** Maps one configured connection onto what the proxy needs. */
export function fromConfig(
  config: ConnectionConfig,
  timeouts: UpstreamTimeouts = DEFAULT_TIMEOUTS,
): Connection {
  const timeoutsOf = (c: { responseTimeoutMs?: number; streamIdleTimeoutMs?: number }) => ({
    responseTimeoutMs: c.responseTimeoutMs ?? timeouts.responseTimeoutMs,
    streamIdleTimeoutMs: c.streamIdleTimeoutMs ?? timeouts.streamIdleTimeoutMs,
  });
  switch (config.kind) {
    case "local":
      return {
        name: config.name,
        kind: "local",
        label: config.label ?? `Local engine — ${localModelLabel(config)}`,
        description:
          config.model.kind === "scripted"
            ? "The Assistants engine built into this server: no keys, no network; state is kept on this server's disk."
            : `The Assistants engine built into this server, running assistants on ${engineModelLabel(config.model)} through chat completions (the key stays on this server); state is kept on this server's disk.`,
        apiVersion: DEFAULT_API_VERSION,
        apiVersions: ENGINE_VERSIONS,
        // The scripted model answers to any name; these are the names people bring from Azure.
        deployments: ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-35-turbo"],
        listThreads: true,
        supportsApiVersion: (v) => ENGINE_ACCEPTS.includes(v),
        config,
      };
    case "azure-openai": {
      const host = new URL(config.endpoint).host;
      const key = config.apiKey;
      const entra = key === null;
      return {
        name: config.name,
        kind: "azure-openai",
        label: config.label ?? `Azure OpenAI — ${host}`,
        description: entra
          ? `Azure OpenAI Assistants on ${host}, signed in with this server's Microsoft Entra identity (role: Cognitive Services OpenAI User).`
          : `Azure OpenAI Assistants on ${host}; the api-key stays on this server.`,
        apiVersion: config.apiVersion,
        apiVersions: withVersion(AZURE_ASSISTANTS_VERSIONS, config.apiVersion),
        deployments: config.deployments,
        listThreads: false,
        supportsApiVersion: (v) => DATED.test(v),
        baseURL: `${config.endpoint.replace(/\/+$/, "")}/openai`,
        host,
        auth:
          key === null ? { type: "entra", scope: ENTRA_SCOPES.cognitiveServices } : { type: "api-key", key },
        sendsApiVersion: true,
        headers: {},
        normalizeLists: false,
        pinned: null,
        ...timeoutsOf(config),
      };
    }
    case "foundry-agents": {
      const host = new URL(config.endpoint).host;
      return {
        name: config.name,
        kind: "foundry-agents",
        label: config.label ?? `Foundry agents — ${host}`,
        description: `Foundry Agent Service (classic agents) project on ${host}, signed in with this server's Microsoft Entra identity (role: Azure AI User). Classic agents retire on 2027-03-31.`,
        apiVersion: config.apiVersion,
        apiVersions: [...FOUNDRY_API_VERSIONS],
        deployments: config.deployments,
        listThreads: true,
        supportsApiVersion: (v) => (FOUNDRY_API_VERSIONS as readonly string[]).includes(v),
        baseURL: config.endpoint.replace(/\/+$/, ""),
        host,
        auth: { type: "entra", scope: ENTRA_SCOPES.foundry },
        sendsApiVersion: true,
        headers: {},
        normalizeLists: true,
        pinned: null,
        ...timeoutsOf(config),
      };
    }
    case "openai-compatible": {
      const host = new URL(config.baseURL).host;
      return {
        name: config.name,
        kind: "openai-compatible",
        label: config.label ?? `OpenAI-compatible — ${host}`,
        description: `An OpenAI Assistants v2 server at ${host}${config.apiKey ? "; the key stays on this server" : ""}.`,
        apiVersion: OPENAI_COMPATIBLE_VERSION,
        apiVersions: [OPENAI_COMPATIBLE_VERSION],
        deployments: config.deployments,
        listThreads: false,
        supportsApiVersion: (v) => v === OPENAI_COMPATIBLE_VERSION,
        baseURL: config.baseURL.replace(/\/+$/, ""),
        host,
        auth: { type: "bearer", key: config.apiKey },
        sendsApiVersion: false,
        headers: { "openai-beta": "assistants=v2" },
        normalizeLists: false,
        pinned: null,
        ...timeoutsOf(config),
      };
    }
  }
}

/** All configured connections, the default first. */
export function listConnections(): Connection[] {
  const env = getEnv();
  const timeouts = upstreamTimeouts(env);
  const out = env.connections.map((c) => fromConfig(c, timeouts));
  const i = out.findIndex((c) => c.name === env.defaultConnection);
  if (i > 0) out.unshift(...out.splice(i, 1));
  return out;
}

export function defaultConnection(): Connection {
  const [first] = listConnections();
  if (!first) throw new Error("no connections");
  return first;
}

function unknownConnection(requested: string, connections: Connection[]): ProxyError {
  return new ProxyError(
    400,
    "unknown_connection",
    `Unknown connection "${requested.slice(0, 64)}" in the ${CONNECTION_HEADER} header; known connections: ${connections.map((c) => c.name).join(", ")}.`,
    CONNECTION_HEADER,
  );
}

/** The configured connection a request names with `x-playground-connection`, else the default one. */
export function resolveConnection(headers: Headers): Connection {
  const connections = listConnections();
  const requested = headers.get(CONNECTION_HEADER)?.trim();
  if (!requested) return connections[0] ?? defaultConnection();
  const found = connections.find((c) => c.name === requested);
  if (!found) throw unknownConnection(requested, connections);
  return found;
}

/**
 * Like resolveConnection, and also the connection a person typed in the browser
 * (`x-playground-connection: user`, when PLAYGROUND_ALLOW_USER_CONNECTIONS=true): its endpoint is
 * checked against the host allowlist and its addresses resolved and checked now.
 */
export async function resolveRequestConnection(headers: Headers): Promise<Connection> {
  if (headers.get(CONNECTION_HEADER)?.trim() === USER_CONNECTION_NAME) {
    const { resolveUserConnection } = await import("./user-connections");
    const connection = await resolveUserConnection(headers);
    const timeouts = upstreamTimeouts();
    return {
      ...connection,
      responseTimeoutMs: connection.responseTimeoutMs ?? timeouts.responseTimeoutMs,
      streamIdleTimeoutMs: connection.streamIdleTimeoutMs ?? timeouts.streamIdleTimeoutMs,
    };
  }
  return resolveConnection(headers);
}

/** The api-version to send upstream: the request's when the connection takes it, else the default. */
export function resolveApiVersion(connection: Connection, requested: string | null): string {
  if (requested === null || requested === "") return connection.apiVersion;
  // Undated labels (v1, v2) exist only on Foundry and OpenAI-compatible servers; the local engine takes
  // Foundry's as well as the dated ones.
  const wellFormed =
    connection.kind === "azure-openai"
      ? DATED.test(requested)
      : connection.kind === "local"
        ? DATED.test(requested) || ENGINE_FOUNDRY_VERSIONS.includes(requested)
        : REQUEST_API_VERSION_PATTERN.test(requested);
  if (!wellFormed) {
    throw new ProxyError(
      400,
      "invalid_api_version",
      `api-version "${requested.slice(0, 40)}" is malformed; expected a version such as ${connection.apiVersion}.`,
      "api-version",
    );
  }
  return connection.supportsApiVersion(requested) ? requested : connection.apiVersion;
}

export function authKind(connection: Connection): AuthKind {
  return connection.kind === "local" ? "none" : connection.auth.type;
}

export function toPublic(connection: Connection, isDefault: boolean): PublicConnection {
  return {
    name: connection.name,
    kind: connection.kind,
    label: connection.label,
    description: connection.description,
    apiVersion: connection.apiVersion,
    apiVersions: connection.apiVersions,
    deployments: connection.deployments,
    host: connection.kind === "local" ? null : connection.host,
    auth: authKind(connection),
    listThreads: connection.listThreads,
    codeSandbox: connection.kind === "local" ? { ...codeSandboxStatus(connection.config) } : null,
    engineModel: connection.kind === "local" ? connection.config.model.kind : null,
    default: isDefault,
  };
}

export function publicConnections(): PublicConnection[] {
  return listConnections().map((c, i) => toPublic(c, i === 0));
}

/** The body of GET /api/playground/connections. */
export function connectionsResponse(): Response {
  try {
    const env = getEnv();
    return Response.json(
      {
        connections: publicConnections(),
        userConnections: {
          enabled: env.userConnections.enabled,
          hosts: env.userConnections.enabled ? env.userConnections.hostPatterns : [],
        },
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    return errorResponse(
      new ProxyError(500, "configuration_error", `The server is misconfigured. ${err.message}`),
    );
  }
}
