import { afterEach, describe, expect, it } from "vitest";
import type { Model } from "@/lib/engine";
import { createScriptedModel } from "@/lib/engine/model/scripted";
import { echoModel, hangingModel } from "./models";
import { eventually, makeHarness, textFile, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.cleanup());

describe("persistence", () => {
  it("keeps everything across a restart on the same dataDir", async () => {
    h = await makeHarness({ model: echoModel() });
    const c = h.v2.client;
    const f = await c.files.create({
      file: await textFile("kb.txt", "Persistent knowledge."),
      purpose: "assistants",
    });
    const vs = await c.vectorStores.create({ name: "kb", file_ids: [f.id] });
    await eventually(async () => (await c.vectorStores.retrieve(vs.id)).status === "completed");
    const a = await c.beta.assistants.create({
      model: "m",
      name: "keeper",
      tool_resources: { file_search: { vector_store_ids: [vs.id] } },
    });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "remember me" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });

    await h.restart();

    expect(await c.beta.assistants.retrieve(a.id)).toMatchObject({ name: "keeper" });
    expect((await c.beta.threads.retrieve(t.id)).id).toBe(t.id);
    expect((await c.beta.threads.messages.list(t.id)).data).toHaveLength(2);
    expect(await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id })).toMatchObject({
      status: "completed",
      usage: run.usage,
    });
    expect((await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id })).data).toHaveLength(1);
    expect(await (await c.files.content(f.id)).text()).toBe("Persistent knowledge.");
    expect(await c.vectorStores.retrieve(vs.id)).toMatchObject({
      status: "completed",
      file_counts: { completed: 1 },
    });
    // New objects sort after old ones: the creation order survives.
    const b = await c.beta.assistants.create({ model: "m" });
    expect((await c.beta.assistants.list({ order: "asc" })).data.map((x) => x.id)).toEqual([a.id, b.id]);
  });

  it("ends runs that were active when the engine stopped, honestly", async () => {
    h = await makeHarness({ model: hangingModel() });
    const c = h.v2.client;
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "long job" }] });
    const run = await c.beta.threads.runs.create(t.id, { assistant_id: a.id });
    await eventually(
      async () => (await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id })).status === "in_progress",
    );
    // The run's message is stored once the model starts it; the restart must find it in progress.
    await eventually(
      async () => (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data.length === 1,
    );

    await h.restart({ model: echoModel() });

    const after = await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id });
    expect(after).toMatchObject({
      status: "failed",
      last_error: { code: "server_error", message: "The engine restarted during the run." },
    });
    const msg = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    expect(msg).toMatchObject({ status: "incomplete", incomplete_details: { reason: "run_failed" } });
    const step = (await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id })).data[0]!;
    expect(step.status).toBe("failed");
    // The thread is usable again.
    await expect(c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id })).resolves.toMatchObject({
      status: "completed",
    });
  });
});

describe("default model", () => {
  it("runs on the scripted model when none is given", async () => {
    h = await makeHarness();
    expect(h.engine.model.id).toBe(createScriptedModel().id);
    const c = h.v2.client;
    const a = await c.beta.assistants.create({ model: "m" });
    const run = await c.beta.threads.createAndRunPoll({
      assistant_id: a.id,
      thread: { messages: [{ role: "user", content: "Hello there" }] },
    });
    expect(run.status).toBe("completed");
    const msg = (await c.beta.threads.messages.list(run.thread_id, { run_id: run.id })).data[0]!;
    expect((msg.content[0] as { text: { value: string } }).text.value.length).toBeGreaterThan(0);
  });
});

export type { Model };
