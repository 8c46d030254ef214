/**
 * Malformed URLs get a 400 with an Azure-shaped body at every door: the root proxy.ts (where Next
 * would otherwise answer an undecodable /api/openai path with an HTML page), the proxy route, the
 * engine's Fetch handler and the engine's own HTTP server (`npm run engine`).
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "@/lib/engine";
import { serveEngine, type ServedEngine } from "@/lib/engine/server";
import { call, loadRoute, ORIGIN, type RouteModule } from "./harness";

const V2 = "2024-05-01-preview";

/** Paths `decodeURIComponent` throws on, or that decode to control characters. */
const MALFORMED: [name: string, path: string][] = [
  ["overlong UTF-8 '.'", "threads/%c0%ae"],
  ["overlong UTF-8 '..' as a segment", "%c0%ae%c0%ae/assistants"],
  ["a lone %", "threads/%"],
  ["a % ending a segment", "threads/thread_abc%"],
  ["a % before non-hex", "threads/%zz"],
  ["half an escape", "threads/%e"],
  ["an encoded surrogate", "threads/%ed%a0%80"],
  ["truncated UTF-8", "threads/%e2%82"],
  ["a stray continuation byte", "threads/%80"],
  ["an encoded NUL", "threads/%00"],
  ["encoded CR LF", "threads/a%0d%0aX-Injected:%201"],
];
const VERY_LONG = `threads/${"a".repeat(5000)}`;

interface WireError {
  error: { code: string; message: string };
}

async function expectAzure400(response: Response): Promise<WireError> {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as WireError;
  expect(typeof body.error.code).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(10);
  return body;
}

describe("through the playground: the root proxy.ts and the /api/openai route", () => {
  let route: RouteModule;
  let rootProxy: typeof import("@/proxy");
  beforeEach(async () => {
    ({ route } = await loadRoute({}));
    rootProxy = await import("@/proxy");
  });

  it.each(MALFORMED)("%s: proxy.ts runs for it and answers 400 invalid_path", async (_, p) => {
    const url = `${ORIGIN}/api/openai/${p}?api-version=${V2}`;
    expect(unstable_doesMiddlewareMatch({ config: rootProxy.config, url })).toBe(true);
    const response = await rootProxy.proxy(new NextRequest(url));
    expect((await expectAzure400(response)).error.code).toBe("invalid_path");
  });

  it("proxy.ts stays out of clean /api/openai paths (it would cap upload bodies at 10 MB)", () => {
    for (const p of ["files", "threads/thread_1/runs", "vector_stores/vs_1/file_batches"])
      expect(
        unstable_doesMiddlewareMatch({ config: rootProxy.config, url: `${ORIGIN}/api/openai/${p}` }),
      ).toBe(false);
  });

  it.each([...MALFORMED, ["a very long path", VERY_LONG] as [string, string]])(
    "%s: the route answers 400 invalid_path whatever segments it is given",
    async (_, p) => {
      for (const method of ["GET", "POST", "DELETE"] as const) {
        const response = await call(route, method, `${p}?api-version=${V2}`, { segments: p.split("/") });
        expect((await expectAzure400(response)).error.code).toBe("invalid_path");
      }
    },
  );

  it("answers 400, not 500, when Next passes no path params at all", async () => {
    const request = new Request(`${ORIGIN}/api/openai/threads/%c0%ae?api-version=${V2}`);
    const response = await route.GET(request, {
      params: Promise.resolve({} as { path: string[] }),
    });
    expect((await expectAzure400(response)).error.code).toBe("invalid_path");
  });
});

describe("on the engine", () => {
  let dir: string;
  let engine: Engine;
  let served: ServedEngine;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-malformed-"));
    engine = createEngine({ dataDir: dir });
    served = await serveEngine(engine);
  });
  afterAll(async () => {
    await served.close();
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([...MALFORMED, ["a very long path", VERY_LONG] as [string, string]])(
    "%s: engine.fetch answers 400 invalid_path on the Azure and OpenAI surfaces",
    async (_, p) => {
      for (const url of [`http://engine/openai/${p}?api-version=${V2}`, `http://engine/v1/${p}`]) {
        const body = await expectAzure400(await engine.fetch(new Request(url, { method: "POST" })));
        expect(body.error.code).toBe("invalid_path");
      }
    },
  );

  it.each(MALFORMED)("%s: the HTTP server answers 400 invalid_path", async (_, p) => {
    const answer = await rawHttp(served.url, `GET /openai/${p}?api-version=${V2} HTTP/1.1\r\nHost: HOST\r\n`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "invalid_path" } });
  });

  it.each([
    [
      "a Host header no URL can hold",
      400,
      "invalid_host",
      "GET /openai/assistants HTTP/1.1\r\nHost: a b\r\n",
    ],
    ["an unclosed IPv6 Host", 400, "invalid_host", "GET /openai/assistants HTTP/1.1\r\nHost: [::1\r\n"],
    [
      "a path over Node's 16 KB header limit",
      431,
      "431",
      `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: HOST\r\n`,
    ],
    ["a raw non-ASCII byte in the path", 400, "400", "GET /openai/threads/\u00e9 HTTP/1.1\r\nHost: HOST\r\n"],
    ["a request line that is not HTTP", 400, "400", "GARBAGE\r\n"],
  ])(
    "%s: the HTTP server answers %i (%s) as JSON, not a 500 or an empty body",
    async (_, status, code, head) => {
      const answer = await rawHttp(served.url, head);
      expect(answer.status).toBe(status);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code } });
      // The server is still up and answering.
      expect((await fetch(`${served.url}/openai/assistants?api-version=${V2}`)).status).toBe(200);
    },
  );
});

/** One raw HTTP/1.1 exchange (what `fetch` would refuse to send); `HOST` in `head` becomes the server's. */
async function rawHttp(base: string, head: string): Promise<{ status: number; body: string }> {
  const { hostname, port, host } = new URL(base);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(Buffer.from(`${head.replace("HOST", host)}Connection: close\r\n\r\n`, "latin1")),
    );
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
    socket.setTimeout(5000, () => socket.destroy(new Error("no answer within 5 s")));
  });
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const cut = text.indexOf("\r\n\r\n");
  const headers = cut < 0 ? text : text.slice(0, cut);
  const rest = cut < 0 ? "" : text.slice(cut + 4);
  const body = /transfer-encoding: chunked/i.test(headers) ? dechunk(rest) : rest;
  return { status, body };
}

function dechunk(raw: string): string {
  let out = "";
  let rest = raw;
  for (;;) {
    const i = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, i), 16);
    if (!size) return out;
    out += rest.slice(i + 2, i + 2 + size);
    rest = rest.slice(i + 2 + size + 2);
  }
}
