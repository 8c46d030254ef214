import { queryOptions, useQuery } from "@tanstack/react-query";
import { LIMITS } from "@/lib/protocol/limits";
import { PlaygroundHttpError } from "./errors";

/** GET /api/playground/deployment (lib/server/deployment.ts). */
export interface DeploymentInfo {
  localEngine: "on" | "off" | "demo";
  serverless: string | null;
  maxUploadBytes: number;
  uploadLimitReason: string | null;
}

const PROTOCOL_MAX_FILE_BYTES = LIMITS.maxFileBytes;

/** What the browser assumes until the server has said otherwise: the protocol's limits. */
export const DEFAULT_DEPLOYMENT: DeploymentInfo = {
  localEngine: "on",
  serverless: null,
  maxUploadBytes: PROTOCOL_MAX_FILE_BYTES,
  uploadLimitReason: null,
};

export function parseDeployment(body: unknown): DeploymentInfo {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  return {
    localEngine: b.localEngine === "off" || b.localEngine === "demo" ? b.localEngine : "on",
    serverless: typeof b.serverless === "string" ? b.serverless : null,
    maxUploadBytes:
      typeof b.maxUploadBytes === "number" && b.maxUploadBytes > 0
        ? Math.min(b.maxUploadBytes, PROTOCOL_MAX_FILE_BYTES)
        : PROTOCOL_MAX_FILE_BYTES,
    uploadLimitReason: typeof b.uploadLimitReason === "string" ? b.uploadLimitReason : null,
  };
}

export const deploymentQuery = queryOptions({
  queryKey: ["deployment"] as const,
  queryFn: async ({ signal }) => {
    const res = await fetch("/api/playground/deployment", {
      signal,
      headers: { accept: "application/json" },
    });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw PlaygroundHttpError.fromBody(res.status, body);
    return parseDeployment(body);
  },
  staleTime: Infinity,
});

/** The host's limits; the protocol's until known (the server refuses what slips through). */
export function useDeployment(): DeploymentInfo {
  return useQuery(deploymentQuery).data ?? DEFAULT_DEPLOYMENT;
}
