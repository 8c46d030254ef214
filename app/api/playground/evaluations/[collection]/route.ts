import { createRecord, listRecords } from "@/lib/server/evaluations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ collection: string }>;
}

export async function GET(request: Request, context: Context): Promise<Response> {
  return listRecords(request, (await context.params).collection);
}

export async function POST(request: Request, context: Context): Promise<Response> {
  return createRecord(request, (await context.params).collection);
}
