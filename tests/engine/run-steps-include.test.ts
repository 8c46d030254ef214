// Run steps with `include[]=step_details.tool_calls[*].file_search.results[*].content`: the matched
// text of each file-search result, only when asked for (OpenAI's spec; the SDK sends `include[]`).
import { BadRequestError } from "openai";
import type { FileSearchToolCall, RunStep } from "openai/resources/beta/threads/runs/steps";
import { afterEach, describe, expect, it } from "vitest";
import { makeHarness, textFile, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.cleanup());

const CONTENT = "step_details.tool_calls[*].file_search.results[*].content" as const;

const GUIDE = [
  "The lighthouse keeper logs the tide every morning at six.",
  "Saffron buns are baked on Thursdays in the harbour bakery.",
  "Ferries to the outer island leave from pier four at noon.",
].join("\n\n");

function fileSearchResults(steps: RunStep[]): FileSearchToolCall.FileSearch.Result[] {
  return steps.flatMap((s) =>
    s.step_details.type === "tool_calls"
      ? s.step_details.tool_calls.flatMap((c) =>
          c.type === "file_search" ? (c.file_search.results ?? []) : [],
        )
      : [],
  );
}

async function fileSearchRun() {
  h = await makeHarness();
  const c = h.v2.client;
  const file = await c.files.create({
    file: await textFile("harbour-guide.md", GUIDE),
    purpose: "assistants",
  });
  const store = await c.vectorStores.create({ name: "harbour", file_ids: [file.id] });
  await h.engine.fetch(new Request("http://engine.test/_engine/idle", { method: "POST" }));
  const assistant = await c.beta.assistants.create({
    model: "gpt-4o",
    tools: [{ type: "file_search" }],
    tool_resources: { file_search: { vector_store_ids: [store.id] } },
  });
  const thread = await c.beta.threads.create({
    messages: [{ role: "user", content: "When are saffron buns baked at the harbour bakery?" }],
  });
  const run = await c.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  expect(run.status).toBe("completed");
  return { c, file, thread, run };
}

describe("run steps: include[] file-search content", () => {
  it("lists results without content by default, and with the matched text when asked", async () => {
    const { c, file, thread, run } = await fileSearchRun();

    const plain = (await c.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: "asc" })).data;
    const bare = fileSearchResults(plain);
    expect(bare.length).toBeGreaterThan(0);
    for (const r of bare) {
      expect(r).toMatchObject({ file_id: file.id, file_name: "harbour-guide.md" });
      expect(r.score).toBeGreaterThan(0);
      expect(r).not.toHaveProperty("content");
    }

    const listed = (
      await c.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: "asc", include: [CONTENT] })
    ).data;
    const full = fileSearchResults(listed);
    expect(full.map((r) => [r.file_id, r.score])).toEqual(bare.map((r) => [r.file_id, r.score]));
    const best = full[0]!;
    expect(best.content).toEqual([{ type: "text", text: expect.stringContaining("Saffron buns are baked") }]);

    // The same on a single step, and without changing what is stored.
    const stepId = listed.find((s) => s.type === "tool_calls")!.id;
    const one = await c.beta.threads.runs.steps.retrieve(stepId, {
      thread_id: thread.id,
      run_id: run.id,
      include: [CONTENT],
    });
    expect(fileSearchResults([one])[0]?.content?.[0]?.text).toContain("Saffron buns");
    const again = await c.beta.threads.runs.steps.retrieve(stepId, { thread_id: thread.id, run_id: run.id });
    expect(fileSearchResults([again])[0]).not.toHaveProperty("content");
    h.v2.assertClean();
  });

  it("refuses an include value the protocol does not define", async () => {
    const { c, thread, run } = await fileSearchRun();
    const refused = await c.beta.threads.runs.steps
      .list(run.id, {
        thread_id: thread.id,
        include: ["step_details.tool_calls[*].code_interpreter.outputs" as typeof CONTENT],
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as BadRequestError).message).toContain("include[0]");
  });

  it("leaves message-creation and other steps untouched when content is asked for", async () => {
    h = await makeHarness();
    const c = h.v2.client;
    const a = await c.beta.assistants.create({ model: "gpt-4o" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "hello" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    const plain = (await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id })).data;
    const withContent = (
      await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id, include: [CONTENT] })
    ).data;
    expect(withContent).toEqual(plain);
    expect(plain[0]?.step_details.type).toBe("message_creation");
  });
});
