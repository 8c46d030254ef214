/**
 * A recording stand-in for an Azure OpenAI resource: a real node:http server on 127.0.0.1 that
 * records every request it sees (method, URL, headers, body bytes) and answers as a test says.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The body, kept only up to 1 MiB (uploads are hashed instead). */
  body: Buffer;
  bytes: number;
  sha256: string;
  /** Whether the whole body arrived (false when the sender gave up midway). */
  complete: boolean;
}

export type UpstreamHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  recorded: RecordedRequest,
) => void | Promise<void>;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>`, to use as AZURE_OPENAI_ENDPOINT. */
  url: string;
  requests: RecordedRequest[];
  /** Answer the next requests with `handler` (default: 200 JSON echoing method and path). */
  respond(handler: UpstreamHandler): void;
  /** Called for each body chunk as it arrives, before the request ends. */
  onChunk: ((chunk: Buffer, recorded: RecordedRequest) => void) | null;
  close(): Promise<void>;
}

export const echoJson: UpstreamHandler = (req, res) => {
  res.writeHead(200, { "content-type": "application/json", "apim-request-id": "apim-1" });
  res.end(JSON.stringify({ method: req.method, url: req.url }));
};

export async function startFakeUpstream(): Promise<FakeUpstream> {
  let handler: UpstreamHandler = echoJson;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const fake: FakeUpstream = {
    url: "",
    requests,
    respond(h) {
      handler = h;
    },
    onChunk: null,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const hash = createHash("sha256");
    const kept: Buffer[] = [];
    let keptBytes = 0;
    const recorded: RecordedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.alloc(0),
      bytes: 0,
      sha256: "",
      complete: false,
    };
    requests.push(recorded);
    req.on("data", (chunk: Buffer) => {
      recorded.bytes += chunk.byteLength;
      hash.update(chunk);
      if (keptBytes < 1024 * 1024) {
        kept.push(chunk);
        keptBytes += chunk.byteLength;
      }
      fake.onChunk?.(chunk, recorded);
    });
    req.on("end", () => {
      recorded.complete = true;
      recorded.body = Buffer.concat(kept);
      recorded.sha256 = hash.digest("hex");
      void Promise.resolve(handler(req, res, recorded)).catch((err: unknown) => {
        res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
    req.on("error", () => {});
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
