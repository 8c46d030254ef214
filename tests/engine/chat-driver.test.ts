// The chat-completions driver against a recording fake upstream on loopback, through the official SDK
// (every engine response and SSE event spec-checked): what the driver sends, and what the Assistants
// side shows.
import { toFile } from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createChatCompletionsModel, type ChatCompletionsOptions } from "@/lib/engine/model/chat-completions";
import { chatToolChoice } from "@/lib/engine/model/chat-completions/request";
import { contentText, startFakeChatUpstream, type FakeChatUpstream } from "../helpers/fake-chat-upstream";
import { eventually, makeHarness, textFile, type Harness } from "./harness";

let fake: FakeChatUpstream;
let h: Harness;

async function setup(more: Partial<ChatCompletionsOptions> = {}) {
  h = await makeHarness({
    model: createChatCompletionsModel({
      api: "openai-compatible",
      endpoint: `${fake.origin}/v1`,
      maxRetryDelayMs: 2000,
      ...more,
    }),
  });
  return h.v2.client;
}

beforeEach(async () => {
  fake = await startFakeChatUpstream();
});
afterEach(async () => {
  await h?.cleanup();
  await fake.close();
});

const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("chat-completions driver: requests", () => {
  it("sends instructions + additional instructions as the system message, the thread as the conversation, and the parameters", async () => {
    const c = await setup();
    fake.reply({ text: ["Hel", "lo ", "there"], usage: { prompt_tokens: 42, completion_tokens: 5 } });
    const a = await c.beta.assistants.create({
      model: "llama3.2",
      instructions: "Be brief.",
      temperature: 0.3,
      top_p: 0.9,
    });
    const t = await c.beta.threads.create({
      messages: [
        { role: "user", content: "first question" },
        { role: "assistant", content: "first answer" },
        { role: "user", content: "second question" },
      ],
    });
    const run = await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      additional_instructions: "Answer in French.",
      response_format: { type: "json_object" },
      max_completion_tokens: 300,
    });
    expect(run.status).toBe("completed");
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toMatchObject({
      model: "llama3.2",
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      top_p: 0.9,
      response_format: { type: "json_object" },
      max_tokens: 300,
    });
    expect(req.body.tools).toBeUndefined();
    expect(req.body.messages.map((m) => [m.role, contentText(m.content)])).toEqual([
      ["system", "Be brief.\n\nAnswer in French."],
      ["user", "first question"],
      ["assistant", "first answer"],
      ["user", "second question"],
    ]);
    const messages = await c.beta.threads.messages.list(t.id, { run_id: run.id });
    expect(messages.data[0]!.content[0]).toMatchObject({ type: "text", text: { value: "Hello there" } });
    // Usage is the upstream's, not an estimate.
    expect(run.usage).toEqual({ prompt_tokens: 42, completion_tokens: 5, total_tokens: 47 });
    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id });
    expect(steps.data[0]!.usage).toEqual({ prompt_tokens: 42, completion_tokens: 5, total_tokens: 47 });
  });

  it("falls back to the engine's estimate when the upstream reports no usage", async () => {
    const c = await setup();
    fake.reply({ text: "twelve chars", usage: null });
    const a = await c.beta.assistants.create({ model: "m", instructions: "four" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "eight ch" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    // characters / 4: 3 completion tokens; the prompt is the instructions and the conversation.
    expect(run.usage?.completion_tokens).toBe(3);
    expect(run.usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it("cuts the history by truncation_strategy before sending", async () => {
    const c = await setup();
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({
      messages: ["one", "two", "three", "four"].map((content) => ({ role: "user" as const, content })),
    });
    await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      truncation_strategy: { type: "last_messages", last_messages: 2 },
    });
    expect(fake.requests[0]!.body.messages.map((m) => contentText(m.content))).toEqual(["three", "four"]);
  });

  it("drops the oldest messages to fit max_prompt_tokens before sending", async () => {
    const c = await setup();
    const a = await c.beta.assistants.create({ model: "m" });
    const long = (n: number) => `${n} ${"word ".repeat(300)}`; // ~380 tokens each by the engine's estimate
    const t = await c.beta.threads.create({
      messages: [1, 2, 3].map((n) => ({ role: "user" as const, content: long(n) })),
    });
    await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id, max_prompt_tokens: 900 });
    expect(fake.requests[0]!.body.messages.map((m) => contentText(m.content).split(" ")[0])).toEqual([
      "2",
      "3",
    ]);
  });

  it("streams each upstream delta as a thread.message.delta", async () => {
    const c = await setup();
    fake.reply({ text: ["alpha ", "beta ", "gamma"] });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
    const deltas: string[] = [];
    const stream = c.beta.threads.runs.stream(t.id, { assistant_id: a.id });
    stream.on("textDelta", (d) => deltas.push(d.value ?? ""));
    const final = await stream.finalRun();
    expect(final.status).toBe("completed");
    expect(deltas).toEqual(["alpha ", "beta ", "gamma"]);
  });

  it("sends image_file parts as data URLs and image_url parts as URLs", async () => {
    const c = await setup();
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    const img = await c.files.create({ file: await toFile(png, "dot.png"), purpose: "vision" });
    const a = await c.beta.assistants.create({ model: "gpt-4o" });
    const t = await c.beta.threads.create({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in these?" },
            { type: "image_file", image_file: { file_id: img.id, detail: "low" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
    });
    await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    const user = fake.requests[0]!.body.messages.find((m) => m.role === "user")!;
    expect(user.content).toEqual([
      { type: "text", text: "What is in these?" },
      {
        type: "image_url",
        image_url: { url: `data:image/png;base64,${png.toString("base64")}`, detail: "low" },
      },
      { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
    ]);
  });
});

describe("chat-completions driver: function calling", () => {
  it("turns a tool call into requires_action, and continues the same run with the submitted outputs", async () => {
    const c = await setup();
    fake.reply(
      {
        toolCalls: [{ name: "get_weather", arguments: '{"city":"Paris"}', id: "call_up1" }],
        usage: { prompt_tokens: 30, completion_tokens: 9 },
      },
      { text: "It is 21 °C in Paris.", usage: { prompt_tokens: 50, completion_tokens: 8 } },
    );
    const a = await c.beta.assistants.create({ model: "m", tools: [WEATHER] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "Weather in Paris?" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
    });
    expect(run.status).toBe("requires_action");
    const calls = run.required_action!.submit_tool_outputs.tool_calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    const first = fake.requests[0]!.body;
    expect(first.tools).toEqual([{ type: "function", function: WEATHER.function }]);
    expect(first.tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
    expect(first.parallel_tool_calls).toBe(false);

    const done = await c.beta.threads.runs.submitToolOutputsAndPoll(run.id, {
      thread_id: t.id,
      tool_outputs: [{ tool_call_id: calls[0]!.id, output: '{"temperature_c":21}' }],
    });
    expect(done.status).toBe("completed");
    expect(done.id).toBe(run.id);
    const second = fake.requests[1]!.body;
    // A forced choice applies to the first call only; the model may answer now.
    expect(second.tool_choice).toBe("auto");
    expect(second.messages.slice(-2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_up1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_up1", content: '{"temperature_c":21}' },
    ]);
    const messages = await c.beta.threads.messages.list(t.id, { run_id: run.id });
    expect(messages.data[0]!.content[0]).toMatchObject({ text: { value: "It is 21 °C in Paris." } });
    expect(done.usage).toEqual({ prompt_tokens: 80, completion_tokens: 17, total_tokens: 97 });
  });

  it("streams: requires_action ends the first stream, submit_tool_outputs streams the answer", async () => {
    const c = await setup();
    fake.reply(
      { toolCalls: [{ name: "get_weather", arguments: '{"city":"Oslo"}' }] },
      { text: ["Cold ", "in Oslo."] },
    );
    const a = await c.beta.assistants.create({ model: "m", tools: [WEATHER] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "Oslo?" }] });
    const events: string[] = [];
    const first = c.beta.threads.runs.stream(t.id, { assistant_id: a.id });
    first.on("event", (e) => events.push(e.event));
    const paused = await first.finalRun();
    expect(paused.status).toBe("requires_action");
    expect(events.at(-1)).toBe("thread.run.requires_action");
    const call = paused.required_action!.submit_tool_outputs.tool_calls[0]!;
    const deltas: string[] = [];
    const second = c.beta.threads.runs.submitToolOutputsStream(paused.id, {
      thread_id: t.id,
      tool_outputs: [{ tool_call_id: call.id, output: "-3 °C" }],
    });
    second.on("textDelta", (d) => deltas.push(d.value ?? ""));
    const done = await second.finalRun();
    expect(done.status).toBe("completed");
    expect(deltas).toEqual(["Cold ", "in Oslo."]);
    expect(fake.requests[1]!.body.messages.at(-1)).toMatchObject({ role: "tool", content: "-3 °C" });
  });

  it("maps tool_choice across: a forced choice on the run's first call only; file_search to the search tool", () => {
    expect(chatToolChoice("required", null, true)).toBe("required");
    expect(chatToolChoice("required", null, false)).toBe("auto");
    expect(chatToolChoice("none", "file_search", false)).toBe("none");
    expect(chatToolChoice({ type: "file_search" }, "file_search", true)).toEqual({
      type: "function",
      function: { name: "file_search" },
    });
    expect(chatToolChoice({ type: "code_interpreter" }, null, true)).toBe("auto");
  });

  it("sends parallel_tool_calls and every function call of one answer in one requires_action", async () => {
    const c = await setup();
    fake.reply({
      toolCalls: [
        { name: "get_weather", arguments: '{"city":"Oslo"}' },
        { name: "get_weather", arguments: '{"city":"Rome"}' },
      ],
    });
    const a = await c.beta.assistants.create({ model: "m", tools: [WEATHER] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "x" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(fake.requests[0]!.body.parallel_tool_calls).toBe(true);
    expect(fake.requests[0]!.body.tool_choice).toBe("auto");
    expect(run.required_action!.submit_tool_outputs.tool_calls.map((c) => c.function.arguments)).toEqual([
      '{"city":"Oslo"}',
      '{"city":"Rome"}',
    ]);
  });
});

describe("chat-completions driver: file search", () => {
  it("offers a search tool, records a file_search step with the results, and cites markers with correct indexes", async () => {
    const c = await setup();
    const f = await c.files.create({
      file: await textFile(
        "handbook.txt",
        "The office opens at 8 am. Badges are issued by reception on the second floor.",
      ),
      purpose: "assistants",
    });
    const vs = await c.vectorStores.create({ file_ids: [f.id] });
    await eventually(async () => (await c.vectorStores.retrieve(vs.id)).file_counts.completed === 1);
    const answer = "Badges come from reception on the second floor【0:0†handbook.txt】.";
    fake.reply(
      { toolCalls: [{ name: "file_search", arguments: '{"query":"badges reception"}', id: "call_s1" }] },
      // The marker arrives split across deltas.
      { text: [answer.slice(0, 50), answer.slice(50)] },
    );
    const a = await c.beta.assistants.create({
      model: "m",
      tools: [{ type: "file_search" }],
      tool_resources: { file_search: { vector_store_ids: [vs.id] } },
    });
    const t = await c.beta.threads.create({
      messages: [{ role: "user", content: "Where do I get a badge?" }],
    });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");

    const first = fake.requests[0]!.body;
    expect(first.tools?.map((t) => t.function.name)).toEqual(["file_search"]);
    expect(contentText(first.messages[0]!.content)).toContain("source marker");
    const toolMsg = fake.requests[1]!.body.messages.at(-1)!;
    expect(toolMsg.role).toBe("tool");
    expect(toolMsg.tool_call_id).toBe("call_s1");
    expect(toolMsg.content).toContain("【0:0†handbook.txt】");
    expect(toolMsg.content).toContain("Badges are issued by reception");

    const steps = (await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id, order: "asc" })).data;
    expect(steps.map((s) => s.type)).toEqual(["tool_calls", "message_creation"]);
    const details = steps[0]!.step_details;
    expect(details.type === "tool_calls" && details.tool_calls[0]).toMatchObject({
      type: "file_search",
      file_search: { results: [{ file_id: f.id, file_name: "handbook.txt" }] },
    });

    const msg = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    const part = msg.content[0]!;
    if (part.type !== "text") throw new Error("expected text");
    expect(part.text.value).toBe(answer);
    expect(part.text.annotations).toHaveLength(1);
    const ann = part.text.annotations[0]!;
    expect(ann.type).toBe("file_citation");
    expect(answer.slice(ann.start_index, ann.end_index)).toBe("【0:0†handbook.txt】");
    expect(ann.text).toBe("【0:0†handbook.txt】");
    if (ann.type === "file_citation") expect(ann.file_citation.file_id).toBe(f.id);
  });

  it("leaves markers that name no search result unannotated", async () => {
    const c = await setup();
    fake.reply({ text: "Made up【3:9†nothing】." });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    const part = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!.content[0]!;
    expect(part.type === "text" && part.text.annotations).toEqual([]);
  });
});

describe("chat-completions driver: code interpreter", () => {
  it("says in the run's steps that code interpreter is unavailable, and never offers or fakes it", async () => {
    const c = await setup();
    fake.reply({ text: "Here is code I could not run." });
    const a = await c.beta.assistants.create({ model: "m", tools: [{ type: "code_interpreter" }] });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "plot a sine wave" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    expect(fake.requests[0]!.body.tools).toBeUndefined();
    expect(contentText(fake.requests[0]!.body.messages[0]!.content)).toContain(
      "Code interpreter is not available",
    );
    const steps = (await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id, order: "asc" })).data;
    const notice = steps[0]!.step_details;
    expect(notice.type).toBe("tool_calls");
    if (notice.type !== "tool_calls") return;
    const call = notice.tool_calls[0]!;
    expect(call.type).toBe("code_interpreter");
    if (call.type !== "code_interpreter") return;
    expect(call.code_interpreter.input).toMatch(/^# Not run: /);
    expect(call.code_interpreter.outputs).toEqual([
      { type: "logs", logs: expect.stringContaining("Nothing was executed") },
    ]);
    expect(steps[0]!.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });
});

describe("chat-completions driver: errors, retries, limits, cancel", () => {
  it("retries a 429 after its retry-after, then succeeds", async () => {
    const c = await setup();
    fake.reply(
      {
        status: 429,
        headers: { "retry-after-ms": "50" },
        body: { error: { code: "429", message: "Slow down" } },
      },
      { text: "fine" },
    );
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    expect(fake.requests).toHaveLength(2);
  });

  it("gives up after a bounded number of 429s: last_error rate_limit_exceeded with the upstream's message", async () => {
    const c = await setup({ maxRetries: 2 });
    const limited = {
      status: 429,
      headers: { "retry-after": "0" },
      body: { error: { code: "429", message: "Requests exceed the quota" } },
    };
    fake.reply(limited, limited, limited, { text: "never sent" });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("failed");
    expect(fake.requests).toHaveLength(3);
    expect(run.last_error?.code).toBe("rate_limit_exceeded");
    expect(run.last_error?.message).toContain("429");
    expect(run.last_error?.message).toContain("Requests exceed the quota");
  });

  it("does not wait for a retry-after longer than it allows", async () => {
    const c = await setup({ maxRetryDelayMs: 1000 });
    fake.reply({
      status: 429,
      headers: { "retry-after": "60" },
      body: { error: { code: "429", message: "Try in a minute" } },
    });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("failed");
    expect(fake.requests).toHaveLength(1);
    expect(run.last_error?.message).toMatch(/Try in a minute.*retry after 60 s/);
  });

  it("fails on an upstream error with its status and message, and never shows the key", async () => {
    const key = "sk-test-SECRET-0123456789";
    const c = await setup({ apiKey: key });
    fake.reply({
      status: 401,
      body: { error: { code: "invalid_api_key", message: `Incorrect API key provided: ${key}.` } },
    });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${key}`);
    expect(run.status).toBe("failed");
    expect(run.last_error?.code).toBe("server_error");
    expect(run.last_error?.message).toContain("401 invalid_api_key");
    expect(run.last_error?.message).toContain("Incorrect API key provided");
    expect(JSON.stringify(run)).not.toContain(key);
    expect(fake.requests).toHaveLength(1); // a 401 is not retried
  });

  it("fails with the network error when the endpoint cannot be reached", async () => {
    const closed = await startFakeChatUpstream();
    const origin = closed.origin;
    await closed.close();
    const c = await setup({ endpoint: `${origin}/v1`, maxRetries: 1, maxRetryDelayMs: 50 });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("failed");
    expect(run.last_error?.message).toContain(
      `The model endpoint (${new URL(origin).host}) could not be reached`,
    );
    expect(run.last_error?.message).toContain("ECONNREFUSED");
    expect(run.last_error?.message).toContain("after 2 attempts");
  });

  it("ends the run incomplete when the upstream stops at the length limit", async () => {
    const c = await setup();
    fake.reply({ text: "cut sho", finish: "length" });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      max_completion_tokens: 256,
    });
    expect(run.status).toBe("incomplete");
    expect(run.incomplete_details).toEqual({ reason: "max_completion_tokens" });
  });

  it("cancel aborts the upstream request", async () => {
    const c = await setup();
    fake.reply({ hang: true });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.create(t.id, { assistant_id: a.id });
    await eventually(async () => fake.requests.length === 1);
    await c.beta.threads.runs.cancel(run.id, { thread_id: t.id });
    const done = await c.beta.threads.runs.poll(run.id, { thread_id: t.id });
    expect(done.status).toBe("cancelled");
    await eventually(async () => fake.requests[0]!.aborted);
  });

  it("gives up on a hung request after its timeout and fails the run", async () => {
    const c = await setup({ requestTimeoutMs: 300, maxRetries: 1, maxRetryDelayMs: 100 });
    fake.reply({ hang: true }, { hang: true });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("failed");
    expect(run.last_error?.message).toMatch(/did not answer within .* s \(after 2 attempts\)/);
    expect(fake.requests).toHaveLength(2);
    await eventually(async () => fake.requests.every((r) => r.aborted));
  });

  it("accepts a server that answers with one JSON completion instead of a stream", async () => {
    const c = await setup();
    fake.reply({ text: "plain json", json: true, usage: { prompt_tokens: 3, completion_tokens: 2 } });
    const a = await c.beta.assistants.create({ model: "m" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("completed");
    expect(run.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });
});

describe("chat-completions driver: endpoint kinds and auth", () => {
  it("azure-deployment: /openai/deployments/{model}/chat/completions?api-version, api-key header, no model in the body", async () => {
    const c = await setup({
      api: "azure-deployment",
      endpoint: fake.origin,
      apiKey: "azkey-123456",
      apiVersion: "2024-10-21",
    });
    const a = await c.beta.assistants.create({ model: "gpt-4o-prod" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id, max_completion_tokens: 500 });
    const req = fake.requests[0]!;
    expect(req.url).toBe("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    expect(req.headers["api-key"]).toBe("azkey-123456");
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body.model).toBeUndefined();
    expect(req.body.max_completion_tokens).toBe(500);
  });

  it("azure-v1: /openai/v1/chat/completions with the model in the body", async () => {
    const c = await setup({ api: "azure-v1", endpoint: `${fake.origin}/openai/v1`, apiKey: "azkey-abcdef" });
    const a = await c.beta.assistants.create({ model: "gpt-4.1-mini" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "q" }] });
    await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    const req = fake.requests[0]!;
    expect(req.url).toBe("/openai/v1/chat/completions");
    expect(req.headers["api-key"]).toBe("azkey-abcdef");
    expect(req.body.model).toBe("gpt-4.1-mini");
  });

  it("injected headers (Entra tokens) are asked for on every call", async () => {
    let n = 0;
    const c = await setup({
      api: "azure-v1",
      endpoint: fake.origin,
      headers: async () => ({ authorization: `Bearer token-${++n}` }),
    });
    const a = await c.beta.assistants.create({ model: "m" });
    for (const q of ["a", "b"]) {
      const t = await c.beta.threads.create({ messages: [{ role: "user", content: q }] });
      await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    }
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(fake.requests[0]!.headers["api-key"]).toBeUndefined();
  });
});
