import { describe, expect, it, vi } from "vitest";
import { AzureOpenAI } from "openai";
import { recordInto, redactEventData, SseRecorder } from "./record";
import { createRequestLog, type RequestLogEntry } from "./store";
import { toHar, toJsonExport } from "./export";
import { filterEntries, EMPTY_FILTER } from "./filter";
import { redactHeaders, redactJson, redactUrl, REDACTED } from "./redact";

const ORIGIN = "http://playground.test";
const SECRET = "sk-live-0123456789abcdefghijklmnop";

type Handler = (url: string, init: RequestInit | undefined) => Response | Promise<Response>;

function setup(handler: Handler) {
  const log = createRequestLog(500);
  const seen: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    seen.push({ url, init });
    return handler(url, init);
  };
  const recorded = recordInto(log, fetchImpl);
  const client = new AzureOpenAI({
    baseURL: `${ORIGIN}/api/openai`,
    apiKey: SECRET,
    apiVersion: "2024-05-01-preview",
    dangerouslyAllowBrowser: true,
    defaultHeaders: {
      "x-playground-connection": "local",
      "x-playground-user-key": "user-typed-key-123",
      cookie: "session=abc",
    },
    maxRetries: 0,
    fetch: recorded,
  });
  return { log, client, seen, recorded };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

async function settle(log: ReturnType<typeof createRequestLog>, count = 1): Promise<RequestLogEntry[]> {
  for (let i = 0; i < 50; i++) {
    const all = log.getSnapshot();
    if (all.length >= count && all.every((e) => e.state !== "pending")) return [...all];
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`log did not settle: ${JSON.stringify(log.getSnapshot().map((e) => e.state))}`);
}

/** A body whose first chunk is `events` (as the wire has them), left open until `close()`. */
function openSse(events: { event: string; data: unknown }[]): {
  body: ReadableStream<Uint8Array>;
  close: () => void;
} {
  let close: () => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(
        new TextEncoder().encode(
          events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join(""),
        ),
      );
      close = () => c.close();
    },
  });
  return { body, close };
}

function sse(events: { event: string; data: unknown }[], split = 7): ReadableStream<Uint8Array> {
  const text = events
    .map(
      (e) => `event: ${e.event}\ndata: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`,
    )
    .join("");
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + split));
      at += split;
    },
  });
}

describe("request log: redaction", () => {
  it("never stores api-key, authorization, cookies, user-connection headers or token-like values", async () => {
    const { log, client } = setup(() => json({ id: "asst_1", object: "assistant" }, 200));
    await client.beta.assistants.create(
      { model: "gpt-4o", name: "A", metadata: { note: `Bearer ${SECRET}` } },
      { headers: { authorization: `Bearer ${SECRET}`, "x-custom-token": "t0k3n", "x-trace": "Bearer xyz" } },
    );
    const [entry] = await settle(log);
    const headers = Object.fromEntries(entry!.requestHeaders);
    expect(headers["api-key"]).toBe(REDACTED);
    expect(headers.authorization).toBe(REDACTED);
    expect(headers.cookie).toBe(REDACTED);
    expect(headers["x-playground-user-key"]).toBe(REDACTED);
    expect(headers["x-custom-token"]).toBe(REDACTED);
    expect(headers["x-trace"]).toBe(REDACTED);
    expect(headers["x-playground-connection"]).toBe("local");
    expect(headers["content-type"]).toBe("application/json");
    const everything = JSON.stringify(log.getSnapshot());
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain("user-typed-key-123");
    expect(everything).not.toContain("t0k3n");
    expect(entry!.method).toBe("POST");
    expect(entry!.path).toBe("/assistants?api-version=2024-05-01-preview");
    expect(entry!.connection).toBe("local");
    expect(entry!.status).toBe(200);
    expect(entry!.requestBody?.kind).toBe("json");
  });

  it("redacts secret-named JSON properties and query parameters, and keeps token counts", () => {
    expect(
      redactJson({ api_key: "x", nested: [{ password: "p", max_completion_tokens: 300, prompt_tokens: 3 }] }),
    ).toEqual({
      api_key: REDACTED,
      nested: [{ password: REDACTED, max_completion_tokens: 300, prompt_tokens: 3 }],
    });
    expect(redactUrl("/files?api-version=v&sig=abc&limit=5")).toBe(
      `/files?api-version=v&sig=${encodeURIComponent(REDACTED)}&limit=5`,
    );
    expect(redactHeaders({ "x-ratelimit-remaining-tokens": "10", "Api-Key": "k" })).toEqual([
      ["api-key", REDACTED],
      ["x-ratelimit-remaining-tokens", "10"],
    ]);
  });

  it("keeps an event's data as it came unless redaction could change it, and redacts every disguise", () => {
    // Nothing secret-like: kept byte for byte (not re-serialised: the spacing survives).
    const delta =
      '{ "id": "msg_1", "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "a token"}}]} }';
    expect(redactEventData(delta)).toBe(delta);
    expect(redactEventData("plain text, not JSON")).toBe("plain text, not JSON");
    // Each of these is redacted, whatever its spelling.
    const cases: [string, string][] = [
      ['{"api_key": "k-1"}', "k-1"],
      ['{"Authorization" : "xyz-2"}', "xyz-2"],
      ['{"nested": [{"password":"pw-3"}]}', "pw-3"],
      ['{"value": "Bearer abc-4"}', "abc-4"],
      ['{"value": "Bearer\\tabc-5"}', "abc-5"],
      [`{"value": "${SECRET}"}`, SECRET],
      ['{"value": "\\u0073k-live-0123456789abcdefghij"}', "0123456789abcdefghij"],
      ['{"\\u0061pi_key": "k-6"}', "k-6"],
      ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl", "c2lnbmF0dXJl"],
      ["not json: Bearer abc-7", "abc-7"],
    ];
    for (const [data, secret] of cases) {
      const kept = redactEventData(data);
      expect(kept, data).not.toContain(secret);
      expect(kept, data).toContain(REDACTED);
    }
  });

  it("exports (JSON and HAR) carry no secret even from an entry recorded before redaction", () => {
    const log = createRequestLog();
    log.add({
      startedAt: 0,
      method: "GET",
      url: `${ORIGIN}/api/openai/files?api-version=v&token=${SECRET}`,
      path: `/files?api-version=v&token=${SECRET}`,
      connection: null,
      status: 200,
      statusText: "OK",
      waitMs: 1,
      durationMs: 2,
      state: "done",
      error: null,
      requestHeaders: [["api-key", SECRET]],
      responseHeaders: [["set-cookie", SECRET]],
      requestBody: null,
      responseBody: null,
    });
    expect(JSON.stringify(toJsonExport(log.getSnapshot()))).not.toContain(SECRET);
    expect(JSON.stringify(toHar(log.getSnapshot()))).not.toContain(SECRET);
  });
});

describe("request log: bodies", () => {
  it("records a run stream as its events while the SDK reads it, untouched", async () => {
    const events = [
      { event: "thread.run.created", data: { id: "run_1", object: "thread.run", status: "queued" } },
      {
        event: "thread.message.delta",
        data: {
          id: "msg_1",
          object: "thread.message.delta",
          delta: { content: [{ index: 0, type: "text", text: { value: "Hé\nllo" } }] },
        },
      },
      { event: "thread.run.completed", data: { id: "run_1", object: "thread.run", status: "completed" } },
      { event: "done", data: "[DONE]" },
    ];
    const { log, client } = setup(
      () => new Response(sse(events, 5), { headers: { "content-type": "text/event-stream" } }),
    );
    const stream = await client.beta.threads.runs.create("thread_1", {
      assistant_id: "asst_1",
      stream: true,
    });
    const got: string[] = [];
    for await (const e of stream) got.push(e.event);
    expect(got).toEqual(["thread.run.created", "thread.message.delta", "thread.run.completed"]);
    const [entry] = await settle(log);
    expect(entry!.responseBody?.kind).toBe("sse");
    if (entry!.responseBody?.kind !== "sse") throw new Error("not sse");
    expect(entry!.responseBody.complete).toBe(true);
    expect(entry!.responseBody.events.map((e) => e.event)).toEqual([
      "thread.run.created",
      "thread.message.delta",
      "thread.run.completed",
      "done",
    ]);
    expect(JSON.parse(entry!.responseBody.events[1]!.data)).toEqual(events[1]!.data);
    expect(entry!.responseBody.events[3]!.data).toBe("[DONE]");
    expect(entry!.durationMs).not.toBeNull();
  });

  it("hands the reader each chunk before reading it for the log, which catches up on its own timer", async () => {
    const events = [
      { event: "thread.run.created", data: { id: "run_1", object: "thread.run", status: "queued" } },
      { event: "thread.run.in_progress", data: { id: "run_1", object: "thread.run", status: "in_progress" } },
    ];
    const { body, close } = openSse(events);
    const { log, client } = setup(
      () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
    );
    const stream = await client.beta.threads.runs.create("thread_1", {
      assistant_id: "asst_1",
      stream: true,
    });
    const parse = vi.spyOn(SseRecorder.prototype, "push");
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value?.event).toBe("thread.run.created");
    // The reader has the chunk; the log has not read it yet.
    expect(parse).not.toHaveBeenCalled();
    const sseBody = () => {
      const b = log.getSnapshot()[0]!.responseBody;
      if (b?.kind !== "sse") throw new Error("not sse");
      return b;
    };
    expect(sseBody().events).toEqual([]);
    await vi.waitFor(() => expect(sseBody().events.map((e) => e.event)).toEqual(events.map((e) => e.event)));
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
    expect(sseBody().complete).toBe(false);
    close();
    expect((await it.next()).value?.event).toBe("thread.run.in_progress");
    expect((await it.next()).done).toBe(true);
    await vi.waitFor(() => expect(sseBody().complete).toBe(true));
  });

  it("reads a stream for the log at an idle moment where the browser tells it one", async () => {
    const idle: { run: () => void; timeout: number | undefined }[] = [];
    vi.stubGlobal("requestIdleCallback", (run: () => void, options?: { timeout?: number }) => {
      idle.push({ run, timeout: options?.timeout });
      return idle.length;
    });
    vi.stubGlobal("cancelIdleCallback", () => {});
    try {
      const { body, close } = openSse([
        { event: "thread.run.created", data: { id: "run_1", object: "thread.run", status: "queued" } },
      ]);
      const { log, client } = setup(
        () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
      );
      const stream = await client.beta.threads.runs.create("thread_1", {
        assistant_id: "asst_1",
        stream: true,
      });
      const it = stream[Symbol.asyncIterator]();
      expect((await it.next()).value?.event).toBe("thread.run.created");
      const events = () => {
        const b = log.getSnapshot()[0]!.responseBody;
        if (b?.kind !== "sse") throw new Error("not sse");
        return b.events.map((e) => e.event);
      };
      // The publish timer has asked for an idle moment, which has not come: nothing read yet.
      await vi.waitFor(() => expect(idle).toHaveLength(1));
      expect(idle[0]!.timeout).toBeGreaterThan(0);
      expect(events()).toEqual([]);
      idle[0]!.run();
      expect(events()).toEqual(["thread.run.created"]);
      close();
      expect((await it.next()).done).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("records every event as sent while the SDK reads text deltas that arrived together as one", async () => {
    const deltas = Array.from({ length: 300 }, (_, i) => ({
      event: "thread.message.delta",
      data: {
        id: "msg_1",
        object: "thread.message.delta",
        delta: { content: [{ index: 0, type: "text", text: { value: `w${i} `, annotations: [] } }] },
      },
    }));
    const run = (status: string) => ({
      id: "run_1",
      object: "thread.run",
      status,
      thread_id: "t",
      assistant_id: "a",
      created_at: 1,
      instructions: "",
      tools: [],
      metadata: {},
      model: "m",
    });
    const events = [
      { event: "thread.run.created", data: run("queued") },
      {
        event: "thread.message.created",
        data: {
          id: "msg_1",
          object: "thread.message",
          role: "assistant",
          content: [],
          status: "in_progress",
          thread_id: "t",
        },
      },
      ...deltas,
      { event: "thread.run.completed", data: run("completed") },
      { event: "done", data: "[DONE]" },
    ];
    const wire = events
      .map(
        (e) => `event: ${e.event}\ndata: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`,
      )
      .join("");
    const bytes = new TextEncoder().encode(wire);
    // Two chunks, cut inside an event.
    const cut = wire.indexOf("\n\n", wire.length / 2) - 3;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, cut));
        c.enqueue(bytes.slice(cut));
        c.close();
      },
    });
    const { log, client } = setup(
      () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
    );
    const stream = client.beta.threads.runs.stream("t", { assistant_id: "a" });
    const seen: string[] = [];
    for await (const e of stream) seen.push(e.event);
    const final = await stream.finalMessages();
    expect(final[0]?.content[0]).toMatchObject({
      type: "text",
      text: { value: deltas.map((d) => d.data.delta.content[0]!.text.value).join("") },
    });
    // Fewer deltas reached the SDK (those that arrived together were merged)…
    expect(seen.filter((e) => e === "thread.message.delta").length).toBeLessThan(10);
    expect(seen[0]).toBe("thread.run.created");
    expect(seen[seen.length - 1]).toBe("thread.run.completed");
    // …but the request log has every event as the server sent it.
    const [entry] = await settle(log);
    if (entry!.responseBody?.kind !== "sse") throw new Error("not sse");
    expect(entry!.responseBody.events).toHaveLength(events.length);
    expect(entry!.responseBody.events.filter((e) => e.event === "thread.message.delta")).toHaveLength(300);
  });

  it("summarises a multipart upload without its bytes", async () => {
    const { log, client } = setup(() =>
      json({
        id: "assistant-1",
        object: "file",
        bytes: 11,
        created_at: 1,
        filename: "notes.md",
        purpose: "assistants",
        status: "processed",
      }),
    );
    const marker = "UNIQUE-FILE-CONTENT-42";
    await client.files.create({
      file: new File([marker], "notes.md", { type: "text/markdown" }),
      purpose: "assistants",
    });
    const [entry] = await settle(log);
    expect(entry!.requestBody).toEqual({
      kind: "multipart",
      parts: expect.arrayContaining([
        { name: "purpose", value: "assistants" },
        { name: "file", filename: "notes.md", contentType: "text/markdown", size: marker.length },
      ]) as unknown,
    });
    expect(JSON.stringify(log.getSnapshot())).not.toContain(marker);
  });

  it("records a binary download as its size and type, and passes the bytes on", async () => {
    const png = new Uint8Array([137, 80, 78, 71, 1, 2, 3, 4]);
    const { log, client } = setup(() => new Response(png, { headers: { "content-type": "image/png" } }));
    const res = await client.files.content("assistant-1");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png);
    const [entry] = await settle(log);
    expect(entry!.responseBody).toEqual({ kind: "binary", contentType: "image/png", size: 8 });
  });

  it("records errors with their status and body, and network failures as failed", async () => {
    let fail = false;
    const { log, client } = setup(() => {
      if (fail) throw new TypeError("fetch failed");
      return json({ error: { code: "404", message: "No assistant found with id 'asst_x'." } }, 404);
    });
    await expect(client.beta.assistants.retrieve("asst_x")).rejects.toThrow();
    fail = true;
    await expect(client.beta.assistants.retrieve("asst_y")).rejects.toThrow();
    const entries = await settle(log, 2);
    expect(entries[0]!.status).toBe(404);
    expect(entries[0]!.responseBody?.kind === "json" && entries[0]!.responseBody.text).toContain(
      "No assistant found",
    );
    expect(entries[1]!.state).toBe("error");
    expect(entries[1]!.status).toBeNull();
    expect(filterEntries(entries, { ...EMPTY_FILTER, status: "failed" })).toHaveLength(2);
    expect(filterEntries(entries, { ...EMPTY_FILTER, text: "asst_y" }).map((e) => e.path)).toEqual([
      "/assistants/asst_y?api-version=2024-05-01-preview",
    ]);
  });

  it("records a call the page gave up on as cancelled, not failed, and a stream it stopped reading too", async () => {
    let called: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => (called = resolve));
    const { log, client } = setup(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          called();
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    );
    const controller = new AbortController();
    const call = client.beta.assistants.retrieve("asst_1", { signal: controller.signal });
    await inFlight;
    controller.abort();
    await expect(call).rejects.toThrow();
    const [entry] = await settle(log, 1);
    expect(entry!.state).toBe("cancelled");
    expect(entry!.error).toMatch(/^Cancelled before the answer came/);
    expect(filterEntries([entry!], { ...EMPTY_FILTER, status: "failed" })).toEqual([]);

    // One event, and the stream stays open: the reader leaves before its end.
    const { body: open } = openSse([
      { event: "thread.run.created", data: { id: "run_1", object: "thread.run" } },
    ]);
    const streamLog = setup(() => new Response(open, { headers: { "content-type": "text/event-stream" } }));
    const stream = await streamLog.client.beta.threads.runs.create("thread_1", {
      assistant_id: "asst_1",
      stream: true,
    });
    for await (const event of stream) {
      expect(event.event).toBe("thread.run.created");
      break; // the reader stops here: the body is cancelled
    }
    const [streamed] = await settle(streamLog.log, 1);
    expect(streamed!.status).toBe(200);
    expect(streamed!.state).toBe("cancelled");
  });

  it("ignores calls that are not for the proxy (the SDK's data: probe)", async () => {
    const { log, recorded } = setup(() => new Response("x"));
    await recorded("data:,");
    expect(log.getSnapshot()).toHaveLength(0);
  });

  it("keeps the last N entries and cuts long bodies", () => {
    const log = createRequestLog(3);
    for (let i = 0; i < 5; i++)
      log.add({
        startedAt: i,
        method: "GET",
        url: `u${i}`,
        path: `/p${i}`,
        connection: null,
        status: 200,
        statusText: "",
        waitMs: 0,
        durationMs: 0,
        state: "done",
        error: null,
        requestHeaders: [],
        responseHeaders: [],
        requestBody: null,
        responseBody: null,
      });
    expect(log.getSnapshot().map((e) => e.path)).toEqual(["/p2", "/p3", "/p4"]);
  });
});

describe("request log: HAR 1.2", () => {
  it("has the structure the HAR 1.2 spec requires", async () => {
    const { log, client } = setup((url) =>
      url.includes("/runs")
        ? new Response(
            sse([
              { event: "thread.run.created", data: { id: "run_1" } },
              { event: "done", data: "[DONE]" },
            ]),
            {
              headers: { "content-type": "text/event-stream" },
            },
          )
        : json({ data: [], object: "list", first_id: "", last_id: "", has_more: false }),
    );
    await client.beta.assistants.list({ limit: 5 });
    const s = await client.beta.threads.runs.create("thread_1", { assistant_id: "asst_1", stream: true });
    for await (const _ of s) void _;
    await settle(log, 2);
    const har = JSON.parse(JSON.stringify(toHar(log.getSnapshot()))) as ReturnType<typeof toHar>;
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator.name).toBeTypeOf("string");
    expect(har.log.entries).toHaveLength(2);
    for (const e of har.log.entries) {
      expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
      expect(e.time).toBeGreaterThanOrEqual(0);
      for (const k of [
        "method",
        "url",
        "httpVersion",
        "cookies",
        "headers",
        "queryString",
        "headersSize",
        "bodySize",
      ])
        expect(e.request).toHaveProperty(k);
      for (const k of [
        "status",
        "statusText",
        "httpVersion",
        "cookies",
        "headers",
        "content",
        "redirectURL",
        "headersSize",
        "bodySize",
      ])
        expect(e.response).toHaveProperty(k);
      expect(e.response.content.size).toBeTypeOf("number");
      expect(e.response.content.mimeType).toBeTypeOf("string");
      expect(e.cache).toEqual({});
      for (const k of ["send", "wait", "receive"] as const) expect(e.timings[k]).toBeGreaterThanOrEqual(0);
      expect(new URL(e.request.url).origin).toBe(ORIGIN);
      for (const h of [...e.request.headers, ...e.response.headers]) {
        expect(h.name).toBeTypeOf("string");
        expect(h.value).toBeTypeOf("string");
      }
    }
    const [list, run] = har.log.entries;
    expect(list!.request.queryString).toContainEqual({ name: "limit", value: "5" });
    expect(list!.request.headers).toContainEqual({ name: "api-key", value: REDACTED });
    expect(run!.request.postData?.mimeType).toBe("application/json");
    expect(JSON.parse(run!.request.postData!.text!)).toMatchObject({ assistant_id: "asst_1", stream: true });
    expect(run!.response.content.text).toContain("event: thread.run.created\ndata: ");
    expect(JSON.stringify(har)).not.toContain(SECRET);
  });
});
