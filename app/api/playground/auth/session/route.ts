import { sessionInfo } from "@/lib/server/auth/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return sessionInfo(request);
}
