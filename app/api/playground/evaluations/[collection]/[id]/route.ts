import { deleteRecord, getRecord, putRecord } from "@/lib/server/evaluations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ collection: string; id: string }>;
}

export async function GET(request: Request, context: Context): Promise<Response> {
  const { collection, id } = await context.params;
  return getRecord(request, collection, id);
}

export async function PUT(request: Request, context: Context): Promise<Response> {
  const { collection, id } = await context.params;
  return putRecord(request, collection, id);
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const { collection, id } = await context.params;
  return deleteRecord(request, collection, id);
}
