import "server-only";
import { LIMITS } from "@/lib/protocol/limits";
import { getEnv, type ServerEnv } from "./env";

/** What the browser needs to know about where it runs: nothing secret. */
export interface DeploymentInfo {
  /** on | off | demo (on, but in a temporary directory that a restart forgets). */
  localEngine: "on" | "off" | "demo";
  /** "Vercel", … when the host is serverless; null on a long-lived server. */
  serverless: string | null;
  /** The largest file the browser may send in one upload on this host. */
  maxUploadBytes: number;
  /** Why uploads are capped below the protocol's 512 MB, or null. */
  uploadLimitReason: string | null;
}

const PROTOCOL_MAX_FILE_BYTES = LIMITS.maxFileBytes;
/** Room for the multipart envelope (boundaries, part headers, the purpose field, a long file name). */
const MULTIPART_ENVELOPE_BYTES = 16 * 1024;

export function deploymentInfo(env: ServerEnv = getEnv()): DeploymentInfo {
  const cap = env.maxRequestBytes;
  const capped = cap !== null && cap - MULTIPART_ENVELOPE_BYTES < PROTOCOL_MAX_FILE_BYTES;
  return {
    localEngine: env.localEngine,
    serverless: env.serverless,
    maxUploadBytes: capped ? Math.max(0, cap - MULTIPART_ENVELOPE_BYTES) : PROTOCOL_MAX_FILE_BYTES,
    uploadLimitReason: capped
      ? `${env.serverless ?? "This host"} refuses request bodies over ${(cap / 1024 / 1024).toFixed(1)} MB`
      : null,
  };
}
