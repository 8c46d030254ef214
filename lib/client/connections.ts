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
}

export const connectionKeys = {
  all: ["connections"] as const,
};

function isConnection(value: unknown): value is PlaygroundConnection {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.name === "string" && typeof c.label === "string" && typeof c.apiVersion === "string";
}

export async function fetchConnections(fetchImpl: typeof fetch = fetch): Promise<PlaygroundConnection[]> {
  const res = await fetchImpl("/api/playground/connections", { headers: { accept: "application/json" } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw PlaygroundHttpError.fromBody(res.status, body);
  const list = (body as { connections?: unknown } | null)?.connections;
  if (!Array.isArray(list))
    throw new PlaygroundHttpError(res.status, null, "The server sent no connection list.");
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
  }));
}

export const connectionsQuery = queryOptions({
  queryKey: connectionKeys.all,
  queryFn: () => fetchConnections(),
  staleTime: 5 * 60_000,
});

/** The connection in use: the chosen one if it still exists, else the server's default, else the first. */
export function pickConnection(
  connections: readonly PlaygroundConnection[],
  chosen: string | null,
): PlaygroundConnection | null {
  return (
    connections.find((c) => c.name === chosen) ?? connections.find((c) => c.default) ?? connections[0] ?? null
  );
}
