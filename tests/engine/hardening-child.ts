/**
 * A separate Node process for the hardening tests (./hardening-schemas.test.ts): what runs here may
 * hang or run out of memory if a regression comes back, and then only this process is stuck or dies
 * (it has a small heap), so the test fails on its deadline instead of hanging the test runner.
 * Driven over IPC: `sample` runs the scripted model's schema sampler, `serve` starts an engine on a
 * loopback port, `rss` reports this process's resident memory.
 */
import { createEngine, type Engine } from "@/lib/engine";
import { serveEngine, type ServedEngine } from "@/lib/engine/server";
import { sampleFromSchema } from "@/lib/engine/model/scripted/schema-sample";

export type ChildRequest =
  | { id: number; kind: "sample"; schema: unknown; text: string }
  | { id: number; kind: "serve"; dataDir: string }
  | { id: number; kind: "rss" };

export type ChildReply =
  | {
      id: number;
      kind: "sample";
      ms: number;
      bytes: number;
      json?: string;
      error?: { name: string; message: string };
    }
  | { id: number; kind: "serve"; url: string }
  | { id: number; kind: "rss"; rss: number };

/** Sample values larger than this are measured, not sent back. */
const MAX_REPLY_JSON = 1_000_000;

let engine: Engine | undefined;
let served: ServedEngine | undefined;

function reply(message: ChildReply): void {
  process.send?.(message);
}

process.on("message", (raw: unknown) => {
  const msg = raw as ChildRequest;
  void (async () => {
    switch (msg.kind) {
      case "sample": {
        const start = performance.now();
        try {
          const value = sampleFromSchema(msg.schema, { text: msg.text });
          const json = JSON.stringify(value) ?? "null";
          const ms = performance.now() - start;
          reply({
            id: msg.id,
            kind: "sample",
            ms,
            bytes: json.length,
            ...(json.length <= MAX_REPLY_JSON ? { json } : {}),
          });
        } catch (e) {
          const err = e instanceof Error ? e : new Error(String(e));
          reply({
            id: msg.id,
            kind: "sample",
            ms: performance.now() - start,
            bytes: 0,
            error: { name: err.name, message: err.message.slice(0, 2000) },
          });
        }
        return;
      }
      case "serve": {
        engine = createEngine({ dataDir: msg.dataDir, pollAfterMs: 5 });
        served = await serveEngine(engine);
        reply({ id: msg.id, kind: "serve", url: served.url });
        return;
      }
      case "rss":
        reply({ id: msg.id, kind: "rss", rss: process.memoryUsage().rss });
        return;
    }
  })();
});

process.on("disconnect", () => {
  void (async () => {
    await served?.close();
    await engine?.close();
    process.exit(0);
  })();
});
