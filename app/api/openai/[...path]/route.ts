import { errorResponse, handleProxy, ProxyError } from "@/lib/server/proxy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Streaming runs and large uploads take time; serverless hosts (Vercel) stop functions at this limit.
export const maxDuration = 300;

interface Context {
  params: Promise<{ path: string[] }>;
}

async function proxy(request: Request, context: Context): Promise<Response> {
  const { path } = await context.params;
  return handleProxy(request, path);
}

export const GET = proxy;
export const POST = proxy;
export const DELETE = proxy;

function methodNotAllowed(request: Request): Response {
  return errorResponse(
    new ProxyError(
      405,
      "method_not_allowed",
      `${request.method} is not a method of the Assistants API; use GET, POST or DELETE.`,
      null,
      {
        allow: "GET, POST, DELETE",
      },
    ),
  );
}

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const HEAD = methodNotAllowed;
export const OPTIONS = methodNotAllowed;
