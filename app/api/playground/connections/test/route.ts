import { handleConnectionTest } from "@/lib/server/connection-test";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleConnectionTest(request);
}
