/**
 * Bodies sent to hurt the server: the proxy stops reading at its limit, holds no more than that in
 * memory, and keeps answering other requests meanwhile (tests/helpers/liveness.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "@/lib/engine";
import { DEFAULT_LIMITS } from "@/lib/server/proxy/body";
import { expectLive, whileProbing } from "../helpers/liveness";
import { startFakeUpstream, type FakeUpstream } from "./fake-upstream";
import { call, json, loadRoute, type RouteModule } from "./harness";

const V = "api-version=2024-05-01-preview";
const MiB = 1024 * 1024;
let route: RouteModule;

beforeEach(async () => {
  ({ route } = await loadRoute({}));
  // The local engine opens its database on first use: not inside a measured window.
  await call(route, "GET", `assistants?${V}&limit=1`);
});

/** `total` bytes of one never-closing JSON string, made as they are read; counts what was pulled. */
function endlessJson(total: number) {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode('{"instructions":"'));
      if (sent >= total) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

// 8 MB of `[],[],…` is 2.6 million arrays: JSON.parse alone blocked the event loop for over a
// second, twice per request (the proxy checks the body, the engine parses it again).
const costly: [string, string][] = [
  ["a million empty arrays", `{"model":"gpt-4o","metadata":[${"[],".repeat(1_000_000)}[]]}`],
  [
    "objects nested a million deep",
    `{"model":"gpt-4o","metadata":${'{"a":'.repeat(1_000_000)}1${"}".repeat(1_000_000)}}`,
  ],
  ["two million numbers", `{"model":"gpt-4o","tools":[${"1,".repeat(2_000_000)}1]}`],
];

const probe = async () => {
  const res = await call(route, "GET", `assistants?${V}&limit=1`);
  if (res.status !== 200) throw new Error(`probe answered ${res.status}`);
  await res.arrayBuffer();
};

describe("hostile request bodies through the proxy", () => {
  it("a 256 MB JSON body without content-length: 413 at the 8 MB limit, little memory, still answering", async () => {
    const body = endlessJson(256 * MiB);
    const report = await whileProbing(async () => {
      const res = await call(route, "POST", `assistants?${V}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body.stream,
        duplex: "half",
      });
      return { status: res.status, body: await json(res) };
    }, probe);
    expect(report.result.status).toBe(413);
    expect(report.result.body).toMatchObject({ error: { code: "request_too_large" } });
    // It stopped reading soon after the limit instead of draining the whole body.
    expect(body.pulled()).toBeLessThan(DEFAULT_LIMITS.json + 2 * MiB);
    // Over in a blink; what counts is that no probe waited and memory stayed put.
    expectLive(report, { maxLatencyMs: 1000, maxRssGrowthMB: 64, minProbes: 0 });
  });

  it("a content-length over the limit is refused before a byte of the body is read", async () => {
    const body = endlessJson(256 * MiB);
    const res = await call(route, "POST", `assistants?${V}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(256 * MiB) },
      body: body.stream,
      duplex: "half",
    });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024);
  });

  it.each(costly)(
    "ten bodies of %s at once: refused as 400s before parsing, still answering",
    async (_, body) => {
      const report = await whileProbing(
        () =>
          Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              // Requests arrive as I/O of their own, not all in one turn of the event loop.
              new Promise((r) => setTimeout(r, i * 20))
                .then(() =>
                  call(route, "POST", `assistants?${V}`, {
                    method: "POST",
                    headers: { "content-type": "application/json" },
                    body,
                  }),
                )
                .then(async (res) => ({ status: res.status, body: await json(res) })),
            ),
          ),
        probe,
      );
      for (const answer of report.result) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({
          error: { code: "invalid_request_body", message: expect.stringMatching(/JSON values/) },
        });
      }
      expectLive(report, { maxLatencyMs: 1000, maxRssGrowthMB: 400 });
    },
  );

  it("a body of many values under the budget still goes through (128 tools with their schemas)", async () => {
    const parameters = {
      type: "object",
      properties: Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`p${i}`, { type: "string", enum: ["a", "b", "c", "d"] }]),
      ),
    };
    const tools = Array.from({ length: 128 }, (_, i) => ({
      type: "function",
      function: { name: `f${i}`, description: "d", parameters },
    }));
    const res = await call(route, "POST", `assistants?${V}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", tools }),
    });
    expect(res.status).toBe(200);
  });
});

describe("hostile request bodies on the engine itself (npm run engine has no proxy in front)", () => {
  let engine: Engine;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-hostile-"));
    engine = createEngine({ dataDir: dir });
    // Its database opens on first use: not inside a measured window.
    await engine.fetch(new Request("http://engine/_engine/health"));
  });
  afterAll(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stops reading a JSON body at 8 MB (413) instead of holding all of it", async () => {
    const body = endlessJson(256 * MiB);
    const report = await whileProbing(async () => {
      const res = await engine.fetch(
        new Request(`http://engine/openai/assistants?${V}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: body.stream,
          duplex: "half",
        } as RequestInit),
      );
      return { status: res.status, body: await res.json() };
    }, probe);
    expect(report.result.status).toBe(413);
    expect(report.result.body).toMatchObject({ error: { code: "request_too_large" } });
    expect(body.pulled()).toBeLessThan(10 * MiB);
    expectLive(report, { maxLatencyMs: 1000, maxRssGrowthMB: 64, minProbes: 0 });
  });

  it.each(costly)("refuses a body of %s before parsing it", async (_, body) => {
    const started = performance.now();
    const res = await engine.fetch(
      new Request(`http://engine/openai/assistants?${V}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { message: expect.stringMatching(/JSON values/) } });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("a hostile list from a Foundry upstream (misbehaving or compromised)", () => {
  let upstream: FakeUpstream;
  let foundryRoute: RouteModule;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  // After the file's own beforeEach, which loads the route with no connections.
  beforeEach(async () => {
    const connections = [
      { name: "foundry", kind: "foundry-agents", endpoint: `${upstream.url}/api/projects/p` },
    ];
    ({ route: foundryRoute } = await loadRoute({ PLAYGROUND_CONNECTIONS: JSON.stringify(connections) }));
    // The local engine (the probes' target) opens its database on first use, not while measured.
    await call(foundryRoute, "GET", `assistants?${V}&limit=1`, {
      headers: { "x-playground-connection": "local" },
    });
    (await import("@/lib/server/entra")).setEntraCredentialForTests({
      getToken: () => Promise.resolve({ token: "entra-token", expiresOnTimestamp: Date.now() + 3600_000 }),
    });
  });
  afterAll(async () => {
    (await import("@/lib/server/entra")).setEntraCredentialForTests(undefined);
    await upstream.close();
  });

  it("a 12 MB list of 4 million arrays passes through unparsed; the proxy keeps answering", async () => {
    const list = `{"data":[${"[],".repeat(4_000_000)}[]],"has_more":false}`;
    upstream.respond((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(list.length) });
      res.end(list);
    });
    const report = await whileProbing(
      async () => {
        const res = await call(foundryRoute, "GET", "assistants?api-version=v1", {
          headers: { "x-playground-connection": "foundry" },
        });
        const bytes = await res.arrayBuffer();
        return {
          status: res.status,
          length: bytes.byteLength,
          start: Buffer.from(bytes.slice(0, 200)).toString(),
        };
      },
      async () => {
        const res = await call(foundryRoute, "GET", "assistants/asst_1?api-version=v1", {
          headers: { "x-playground-connection": "local" },
        });
        await res.arrayBuffer();
      },
    );
    expect(report.result).toEqual({ status: 200, length: list.length, start: list.slice(0, 200) });
    expectLive(report, { maxLatencyMs: 1000, minProbes: 0 });
  });
});
