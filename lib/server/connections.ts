import "server-only";
import { API_VERSIONS, DEFAULT_API_VERSION } from "@/lib/engine/api-versions";
import { getEngine } from "./engine";
import { API_VERSION_PATTERN, EnvError, getEnv } from "./env";
import type { ConnectionKind } from "./proxy/allowlist";
import { errorResponse, ProxyError } from "./proxy/errors";

export const CONNECTION_HEADER = "x-playground-connection";

interface ConnectionBase {
  name: string;
  kind: ConnectionKind;
  label: string;
  description: string;
  /** The api-version used when a request carries none, or one this connection does not take. */
  apiVersion: string;
  /** The api-versions offered to the UI. */
  apiVersions: string[];
  /** Deployment (model) names to suggest; the protocol has no endpoint that lists them. */
  deployments: string[];
  supportsApiVersion(version: string): boolean;
}

export interface LocalConnection extends ConnectionBase {
  kind: "local";
}

export interface AzureConnection extends ConnectionBase {
  kind: "azure-openai";
  /** `https://host[/path]`, without the trailing `/openai`. */
  endpoint: string;
  apiKey: string;
  host: string;
}

export type Connection = LocalConnection | AzureConnection;

/** What the browser may know about a connection: no endpoint URL, no key. */
export interface PublicConnection {
  name: string;
  kind: ConnectionKind;
  label: string;
  description: string;
  apiVersion: string;
  apiVersions: string[];
  deployments: string[];
  default: boolean;
}

const ENGINE_VERSIONS = API_VERSIONS.map((v) => v.version);

function localModelLabel(): string {
  try {
    return getEngine().model.label;
  } catch {
    return "scripted model";
  }
}

/** All configured connections, the default first. */
export function listConnections(): Connection[] {
  const env = getEnv();
  const out: Connection[] = [];
  for (const config of env.connections) {
    if (config.kind === "local") {
      out.push({
        name: config.name,
        kind: "local",
        label: config.label ?? `Local engine — ${localModelLabel()}`,
        description:
          "The Assistants engine built into this server: no keys, no network; state is kept on this server's disk.",
        apiVersion: DEFAULT_API_VERSION,
        apiVersions: ENGINE_VERSIONS,
        // The scripted model answers to any name; these are the names people bring from Azure.
        deployments: ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-35-turbo"],
        supportsApiVersion: (v) => ENGINE_VERSIONS.includes(v),
      });
    } else if (config.kind === "azure-openai" && config.apiKey !== null) {
      const host = new URL(config.endpoint).host;
      out.push({
        name: config.name,
        kind: "azure-openai",
        label: config.label ?? `Azure OpenAI — ${host}`,
        description: `Azure OpenAI Assistants on ${host}; the api-key stays on this server.`,
        apiVersion: config.apiVersion,
        apiVersions: ENGINE_VERSIONS.includes(config.apiVersion)
          ? ENGINE_VERSIONS
          : [...ENGINE_VERSIONS, config.apiVersion],
        deployments: config.deployments,
        supportsApiVersion: (v) => API_VERSION_PATTERN.test(v),
        endpoint: config.endpoint,
        apiKey: config.apiKey,
        host,
      });
    }
    // Entra ID, Foundry and OpenAI-compatible connections arrive with the connections work (issue 7).
  }
  const i = out.findIndex((c) => c.name === env.defaultConnection);
  if (i > 0) out.unshift(...out.splice(i, 1));
  return out;
}

export function defaultConnection(): Connection {
  const [first] = listConnections();
  if (!first) throw new Error("no connections");
  return first;
}

/** The connection a request names with `x-playground-connection`, else the default one. */
export function resolveConnection(headers: Headers): Connection {
  const connections = listConnections();
  const requested = headers.get(CONNECTION_HEADER)?.trim();
  if (!requested) return connections[0] ?? defaultConnection();
  const found = connections.find((c) => c.name === requested);
  if (!found) {
    throw new ProxyError(
      400,
      "unknown_connection",
      `Unknown connection "${requested.slice(0, 64)}" in the ${CONNECTION_HEADER} header; known connections: ${connections.map((c) => c.name).join(", ")}.`,
      CONNECTION_HEADER,
    );
  }
  return found;
}

/** The api-version to send upstream: the request's when the connection takes it, else the default. */
export function resolveApiVersion(connection: Connection, requested: string | null): string {
  if (requested === null || requested === "") return connection.apiVersion;
  if (!API_VERSION_PATTERN.test(requested)) {
    throw new ProxyError(
      400,
      "invalid_api_version",
      `api-version "${requested.slice(0, 40)}" is malformed; expected a dated version such as ${connection.apiVersion}.`,
      "api-version",
    );
  }
  return connection.supportsApiVersion(requested) ? requested : connection.apiVersion;
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
    default: isDefault,
  };
}

export function publicConnections(): PublicConnection[] {
  return listConnections().map((c, i) => toPublic(c, i === 0));
}

/** The body of GET /api/playground/connections. */
export function connectionsResponse(): Response {
  try {
    return Response.json({ connections: publicConnections() }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    return errorResponse(
      new ProxyError(500, "configuration_error", `The server is misconfigured. ${err.message}`),
    );
  }
}
