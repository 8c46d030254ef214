import { NotFoundError, toFile } from "openai";
import { describe, expect, it } from "vitest";
import { SseParser, specCheckedClient } from "../helpers/sdk";
import * as fx from "./fixtures";

const V2 = "2024-05-01-preview";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const assistant = () => ({
  id: "asst_abc123",
  object: "assistant",
  created_at: 1699009709,
  name: "Math tutor",
  description: null,
  model: "gpt-4o",
  instructions: "You are a personal math tutor.",
  tools: [{ type: "code_interpreter" }],
  tool_resources: {},
  metadata: {},
  temperature: 1,
  top_p: 1,
  response_format: "auto",
});

const sseText = (events: [string, unknown][]) =>
  events
    .map(
      ([event, data]) =>
        `event: ${event}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
    )
    .join("");

const sse = (events: [string, unknown][]) =>
  new Response(sseText(events), { headers: { "content-type": "text/event-stream" } });

/** The canonical plain-text answer stream (docs/assistants-api.md §6), with the completed run last. */
function answerEvents(): [string, unknown][] {
  const queued = { ...fx.run(), status: "queued" };
  const msg = { ...fx.message(), status: "in_progress", content: [], completed_at: null };
  const step = {
    ...fx.step(),
    type: "message_creation",
    status: "in_progress",
    completed_at: null,
    usage: null,
    step_details: { type: "message_creation", message_creation: { message_id: msg.id } },
  };
  const text = (value: string, first: boolean) => ({
    id: msg.id,
    object: "thread.message.delta",
    delta: { content: [{ index: 0, type: "text", text: first ? { value, annotations: [] } : { value } }] },
  });
  const done = {
    ...msg,
    status: "completed",
    completed_at: 1699017615,
    content: [{ type: "text", text: { value: "Hello world", annotations: [] } }],
  };
  return [
    ["thread.run.created", queued],
    ["thread.run.queued", queued],
    ["thread.run.in_progress", { ...queued, status: "in_progress", started_at: 1699063291 }],
    ["thread.run.step.created", step],
    ["thread.run.step.in_progress", step],
    ["thread.message.created", msg],
    ["thread.message.in_progress", msg],
    ["thread.message.delta", text("Hello", true)],
    ["thread.message.delta", text(" world", false)],
    ["thread.message.completed", done],
    [
      "thread.run.step.completed",
      {
        ...step,
        status: "completed",
        completed_at: 1699063292,
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      },
    ],
    [
      "thread.run.completed",
      {
        ...queued,
        status: "completed",
        started_at: 1699063291,
        completed_at: 1699063292,
        expires_at: null,
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      },
    ],
    ["done", "[DONE]"],
  ];
}

describe("specCheckedClient", () => {
  it("sends the SDK's requests to the handler and passes a good JSON response", async () => {
    const seen: string[] = [];
    const checked = specCheckedClient(
      async (req) => {
        seen.push(`${req.method} ${req.url} ${JSON.stringify(await req.json())}`);
        return json(assistant());
      },
      { apiVersion: V2 },
    );
    const created = await checked.client.beta.assistants.create({ model: "gpt-4o", name: "Math tutor" });
    expect(created.id).toBe("asst_abc123");
    expect(seen).toEqual([
      `POST http://engine.test/openai/assistants?api-version=${V2} {"model":"gpt-4o","name":"Math tutor"}`,
    ]);
    expect(checked.checked).toBe(1);
    expect(checked.violations).toEqual([]);
    expect(() => checked.assertClean()).not.toThrow();
  });

  it("collects a violation from a bad shape without failing the call, and assertClean throws with it", async () => {
    const checked = specCheckedClient(
      async () => json({ ...assistant(), created_at: "yesterday", tools: undefined }),
      { apiVersion: V2 },
    );
    const created = await checked.client.beta.assistants.retrieve("asst_abc123");
    expect(created.created_at).toBe("yesterday");
    expect(checked.violations).toHaveLength(1);
    expect(checked.violations[0]).toContain(
      `GET /assistants/asst_abc123 → 200 (assistantObject) does not match ${V2}`,
    );
    expect(checked.violations[0]).toContain('/created_at: must be integer — got "yesterday"');
    expect(checked.violations[0]).toContain("must have required property 'tools'");
    expect(() => checked.assertClean()).toThrow(/1 spec violation\(s\)[\s\S]*\/created_at: must be integer/);
  });

  it("fails assertClean when nothing was checked", () => {
    const checked = specCheckedClient(async () => json(assistant()), { apiVersion: V2 });
    expect(() => checked.assertClean()).toThrow(/checked nothing/);
  });

  it("checks error bodies, which the SDK still turns into typed errors", async () => {
    const good = specCheckedClient(
      async () =>
        json(
          {
            error: {
              message: "No assistant found with id 'asst_x'.",
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          },
          404,
        ),
      { apiVersion: V2 },
    );
    await expect(good.client.beta.assistants.retrieve("asst_x")).rejects.toBeInstanceOf(NotFoundError);
    expect(good.checked).toBe(1);
    good.assertClean();

    const bad = specCheckedClient(async () => json({ message: "not found" }, 404), { apiVersion: V2 });
    await expect(bad.client.beta.assistants.retrieve("asst_x")).rejects.toBeInstanceOf(NotFoundError);
    expect(bad.violations.join("\n")).toContain("must have required property 'error'");
  });

  it("uses the request's own api-version, and holds a refused api-version to the error schema", async () => {
    const refused = specCheckedClient(
      async () => json({ error: { code: "BadRequest", message: "API version not supported" } }, 400),
      {
        apiVersion: "2023-05-15",
      },
    );
    await expect(refused.client.beta.assistants.list()).rejects.toThrow(/API version not supported/);
    refused.assertClean();

    const answered = specCheckedClient(async () => json(assistant()), { apiVersion: "2023-05-15" });
    await answered.client.beta.assistants.retrieve("asst_abc123");
    expect(answered.violations.join("\n")).toContain(
      'a success body for api-version "2023-05-15", which has no spec',
    );

    const perRequest = specCheckedClient(async () => json(fx.messageV1()), { apiVersion: V2 });
    await perRequest.client.beta.threads.messages.retrieve(
      "msg_abc123",
      { thread_id: "thread_abc123" },
      { query: { "api-version": "2024-02-15-preview" } },
    );
    perRequest.assertClean();
  });

  it("validates v1 bodies against 2024-02-15-preview", async () => {
    const v1 = specCheckedClient(async () => json(fx.messageV1()), { apiVersion: "2024-02-15-preview" });
    await v1.client.beta.threads.messages.retrieve("msg_abc123", { thread_id: "thread_abc123" });
    v1.assertClean();

    const v2ShapeOnV1 = specCheckedClient(async () => json(fx.message()), {
      apiVersion: "2024-02-15-preview",
    });
    await v2ShapeOnV1.client.beta.threads.messages.retrieve("msg_abc123", { thread_id: "thread_abc123" });
    expect(v2ShapeOnV1.violations.join("\n")).toContain("must have required property 'file_ids'");
  });

  it("validates every event of a run stream while the SDK consumes it", async () => {
    const events = answerEvents();
    const checked = specCheckedClient(async () => sse(events), { apiVersion: V2 });
    const stream = checked.client.beta.threads.runs.stream("thread_abc123", { assistant_id: "asst_abc123" });
    let text = "";
    stream.on("textDelta", (d) => (text += d.value ?? ""));
    const run = await stream.finalRun();
    expect(run.status).toBe("completed");
    expect(text).toBe("Hello world");
    expect(checked.checked).toBe(events.length);
    checked.assertClean();
  });

  it("records a malformed event by number and name, and the SDK still gets the stream", async () => {
    const events = answerEvents();
    events[0] = ["thread.run.created", { ...fx.run(), created_at: "now" }];
    events[4] = ["thread.run.step.in_progress", { ...(events[4]![1] as object), status: "running" }];
    const checked = specCheckedClient(async () => sse(events), { apiVersion: V2 });
    const run = await checked.client.beta.threads.runs
      .stream("thread_abc123", { assistant_id: "asst_abc123" })
      .finalRun();
    expect(run.status).toBe("completed");
    expect(checked.violations).toHaveLength(2);
    expect(checked.violations[0]).toContain('SSE event #1 "thread.run.created"');
    expect(checked.violations[0]).toContain('/created_at: must be integer — got "now"');
    expect(checked.violations[1]).toContain('SSE event #5 "thread.run.step.in_progress"');
    expect(checked.violations[1]).toContain(
      '/status: must be equal to one of the allowed values ["in_progress", "cancelled", "failed", "completed", "expired"] — got "running"',
    );
    expect(() => checked.assertClean()).toThrow(/2 spec violation/);
  });

  it("hands each event on before the handler has produced the next one", async () => {
    const encoder = new TextEncoder();
    const [first, ...rest] = answerEvents();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(sseText([first!])));
        await gate; // opens only once the SDK has seen the first event; a buffering wrapper would hang here
        controller.enqueue(encoder.encode(sseText(rest)));
        controller.close();
      },
    });
    const checked = specCheckedClient(
      async () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
      { apiVersion: V2 },
    );
    const names: string[] = [];
    const stream = await checked.client.beta.threads.runs.create("thread_abc123", {
      assistant_id: "asst_abc123",
      stream: true,
    });
    for await (const event of stream) {
      names.push(event.event);
      if (names.length === 1) release();
    }
    expect(names[0]).toBe("thread.run.created");
    expect(names.at(-1)).toBe("thread.run.completed");
    checked.assertClean();
  });

  it("flags a stream that ends without event: done", async () => {
    const checked = specCheckedClient(async () => sse(answerEvents().slice(0, -1)), { apiVersion: V2 });
    const run = await checked.client.beta.threads.runs
      .stream("thread_abc123", { assistant_id: "asst_abc123" })
      .finalRun();
    expect(run.status).toBe("completed");
    expect(checked.violations).toEqual([
      `POST /threads/thread_abc123/runs?api-version=${V2} → 200: the event stream ended without \`event: done\`.`,
    ]);
  });

  it("flags an event stream from an operation that never streams", async () => {
    const stream1: [string, unknown][] = [
      ["thread.run.created", fx.run()],
      ["done", "[DONE]"],
    ];
    const checked = specCheckedClient(async () => sse(stream1), { apiVersion: V2 });
    const stream = await checked.client.beta.threads.runs.create("thread_abc123", {
      assistant_id: "asst_abc123",
      stream: true,
    });
    for await (const _event of stream) void _event;
    checked.assertClean();

    const wrong = specCheckedClient(async () => sse([["thread.run.created", fx.run()]]), { apiVersion: V2 });
    await wrong.client.beta.threads.runs
      .retrieve("run_abc123", { thread_id: "thread_abc123" })
      .catch(() => undefined);
    expect(wrong.violations.join("\n")).toContain(
      "an event stream from GET /threads/{thread_id}/runs/{run_id}",
    );
  });

  it("passes a multipart upload through to the handler, and skips binary file content", async () => {
    const uploads: string[] = [];
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    const checked = specCheckedClient(
      async (req) => {
        const url = new URL(req.url);
        if (req.method === "POST" && url.pathname === "/openai/files") {
          const form = await req.formData();
          const file = form.get("file") as File;
          uploads.push(`${String(form.get("purpose"))} ${file.name} ${await file.text()}`);
          return json({ ...fx.file(), filename: file.name, bytes: file.size });
        }
        return new Response(png, { headers: { "content-type": "image/png" } });
      },
      { apiVersion: V2 },
    );
    const uploaded = await checked.client.files.create({
      file: await toFile(Buffer.from("a,b\n1,2\n"), "data.csv"),
      purpose: "assistants",
    });
    expect(uploads).toEqual(["assistants data.csv a,b\n1,2\n"]);
    expect(uploaded.bytes).toBe(8);
    const content = await checked.client.files.content("assistant-abc");
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(png);
    expect(checked.checked).toBe(1);
    checked.assertClean();
  });

  it("flags a non-JSON body where the spec documents JSON", async () => {
    const checked = specCheckedClient(
      async () => new Response("ok", { headers: { "content-type": "text/plain" } }),
      { apiVersion: V2 },
    );
    await checked.client.beta.assistants.retrieve("asst_abc123").catch(() => undefined);
    expect(checked.violations.join("\n")).toContain(
      'content-type "text/plain" where the spec documents a JSON body (/assistants/{assistant_id})',
    );
  });

  it("checks nothing with validate: false", async () => {
    const checked = specCheckedClient(async () => json({ ...assistant(), created_at: "yesterday" }), {
      apiVersion: V2,
      validate: false,
    });
    await checked.client.beta.assistants.retrieve("asst_abc123");
    expect(checked.violations).toEqual([]);
    expect(checked.checked).toBe(0);
    expect(() => checked.assertClean()).not.toThrow();
  });

  it("honours maxRetries (0 by default, so a 429 reaches the test once)", async () => {
    let calls = 0;
    const handler = async () => {
      calls++;
      return new Response(JSON.stringify({ error: { code: "429", message: "Rate limit" } }), {
        status: 429,
        headers: { "content-type": "application/json", "retry-after-ms": "1" },
      });
    };
    await expect(
      specCheckedClient(handler, { apiVersion: V2 }).client.beta.assistants.list(),
    ).rejects.toThrow(/Rate limit/);
    expect(calls).toBe(1);
    await expect(
      specCheckedClient(handler, { apiVersion: V2, maxRetries: 1 }).client.beta.assistants.list(),
    ).rejects.toThrow(/Rate limit/);
    expect(calls).toBe(3);
  });
});

describe("SseParser", () => {
  const parse = (chunks: string[]) => {
    const events: [string, string][] = [];
    const parser = new SseParser((event, data) => events.push([event, data]));
    const encoder = new TextEncoder();
    for (const chunk of chunks) parser.feed(encoder.encode(chunk));
    parser.end();
    return events;
  };

  it("handles \\n, \\r\\n and \\r line ends, split anywhere, and multi-line data", () => {
    expect(
      parse([
        "event: a\r",
        '\ndata: {"x":1}\r\n\r\nevent: b\rdata: 1\rdata: 2\r\r',
        ": comment\n\nevent: done\ndata: [DONE]\n\n",
      ]),
    ).toEqual([
      ["a", '{"x":1}'],
      ["b", "1\n2"],
      ["done", "[DONE]"],
    ]);
  });

  it("keeps a multi-byte character split across chunks", () => {
    const bytes = new TextEncoder().encode("event: m\ndata: 【4†source】\n\n");
    const events: string[] = [];
    const parser = new SseParser((_e, data) => events.push(data));
    parser.feed(bytes.slice(0, 12));
    parser.feed(bytes.slice(12));
    parser.end();
    expect(events).toEqual(["【4†source】"]);
  });
});
