import { deploymentInfo } from "@/lib/server/deployment";

export const dynamic = "force-dynamic";

/** GET /api/playground/deployment: the host's limits and the local engine's mode (nothing secret). */
export function GET(): Response {
  return Response.json(deploymentInfo(), { headers: { "cache-control": "no-store" } });
}
