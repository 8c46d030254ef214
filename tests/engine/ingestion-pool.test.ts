// Extraction runs on worker threads with a time and a memory budget per document (lib/engine/extract/pool.ts):
// a document over budget fails with parsing_error while the engine keeps answering, and the pool goes on.
// The slow and the memory-hungry documents are the worker's test hooks (lib/engine/extract/job.ts TEST_HOOKS),
// enabled by `extraction.testHooks`.
import { spawn } from "node:child_process";
import path from "node:path";
import { toFile } from "openai";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import { afterEach, describe, expect, it } from "vitest";
import { ExtractionPool } from "@/lib/engine/extract/pool";
import { TEST_HOOKS } from "@/lib/engine/extract/job";
import { eventually, makeHarness, type Harness } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function upload(
  name: string,
  text = "Sea otters hold hands while sleeping so they do not drift apart.",
) {
  return h!.v2.client.files.create({
    file: await toFile(Buffer.from(text, "utf8"), name),
    purpose: "assistants",
  });
}

async function add(vectorStoreId: string, fileId: string): Promise<void> {
  await h!.v2.client.vectorStores.files.create(vectorStoreId, { file_id: fileId });
}

function settled(vectorStoreId: string, fileId: string): Promise<VectorStoreFile> {
  return h!.v2.client.vectorStores.files.poll(vectorStoreId, fileId, { pollIntervalMs: 20 });
}

/**
 * Lists assistants every 50 ms until stopped; `worstMs` is the longest any answer came after it was due
 * (a blocked event loop delays the timer too, so lateness is counted from when the call should have started).
 */
function probe() {
  let stopped = false;
  const result = { answers: 0, worstMs: 0 };
  const loop = (async () => {
    let due = performance.now();
    while (!stopped) {
      await h!.v2.client.beta.assistants.list({ limit: 1 });
      const now = performance.now();
      result.worstMs = Math.max(result.worstMs, now - due);
      result.answers++;
      due = now + 50;
      await sleep(50);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return result;
    },
  };
}

describe("ingestion: extraction off the event loop, with budgets", () => {
  it("a document over the time budget ends failed (parsing_error) while every request is answered within 1 s", async () => {
    h = await makeHarness({ extraction: { timeoutMs: 1000, testHooks: true } });
    const vs = await h.v2.client.vectorStores.create({ name: "slow" });
    const slow = await upload(`${TEST_HOOKS.hang}slides.txt`);
    const liveness = probe();
    await add(vs.id, slow.id);
    const failed = await settled(vs.id, slow.id);
    const { answers, worstMs } = await liveness.stop();

    expect(worstMs).toBeLessThan(1000);
    expect(answers).toBeGreaterThan(10);
    expect(failed.status).toBe("failed");
    expect(failed.last_error?.code).toBe("parsing_error");
    expect(failed.last_error?.message).toBe(
      `${TEST_HOOKS.hang}slides.txt took longer than 1 s to extract, the local engine's limit per document. Split it into smaller files, or upload its text as a .txt file.`,
    );

    // The stuck worker was replaced: the next document is extracted.
    const next = await upload("otters.txt");
    await add(vs.id, next.id);
    expect((await settled(vs.id, next.id)).status).toBe("completed");
  });

  it("a document over the memory budget ends failed (parsing_error) and the pool serves the next one", async () => {
    h = await makeHarness({ extraction: { maxMemoryMb: 64, testHooks: true } });
    const vs = await h.v2.client.vectorStores.create({ name: "hungry" });
    const hungry = await upload(`${TEST_HOOKS.oom}scan.txt`);
    await add(vs.id, hungry.id);
    const failed = await settled(vs.id, hungry.id);
    expect(failed.status).toBe("failed");
    expect(failed.last_error).toEqual({
      code: "parsing_error",
      message: `${TEST_HOOKS.oom}scan.txt needed more than 64 MB of memory to extract, the local engine's limit per document. Split it into smaller files, or upload its text as a .txt file.`,
    });

    const next = await upload("otters.md", "# Otters\n\nSea otters hold hands while sleeping.");
    await add(vs.id, next.id);
    const done = await settled(vs.id, next.id);
    expect(done.status).toBe("completed");
    expect(done.usage_bytes).toBeGreaterThan(0);
  });

  it("with two workers, a stuck document does not hold up the next one", async () => {
    h = await makeHarness({ extraction: { workers: 2, timeoutMs: 30_000, testHooks: true } });
    const vs = await h.v2.client.vectorStores.create({ name: "two" });
    const slow = await upload(`${TEST_HOOKS.hang}a.txt`);
    await add(vs.id, slow.id);
    const quick = await upload("otters.txt");
    await add(vs.id, quick.id);
    expect((await settled(vs.id, quick.id)).status).toBe("completed");
    const stillSlow = await h.v2.client.vectorStores.files.retrieve(slow.id, { vector_store_id: vs.id });
    expect(stillSlow.status).toBe("in_progress");
  });

  it("files left in_progress by a stopped engine are ingested again on start, through the pool", async () => {
    h = await makeHarness({ extraction: { workers: 1, timeoutMs: 60_000, testHooks: true } });
    const vs = await h.v2.client.vectorStores.create({ name: "restart" });
    const slow = await upload(`${TEST_HOOKS.hang}deck.txt`);
    const queued = await upload("otters.txt");
    await add(vs.id, slow.id);
    await add(vs.id, queued.id);
    await eventually(async () => ExtractionPool.liveThreads > 0);
    // Both are still in progress (the one worker is stuck on the first) when the engine stops.
    await h.restart({ extraction: { workers: 1, timeoutMs: 1000, testHooks: true } });

    const liveness = probe();
    const [slowAfter, queuedAfter] = await Promise.all([settled(vs.id, slow.id), settled(vs.id, queued.id)]);
    const { worstMs } = await liveness.stop();
    expect(slowAfter.status).toBe("failed");
    expect(slowAfter.last_error?.message).toMatch(/took longer than 1 s to extract/);
    expect(queuedAfter.status).toBe("completed");
    expect(worstMs).toBeLessThan(1000);
  });

  it("closing the engine terminates its workers, busy or idle", async () => {
    const before = ExtractionPool.liveThreads;
    h = await makeHarness({ extraction: { workers: 2, timeoutMs: 60_000, testHooks: true } });
    const vs = await h.v2.client.vectorStores.create({ name: "close" });
    const idle = await upload("otters.txt");
    await add(vs.id, idle.id);
    expect((await settled(vs.id, idle.id)).status).toBe("completed");
    const busy = await upload(`${TEST_HOOKS.hang}busy.txt`);
    await add(vs.id, busy.id);
    await eventually(async () => ExtractionPool.liveThreads === before + 2);
    await sleep(200);
    await h.engine.close();
    expect(ExtractionPool.liveThreads).toBe(before);
  });

  it("a process whose engine closed mid-extraction exits on its own (no handle left behind)", async () => {
    const child = spawn(
      process.execPath,
      ["--require", "tsx/cjs", path.join(import.meta.dirname, "ingestion-pool-child.ts")],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const code = await Promise.race([exit, sleep(15_000).then(() => "still running" as const)]);
    if (code === "still running") child.kill("SIGKILL");
    expect(out).toContain("closed while extracting");
    expect(code).toBe(0);
  }, 30_000);
});
