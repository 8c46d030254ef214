import { APIError, AzureOpenAI } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { Model } from "@/lib/engine";
import { serveEngine } from "@/lib/engine/server";
import { echoModel, functionModel, scriptModel } from "./models";
import { makeHarness, V2, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.cleanup());

async function setup(model: Model) {
  h = await makeHarness({ model });
  const c = h.v2.client;
  const a = await c.beta.assistants.create({
    model: "gpt-4o",
    tools: [
      {
        type: "function",
        function: { name: "get_weather", description: "", parameters: { type: "object", properties: {} } },
      },
    ],
  });
  const t = await c.beta.threads.create({ messages: [{ role: "user", content: "stream please" }] });
  return { c, a, t };
}

function eventNames(events: { event: string }[]): string[] {
  // Collapse runs of deltas so the order reads like the documentation's.
  return events.map((e) => e.event).filter((e, i, all) => !(e.endsWith(".delta") && all[i - 1] === e));
}

describe("streaming (v2)", () => {
  it("emits the canonical event order for a text answer, first delta with annotations: []", async () => {
    const { c, a, t } = await setup(echoModel({ parts: 4 }));
    const stream = await c.beta.threads.runs.create(t.id, { assistant_id: a.id, stream: true });
    const events: { event: string; data: unknown }[] = [];
    for await (const e of stream) events.push(e);
    expect(eventNames(events)).toEqual([
      "thread.run.created",
      "thread.run.queued",
      "thread.run.in_progress",
      "thread.run.step.created",
      "thread.run.step.in_progress",
      "thread.message.created",
      "thread.message.in_progress",
      "thread.message.delta",
      "thread.message.completed",
      "thread.run.step.completed",
      "thread.run.completed",
    ]);
    const deltas = events
      .filter((e) => e.event === "thread.message.delta")
      .map(
        (e) =>
          (e.data as { delta: { content: { text: { value: string; annotations?: unknown[] } }[] } }).delta
            .content[0]!.text,
      );
    expect(deltas).toHaveLength(4);
    expect(deltas[0]!.annotations).toEqual([]);
    expect(deltas.slice(1).every((d) => d.annotations === undefined)).toBe(true);
    expect(deltas.map((d) => d.value).join("")).toBe("echo: stream please");
    const created = events.find((e) => e.event === "thread.message.created")!.data as {
      status: string;
      content: unknown[];
    };
    expect(created).toMatchObject({ status: "in_progress", content: [] });
    const completed = events.at(-1)!.data as { status: string; usage: unknown; expires_at: unknown };
    expect(completed).toMatchObject({ status: "completed", expires_at: null });
    expect(completed.usage).not.toBeNull();
  });

  it("ends the raw stream with event: done / data: [DONE]", async () => {
    const { a, t } = await setup(echoModel());
    const res = await h.engine.fetch(
      new Request(`http://engine.test/openai/threads/${t.id}/runs?api-version=${V2}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ assistant_id: a.id, stream: true }),
      }),
    );
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const text = await res.text();
    expect(text.startsWith("event: thread.run.created\ndata: {")).toBe(true);
    expect(text.endsWith("event: done\ndata: [DONE]\n\n")).toBe(true);
  });

  it("create-thread-and-run emits thread.created first", async () => {
    const { c, a } = await setup(echoModel());
    const stream = c.beta.threads.createAndRunStream({
      assistant_id: a.id,
      thread: { messages: [{ role: "user", content: "new thread" }] },
    });
    const names: string[] = [];
    for await (const e of stream) names.push(e.event);
    expect(names.slice(0, 3)).toEqual(["thread.created", "thread.run.created", "thread.run.queued"]);
    const final = await stream.finalRun();
    expect(final.status).toBe("completed");
    const text = (await stream.finalMessages())[0]!.content[0] as { text: { value: string } };
    expect(text.text.value).toBe("echo: new thread");
  });

  it("streams function calling: requires_action closes the stream, submit streams the rest", async () => {
    const model: Model = {
      ...functionModel(),
      async *run(ctx) {
        if (ctx.priorFunctionCalls.length === 0) {
          yield {
            type: "tool_calls",
            calls: [{ type: "function", name: "get_weather", arguments: '{"city":"Oslo"}' }],
          };
          return;
        }
        yield { type: "message.start" };
        yield { type: "message.text", value: `It is ${ctx.priorFunctionCalls[0]!.output}.` };
        yield { type: "message.end" };
      },
    };
    const { c, a, t } = await setup(model);
    const first = c.beta.threads.runs.stream(t.id, { assistant_id: a.id });
    const names: string[] = [];
    for await (const e of first) names.push(e.event);
    expect(eventNames(names.map((event) => ({ event })))).toEqual([
      "thread.run.created",
      "thread.run.queued",
      "thread.run.in_progress",
      "thread.run.step.created",
      "thread.run.step.in_progress",
      "thread.run.step.delta",
      "thread.run.requires_action",
    ]);
    const run = await first.finalRun();
    expect(run.status).toBe("requires_action");
    const call = run.required_action!.submit_tool_outputs.tool_calls[0]!;
    expect(first.currentRunStepSnapshot()?.step_details).toMatchObject({
      type: "tool_calls",
      tool_calls: [
        { id: call.id, type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
      ],
    });

    const second = c.beta.threads.runs.submitToolOutputsStream(run.id, {
      thread_id: t.id,
      tool_outputs: [{ tool_call_id: call.id, output: "cold" }],
    });
    const names2: string[] = [];
    for await (const e of second) names2.push(e.event);
    expect(eventNames(names2.map((event) => ({ event })))).toEqual([
      "thread.run.step.completed",
      "thread.run.queued",
      "thread.run.in_progress",
      "thread.run.step.created",
      "thread.run.step.in_progress",
      "thread.message.created",
      "thread.message.in_progress",
      "thread.message.delta",
      "thread.message.completed",
      "thread.run.step.completed",
      "thread.run.completed",
    ]);
    const msg = (await second.finalMessages())[0]!.content[0] as { text: { value: string } };
    expect(msg.text.value).toBe("It is cold.");
  });

  it("streams code interpreter deltas, images and annotations", async () => {
    let imgId = "";
    const text = "See sandbox:/mnt/data/out.csv";
    const { c, a, t } = await setup(
      scriptModel(() => [
        {
          type: "tool_calls",
          calls: [{ type: "code_interpreter", input: "print(1)", outputs: [{ type: "logs", logs: "1\n" }] }],
        },
        { type: "message.start" },
        { type: "message.image", file_id: imgId },
        { type: "message.text", value: text },
        {
          type: "message.annotation",
          annotation: {
            type: "file_path",
            text: "sandbox:/mnt/data/out.csv",
            start_index: 4,
            end_index: text.length,
            file_id: imgId,
          },
        },
        { type: "message.end" },
      ]),
    );
    imgId = (
      await c.files.create({
        file: new File([new Uint8Array([137, 80, 78, 71])], "x.png"),
        purpose: "assistants",
      })
    ).id;
    const stream = c.beta.threads.runs.stream(t.id, { assistant_id: a.id });
    const inputs: string[] = [];
    stream.on("toolCallDelta", (d) => {
      if (d.type === "code_interpreter" && d.code_interpreter?.input) inputs.push(d.code_interpreter.input);
    });
    const [message] = await stream.finalMessages();
    expect(inputs.join("")).toBe("print(1)");
    expect(message!.content[0]).toMatchObject({ type: "image_file", image_file: { file_id: imgId } });
    expect(message!.content[1]).toMatchObject({
      type: "text",
      text: {
        value: text,
        annotations: [
          { type: "file_path", start_index: 4, end_index: text.length, file_path: { file_id: imgId } },
        ],
      },
    });
    const steps = await c.beta.threads.runs.steps.list((await stream.finalRun()).id, {
      thread_id: t.id,
      order: "asc",
    });
    expect(steps.data[0]!.step_details).toMatchObject({
      type: "tool_calls",
      tool_calls: [
        {
          type: "code_interpreter",
          code_interpreter: { input: "print(1)", outputs: [{ type: "logs", logs: "1\n" }] },
        },
      ],
    });
  });

  it("reports a failed run as thread.run.failed and an engine error as an SDK APIError", async () => {
    const { c, a, t } = await setup(scriptModel([{ type: "fail", code: "server_error", message: "forced" }]));
    const stream = c.beta.threads.runs.stream(t.id, { assistant_id: a.id });
    const names: string[] = [];
    for await (const e of stream) names.push(e.event);
    expect(names.at(-1)).toBe("thread.run.failed");
    expect((await stream.finalRun()).last_error).toEqual({ code: "server_error", message: "forced" });
    await h.cleanup();

    // An engine-level failure mid-stream (its storage vanished): the SSE `error` event,
    // wrapped so the SDK raises APIError.
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const fragile: Model = {
      id: "fragile",
      label: "fragile",
      async *run() {
        yield { type: "message.start" };
        await gate;
        yield { type: "message.end" };
      },
    };
    const s = await setup(fragile);
    const broken = s.c.beta.threads.runs.stream(s.t.id, { assistant_id: s.a.id });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const e of broken) {
        seen.push(e.event);
        if (e.event === "thread.message.in_progress") {
          await h.breakStorage();
          open();
        }
      }
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(APIError);
    // The folder store's ENOENT, or the database's missing relation.
    expect((failure as APIError).message).toMatch(/ENOENT|does not exist/);
    expect(seen).toContain("thread.message.in_progress");
  });

  it("refuses streaming on v1", async () => {
    h = await makeHarness({ model: echoModel() });
    const c = h.v1.client;
    const a = await c.beta.assistants.create({ model: "m" });
    await expect(c.beta.threads.createAndRun({ assistant_id: a.id, stream: true })).rejects.toBeInstanceOf(
      APIError,
    );
  });

  it("flushes events as they happen over a real socket (serveEngine)", async () => {
    // The model holds its second delta until the client has seen the first one: if the engine or the
    // server buffered the stream, the first delta would never arrive and the test would time out.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const model: Model = {
      id: "gated",
      label: "gated",
      async *run() {
        yield { type: "message.start" };
        yield { type: "message.text", value: "first " };
        await held;
        yield { type: "message.text", value: "second" };
        yield { type: "message.end" };
      },
    };
    h = await makeHarness({ model });
    const served = await serveEngine(h.engine, { port: 0 });
    try {
      const c = new AzureOpenAI({
        baseURL: `${served.url}/openai`,
        apiKey: "unused",
        apiVersion: V2,
        maxRetries: 0,
      });
      const a = await c.beta.assistants.create({ model: "m" });
      const t = await c.beta.threads.create({ messages: [{ role: "user", content: "slowly, please" }] });
      const stream = c.beta.threads.runs.stream(t.id, { assistant_id: a.id });
      let runId = "";
      let statusAtFirstDelta = "";
      const deltas: string[] = [];
      for await (const e of stream) {
        if (e.event === "thread.run.created") runId = e.data.id;
        if (e.event === "thread.message.delta") {
          const part = e.data.delta.content?.[0];
          deltas.push(part?.type === "text" ? (part.text?.value ?? "") : "");
          if (deltas.length === 1) {
            statusAtFirstDelta = (await c.beta.threads.runs.retrieve(runId, { thread_id: t.id })).status;
            release();
          }
        }
      }
      expect(statusAtFirstDelta).toBe("in_progress");
      expect(deltas).toEqual(["first ", "second"]);
    } finally {
      await served.close();
    }
  });
});
