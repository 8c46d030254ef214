import { createToken, listTokens } from "@/lib/server/auth/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return listTokens(request);
}

export function POST(request: Request): Promise<Response> {
  return createToken(request);
}
