import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { AzureOpenAI, BadRequestError, NotFoundError, toFile } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { Model } from "@/lib/engine";
import { serveEngine } from "@/lib/engine/server";
import { eventually, makeHarness, textFile, V2, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.cleanup());

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

describe("files", () => {
  it("uploads, lists by purpose, retrieves, serves content and deletes", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const csv = await c.files.create({
      file: await textFile("data.csv", "x,y\n1,2\n"),
      purpose: "assistants",
    });
    expect(csv).toMatchObject({
      object: "file",
      bytes: 8,
      filename: "data.csv",
      purpose: "assistants",
      status: "processed",
    });
    expect(csv.id).toMatch(/^assistant-/);
    const png = await c.files.create({ file: await toFile(PNG, "chart.png"), purpose: "vision" });
    expect((await c.files.list()).data.map((f) => f.id).sort()).toEqual([csv.id, png.id].sort());
    expect((await c.files.list({ purpose: "vision" })).data.map((f) => f.id)).toEqual([png.id]);
    expect(await c.files.retrieve(csv.id)).toEqual(csv);

    const content = await c.files.content(csv.id);
    expect(content.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await content.text()).toBe("x,y\n1,2\n");
    const image = await c.files.content(png.id);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);

    expect(await c.files.delete(csv.id)).toEqual({ id: csv.id, object: "file", deleted: true });
    await expect(c.files.retrieve(csv.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.files.content(csv.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses bad purposes and missing parts", async () => {
    h = await makeHarness();
    const bad = await h.v2.client.files
      .create({ file: await textFile("a.txt", "a"), purpose: "nonsense" as never })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).param).toBe("purpose");
    // v1 (2024-02-15-preview) knows four purposes only.
    await expect(
      h.v1.client.files.create({ file: await textFile("a.png", "a"), purpose: "vision" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    const form = new FormData();
    form.set("purpose", "assistants");
    const res = await h.engine.fetch(
      new Request(`http://engine.test/openai/files?api-version=${V2}`, { method: "POST", body: form }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { param: "file" } });
    expect((await h.v2.client.files.list()).data).toEqual([]);
  });

  it("refuses files over the size limit and keeps nothing of them", async () => {
    h = await makeHarness({ maxFileBytes: 1000 });
    const c = h.v2.client;
    const big = await c.files
      .create({ file: await toFile(Buffer.alloc(1001, 65), "big.txt"), purpose: "assistants" })
      .catch((e: unknown) => e);
    expect(big).toBeInstanceOf(BadRequestError);
    expect((big as BadRequestError).param).toBe("file");
    expect((await c.files.list()).data).toEqual([]);
    expect(fs.readdirSync(path.join(h.dir, "files"))).toEqual([]);
    await expect(
      c.files.create({ file: await toFile(Buffer.alloc(1000, 65), "ok.txt"), purpose: "assistants" }),
    ).resolves.toMatchObject({ bytes: 1000 });
  });

  it("deleting a file removes it from vector stores and code-interpreter resources", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const f = await c.files.create({ file: await textFile("a.md", "alpha beta"), purpose: "assistants" });
    const vs = await c.vectorStores.create({ file_ids: [f.id] });
    const a = await c.beta.assistants.create({
      model: "m",
      tool_resources: { code_interpreter: { file_ids: [f.id] } },
    });
    await c.files.delete(f.id);
    expect((await c.vectorStores.files.list(vs.id)).data).toEqual([]);
    expect((await c.vectorStores.retrieve(vs.id)).file_counts.total).toBe(0);
    expect((await c.beta.assistants.retrieve(a.id)).tool_resources?.code_interpreter?.file_ids).toEqual([]);
  });

  it("uploads and downloads over a loopback socket (serveEngine)", async () => {
    h = await makeHarness();
    const served = await serveEngine(h.engine, { port: 0 });
    try {
      const c = new AzureOpenAI({
        baseURL: `${served.url}/openai`,
        apiKey: "unused",
        apiVersion: V2,
        maxRetries: 0,
      });
      const body = "line\n".repeat(50_000);
      const f = await c.files.create({
        file: await toFile(Buffer.from(body), "big.txt"),
        purpose: "assistants",
      });
      expect(f.bytes).toBe(body.length);
      const back = await c.files.content(f.id);
      expect(await back.text()).toBe(body);
    } finally {
      await served.close();
    }
  });

  it("streams a large upload to disk and back without holding it in memory", async () => {
    h = await makeHarness();
    const served = await serveEngine(h.engine, { port: 0 });
    const size = 192 * 1024 * 1024;
    try {
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const boundary = "----enginetestboundary";
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          `${served.url}/openai/files?api-version=${V2}`,
          {
            method: "POST",
            headers: {
              "content-type": `multipart/form-data; boundary=${boundary}`,
              "content-length": head.length + size + tail.length,
            },
          },
          (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.write(head);
        let sent = 0;
        const pump = () => {
          while (sent < size) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          req.end(tail);
        };
        pump();
      });
      expect(result.status).toBe(200);
      const uploaded = JSON.parse(result.body) as { id: string; bytes: number; filename: string };
      expect(uploaded).toMatchObject({ bytes: size, filename: "big.bin" });

      // Download it with a client that stops reading for a while: the engine must not read ahead.
      const downloaded = await new Promise<number>((resolve, reject) => {
        http
          .get(`${served.url}/openai/files/${uploaded.id}/content?api-version=${V2}`, (res) => {
            let bytes = 0;
            let paused = false;
            res.on("data", (d: Buffer) => {
              bytes += d.length;
              if (!paused) {
                paused = true;
                res.pause();
                setTimeout(() => res.resume(), 300);
              }
            });
            res.on("end", () => resolve(bytes));
            res.on("error", reject);
          })
          .on("error", reject);
      });
      clearInterval(sampler);
      expect(downloaded).toBe(size);
      // The whole file in memory would cost ≥ 192 MB; streaming costs a few buffers (plus garbage awaiting GC).
      expect(peak - before).toBeLessThan(size / 2);
    } finally {
      await served.close();
    }
  });
});

describe("vector stores", () => {
  it("creates, lists, retrieves, modifies and deletes, with asynchronous ingestion", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const f1 = await c.files.create({
      file: await textFile("a.txt", "The cat sat on the mat."),
      purpose: "assistants",
    });
    const f2 = await c.files.create({
      file: await textFile("b.md", "# Dogs\nDogs bark at night."),
      purpose: "assistants",
    });
    const vs = await c.vectorStores.create({
      name: "pets",
      file_ids: [f1.id, f2.id],
      expires_after: { anchor: "last_active_at", days: 3 },
      metadata: { k: "v" },
    });
    expect(vs).toMatchObject({
      object: "vector_store",
      name: "pets",
      status: "in_progress",
      file_counts: { in_progress: 2, total: 2 },
      metadata: { k: "v" },
    });
    expect(vs.expires_at).toBe(vs.last_active_at! + 3 * 86_400);
    const done = await eventually(async () => {
      const x = await c.vectorStores.retrieve(vs.id);
      return x.status === "completed" && x;
    });
    expect(done.file_counts).toEqual({ in_progress: 0, completed: 2, failed: 0, cancelled: 0, total: 2 });
    expect(done.usage_bytes).toBeGreaterThan(0);
    expect((await c.vectorStores.list()).data.map((x) => x.id)).toEqual([vs.id]);
    const upd = await c.vectorStores.update(vs.id, { name: "animals", metadata: { k: "w" } });
    expect(upd).toMatchObject({ name: "animals", metadata: { k: "w" } });
    expect(await c.vectorStores.delete(vs.id)).toEqual({
      id: vs.id,
      object: "vector_store.deleted",
      deleted: true,
    });
    await expect(c.vectorStores.retrieve(vs.id)).rejects.toBeInstanceOf(NotFoundError);
    // The files themselves remain.
    expect((await c.files.list()).data).toHaveLength(2);
  });

  it("adds, lists (with filter), retrieves and removes files; a corrupt PDF fails honestly (parsing_error)", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({ name: "mixed" });
    const txt = await c.files.create({
      file: await textFile("notes.txt", "Plain text notes."),
      purpose: "assistants",
    });
    const pdf = await c.files.create({
      file: await toFile(Buffer.from("%PDF-1.4 binary"), "report.pdf"),
      purpose: "assistants",
    });
    const added = await c.vectorStores.files.create(vs.id, {
      file_id: txt.id,
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 50 } },
    });
    expect(added).toMatchObject({
      id: txt.id,
      object: "vector_store.file",
      vector_store_id: vs.id,
      status: "in_progress",
      last_error: null,
    });
    await c.vectorStores.files.create(vs.id, { file_id: pdf.id });
    await eventually(async () => (await c.vectorStores.retrieve(vs.id)).status === "completed");
    const failed = await c.vectorStores.files.retrieve(pdf.id, { vector_store_id: vs.id });
    expect(failed).toMatchObject({ status: "failed", last_error: { code: "parsing_error" } });
    const ok = await c.vectorStores.files.retrieve(txt.id, { vector_store_id: vs.id });
    expect(ok).toMatchObject({
      status: "completed",
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 50 } },
    });
    expect((await c.vectorStores.files.list(vs.id, { filter: "failed" })).data.map((x) => x.id)).toEqual([
      pdf.id,
    ]);
    expect((await c.vectorStores.files.list(vs.id, { filter: "completed" })).data.map((x) => x.id)).toEqual([
      txt.id,
    ]);
    expect((await c.vectorStores.files.list(vs.id)).data).toHaveLength(2);
    expect(await c.vectorStores.files.delete(txt.id, { vector_store_id: vs.id })).toEqual({
      id: txt.id,
      object: "vector_store.file.deleted",
      deleted: true,
    });
    await expect(c.vectorStores.files.retrieve(txt.id, { vector_store_id: vs.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      c.vectorStores.files.create(vs.id, {
        file_id: txt.id,
        chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 99, chunk_overlap_tokens: 0 } },
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      c.vectorStores.files.create(vs.id, {
        file_id: txt.id,
        chunking_strategy: {
          type: "static",
          static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 150 },
        },
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it("runs file batches: create, retrieve, list files, cancel", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({});
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await c.files.create({
            file: await textFile(`f${i}.txt`, `file number ${i}`),
            purpose: "assistants",
          })
        ).id,
      );
    const batch = await c.vectorStores.fileBatches.createAndPoll(
      vs.id,
      { file_ids: ids },
      { pollIntervalMs: 10 },
    );
    expect(batch).toMatchObject({
      object: "vector_store.files_batch",
      vector_store_id: vs.id,
      status: "completed",
      file_counts: { completed: 3, total: 3 },
    });
    expect(await c.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: vs.id })).toEqual(batch);
    const files = await c.vectorStores.fileBatches.listFiles(batch.id, {
      vector_store_id: vs.id,
      filter: "completed",
    });
    expect(files.data.map((f) => f.id).sort()).toEqual([...ids].sort());

    // Cancel while ingestion is still going: a batch of many files is still in progress right after creation.
    const big = "lorem ipsum dolor sit amet ".repeat(40_000);
    const many: string[] = [];
    for (let i = 0; i < 8; i++)
      many.push(
        (await c.files.create({ file: await textFile(`big${i}.txt`, big), purpose: "assistants" })).id,
      );
    const second = await c.vectorStores.fileBatches.create(vs.id, { file_ids: many });
    expect(second.status).toBe("in_progress");
    const cancelled = await c.vectorStores.fileBatches.cancel(second.id, { vector_store_id: vs.id });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.file_counts.cancelled).toBeGreaterThan(0);
    expect(cancelled.file_counts.in_progress).toBe(0);
    const listed = await c.vectorStores.fileBatches.listFiles(second.id, {
      vector_store_id: vs.id,
      filter: "cancelled",
    });
    expect(listed.data.length).toBe(cancelled.file_counts.cancelled);
    await expect(
      c.vectorStores.fileBatches.cancel(second.id, { vector_store_id: vs.id }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      c.vectorStores.fileBatches.create(vs.id, { file_ids: Array.from({ length: 501 }, (_, i) => `f${i}`) }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it("speaks 2024-07-01-preview shapes (chunking_strategy on store files)", async () => {
    h = await makeHarness();
    const c = h.v0701.client;
    const f = await c.files.create({
      file: await textFile("a.txt", "chunk me ".repeat(500)),
      purpose: "assistants",
    });
    const vs = await c.vectorStores.create({
      file_ids: [f.id],
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 } },
    });
    const vf = await c.vectorStores.files.poll(vs.id, f.id, { pollIntervalMs: 10 });
    expect(vf).toMatchObject({
      status: "completed",
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 } },
    });
    // 4500 characters in chunks of at most 400 (100 tokens × 4) give at least 12 chunks, all on disk.
    const chunks = fs
      .readFileSync(path.join(h.dir, "chunks", `${vs.id}__${f.id}.jsonl`), "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { text: string }).text);
    expect(chunks.length).toBeGreaterThanOrEqual(12);
    expect(chunks.every((x) => x.length <= 400)).toBe(true);
  });

  it("does not exist in v1 (Azure's 404)", async () => {
    h = await makeHarness();
    const err = await h.v1.client.vectorStores.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).error).toMatchObject({ code: "404", message: "Resource not found" });
  });

  it("ranks chunks of the assistant's and thread's stores for the model (BM25)", async () => {
    let hits: Awaited<ReturnType<Parameters<Model["run"]>[0]["searchFiles"]>> = [];
    const model: Model = {
      id: "search",
      label: "search",
      async *run(ctx) {
        hits = await ctx.searchFiles("when do refunds arrive", 5);
        yield { type: "tool_calls", calls: [{ type: "file_search", results: hits }] };
        const marker = "【4:0†source】";
        const text = `Five business days. ${marker}`;
        yield { type: "message.start" };
        yield { type: "message.text", value: text };
        yield {
          type: "message.annotation",
          annotation: {
            type: "file_citation",
            text: marker,
            start_index: text.indexOf(marker),
            end_index: text.length,
            file_id: hits[0]!.file_id,
            quote: hits[0]!.text,
          },
        };
        yield { type: "message.end" };
      },
    };
    h = await makeHarness({ model });
    const c = h.v2.client;
    const refunds = await c.files.create({
      file: await textFile("refunds.md", "Refunds arrive within five business days after approval."),
      purpose: "assistants",
    });
    const shipping = await c.files.create({
      file: await textFile("shipping.md", "Shipping takes two days. Parcels arrive by noon."),
      purpose: "assistants",
    });
    const other = await c.files.create({
      file: await textFile("office.md", "Office refunds arrive by mail."),
      purpose: "assistants",
    });
    const vs = await c.vectorStores.create({ file_ids: [refunds.id, shipping.id] });
    const a = await c.beta.assistants.create({
      model: "m",
      tools: [{ type: "file_search" }],
      tool_resources: { file_search: { vector_store_ids: [vs.id] } },
    });
    const t = await c.beta.threads.create({
      messages: [
        {
          role: "user",
          content: "refunds?",
          attachments: [{ file_id: other.id, tools: [{ type: "file_search" }] }],
        },
      ],
    });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    // The assistant's store and the thread's (made from the attachment) are both searched; the file
    // matching one query term ranks last.
    expect(hits.map((x) => x.file_name).sort()).toEqual(["office.md", "refunds.md", "shipping.md"]);
    expect(hits.at(-1)!.file_name).toBe("shipping.md");
    expect(hits[0]!.score).toBe(1);
    expect(hits.at(-1)!.score).toBeLessThan(hits[0]!.score);
    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id, order: "asc" });
    expect(steps.data[0]!.step_details).toMatchObject({
      type: "tool_calls",
      tool_calls: [{ type: "file_search" }],
    });
    const msg = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    const part = msg.content[0] as {
      text: {
        value: string;
        annotations: {
          start_index: number;
          end_index: number;
          text: string;
          file_citation: { file_id: string };
        }[];
      };
    };
    const ann = part.text.annotations[0]!;
    expect(part.text.value.slice(ann.start_index, ann.end_index)).toBe(ann.text);
    expect(ann.file_citation.file_id).toBe(hits[0]!.file_id);
  });
});
