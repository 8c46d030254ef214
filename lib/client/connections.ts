import { queryOptions } from "@tanstack/react-query";
import { PlaygroundHttpError } from "./errors";

export interface PlaygroundConnection {
  name: string;
  kind: string;
  label: string;
  description: string;
  apiVersion: string;
  apiVersions: string[];
  /** Deployment names to suggest (configured on the server). */
  deployments: string[];
  default: boolean;
  /** The endpoint's host; null for the local engine. */
  host?: string | null;
  /** How the server authenticates: "none" | "api-key" | "entra" | "bearer". */
  auth?: string;
  /** Whether the upstream can list threads (local engine, Foundry). */
  listThreads?: boolean;
  /**
   * What runs code-interpreter code on a local engine connection: its sandbox, e.g.
   * `{kind: "python", available: true, description: "Python 3.11, isolated (bubblewrap), no network"}`;
   * null for remote connections (their service runs code itself).
   */
  codeSandbox?: CodeSandboxInfo | null;
  /** The local engine's model kind; null for remote connections. */
  engineModel?: "scripted" | "chat-completions" | null;
  /** Typed in by the user in this browser tab. */
  user?: boolean;
}

export interface CodeSandboxInfo {
  kind: string;
  available: boolean;
  description: string;
}

function codeSandboxOf(value: unknown): CodeSandboxInfo | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.description !== "string") return null;
  return {
    kind: typeof v.kind === "string" ? v.kind : "off",
    available: v.available === true,
    description: v.description,
  };
}

export interface UserConnectionsInfo {
  /** PLAYGROUND_ALLOW_USER_CONNECTIONS on the server. */
  enabled: boolean;
  /** Host patterns a typed-in endpoint must match. */
  hosts: string[];
}

export interface ConnectionsInfo {
  connections: PlaygroundConnection[];
  userConnections: UserConnectionsInfo;
}

export const connectionKeys = {
  all: ["connections"] as const,
};

const KINDS_LABEL: Record<string, string> = {
  local: "Local engine",
  "azure-openai": "Azure OpenAI",
  "foundry-agents": "Foundry agents",
  "openai-compatible": "OpenAI-compatible",
};

export function kindLabel(kind: string): string {
  return KINDS_LABEL[kind] ?? kind;
}

const AUTH_LABEL: Record<string, string> = {
  none: "no key",
  "api-key": "api-key (on the server)",
  entra: "Microsoft Entra ID",
  bearer: "bearer key",
};

export function authLabel(auth: string | undefined): string {
  return auth ? (AUTH_LABEL[auth] ?? auth) : "";
}

function isConnection(value: unknown): value is PlaygroundConnection & Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.name === "string" && typeof c.label === "string" && typeof c.apiVersion === "string";
}

export async function fetchConnections(fetchImpl: typeof fetch = fetch): Promise<PlaygroundConnection[]> {
  return (await fetchConnectionsInfo(fetchImpl)).connections;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The connection list and whether (and where) connections may be typed in here. */
export async function fetchConnectionsInfo(fetchImpl: typeof fetch = fetch): Promise<ConnectionsInfo> {
  const res = await fetchImpl("/api/playground/connections", { headers: { accept: "application/json" } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw PlaygroundHttpError.fromBody(res.status, body);
  const list = (body as { connections?: unknown } | null)?.connections;
  if (!Array.isArray(list))
    throw new PlaygroundHttpError(res.status, null, "The server sent no connection list.");
  const user = (body as { userConnections?: { enabled?: unknown; hosts?: unknown } }).userConnections;
  return {
    connections: normalize(list),
    userConnections: { enabled: user?.enabled === true, hosts: strings(user?.hosts) },
  };
}

function normalize(list: unknown[]): PlaygroundConnection[] {
  return list.filter(isConnection).map((c) => ({
    ...c,
    kind: typeof c.kind === "string" ? c.kind : "unknown",
    description: typeof c.description === "string" ? c.description : "",
    apiVersions: Array.isArray(c.apiVersions)
      ? c.apiVersions.filter((v): v is string => typeof v === "string")
      : [c.apiVersion],
    deployments: Array.isArray(c.deployments)
      ? c.deployments.filter((v): v is string => typeof v === "string")
      : [],
    default: c.default === true,
    host: typeof c.host === "string" ? c.host : null,
    auth: typeof c.auth === "string" ? c.auth : "none",
    listThreads: c.listThreads === true,
    codeSandbox: codeSandboxOf(c.codeSandbox),
    engineModel: c.engineModel === "scripted" || c.engineModel === "chat-completions" ? c.engineModel : null,
  }));
}

/** The server's connections and the user-connection settings, under one key. */
export const connectionsInfoQuery = queryOptions({
  queryKey: connectionKeys.all,
  queryFn: () => fetchConnectionsInfo(),
  staleTime: 5 * 60_000,
});

export const connectionsQuery = queryOptions({
  ...connectionsInfoQuery,
  select: (info: ConnectionsInfo) => info.connections,
});

/** What Test connection found (lib/server/connection-test.ts). */
export interface Diagnosis {
  ok: boolean;
  outcome: string;
  title: string;
  detail: string;
  connection: string;
  kind: string | null;
  host: string | null;
  apiVersion: string | null;
  status: number | null;
  code: string | null;
  message: string | null;
}

/**
 * Runs Test connection on the server. `fetchImpl` should add a user connection's details
 * (withUserConnection) when `name` is the user's connection.
 */
export async function testConnection(
  name: string,
  apiVersion: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Diagnosis> {
  const res = await fetchImpl("/api/playground/connections/test", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      "x-playground-connection": name,
    },
    body: JSON.stringify({ connection: name, apiVersion }),
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw PlaygroundHttpError.fromBody(res.status, body);
  const diagnosis = (body as { diagnosis?: Diagnosis } | null)?.diagnosis;
  if (!diagnosis || typeof diagnosis.title !== "string")
    throw new PlaygroundHttpError(res.status, null, "The server sent no diagnosis.");
  return diagnosis;
}

/** The connection in use: the chosen one if it still exists, else the server's default, else the first. */
export function pickConnection(
  connections: readonly PlaygroundConnection[],
  chosen: string | null,
): PlaygroundConnection | null {
  return (
    connections.find((c) => c.name === chosen) ?? connections.find((c) => c.default) ?? connections[0] ?? null
  );
}
