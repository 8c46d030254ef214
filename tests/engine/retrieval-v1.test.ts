// Assistants v1 (2024-02-15-preview family): the `retrieval` tool searches the assistant's and the
// messages' `file_ids`, with retrieval run steps and file citations in v1 shapes. Every body and every
// request goes through the official SDK and is validated against the v1 spec (the harness fails the test
// on any violation).
import { BadRequestError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { makeHarness, textFile, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.cleanup());

const ZORBIA =
  "Zorbia is a small island nation. The capital of Zorbia is Quuxhaven, a harbour town. " +
  "Zorbia exports blue cheese and copper wire.";
const VELDT = "Veldtmark is a mountain country. Its largest lake is Lake Ombrel, fed by glaciers.";

interface V1Annotation {
  type: string;
  text: string;
  start_index: number;
  end_index: number;
  file_citation?: { file_id: string; quote: string };
}
interface V1Message {
  role: string;
  content: { type: string; text?: { value: string; annotations: V1Annotation[] } }[];
}

async function answerOf(threadId: string) {
  const list = await h.v1.client.beta.threads.messages.list(threadId);
  const m = list.data.find((x) => x.role === "assistant") as unknown as V1Message | undefined;
  const text = m?.content.find((c) => c.type === "text")?.text;
  if (!text) throw new Error("no assistant text");
  return text;
}

describe("v1 retrieval", () => {
  it("answers from the assistant's file_ids with a file citation and a retrieval step", async () => {
    h = await makeHarness();
    const c = h.v1.client;
    const file = await c.files.create({ file: await textFile("zorbia.txt", ZORBIA), purpose: "assistants" });
    const assistant = (await c.beta.assistants.create({
      model: "gpt-4",
      instructions: "Answer from the files.",
      tools: [{ type: "retrieval" }],
      file_ids: [file.id],
    } as never)) as unknown as { id: string; tools: unknown; file_ids: string[] };
    expect(assistant.tools).toEqual([{ type: "retrieval" }]);
    expect(assistant.file_ids).toEqual([file.id]);

    const thread = await c.beta.threads.create({
      messages: [{ role: "user", content: "What is the capital of Zorbia?" }],
    });
    const run = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("completed");
    expect(run.tools).toEqual([{ type: "retrieval" }]);
    expect((run as unknown as { file_ids: string[] }).file_ids).toEqual([file.id]);

    const text = await answerOf(thread.id);
    expect(text.value).toContain("Quuxhaven");
    const citation = text.annotations.find((a) => a.type === "file_citation");
    expect(citation?.file_citation?.file_id).toBe(file.id);
    expect(citation?.file_citation?.quote).toContain("Quuxhaven");
    expect(text.value.slice(citation!.start_index, citation!.end_index)).toBe(citation!.text);

    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: "asc" });
    expect(steps.data.map((s) => s.type)).toEqual(["tool_calls", "message_creation"]);
    const details = steps.data[0]!.step_details as unknown as { tool_calls: unknown[] };
    expect(details.tool_calls).toEqual([{ id: expect.any(String), type: "retrieval", retrieval: {} }]);

    // The same assistant through v2: retrieval is file_search over a store holding the v1 files.
    const v2 = await h.v2.client.beta.assistants.retrieve(assistant.id);
    expect(v2.tools).toEqual([{ type: "file_search" }]);
    const [storeId] = v2.tool_resources?.file_search?.vector_store_ids ?? [];
    const inStore = await h.v2.client.vectorStores.files.list(storeId!);
    expect(inStore.data.map((f) => f.id)).toEqual([file.id]);
  });

  it("searches message file_ids, and a run's retrieval tool override", async () => {
    h = await makeHarness();
    const c = h.v1.client;
    const file = await c.files.create({ file: await textFile("veldt.md", VELDT), purpose: "assistants" });
    const plain = await c.beta.assistants.create({ model: "gpt-4", instructions: "Be brief." });
    const thread = await c.beta.threads.create();
    const message = (await c.beta.threads.messages.create(thread.id, {
      role: "user",
      content: "What is the largest lake of Veldtmark?",
      file_ids: [file.id],
    } as never)) as unknown as { file_ids: string[] };
    expect(message.file_ids).toEqual([file.id]);
    const run = await c.beta.threads.runs.createAndPoll(thread.id, {
      assistant_id: plain.id,
      tools: [{ type: "retrieval" }] as never,
    });
    expect(run.status).toBe("completed");
    expect(run.tools).toEqual([{ type: "retrieval" }]);
    const text = await answerOf(thread.id);
    expect(text.value).toContain("Ombrel");
    expect(text.annotations.find((a) => a.type === "file_citation")?.file_citation?.file_id).toBe(file.id);
  });

  it("keeps the searched files in step with file_ids and the assistant files endpoints", async () => {
    h = await makeHarness();
    const c = h.v1.client;
    const zorbia = await c.files.create({
      file: await textFile("zorbia.txt", ZORBIA),
      purpose: "assistants",
    });
    const veldt = await c.files.create({ file: await textFile("veldt.txt", VELDT), purpose: "assistants" });
    const a = (await c.beta.assistants.create({
      model: "gpt-4",
      tools: [{ type: "retrieval" }],
      file_ids: [zorbia.id],
    } as never)) as unknown as { id: string };
    const ask = async (question: string) => {
      const t = await c.beta.threads.create({ messages: [{ role: "user", content: question }] });
      const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
      expect(run.status).toBe("completed");
      return (await answerOf(t.id)).value;
    };
    await c.post(`/assistants/${a.id}/files`, { body: { file_id: veldt.id } });
    expect(await ask("What is the largest lake of Veldtmark?")).toContain("Ombrel");
    await c.delete(`/assistants/${a.id}/files/${veldt.id}`);
    expect(await ask("What is the largest lake of Veldtmark?")).not.toContain("Ombrel");
    await c.beta.assistants.update(a.id, { file_ids: [veldt.id] } as never);
    expect(await ask("What is the capital of Zorbia?")).not.toContain("Quuxhaven");
    expect(await ask("What is the largest lake of Veldtmark?")).toContain("Ombrel");
  });

  it("is v1's alone: v2 api-versions refuse retrieval, v1 refuses file_search", async () => {
    h = await makeHarness();
    const v2 = await h.v2.client.beta.assistants
      .create({ model: "gpt-4o", tools: [{ type: "retrieval" }] as never })
      .catch((e: unknown) => e);
    expect(v2).toBeInstanceOf(BadRequestError);
    expect((v2 as BadRequestError).message).toMatch(/'retrieval' is not a supported tool type/);
    await expect(
      h.v1.client.beta.assistants.create({ model: "gpt-4", tools: [{ type: "file_search" }] }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});
