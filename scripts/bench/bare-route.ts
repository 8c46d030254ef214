/**
 * The floor for the proxy benchmark: a bare Next.js 16 route handler that pipes every request to
 * one upstream with node:http — no allowlist, no auth, no connection choice. The bench copies
 * this file into a throwaway Next app (scripts/bench/servers.ts `buildBareApp`), builds it
 * standalone and serves it beside the playground, so "what Next.js itself costs" is measured on
 * the same machine in the same run.
 *
 * The response goes to Next as a pull-based web stream (read from the socket only as fast as the
 * client takes it), as the proxy does: with `Readable.toWeb` (Node 20) this floor measured slower
 * than the proxy itself, so it would not be a floor.
 */
import http from "node:http";
import { Readable } from "node:stream";

/**
 * `BARE_UPSTREAMS`: a JSON map name → base URL; `x-bare-upstream: <name>` picks one (default: the
 * first) — one process serves both upstreams, as the playground's one process serves its connections.
 */
const UPSTREAMS = new Map(
  Object.entries(JSON.parse(process.env.BARE_UPSTREAMS ?? "{}") as Record<string, string>).map(([k, v]) => [
    k,
    new URL(v),
  ]),
);
const agent = new http.Agent({ keepAlive: true });

export const dynamic = "force-dynamic";

const CAP = 513 * 1024 * 1024;

function counted(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > CAP) controller.error(new Error("too large"));
        else controller.enqueue(chunk);
      },
    }),
  );
}

function fromSocket(res: http.IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        res.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        });
        const finish = (error?: Error) => {
          if (done) return;
          done = true;
          if (error) controller.error(error);
          else controller.close();
        };
        res.on("end", () => finish());
        res.on("error", (e) => finish(e));
        res.pause();
      },
      pull() {
        res.resume();
      },
      cancel() {
        done = true;
        res.destroy();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

async function pipe(request: Request, context: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await context.params;
  const url = new URL(request.url);
  const upstream = UPSTREAMS.get(request.headers.get("x-bare-upstream") ?? "") ?? [...UPSTREAMS.values()][0];
  if (!upstream) return new Response("BARE_UPSTREAMS is not set", { status: 500 });
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => {
    if (k === "content-type" || k === "content-length" || k === "accept") headers[k] = v;
  });
  return new Promise<Response>((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: `${upstream.pathname.replace(/\/$/, "")}/${path.join("/")}${url.search}`,
        headers,
      },
      (res) => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          if (typeof v === "string" && k !== "connection") out.set(k, v);
        resolve(new Response(fromSocket(res), { status: res.statusCode ?? 502, headers: out }));
      },
    );
    req.on("error", reject);
    if (request.body) {
      // `x-bare-count: 1` adds what the proxy's body check adds to an upload (lib/server/proxy/body.ts):
      // a TransformStream counting the bytes that go by. A diagnostic floor for the upload bench.
      const body = request.headers.get("x-bare-count") === "1" ? counted(request.body) : request.body;
      Readable.fromWeb(body as import("node:stream/web").ReadableStream).pipe(req);
    } else req.end();
  });
}

export const GET = pipe;
export const POST = pipe;
export const DELETE = pipe;
