import { BadRequestError, NotFoundError, toFile } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, makeHarness, textFile, type Harness } from "./harness";
import { makeDocx, makePdf } from "./ingestion-fixtures";

let h: Harness;
afterEach(async () => h?.cleanup());

async function textFiles(n: number, body: (i: number) => string, ext = "txt") {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (
        await h.v2.client.files.create({
          file: await textFile(`doc${i}.${ext}`, body(i)),
          purpose: "assistants",
        })
      ).id,
    );
  return ids;
}

describe("vector store file batches", () => {
  it("ingests a batch of mixed formats: per-file statuses, batch and store counts, failures with their codes", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({ name: "batch" });
    const txt = await textFiles(3, (i) => `Chapter ${i} of the handbook.`);
    const pdf = await c.files.create({
      file: await toFile(makePdf([["Quarterly revenue grew."]]), "q.pdf"),
      purpose: "assistants",
    });
    const docx = await c.files.create({
      file: await toFile(makeDocx(["Meeting minutes."]), "m.docx"),
      purpose: "assistants",
    });
    const png = await c.files.create({
      file: await toFile(Buffer.from([137, 80, 78, 71]), "x.png"),
      purpose: "assistants",
    });
    const ids = [...txt, pdf.id, docx.id, png.id];

    const created = await c.vectorStores.fileBatches.create(vs.id, { file_ids: ids });
    expect(created).toMatchObject({
      object: "vector_store.files_batch",
      vector_store_id: vs.id,
      status: "in_progress",
      file_counts: { total: 6 },
    });
    const done = await c.vectorStores.fileBatches.poll(vs.id, created.id, { pollIntervalMs: 10 });
    expect(done.status).toBe("completed");
    expect(done.file_counts).toEqual({ in_progress: 0, completed: 5, failed: 1, cancelled: 0, total: 6 });
    const store = await c.vectorStores.retrieve(vs.id);
    expect(store.status).toBe("completed");
    expect(store.file_counts).toEqual(done.file_counts);
    expect(store.usage_bytes).toBeGreaterThan(0);

    const failed = await c.vectorStores.fileBatches.listFiles(created.id, {
      vector_store_id: vs.id,
      filter: "failed",
    });
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0]).toMatchObject({
      id: png.id,
      status: "failed",
      last_error: { code: "unhandled_mime_type" },
    });
    const completed = await c.vectorStores.fileBatches.listFiles(created.id, {
      vector_store_id: vs.id,
      filter: "completed",
    });
    expect(completed.data.map((f) => f.id).sort()).toEqual([...txt, pdf.id, docx.id].sort());

    // Removing a file from the store updates the counts; the file itself stays.
    await c.vectorStores.files.delete(pdf.id, { vector_store_id: vs.id });
    expect((await c.vectorStores.retrieve(vs.id)).file_counts).toMatchObject({ total: 5, completed: 4 });
    expect((await c.files.retrieve(pdf.id)).id).toBe(pdf.id);
  });

  it("uploads and polls with the SDK helper (uploadAndPoll)", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({});
    const batch = await c.vectorStores.fileBatches.uploadAndPoll(
      vs.id,
      {
        files: [await textFile("a.md", "alpha text"), await toFile(makeDocx(["beta text"]), "b.docx")],
      },
      { pollIntervalMs: 10 },
    );
    expect(batch.status).toBe("completed");
    expect(batch.file_counts).toMatchObject({ completed: 2, total: 2 });
  });

  it("accepts 500 files in one batch and refuses 501, none, or unknown ids", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({});
    const ids = await textFiles(500, (i) => `note ${i}`);
    const batch = await c.vectorStores.fileBatches.create(vs.id, { file_ids: ids });
    expect(batch.file_counts.total).toBe(500);
    const done = await c.vectorStores.fileBatches.poll(vs.id, batch.id, { pollIntervalMs: 20 });
    expect(done.file_counts).toMatchObject({ completed: 500, total: 500 });

    const tooMany = await c.vectorStores.fileBatches
      .create(vs.id, { file_ids: [...ids, ids[0]!] })
      .catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(BadRequestError);
    expect((tooMany as BadRequestError).param).toBe("file_ids");
    await expect(c.vectorStores.fileBatches.create(vs.id, { file_ids: [] })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    const unknown = await c.vectorStores.fileBatches
      .create(vs.id, { file_ids: ["assistant-doesnotexist"] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Error);
    expect([400, 404]).toContain((unknown as { status: number }).status);
    await expect(
      c.vectorStores.fileBatches.create("vs_missing", { file_ids: [ids[0]!] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      c.vectorStores.fileBatches.retrieve("vsfb_missing", { vector_store_id: vs.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("checks the chunking strategy's limits on a batch", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({});
    const [id] = await textFiles(1, () => "x y z");
    const bad = [
      { max_chunk_size_tokens: 99, chunk_overlap_tokens: 0 },
      { max_chunk_size_tokens: 4097, chunk_overlap_tokens: 0 },
      { max_chunk_size_tokens: 1000, chunk_overlap_tokens: 501 },
    ];
    for (const s of bad)
      await expect(
        c.vectorStores.fileBatches.create(vs.id, {
          file_ids: [id!],
          chunking_strategy: { type: "static", static: s },
        }),
      ).rejects.toBeInstanceOf(BadRequestError);
    const ok = await c.vectorStores.fileBatches.createAndPoll(
      vs.id,
      {
        file_ids: [id!],
        chunking_strategy: {
          type: "static",
          static: { max_chunk_size_tokens: 4096, chunk_overlap_tokens: 2048 },
        },
      },
      { pollIntervalMs: 10 },
    );
    expect(ok.status).toBe("completed");
  });

  it("cancels a batch: files still in progress become cancelled, finished ones stay, the batch is cancelled", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const vs = await c.vectorStores.create({});
    const big = "lorem ipsum dolor sit amet ".repeat(40_000);
    const ids = await textFiles(10, () => big);
    const batch = await c.vectorStores.fileBatches.create(vs.id, { file_ids: ids });
    const cancelled = await c.vectorStores.fileBatches.cancel(batch.id, { vector_store_id: vs.id });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.file_counts.in_progress).toBe(0);
    expect(cancelled.file_counts.cancelled).toBeGreaterThan(0);
    expect(cancelled.file_counts.cancelled + cancelled.file_counts.completed).toBe(10);
    await h.engine.fetch(new Request("http://x/_engine/idle", { method: "POST" }));
    // Ingestion that was running when the batch was cancelled does not revive the file.
    const after = await c.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: vs.id });
    expect(after.file_counts).toEqual(cancelled.file_counts);
    const listed = await c.vectorStores.fileBatches.listFiles(batch.id, {
      vector_store_id: vs.id,
      filter: "cancelled",
    });
    expect(listed.data).toHaveLength(cancelled.file_counts.cancelled);
    // A finished batch cannot be cancelled again.
    await expect(
      c.vectorStores.fileBatches.cancel(batch.id, { vector_store_id: vs.id }),
    ).rejects.toBeInstanceOf(BadRequestError);
    // A cancelled file can be added again and is ingested.
    const again = listed.data[0]!.id;
    await c.vectorStores.files.delete(again, { vector_store_id: vs.id });
    await c.vectorStores.files.create(vs.id, { file_id: again });
    await eventually(
      async () =>
        (await c.vectorStores.files.retrieve(again, { vector_store_id: vs.id })).status === "completed",
    );
  });

  it("deleting a vector store removes it from assistants; deleting a file removes it from the store", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const [a, b] = await textFiles(2, (i) => `text ${i}`);
    const vs = await c.vectorStores.create({ file_ids: [a!, b!] });
    await eventually(async () => (await c.vectorStores.retrieve(vs.id)).file_counts.completed === 2);
    const asst = await c.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "file_search" }],
      tool_resources: { file_search: { vector_store_ids: [vs.id] } },
    });
    await c.files.delete(a!);
    expect((await c.vectorStores.retrieve(vs.id)).file_counts).toMatchObject({ total: 1, completed: 1 });
    expect(await c.vectorStores.delete(vs.id)).toEqual({
      id: vs.id,
      object: "vector_store.deleted",
      deleted: true,
    });
    expect((await c.beta.assistants.retrieve(asst.id)).tool_resources?.file_search?.vector_store_ids).toEqual(
      [],
    );
    await expect(c.vectorStores.retrieve(vs.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
