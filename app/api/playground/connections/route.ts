import { connectionsResponse } from "@/lib/server/connections";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(): Response {
  return connectionsResponse();
}
