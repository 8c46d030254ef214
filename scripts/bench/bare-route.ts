/**
 * The floor for the proxy benchmark: a bare Next.js 16 route handler that pipes every request to
 * one upstream with node:http — no allowlist, no auth, no connection choice. The bench writes
 * this file into a throwaway Next app (.bench/bare), builds it and serves it beside the playground,
 * so "what Next.js itself costs" is measured on the same machine in the same run.
 */
import http from "node:http";
import { Readable } from "node:stream";

const UPSTREAM = new URL(process.env.BARE_UPSTREAM ?? "http://127.0.0.1:1");
const agent = new http.Agent({ keepAlive: true });

export const dynamic = "force-dynamic";

async function pipe(request: Request, context: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await context.params;
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => {
    if (k === "content-type" || k === "content-length" || k === "accept") headers[k] = v;
  });
  return new Promise<Response>((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: UPSTREAM.hostname,
        port: UPSTREAM.port,
        method: request.method,
        path: `${UPSTREAM.pathname.replace(/\/$/, "")}/${path.join("/")}${url.search}`,
        headers,
      },
      (res) => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string" && k !== "connection") out.set(k, v);
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status: res.statusCode ?? 502, headers: out }));
      },
    );
    req.on("error", reject);
    if (request.body) Readable.fromWeb(request.body as import("node:stream/web").ReadableStream).pipe(req);
    else req.end();
  });
}

export const GET = pipe;
export const POST = pipe;
export const DELETE = pipe;
