import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, json, loadRoute, SERVER_KEY, type RouteModule } from "./harness";
import { startFakeUpstream, type FakeUpstream } from "./fake-upstream";
import { fakeEngine } from "./fake-engine";

let upstream: FakeUpstream;
let route: RouteModule;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  ({ route } = await loadRoute({ AZURE_OPENAI_ENDPOINT: upstream.url, AZURE_OPENAI_API_KEY: SERVER_KEY }));
  upstream.requests.length = 0;
  upstream.onChunk = null;
  upstream.respond((_req, res, recorded) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ id: "assistant-file1", object: "file", bytes: recorded.bytes, purpose: "assistants" }),
    );
  });
});

const V = "api-version=2024-05-01-preview";
const BOUNDARY = "----playgroundtestboundary";
const MiB = 1024 * 1024;

/**
 * A real multipart body of `fileBytes` generated on the fly in fresh 1 MiB chunks (fresh, so that
 * a proxy holding chunks would really hold that memory). `gate` pauses generation once
 * `gateAfter` bytes are out until it resolves.
 */
function multipartBody(fileBytes: number, opts: { gateAfter?: number; gate?: Promise<void> } = {}) {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const hash = createHash("sha256");
  let sent = 0;
  let fileSent = 0;
  let stage: "head" | "file" | "tail" | "done" = "head";
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === "head") {
        stage = "file";
        hash.update(head);
        sent += head.byteLength;
        controller.enqueue(new Uint8Array(head));
        return;
      }
      if (stage === "file") {
        if (opts.gate && opts.gateAfter !== undefined && sent >= opts.gateAfter) await opts.gate;
        const n = Math.min(MiB, fileBytes - fileSent);
        const chunk = new Uint8Array(n);
        chunk.fill((fileSent / MiB) & 0xff);
        chunk[0] = 0x42;
        fileSent += n;
        sent += n;
        hash.update(chunk);
        controller.enqueue(chunk);
        if (fileSent >= fileBytes) stage = "tail";
        return;
      }
      if (stage === "tail") {
        stage = "done";
        hash.update(tail);
        sent += tail.byteLength;
        controller.enqueue(new Uint8Array(tail));
        return;
      }
      controller.close();
    },
  });
  return {
    stream,
    length: head.byteLength + fileBytes + tail.byteLength,
    sent: () => sent,
    sha256: () => hash.digest("hex"),
  };
}

describe("uploads stream through", () => {
  it("a 288 MB upload reaches the upstream while the client is still sending, without being held in memory", async () => {
    const fileBytes = 288 * MiB;
    let upstreamStarted!: () => void;
    const started = new Promise<void>((resolve) => (upstreamStarted = resolve));
    let sentWhenUpstreamStarted = -1;
    const body = multipartBody(fileBytes, { gateAfter: 32 * MiB, gate: started });
    upstream.onChunk = () => {
      if (sentWhenUpstreamStarted < 0) {
        sentWhenUpstreamStarted = body.sent();
        upstreamStarted();
      }
    };

    globalThis.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let res: Response;
    try {
      // The client stops after 32 MB until the upstream has seen a byte: a proxy that buffered the
      // body before sending it would never get there (the test would time out).
      res = await call(route, "POST", `files?${V}`, {
        headers: {
          "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
          "content-length": String(body.length),
        },
        body: body.stream,
        duplex: "half",
      });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(res.status).toBe(200);
    expect(((await json(res)) as { bytes: number }).bytes).toBe(body.length);
    expect(sentWhenUpstreamStarted).toBeGreaterThan(0);
    expect(sentWhenUpstreamStarted).toBeLessThan(body.length);
    const seen = upstream.requests[0]!;
    expect(seen.complete).toBe(true);
    expect(seen.bytes).toBe(body.length);
    expect(seen.sha256).toBe(body.sha256());
    expect(seen.headers["content-type"]).toBe(`multipart/form-data; boundary=${BOUNDARY}`);
    expect(seen.headers["content-length"]).toBe(String(body.length));
    expect(seen.headers["api-key"]).toBe(SERVER_KEY);
    // Holding the body would cost at least its size (288 MB); streaming costs a few buffers.
    expect(peak - baseline).toBeLessThan(128 * MiB);
  });

  it("a chunked upload (no content-length) streams through too", async () => {
    const body = multipartBody(3 * MiB);
    const res = await call(route, "POST", `files?${V}`, {
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: body.stream,
      duplex: "half",
    });
    expect(res.status).toBe(200);
    expect(upstream.requests[0]!.bytes).toBe(body.length);
    expect(upstream.requests[0]!.sha256).toBe(body.sha256());
  });

  it("a body longer than its content-length is cut off and refused", async () => {
    const body = multipartBody(4 * MiB);
    const res = await call(route, "POST", `files?${V}`, {
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "content-length": String(MiB) },
      body: body.stream,
      duplex: "half",
    });
    expect(res.status).toBe(400);
    expect(((await json(res)) as { error: { code: string } }).error.code).toBe("invalid_request_body");
    expect(upstream.requests.every((r) => !r.complete)).toBe(true);
  });

  it("counting while streaming enforces the limit when no length is declared", async () => {
    const { handleProxy } = await import("@/lib/server/proxy");
    const body = multipartBody(4 * MiB);
    const request = new Request(`http://app.test/api/openai/files?${V}`, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    const res = await handleProxy(request, ["files"], { limits: { json: 1024, multipart: 2 * MiB } });
    expect(res.status).toBe(413);
    expect(((await json(res)) as { error: { code: string } }).error.code).toBe("request_too_large");
    expect(upstream.requests.every((r) => !r.complete)).toBe(true);
  });

  it("the same limit holds in front of the local engine", async () => {
    const { route: r, engineModule } = await loadRoute({});
    const fake = fakeEngine();
    engineModule.setEngineForTests(fake.engine);
    const { handleProxy } = await import("@/lib/server/proxy");
    const body = multipartBody(4 * MiB);
    const request = new Request(`http://app.test/api/openai/files?${V}`, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    const res = await handleProxy(request, ["files"], { limits: { json: 1024, multipart: 2 * MiB } });
    expect(res.status).toBe(413);
    expect(res.headers.get("x-playground-connection")).toBe("local");
    void r;
    engineModule.setEngineForTests(undefined);
  });
});
