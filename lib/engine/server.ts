/**
 * The engine on its own port: `npm run engine` → http://127.0.0.1:${ENGINE_PORT:-5010}.
 * Request and response bodies stream both ways (uploads go straight to busboy, SSE is flushed per event).
 */
import http from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { EngineError, errorBody, errors } from "./errors";
import { json } from "./http";
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
export function toFetchRequest(
  req: http.IncomingMessage,
  origin: string,
  signal?: AbortSignal,
  target = req.url ?? "/",
): Request {
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  return new Request(`${origin}${target}`, {
    method: req.method,
    headers,
    body: hasBody ? incomingBody(req) : undefined,
    ...(signal ? { signal } : {}),
    // Node's fetch needs this to stream a request body instead of buffering it.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

function errorResponse(status: number, code: string, message: string): Response {
  return json(errorBody(new EngineError(status, { code, message, type: "invalid_request_error" })), status);
}

/**
 * What a web page in the person's browser could make of a server on 127.0.0.1. DNS rebinding: a page
 * whose name now resolves to 127.0.0.1 would read every answer, so only loopback names (and the
 * ones the caller allows) are served. Cross-site requests: a form on any page can POST here (even
 * `/_engine/reset`) without reading the answer; browsers send `Origin` on those, SDKs and curl do
 * not, and nothing legitimate calls this server from another origin (it sends no CORS headers).
 */
function refusal(req: http.IncomingMessage, allowed: ReadonlySet<string>): Response | null {
  const host = req.headers.host ?? "";
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return errorResponse(400, "invalid_host", "The Host header is not a valid host name.");
  }
  if (!allowed.has(hostname) && !/^127\.\d+\.\d+\.\d+$/.test(hostname))
    return errorResponse(
      421,
      "host_not_allowed",
      `This engine answers only as localhost, 127.0.0.1 or [::1], not as "${hostname.slice(0, 100)}".`,
    );
  const origin = req.headers.origin;
  const site = req.headers["sec-fetch-site"];
  if ((origin !== undefined && origin !== `http://${host}`) || site === "cross-site" || site === "same-site")
    return errorResponse(
      403,
      "cross_origin_refused",
      "Requests from web pages of other origins are refused.",
    );
  return null;
}

/** Node's own answer to a request it cannot parse is an empty body; this one is Azure-shaped. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const [status, text, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "The request line and headers are larger than 16 KB."]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "The request did not arrive in time."]
        : [
            400,
            "Bad Request",
            "The request is not valid HTTP (check the URL for spaces or raw non-ASCII bytes).",
          ];
  const body = JSON.stringify(
    errorBody(new EngineError(status, { code: String(status), message, type: "invalid_request_error" })),
  );
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export function serveEngine(
  engine: Engine,
  opts: { port?: number; host?: string; allowedHosts?: readonly string[] } = {},
): Promise<ServedEngine> {
  const host = opts.host ?? "127.0.0.1";
  const allowed = new Set(
    [...LOOPBACK_HOSTNAMES, host, ...(opts.allowedHosts ?? [])].map((h) => h.toLowerCase()),
  );
  let origin = "";
  const server = http.createServer((req, res) => {
    void (async () => {
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      // The URL's origin is this server's own address, never the Host header (a malformed Host made
      // the URL unparsable); `req.url` is the raw request target, checked by the engine.
      const target = req.url?.startsWith("/") ? req.url : "/";
      const response =
        refusal(req, allowed) ?? (await engine.fetch(toFetchRequest(req, origin, controller.signal, target)));
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
      console.error("[engine] request failed:", e);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(errorBody(errors.internal("The engine failed unexpectedly; see its log."))));
    });
  });
  server.on("clientError", answerClientError);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : opts.port;
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      origin = url;
      resolve({
        url,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/**
 * ENGINE_ALLOWED_HOSTS: host names besides the loopback ones this server answers as, comma-separated
 * (`engine.lan`, `engine.lan:5010`, `[fd00::5]`; a port is ignored). For a reverse proxy or a
 * container network that reaches the engine by name; its own-origin pages then work too.
 */
export function parseAllowedHosts(value: string | undefined): string[] {
  const hosts: string[] = [];
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    let hostname = "";
    try {
      const url = new URL(`http://${entry}`);
      if (url.pathname === "/" && !url.username && !url.search) hostname = url.hostname;
    } catch {
      // reported below
    }
    if (!hostname || hostname === "*")
      throw new Error(`ENGINE_ALLOWED_HOSTS: "${entry.slice(0, 100)}" is not a host name.`);
    hosts.push(hostname);
  }
  return hosts;
}

async function main(): Promise<void> {
  const port = Number(process.env.ENGINE_PORT ?? 5010);
  const dataDir = path.resolve(process.env.ENGINE_DATA_DIR ?? ".data/engine");
  const allowedHosts = parseAllowedHosts(process.env.ENGINE_ALLOWED_HOSTS);
  // DATABASE_URL: PostgreSQL instead of the embedded database in the data directory.
  const databaseUrl = process.env.DATABASE_URL;
  const engine = createEngine({ dataDir, ...(databaseUrl ? { database: { url: databaseUrl } } : {}) });
  const served = await serveEngine(engine, { port, host: "127.0.0.1", allowedHosts });
  console.log(
    `Local Assistants engine (${engine.model.label}) on ${served.url}  — data in ${dataDir}${databaseUrl ? ", records in PostgreSQL (DATABASE_URL)" : ""}`,
  );
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
