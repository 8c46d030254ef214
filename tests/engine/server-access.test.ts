/**
 * `npm run engine` listens on 127.0.0.1 without keys; what a web page in the person's browser can do
 * to it: DNS rebinding (a foreign Host) and cross-site requests (an Origin that is not its own).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "@/lib/engine";
import { serveEngine, type ServedEngine } from "@/lib/engine/server";

const V2 = "2024-05-01-preview";
let dir: string;
let engine: Engine;
let served: ServedEngine;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-access-"));
  engine = createEngine({ dataDir: dir });
  served = await serveEngine(engine);
});
afterAll(async () => {
  await served.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** node:http, because fetch will not send a Host of our choosing. */
function request(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; json: { error?: { code: string } } & Record<string, unknown> }> {
  const { hostname, port } = new URL(served.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: pathAndQuery, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the engine's HTTP server", () => {
  it("refuses a Host that is not a loopback name (DNS rebinding) before any engine work", async () => {
    const port = new URL(served.url).port;
    for (const host of [`rebound.attacker.example:${port}`, "attacker.example", `192.168.1.10:${port}`]) {
      const res = await request("GET", `/openai/assistants?api-version=${V2}`, { host });
      expect(res.status).toBe(421);
      expect(res.json.error?.code).toBe("host_not_allowed");
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`]) {
      const res = await request("GET", `/openai/assistants?api-version=${V2}`, { host });
      expect(res.status).toBe(200);
    }
  });

  it("refuses cross-site writes a web page could make (a form posting to /_engine/reset) and keeps the data", async () => {
    const host = new URL(served.url).host;
    const created = await request(
      "POST",
      `/openai/assistants?api-version=${V2}`,
      { host, "content-type": "application/json" },
      JSON.stringify({ model: "gpt-4o" }),
    );
    expect(created.status).toBe(200);
    const attempts: Record<string, string>[] = [
      { origin: "https://attacker.example", "content-type": "application/x-www-form-urlencoded" },
      { origin: "null", "content-type": "text/plain" },
      { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      { origin: "http://localhost:3000", "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      const reset = await request("POST", "/_engine/reset", { host, ...headers }, "");
      expect(reset.status).toBe(403);
      expect(reset.json.error?.code).toBe("cross_origin_refused");
      const create = await request(
        "POST",
        `/openai/assistants?api-version=${V2}`,
        { host, ...headers },
        JSON.stringify({ model: "gpt-4o" }),
      );
      expect(create.status).toBe(403);
    }
    const list = await request("GET", `/openai/assistants?api-version=${V2}`, { host });
    expect((list.json.data as { id: string }[]).map((a) => a.id)).toEqual([created.json.id]);
  });

  it("serves its own origin and clients that send none (SDKs, curl)", async () => {
    const host = new URL(served.url).host;
    const own = await request("GET", `/openai/assistants?api-version=${V2}`, {
      host,
      origin: `http://${host}`,
      "sec-fetch-site": "same-origin",
    });
    expect(own.status).toBe(200);
    expect((await fetch(`${served.url}/_engine/health`)).status).toBe(200);
  });
});
