/**
 * The engine on its own port: `npm run engine` → http://127.0.0.1:${ENGINE_PORT:-5010}.
 * Request and response bodies stream both ways (uploads go straight to busboy, SSE is flushed per event).
 */
import http from "node:http";
import path from "node:path";
import { createEngine, type Engine } from "./index";

export interface ServedEngine {
  url: string;
  close(): Promise<void>;
}

/**
 * The request body as a web stream that reads from the socket only as fast as the engine consumes
 * (Readable.toWeb on Node 20 reads ahead without bound, which would hold an upload in memory).
 */
function incomingBody(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once("end", () => controller.close());
        req.once("error", (e) => controller.error(e));
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        req.destroy();
      },
    },
    { highWaterMark: 4 },
  );
}

/** A Node request as the Fetch request the engine expects, its body streamed (not buffered). */
export function toFetchRequest(req: http.IncomingMessage, origin: string, signal?: AbortSignal): Request {
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  return new Request(`${origin}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: hasBody ? incomingBody(req) : undefined,
    ...(signal ? { signal } : {}),
    // Node's fetch needs this to stream a request body instead of buffering it.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

export function serveEngine(
  engine: Engine,
  opts: { port?: number; host?: string } = {},
): Promise<ServedEngine> {
  const host = opts.host ?? "127.0.0.1";
  const server = http.createServer((req, res) => {
    void (async () => {
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const request = toFetchRequest(req, `http://${req.headers.host ?? host}`, controller.signal);
      const response = await engine.fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      if (!response.body) return void res.end();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!res.write(value)) await new Promise((r) => res.once("drain", r));
        }
      } catch {
        // client went away
      } finally {
        res.end();
      }
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "server_error", message: String(e), type: "server_error" } }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : opts.port;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.ENGINE_PORT ?? 5010);
  const dataDir = path.resolve(process.env.ENGINE_DATA_DIR ?? ".data/engine");
  const engine = createEngine({ dataDir });
  const served = await serveEngine(engine, { port, host: "127.0.0.1" });
  console.log(`Local Assistants engine (${engine.model.label}) on ${served.url}  — data in ${dataDir}`);
  console.log(`
  import { AzureOpenAI } from "openai";
  const client = new AzureOpenAI({ baseURL: "${served.url}/openai", apiKey: "unused", apiVersion: "2024-05-01-preview" });
  const assistant = await client.beta.assistants.create({ model: "gpt-4o", instructions: "You are helpful." });
`);
  const stop = async () => {
    await served.close();
    await engine.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

if (process.argv[1] && /lib[\\/]engine[\\/]server\.ts$/.test(process.argv[1])) void main();
