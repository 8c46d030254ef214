import { signIn } from "@/lib/server/auth/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return signIn(request);
}
