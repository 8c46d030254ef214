import { BadRequestError, NotFoundError } from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/engine";
import { echoModel } from "./models";
import { eventually, makeHarness, textFile, type Harness } from "./harness";

let h: Harness;
beforeEach(async () => (h = await makeHarness({ model: echoModel() })));
afterEach(async () => h.cleanup());

describe("threads", () => {
  it("creates with messages and tool_resources, retrieves, modifies, lists and deletes", async () => {
    const c = h.v2.client;
    const f = await c.files.create({
      file: await textFile("notes.md", "# Notes\nThe launch is on Tuesday."),
      purpose: "assistants",
    });
    const t = await c.beta.threads.create({
      messages: [
        { role: "user", content: "first" },
        { role: "assistant", content: "second" },
      ],
      tool_resources: {
        code_interpreter: { file_ids: [f.id] },
        file_search: { vector_stores: [{ file_ids: [f.id] }] },
      },
      metadata: { topic: "launch" },
    });
    expect(t).toMatchObject({ object: "thread", metadata: { topic: "launch" } });
    expect(t.tool_resources?.code_interpreter?.file_ids).toEqual([f.id]);
    const vsId = t.tool_resources?.file_search?.vector_store_ids?.[0];
    expect(vsId).toMatch(/^vs_/);
    // The helper store of a thread expires 7 days after last activity.
    const vs = await c.vectorStores.retrieve(vsId!);
    expect(vs.expires_after).toEqual({ anchor: "last_active_at", days: LIMITS.threadHelperVectorStoreDays });

    const msgs = await c.beta.threads.messages.list(t.id, { order: "asc" });
    expect(msgs.data.map((m) => [m.role, (m.content[0] as { text: { value: string } }).text.value])).toEqual([
      ["user", "first"],
      ["assistant", "second"],
    ]);
    expect(msgs.data[0]).toMatchObject({
      status: "completed",
      assistant_id: null,
      run_id: null,
      attachments: [],
    });

    expect(await c.beta.threads.retrieve(t.id)).toEqual(t);
    const updated = await c.beta.threads.update(t.id, { metadata: { topic: "other" } });
    expect(updated.metadata).toEqual({ topic: "other" });

    const t2 = await c.beta.threads.create();
    const listed = (await c.get("/threads")) as { data: { id: string }[] };
    expect(listed.data.map((x) => x.id)).toEqual([t2.id, t.id]);

    expect(await c.beta.threads.delete(t.id)).toEqual({ id: t.id, object: "thread.deleted", deleted: true });
    await expect(c.beta.threads.retrieve(t.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.beta.threads.messages.list(t.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a second vector store and unknown files", async () => {
    const c = h.v2.client;
    await expect(
      c.beta.threads.create({ tool_resources: { file_search: { vector_store_ids: ["vs_1", "vs_2"] } } }),
    ).rejects.toBeInstanceOf(BadRequestError);
    const err = await c.beta.threads
      .create({ tool_resources: { code_interpreter: { file_ids: ["assistant-nope"] } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toContain("No file found with id 'assistant-nope'.");
  });
});

describe("messages", () => {
  it("creates with attachments, retrieves, modifies, deletes, and filters by run_id", async () => {
    const c = h.v2.client;
    const f = await c.files.create({
      file: await textFile("faq.txt", "Refunds take five days."),
      purpose: "assistants",
    });
    const t = await c.beta.threads.create();
    const m = await c.beta.threads.messages.create(t.id, {
      role: "user",
      content: "How long do refunds take?",
      attachments: [{ file_id: f.id, tools: [{ type: "file_search" }, { type: "code_interpreter" }] }],
      metadata: { k: "v" },
    });
    expect(m).toMatchObject({
      object: "thread.message",
      thread_id: t.id,
      role: "user",
      status: "completed",
      metadata: { k: "v" },
    });
    expect(m.attachments).toEqual([
      { file_id: f.id, tools: [{ type: "file_search" }, { type: "code_interpreter" }] },
    ]);
    // A file_search attachment lands in a vector store of the thread.
    const thread = await c.beta.threads.retrieve(t.id);
    const vsId = thread.tool_resources?.file_search?.vector_store_ids?.[0];
    expect(vsId).toBeDefined();
    const vsFile = await eventually(async () => {
      const x = await c.vectorStores.files.retrieve(f.id, { vector_store_id: vsId! });
      return x.status === "completed" && x;
    });
    expect(vsFile.usage_bytes).toBeGreaterThan(0);

    const parts = await c.beta.threads.messages.create(t.id, {
      role: "user",
      content: [
        { type: "text", text: "part one" },
        { type: "text", text: "part two" },
      ],
    });
    expect(parts.content).toHaveLength(2);

    expect(await c.beta.threads.messages.retrieve(m.id, { thread_id: t.id })).toEqual(m);
    const upd = await c.beta.threads.messages.update(m.id, { thread_id: t.id, metadata: { k: "w" } });
    expect(upd.metadata).toEqual({ k: "w" });

    const a = await c.beta.assistants.create({ model: "m" });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    const byRun = await c.beta.threads.messages.list(t.id, { run_id: run.id });
    expect(byRun.data).toHaveLength(1);
    expect(byRun.data[0]).toMatchObject({ role: "assistant", run_id: run.id, assistant_id: a.id });
    expect((await c.beta.threads.messages.list(t.id)).data).toHaveLength(3);

    expect(await c.beta.threads.messages.delete(m.id, { thread_id: t.id })).toEqual({
      id: m.id,
      object: "thread.message.deleted",
      deleted: true,
    });
    await expect(c.beta.threads.messages.retrieve(m.id, { thread_id: t.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // A message is only found through its own thread.
    const other = await c.beta.threads.create();
    await expect(c.beta.threads.messages.retrieve(parts.id, { thread_id: other.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("enforces content length and metadata limits", async () => {
    const c = h.v2.client;
    const t = await c.beta.threads.create();
    const long = await c.beta.threads.messages
      .create(t.id, { role: "user", content: "x".repeat(LIMITS.messageContentLength.v2 + 1) })
      .catch((e: unknown) => e);
    expect(long).toBeInstanceOf(BadRequestError);
    expect((long as BadRequestError).param).toBe("content");
    await expect(
      c.beta.threads.messages.create(t.id, {
        role: "user",
        content: "x".repeat(LIMITS.messageContentLength.v2),
      }),
    ).resolves.toBeDefined();
    await expect(
      c.beta.threads.messages.create(t.id, { role: "system" as never, content: "x" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      c.beta.threads.messages.create(t.id, {
        role: "user",
        content: "x",
        metadata: { ["k".repeat(65)]: "v" },
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it("v1: file_ids on messages, message files endpoints, v1 shapes, 32768 characters", async () => {
    const c = h.v1.client;
    const f = await c.files.create({ file: await textFile("a.csv", "a,b\n1,2"), purpose: "assistants" });
    const t = await c.beta.threads.create({
      messages: [{ role: "user", content: "hi", file_ids: [f.id] } as never],
    });
    expect(t).not.toHaveProperty("tool_resources");
    const list = await c.beta.threads.messages.list(t.id);
    const m = list.data[0]!;
    expect(m).toMatchObject({ role: "user", file_ids: [f.id] });
    expect(m).not.toHaveProperty("status");
    expect(m).not.toHaveProperty("attachments");
    const files = (await c.get(`/threads/${t.id}/messages/${m.id}/files`)) as {
      data: { id: string; object: string; message_id: string }[];
    };
    expect(files.data).toEqual([
      expect.objectContaining({ id: f.id, object: "thread.message.file", message_id: m.id }),
    ]);
    expect(await c.get(`/threads/${t.id}/messages/${m.id}/files/${f.id}`)).toMatchObject({ id: f.id });
    await expect(
      c.beta.threads.messages.create(t.id, {
        role: "user",
        content: "x".repeat(LIMITS.messageContentLength.v1 + 1),
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      c.beta.threads.messages.create(t.id, { role: "assistant", content: "x" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      c.beta.threads.messages.create(t.id, { role: "user", content: "x", attachments: [] }),
    ).rejects.toBeInstanceOf(BadRequestError);
    // v1 has no message delete (Azure's 404), nor run_id filtering.
    await expect(c.beta.threads.messages.delete(m.id, { thread_id: t.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
