import OpenAI, { BadRequestError, NotFoundError } from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/engine";
import { makeHarness, textFile, V2, type Harness } from "./harness";

let h: Harness;
beforeEach(async () => (h = await makeHarness()));
afterEach(async () => h.cleanup());

describe("assistants (v2)", () => {
  it("creates, retrieves, modifies, lists and deletes", async () => {
    const c = h.v2.client;
    const a = await c.beta.assistants.create({
      model: "gpt-4o",
      name: "Math tutor",
      instructions: "Answer briefly.",
      tools: [
        { type: "code_interpreter" },
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: {} } },
        },
      ],
      metadata: { team: "a" },
      temperature: 0.5,
    });
    expect(a).toMatchObject({
      object: "assistant",
      name: "Math tutor",
      model: "gpt-4o",
      temperature: 0.5,
      top_p: 1,
      response_format: "auto",
      metadata: { team: "a" },
    });
    expect(a.id).toMatch(/^asst_/);
    expect(a.tool_resources).toEqual({
      code_interpreter: { file_ids: [] },
      file_search: { vector_store_ids: [] },
    });

    expect(await c.beta.assistants.retrieve(a.id)).toEqual(a);
    const updated = await c.beta.assistants.update(a.id, { name: "Renamed", metadata: { team: "b" } });
    expect(updated).toMatchObject({
      name: "Renamed",
      instructions: "Answer briefly.",
      metadata: { team: "b" },
    });

    const list = await c.beta.assistants.list();
    expect(list.data.map((x) => x.id)).toEqual([a.id]);

    expect(await c.beta.assistants.delete(a.id)).toEqual({
      id: a.id,
      object: "assistant.deleted",
      deleted: true,
    });
    await expect(c.beta.assistants.retrieve(a.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("says which assistant was not found, in Azure's error body", async () => {
    const err = await h.v2.client.beta.assistants.retrieve("asst_missing").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).status).toBe(404);
    expect((err as NotFoundError).error).toMatchObject({
      message: "No assistant found with id 'asst_missing'.",
      type: "invalid_request_error",
    });
  });

  it("keeps tool_resources with files and vector stores", async () => {
    const c = h.v2.client;
    const f = await c.files.create({ file: await textFile("data.csv", "x,y\n1,2\n"), purpose: "assistants" });
    const vs = await c.vectorStores.create({ name: "docs" });
    const a = await c.beta.assistants.create({
      model: "gpt-4o",
      tools: [{ type: "code_interpreter" }, { type: "file_search" }],
      tool_resources: { code_interpreter: { file_ids: [f.id] }, file_search: { vector_store_ids: [vs.id] } },
    });
    expect(a.tool_resources).toEqual({
      code_interpreter: { file_ids: [f.id] },
      file_search: { vector_store_ids: [vs.id] },
    });
    const helper = await c.beta.assistants.create({
      model: "gpt-4o",
      tool_resources: { file_search: { vector_stores: [{ file_ids: [f.id] }] } },
    });
    const created = helper.tool_resources?.file_search?.vector_store_ids ?? [];
    expect(created).toHaveLength(1);
    const store = await c.vectorStores.retrieve(created[0]!);
    expect(store.file_counts.total).toBe(1);
  });

  it("enforces the spec's limits with 400s naming the parameter", async () => {
    const c = h.v2.client;
    const tooMany = Array.from({ length: LIMITS.toolsPerAssistant + 1 }, () => ({
      type: "code_interpreter" as const,
    }));
    const cases: [Record<string, unknown>, string][] = [
      [{ tools: tooMany }, "tools"],
      [{ name: "n".repeat(LIMITS.nameLength + 1) }, "name"],
      [{ description: "d".repeat(LIMITS.descriptionLength + 1) }, "description"],
      [{ instructions: "i".repeat(LIMITS.instructionsLength.v2 + 1) }, "instructions"],
      [{ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, "metadata"],
      [{ metadata: { ["k".repeat(65)]: "v" } }, "metadata"],
      [{ metadata: { k: "v".repeat(513) } }, "metadata.k"],
      [{ temperature: 2.5 }, "temperature"],
      [{ top_p: -0.1 }, "top_p"],
      [
        { tool_resources: { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, i) => `f${i}`) } } },
        "tool_resources.code_interpreter.file_ids",
      ],
      [
        { tool_resources: { file_search: { vector_store_ids: ["vs_a", "vs_b"] } } },
        "tool_resources.file_search.vector_store_ids",
      ],
      [{ tools: [{ type: "retrieval" }] }, "tools[0].type"],
      [{ bogus: 1 }, "bogus"],
    ];
    for (const [extra, param] of cases) {
      const err = await c.beta.assistants
        .create({ model: "gpt-4o", ...extra } as never)
        .catch((e: unknown) => e);
      expect(err, param).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).param, param).toBe(param);
    }
    // The limits themselves are accepted.
    const ok = await c.beta.assistants.create({
      model: "gpt-4o",
      tools: tooMany.slice(1),
      name: "n".repeat(LIMITS.nameLength),
      instructions: "i".repeat(LIMITS.instructionsLength.v2),
      metadata: Object.fromEntries(
        Array.from({ length: 16 }, (_, i) => [`k${i}`.padEnd(64, "x"), "v".repeat(512)]),
      ),
    });
    expect(ok.tools).toHaveLength(LIMITS.toolsPerAssistant);
    const missing = await c.beta.assistants.create({} as never).catch((e: unknown) => e);
    expect((missing as BadRequestError).param).toBe("model");
  });
});

describe("pagination", () => {
  it("auto-pages through more than 100 items in both orders", async () => {
    const c = h.v2.client;
    const ids: string[] = [];
    for (let i = 0; i < 130; i++)
      ids.push((await c.beta.assistants.create({ model: "m", name: `a${i}` })).id);
    const desc: string[] = [];
    for await (const a of c.beta.assistants.list({ limit: 100 })) desc.push(a.id);
    expect(desc).toEqual([...ids].reverse());
    const asc: string[] = [];
    for await (const a of c.beta.assistants.list({ order: "asc", limit: 7 })) asc.push(a.id);
    expect(asc).toEqual(ids);
    const firstPage = await c.beta.assistants.list();
    expect(firstPage.data).toHaveLength(LIMITS.listLimitDefault);
  });

  it("honours after, before, has_more, first_id and last_id", async () => {
    const c = h.v2.client;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await c.beta.assistants.create({ model: "m" })).id);
    const page = await c.beta.assistants.list({ order: "asc", limit: 3, after: ids[2] });
    expect(page.data.map((a) => a.id)).toEqual(ids.slice(3, 6));
    const body = (await c.get("/assistants", { query: { order: "asc", limit: 3, after: ids[2] } })) as {
      first_id: string;
      last_id: string;
      has_more: boolean;
    };
    expect([body.first_id, body.last_id, body.has_more]).toEqual([ids[3], ids[5], true]);
    const before = await c.beta.assistants.list({ order: "asc", limit: 3, before: ids[5] });
    expect(before.data.map((a) => a.id)).toEqual(ids.slice(2, 5));
    const descAfter = await c.beta.assistants.list({ order: "desc", after: ids[3] });
    expect(descAfter.data.map((a) => a.id)).toEqual(ids.slice(0, 3).reverse());
    expect(descAfter.has_more).toBe(false);
    const between = await c.beta.assistants.list({ order: "asc", after: ids[1], before: ids[4] });
    expect(between.data.map((a) => a.id)).toEqual(ids.slice(2, 4));
    for (const bad of [{ limit: 0 }, { limit: 101 }, { order: "up" }]) {
      await expect(c.beta.assistants.list(bad as never)).rejects.toBeInstanceOf(BadRequestError);
    }
  });
});

describe("v1 (2024-02-15-preview)", () => {
  it("has file_ids and the assistant files endpoints, and v1 shapes", async () => {
    const c = h.v1.client;
    const f1 = await c.files.create({ file: await textFile("a.py", "print(1)"), purpose: "assistants" });
    const f2 = await c.files.create({ file: await textFile("b.py", "print(2)"), purpose: "assistants" });
    const a = await c.beta.assistants.create({
      model: "gpt-4",
      tools: [{ type: "code_interpreter" }],
      file_ids: [f1.id],
    } as never);
    expect(a).toMatchObject({ object: "assistant", file_ids: [f1.id] });
    expect(a).not.toHaveProperty("tool_resources");
    expect(a).not.toHaveProperty("temperature");
    type AF = { id: string; object: string; assistant_id: string };
    const added = (await c.post(`/assistants/${a.id}/files`, { body: { file_id: f2.id } })) as AF;
    expect(added).toMatchObject({ id: f2.id, object: "assistant.file", assistant_id: a.id });
    const list = (await c.get(`/assistants/${a.id}/files`, { query: { order: "asc" } })) as { data: AF[] };
    expect(list.data.map((x) => x.id)).toEqual([f1.id, f2.id]);
    expect(await c.get(`/assistants/${a.id}/files/${f1.id}`)).toMatchObject({
      id: f1.id,
      object: "assistant.file",
    });
    expect(await c.delete(`/assistants/${a.id}/files/${f1.id}`)).toEqual({
      id: f1.id,
      object: "assistant.file.deleted",
      deleted: true,
    });
    expect((await c.beta.assistants.retrieve(a.id)) as unknown as { file_ids: string[] }).toMatchObject({
      file_ids: [f2.id],
    });
    // The same assistant seen through v2: its files are code-interpreter files.
    expect(
      (await h.v2.client.beta.assistants.retrieve(a.id)).tool_resources?.code_interpreter?.file_ids,
    ).toEqual([f2.id]);
    // v2-only parameters are unknown to v1; instructions are limited to 32768 characters.
    await expect(c.beta.assistants.create({ model: "m", tool_resources: {} })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(
      c.beta.assistants.create({ model: "m", instructions: "i".repeat(LIMITS.instructionsLength.v1 + 1) }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      c.beta.assistants.create({ model: "m", tools: [{ type: "file_search" }] }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it("answers v1-only endpoints with Azure's 404 on v2", async () => {
    const a = await h.v2.client.beta.assistants.create({ model: "m" });
    const err = await h.v2.client.get(`/assistants/${a.id}/files`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).error).toMatchObject({ code: "404", message: "Resource not found" });
  });
});

describe("URL shapes and versions", () => {
  it("requires a known api-version on /openai and accepts /v1 without one", async () => {
    const missing = await h.engine.fetch(new Request("http://engine.test/openai/assistants"));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: "404", message: "Resource not found", type: "invalid_request_error" },
    });
    const unknown = h.client("2023-01-01").client;
    const err = await unknown.beta.assistants.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).error).toMatchObject({
      code: "BadRequest",
      message: "API version not supported",
    });

    await h.v2.client.beta.assistants.create({ model: "m", name: "via azure" });
    const res = await h.engine.fetch(
      new Request("http://engine.test/v1/assistants", {
        headers: { authorization: "Bearer sk-x", "openai-beta": "assistants=v2" },
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { name: string; tool_resources: unknown }[] };
    expect(body.data[0]).toMatchObject({ name: "via azure" });
    expect(body.data[0]!.tool_resources).toBeDefined();
    expect(res.headers.get("apim-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-request-id")).toBe(res.headers.get("apim-request-id"));
    const other = await h.engine.fetch(
      new Request(`http://engine.test/openai/deployments/gpt-4o/chat/completions?api-version=${V2}`, {
        method: "POST",
        body: "{}",
      }),
    );
    expect(other.status).toBe(404);
  });

  it("works with the plain OpenAI client on /v1 (newest v2 shapes)", async () => {
    const openai = new OpenAI({
      baseURL: "http://engine.test/v1",
      apiKey: "sk-unused",
      maxRetries: 0,
      fetch: (url, init) => h.engine.fetch(new Request(url, init)),
    });
    const a = await openai.beta.assistants.create({ model: "gpt-4o", tools: [{ type: "file_search" }] });
    expect(a.tool_resources).toEqual({
      code_interpreter: { file_ids: [] },
      file_search: { vector_store_ids: [] },
    });
    const t = await openai.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    const run = await openai.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    expect((await h.v2.client.beta.assistants.retrieve(a.id)).id).toBe(a.id);
  });

  it("serves control endpoints under /_engine, and reset empties the state", async () => {
    await h.v2.client.beta.assistants.create({ model: "m" });
    const health = await h.engine.fetch(new Request("http://engine.test/_engine/health"));
    expect(await health.json()).toMatchObject({ status: "ok", model: { id: expect.any(String) } });
    const f = await h.v2.client.files.create({
      file: await textFile("a.txt", "some text"),
      purpose: "assistants",
    });
    const vs = await h.v2.client.vectorStores.create({ file_ids: [f.id] });
    const idle = await h.engine.fetch(new Request("http://engine.test/_engine/idle", { method: "POST" }));
    expect(idle.status).toBe(200);
    expect((await h.v2.client.vectorStores.retrieve(vs.id)).status).toBe("completed");
    const reset = await h.engine.fetch(new Request("http://engine.test/_engine/reset", { method: "POST" }));
    expect(reset.status).toBe(200);
    expect((await h.v2.client.beta.assistants.list()).data).toEqual([]);
    expect((await h.v2.client.files.list()).data).toEqual([]);
    await expect(h.v2.client.vectorStores.retrieve(vs.id)).rejects.toBeInstanceOf(NotFoundError);
    // Still fully working after a reset.
    const a = await h.v2.client.beta.assistants.create({ model: "m" });
    expect((await h.v2.client.beta.assistants.list()).data.map((x) => x.id)).toEqual([a.id]);
  });

  it("hides control endpoints when they are disabled", async () => {
    await h.restart({ controlEndpoints: false });
    const res = await h.engine.fetch(new Request("http://engine.test/_engine/reset", { method: "POST" }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "404", message: "Resource not found" } });
  });
});
