import { BadRequestError, NotFoundError, RateLimitError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { Model } from "@/lib/engine";
import { estimateTokens } from "@/lib/engine/limits";
import { RUN_TRANSITIONS } from "@/lib/engine/run-states";
import { admittingModel, echoModel, functionModel, hangingModel, scriptModel, throwingModel } from "./models";
import { eventually, makeHarness, V2, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.cleanup());

async function setup(model: Model, opts: { runExpirySeconds?: number } = {}) {
  h = await makeHarness({ model, ...opts });
  const c = h.v2.client;
  const a = await c.beta.assistants.create({
    model: "gpt-4o",
    instructions: "Be brief.",
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
      {
        type: "function",
        function: { name: "get_time", description: "Time", parameters: { type: "object", properties: {} } },
      },
    ],
  });
  const t = await c.beta.threads.create({ messages: [{ role: "user", content: "hello engine" }] });
  return { c, a, t };
}

describe("runs", () => {
  it("runs to completion with a message step, usage and the poll header", async () => {
    const { c, a, t } = await setup(echoModel());
    const { data: created, response } = await c.beta.threads.runs
      .create(t.id, { assistant_id: a.id, metadata: { m: "1" } })
      .withResponse();
    expect(created).toMatchObject({
      status: "queued",
      assistant_id: a.id,
      thread_id: t.id,
      instructions: "Be brief.",
      model: "gpt-4o",
      usage: null,
      metadata: { m: "1" },
    });
    expect(created.expires_at).toBe(created.created_at + 600);
    expect(response.headers.get("openai-poll-after-ms")).toBe("5");
    const run = await c.beta.threads.runs.poll(created.id, { thread_id: t.id });
    expect(run).toMatchObject({
      status: "completed",
      expires_at: null,
      required_action: null,
      last_error: null,
    });
    expect(run.started_at).not.toBeNull();
    expect(run.completed_at).not.toBeNull();

    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id });
    expect(steps.data).toHaveLength(1);
    const step = steps.data[0]!;
    expect(step).toMatchObject({ type: "message_creation", status: "completed", run_id: run.id });
    const msgId = (step.step_details as { message_creation: { message_id: string } }).message_creation
      .message_id;
    const msg = await c.beta.threads.messages.retrieve(msgId, { thread_id: t.id });
    const text = (msg.content[0] as { text: { value: string } }).text.value;
    expect(text).toBe("echo: hello engine");
    // Usage: ~chars/4, deterministic; the run sums its steps.
    expect(step.usage).toEqual({
      prompt_tokens: estimateTokens("Be brief." + "hello engine"),
      completion_tokens: estimateTokens(text),
      total_tokens: estimateTokens("Be brief." + "hello engine") + estimateTokens(text),
    });
    expect(run.usage).toEqual(step.usage);
    expect(await c.beta.threads.runs.steps.retrieve(step.id, { thread_id: t.id, run_id: run.id })).toEqual(
      step,
    );
    await expect(
      c.beta.threads.runs.steps.retrieve("step_nope", { thread_id: t.id, run_id: run.id }),
    ).rejects.toBeInstanceOf(NotFoundError);

    const updated = await c.beta.threads.runs.update(run.id, { thread_id: t.id, metadata: { m: "2" } });
    expect(updated.metadata).toEqual({ m: "2" });
    const list = await c.beta.threads.runs.list(t.id);
    expect(list.data.map((r) => r.id)).toEqual([run.id]);
  });

  it("takes overrides, additional instructions and additional messages", async () => {
    const model = echoModel();
    const { c, a, t } = await setup(model);
    const run = await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      model: "gpt-4o-mini",
      instructions: "Override.",
      additional_instructions: "Also this.",
      additional_messages: [{ role: "user", content: "extra question" }],
      tools: [],
      temperature: 0.2,
      tool_choice: "none",
      response_format: { type: "json_object" },
    });
    expect(run).toMatchObject({
      status: "completed",
      model: "gpt-4o-mini",
      instructions: "Override.\n\nAlso this.",
      tools: [],
      temperature: 0.2,
      tool_choice: "none",
    });
    const ctx = model.contexts[0]!;
    expect(ctx.instructions).toBe("Override.\n\nAlso this.");
    expect(ctx.messages.map((m) => m.text)).toEqual(["hello engine", "extra question"]);
    expect(ctx.responseFormat).toEqual({ type: "json_object" });
  });

  it("validates run parameters against the spec's limits", async () => {
    const { c, a, t } = await setup(echoModel());
    const tools = Array.from({ length: 21 }, () => ({ type: "code_interpreter" as const }));
    for (const [body, param] of [
      [{ tools }, "tools"],
      [{ max_prompt_tokens: 255 }, "max_prompt_tokens"],
      [{ max_completion_tokens: 100 }, "max_completion_tokens"],
      [{ temperature: 3 }, "temperature"],
      [{ truncation_strategy: { type: "last_messages", last_messages: 0 } }, "last_messages"],
      [{ tool_choice: { type: "function", function: { name: "nope" } } }, "tool_choice"],
    ] as const) {
      const err = await c.beta.threads.runs
        .create(t.id, { assistant_id: a.id, ...body } as never)
        .catch((e: unknown) => e);
      expect(err, param).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).param, param).toBe(param);
    }
    const missing = await c.beta.threads.runs
      .create(t.id, { assistant_id: "asst_nope" })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    await expect(c.beta.threads.runs.create("thread_nope", { assistant_id: a.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // Nothing was created by the refused calls.
    expect((await c.beta.threads.runs.list(t.id)).data).toEqual([]);
  });

  it("requires_action → submit_tool_outputs → completed, with function outputs on the step", async () => {
    const { c, a, t } = await setup(functionModel());
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("requires_action");
    const calls = run.required_action!.submit_tool_outputs.tool_calls;
    expect(calls.map((x) => [x.function.name, JSON.parse(x.function.arguments)])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_time", {}],
    ]);
    // Every call id is required; unknown ids are refused; nothing changes on refusal.
    await expect(
      c.beta.threads.runs.submitToolOutputs(run.id, {
        thread_id: t.id,
        tool_outputs: [{ tool_call_id: calls[0]!.id, output: "sunny" }],
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      c.beta.threads.runs.submitToolOutputs(run.id, {
        thread_id: t.id,
        tool_outputs: [
          { tool_call_id: "call_x", output: "?" },
          { tool_call_id: calls[0]!.id, output: "a" },
          { tool_call_id: calls[1]!.id, output: "b" },
        ],
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    expect((await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id })).status).toBe("requires_action");
    // The thread is locked while the run waits.
    await expect(
      c.beta.threads.messages.create(t.id, { role: "user", content: "more" }),
    ).rejects.toBeInstanceOf(BadRequestError);

    const done = await c.beta.threads.runs.submitToolOutputsAndPoll(run.id, {
      thread_id: t.id,
      tool_outputs: [
        { tool_call_id: calls[0]!.id, output: "sunny" },
        { tool_call_id: calls[1]!.id, output: "noon" },
      ],
    });
    expect(done.status).toBe("completed");
    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id, order: "asc" });
    expect(steps.data.map((s) => [s.type, s.status])).toEqual([
      ["tool_calls", "completed"],
      ["message_creation", "completed"],
    ]);
    const toolCalls = (steps.data[0]!.step_details as { tool_calls: { function: { output: string } }[] })
      .tool_calls;
    expect(toolCalls.map((x) => x.function.output)).toEqual(["sunny", "noon"]);
    const msgs = await c.beta.threads.messages.list(t.id, { run_id: run.id });
    expect((msgs.data[0]!.content[0] as { text: { value: string } }).text.value).toBe(
      "Outputs: get_weather=sunny, get_time=noon",
    );
    const late = await c.beta.threads.runs
      .submitToolOutputs(run.id, { thread_id: t.id, tool_outputs: [] })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(BadRequestError);
    expect((late as BadRequestError).message).toContain(
      'Runs in status "completed" do not accept tool outputs.',
    );
  });

  it("locks the thread while a run is active, and cancels", async () => {
    const { c, a, t } = await setup(hangingModel());
    const run = await c.beta.threads.runs.create(t.id, { assistant_id: a.id });
    await eventually(
      async () => (await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id })).status === "in_progress",
    );
    const lockedMsg = await c.beta.threads.messages
      .create(t.id, { role: "user", content: "again" })
      .catch((e: unknown) => e);
    expect(lockedMsg).toBeInstanceOf(BadRequestError);
    expect((lockedMsg as BadRequestError).message).toContain(`while a run ${run.id} is active`);
    await expect(c.beta.threads.runs.create(t.id, { assistant_id: a.id })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    // A partial message is visible while the run works.
    const partial = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    expect(partial.status).toBe("in_progress");

    const cancelling = await c.beta.threads.runs.cancel(run.id, { thread_id: t.id });
    expect(cancelling.status).toBe("cancelling");
    const cancelled = await c.beta.threads.runs.poll(run.id, { thread_id: t.id });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.cancelled_at).not.toBeNull();
    const msg = await c.beta.threads.messages.retrieve(partial.id, { thread_id: t.id });
    expect(msg).toMatchObject({ status: "incomplete", incomplete_details: { reason: "run_cancelled" } });
    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id });
    expect(steps.data[0]!.status).toBe("cancelled");
    const again = await c.beta.threads.runs.cancel(run.id, { thread_id: t.id }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(BadRequestError);
    expect((again as BadRequestError).message).toContain("Cannot cancel run with status 'cancelled'.");
    // Unlocked again.
    await expect(
      c.beta.threads.messages.create(t.id, { role: "user", content: "now" }),
    ).resolves.toBeDefined();
  });

  it("deleting a thread with an active run stops the run and leaves nothing behind", async () => {
    const { c, a, t } = await setup(hangingModel());
    const run = await c.beta.threads.runs.create(t.id, { assistant_id: a.id });
    await eventually(
      async () => (await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id })).status === "in_progress",
    );
    await c.beta.threads.delete(t.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(await h.storedCount("run")).toBe(0);
    expect(await h.storedCount("message")).toBe(0);
    expect(await h.storedCount("step")).toBe(0);
    await expect(c.beta.threads.runs.retrieve(run.id, { thread_id: t.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("cancels a run waiting for tool outputs", async () => {
    const { c, a, t } = await setup(functionModel());
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("requires_action");
    await c.beta.threads.runs.cancel(run.id, { thread_id: t.id });
    const final = await c.beta.threads.runs.poll(run.id, { thread_id: t.id });
    expect(final).toMatchObject({ status: "cancelled", required_action: null });
  });

  it("expires a run left in requires_action past expires_at", async () => {
    const { c, a, t } = await setup(functionModel(), { runExpirySeconds: 1 });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("requires_action");
    expect(run.expires_at).toBe(run.created_at + 1);
    const expired = await eventually(async () => {
      const r = await c.beta.threads.runs.retrieve(run.id, { thread_id: t.id });
      return r.status === "expired" && r;
    });
    expect(expired.required_action).toBeNull();
    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id });
    expect(steps.data[0]!.status).toBe("expired");
    const calls = run.required_action!.submit_tool_outputs.tool_calls;
    await expect(
      c.beta.threads.runs.submitToolOutputs(run.id, {
        thread_id: t.id,
        tool_outputs: calls.map((x) => ({ tool_call_id: x.id, output: "late" })),
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it("expires a working run when its time is up, and aborts the model", async () => {
    let aborted = false;
    const model: Model = {
      id: "watch",
      label: "watch",
      async *run(ctx) {
        yield { type: "message.start" };
        await new Promise<void>((r) => ctx.signal.addEventListener("abort", () => ((aborted = true), r())));
      },
    };
    const { c, a, t } = await setup(model, { runExpirySeconds: 1 });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run.status).toBe("expired");
    expect(aborted).toBe(true);
    const msg = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    expect(msg).toMatchObject({ status: "incomplete", incomplete_details: { reason: "run_expired" } });
  });

  it("ends incomplete when max_completion_tokens is reached", async () => {
    const long = "word ".repeat(400);
    const { c, a, t } = await setup(
      scriptModel([
        { type: "message.start" },
        { type: "message.text", value: long },
        { type: "message.text", value: long },
        { type: "message.end" },
      ]),
    );
    const run = await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      max_completion_tokens: 256,
    });
    expect(run).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_completion_tokens" },
    });
    expect(run.usage!.completion_tokens).toBe(256);
    const msg = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    expect(msg).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_tokens" } });
    expect((msg.content[0] as { text: { value: string } }).text.value).toHaveLength(256 * 4);
  });

  it("cuts the conversation by truncation_strategy and max_prompt_tokens", async () => {
    const model = echoModel();
    const { c, a, t } = await setup(model);
    for (let i = 0; i < 5; i++)
      await c.beta.threads.messages.create(t.id, { role: "user", content: `m${i} ` + "x".repeat(400) });
    await c.beta.threads.runs.createAndPoll(t.id, {
      assistant_id: a.id,
      truncation_strategy: { type: "last_messages", last_messages: 2 },
    });
    expect(model.contexts[0]!.messages.map((m) => m.text.slice(0, 2))).toEqual(["m3", "m4"]);
    await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id, max_prompt_tokens: 256 });
    const cut = model.contexts[1]!.messages;
    expect(cut.length).toBeLessThan(7);
    expect(
      cut.reduce((n, m) => n + estimateTokens(m.text), 0) + estimateTokens("Be brief."),
    ).toBeLessThanOrEqual(256);
    expect(cut[cut.length - 1]!.role).toBe("assistant");
    // A last message bigger than the budget cannot be cut: incomplete, max_prompt_tokens.
    await c.beta.threads.messages.create(t.id, { role: "user", content: "y".repeat(2000) });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id, max_prompt_tokens: 256 });
    expect(run).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_prompt_tokens" } });
  });

  it("ends failed with the model's last_error, or server_error when the model throws", async () => {
    const { c, a, t } = await setup(
      scriptModel([
        { type: "message.start" },
        { type: "message.text", value: "partial" },
        { type: "fail", code: "rate_limit_exceeded", message: "Slow down." },
      ]),
    );
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run).toMatchObject({
      status: "failed",
      last_error: { code: "rate_limit_exceeded", message: "Slow down." },
    });
    expect(run.failed_at).not.toBeNull();
    const msg = (await c.beta.threads.messages.list(t.id, { run_id: run.id })).data[0]!;
    expect(msg.incomplete_details).toEqual({ reason: "run_failed" });
    await h.cleanup();

    const second = await setup(throwingModel());
    const run2 = await second.c.beta.threads.runs.createAndPoll(second.t.id, { assistant_id: second.a.id });
    expect(run2).toMatchObject({ status: "failed", last_error: { code: "server_error" } });
    expect(run2.last_error!.message).toContain("boom");
  });

  it("answers a refused admission with 429, retry-after headers, and creates nothing", async () => {
    const { c, a, t } = await setup(admittingModel());
    const busy = await c.beta.threads
      .createAndRun({
        assistant_id: a.id,
        thread: { messages: [{ role: "user", content: "are you busy?" }] },
      })
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RateLimitError);
    const err = busy as RateLimitError;
    expect(err.status).toBe(429);
    expect(err.headers?.get("retry-after")).toBe("3");
    expect(err.headers?.get("retry-after-ms")).toBe("3000");
    expect(err.error).toMatchObject({
      code: "429",
      message: "Rate limit is exceeded. Try again in 3 seconds.",
    });
    expect(((await c.get("/threads")) as { data: unknown[] }).data).toHaveLength(1);
    await expect(
      c.beta.threads.runs.create(t.id, {
        assistant_id: a.id,
        additional_messages: [{ role: "user", content: "busy now" }],
      }),
    ).rejects.toBeInstanceOf(RateLimitError);
    expect((await c.beta.threads.messages.list(t.id)).data).toHaveLength(1);
    expect((await c.beta.threads.runs.list(t.id)).data).toHaveLength(0);
    await expect(c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id })).resolves.toMatchObject({
      status: "completed",
    });
  });

  it("creates a thread and a run in one call", async () => {
    const { c, a } = await setup(echoModel());
    const run = await c.beta.threads.createAndRunPoll({
      assistant_id: a.id,
      thread: { messages: [{ role: "user", content: "one call" }], metadata: { via: "createAndRun" } },
    });
    expect(run.status).toBe("completed");
    const thread = await c.beta.threads.retrieve(run.thread_id);
    expect(thread.metadata).toEqual({ via: "createAndRun" });
    const msgs = await c.beta.threads.messages.list(run.thread_id, { order: "asc" });
    expect(msgs.data.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("v1 runs: v1 shapes, file_ids snapshot, no streaming", async () => {
    h = await makeHarness({ model: echoModel() });
    const c = h.v1.client;
    const a = await c.beta.assistants.create({ model: "gpt-4", instructions: "v1" });
    const t = await c.beta.threads.create({ messages: [{ role: "user", content: "old api" }] });
    const run = await c.beta.threads.runs.createAndPoll(t.id, { assistant_id: a.id });
    expect(run).toMatchObject({ status: "completed", file_ids: [] });
    expect(run).not.toHaveProperty("truncation_strategy");
    const stream = await c.beta.threads.runs
      .create(t.id, { assistant_id: a.id, stream: true })
      .catch((e: unknown) => e);
    expect(stream).toBeInstanceOf(BadRequestError);
    expect((stream as BadRequestError).param).toBe("stream");
    await expect(
      c.beta.threads.runs.create(t.id, { assistant_id: a.id, max_completion_tokens: 500 }),
    ).rejects.toBeInstanceOf(BadRequestError);
    const steps = await c.beta.threads.runs.steps.list(run.id, { thread_id: t.id });
    expect(steps.data[0]).not.toHaveProperty("usage");
  });
});

describe("run state machine", () => {
  it("is an explicit transition table with terminal states", () => {
    for (const s of ["cancelled", "failed", "completed", "expired", "incomplete"] as const)
      expect(RUN_TRANSITIONS[s]).toEqual([]);
    expect(RUN_TRANSITIONS.requires_action).toContain("queued");
    expect(RUN_TRANSITIONS.queued).not.toContain("completed");
    expect(RUN_TRANSITIONS.cancelling).toEqual(["cancelled", "failed", "expired"]);
  });
});

export { V2 };
