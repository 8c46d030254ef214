import { restoreBackup } from "@/lib/server/backup";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return restoreBackup(request);
}
