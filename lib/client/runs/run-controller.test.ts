import { describe, expect, it } from "vitest";
import { AzureOpenAI } from "openai";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStreamState } from "../run-stream-state";
import type { RunCache } from "./run-cache";
import { RunController } from "./run-controller";
import { POLL_DEFAULT_MS } from "./poll-after";

// The controller against the real SDK client, whose fetch is a scripted server: request shapes,
// SSE parsing and response headers go through the SDK as in the app. No React anywhere.

const THREAD = "thread_1";
const RUN = "run_1";

interface Seen {
  method: string;
  path: string;
  body: unknown;
  signal: AbortSignal | null | undefined;
}

type Reply = (req: Seen) => Response | Promise<Response>;

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function run(status: string, extra: Partial<Run> = {}): Run {
  return {
    id: RUN,
    object: "thread.run",
    thread_id: THREAD,
    assistant_id: "asst_1",
    status,
    created_at: 10,
    last_error: null,
    required_action: null,
    ...extra,
  } as Run;
}

function message(id: string, role: "user" | "assistant", text: string, status = "completed"): Message {
  return {
    id,
    object: "thread.message",
    thread_id: THREAD,
    role,
    status,
    created_at: 5,
    attachments: [],
    metadata: {},
    content: text ? [{ type: "text", text: { value: text, annotations: [] } }] : [],
  } as unknown as Message;
}

const sse = (events: Array<{ event: string; data: unknown }>) =>
  events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("");

const delta = (value: string) => ({
  event: "thread.message.delta",
  data: {
    id: "msg_answer",
    object: "thread.message.delta",
    delta: { content: [{ index: 0, type: "text", text: { value } }] },
  },
});

const sseResponse = (body: ReadableStream<Uint8Array> | string) =>
  new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });

/**
 * A server answering each "METHOD /path" with its replies in turn (the last one repeats); anything
 * else is a 404 the test sees as a failure.
 */
function server(routes: Record<string, Reply[]>) {
  const seen: Seen[] = [];
  const calls = new Map<string, number>();
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const path = url.pathname.replace(/^\/api\/openai/, "");
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const req = { method, path, body, signal: init?.signal };
    seen.push(req);
    const key = `${method} ${path}`;
    const replies = routes[key];
    if (!replies) return json({ error: { code: "not_found", message: `No route ${key}` } }, 404);
    const n = calls.get(key) ?? 0;
    calls.set(key, n + 1);
    return replies[Math.min(n, replies.length - 1)]!(req);
  };
  const client = new AzureOpenAI({
    baseURL: "http://app.test/api/openai",
    apiKey: "unused",
    apiVersion: "2024-05-01-preview",
    dangerouslyAllowBrowser: true,
    fetch: fetch as typeof globalThis.fetch,
  });
  const count = (key: string) => seen.filter((r) => `${r.method} ${r.path}` === key).length;
  return { client, seen, count };
}

function fakeCache() {
  const runs = new Map<string, Run | null>();
  const messages = new Map<string, Message[]>();
  const log: string[] = [];
  const cache: RunCache = {
    latestRun: (t) => runs.get(t),
    saveRun: (t, r) => {
      runs.set(t, r);
      log.push(`save ${r.status}`);
    },
    messages: (t) => messages.get(t),
    addMessage: (t, m) => messages.set(t, [...(messages.get(t) ?? []), m]),
    messagesChanged: () => void log.push("messages changed"),
    runsChanged: () => void log.push("runs changed"),
    refresh: async () => void log.push("refresh"),
  };
  return { cache, runs, messages, log };
}

function setup(routes: Record<string, Reply[]>, now = () => 1_000_000) {
  const { client, seen, count } = server(routes);
  const store = fakeCache();
  const delays: number[] = [];
  const controller = new RunController({
    now,
    // Polls wait no real time: the delays asked for are recorded.
    sleep: async (ms) => void delays.push(ms),
  });
  controller.connect({
    scope: { client, connection: { name: "local", apiVersion: "2024-05-01-preview" } },
    cache: store.cache,
  });
  const phases: string[] = [];
  controller.subscribe(() => {
    const phase = controller.getSnapshot().phase;
    if (phases.at(-1) !== phase) phases.push(phase);
  });
  return { controller, seen, count, delays, phases, ...store };
}

/** Resolves with the published state once it satisfies `test` (fails after 5 s). */
function until(controller: RunController, test: (s: RunStreamState) => boolean): Promise<RunStreamState> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const state = controller.getSnapshot();
      if (!test(state)) return false;
      stop();
      clearTimeout(timer);
      resolve(state);
      return true;
    };
    const stop = controller.subscribe(check);
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out in phase ${controller.getSnapshot().phase}`));
    }, 5_000);
    check();
  });
}

const done = (s: RunStreamState) => s.phase === "finished" || s.phase === "error";
const target = { threadId: THREAD, assistantId: "asst_1" };
const addMessage: Reply[] = [() => json(message("msg_user", "user", "Hello"))];

describe("RunController", () => {
  it("send: adds the message, streams the run and publishes its answer, then ends finished", async () => {
    const t = setup({
      [`POST /threads/${THREAD}/messages`]: addMessage,
      [`POST /threads/${THREAD}/runs`]: [
        () =>
          sseResponse(
            sse([
              { event: "thread.run.created", data: run("queued") },
              { event: "thread.run.in_progress", data: run("in_progress") },
              {
                event: "thread.message.created",
                data: message("msg_answer", "assistant", "", "in_progress"),
              },
              delta("Hello "),
              delta("there."),
              { event: "thread.message.completed", data: message("msg_answer", "assistant", "Hello there.") },
              { event: "thread.run.completed", data: run("completed") },
            ]) + "event: done\ndata: [DONE]\n\n",
          ),
      ],
    });
    expect(await t.controller.send(target, "Hello")).toBe(true);
    const end = await until(t.controller, done);

    expect(end.phase).toBe("finished");
    expect(end.run?.status).toBe("completed");
    expect(end.error).toBeNull();
    // (One chunk brings the whole stream: its events are published together, with the end.)
    expect([t.phases[0], t.phases.at(-1)]).toEqual(["sending", "finished"]);
    const answer = t.controller.live.get("msg_answer");
    expect(answer?.status).toBe("completed");
    const part = answer?.parts[0];
    expect(part?.type === "text" && [...part.blocks.closed, part.blocks.tail].join("")).toBe("Hello there.");
    expect(t.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /threads/${THREAD}/messages`,
      `POST /threads/${THREAD}/runs`,
    ]);
    expect(t.seen[1]?.body).toEqual({ assistant_id: "asst_1", stream: true });
    expect(t.messages.get(THREAD)?.map((m) => m.id)).toEqual(["msg_user"]);
    expect(t.runs.get(THREAD)?.status).toBe("completed");
    expect(t.log.at(-1)).toBe("refresh");
    expect(t.delays).toEqual([]);
  });

  it("a stream that drops mid-run: follows the run by polling, at the pace the upstream asks for", async () => {
    const encoder = new TextEncoder();
    const t = setup({
      [`POST /threads/${THREAD}/messages`]: addMessage,
      [`POST /threads/${THREAD}/runs`]: [
        () =>
          sseResponse(
            // The run's start arrives, then the connection breaks.
            new ReadableStream({
              start(c) {
                c.enqueue(
                  encoder.encode(
                    sse([
                      { event: "thread.run.created", data: run("queued") },
                      { event: "thread.run.in_progress", data: run("in_progress") },
                    ]),
                  ),
                );
              },
              pull(c) {
                c.error(new TypeError("network error"));
              },
            }),
          ),
      ],
      [`GET /threads/${THREAD}/runs/${RUN}`]: [
        () => json(run("in_progress"), 200, { "openai-poll-after-ms": "1200" }),
        () => json(run("in_progress"), 200, { "openai-poll-after-ms": "1200" }),
        // Without the header: the default pace.
        () => json(run("in_progress")),
        () => json(run("completed"), 200, { "openai-poll-after-ms": "1200" }),
      ],
    });
    await t.controller.send(target, "Hello");
    const polling = await until(t.controller, (s) => s.phase === "polling" || done(s));
    expect(polling.error).toBeNull();
    expect(polling.pollReason).toBe("stream-dropped");
    const end = await until(t.controller, done);

    expect(end.phase).toBe("finished");
    expect(end.run?.status).toBe("completed");
    expect(t.count(`GET /threads/${THREAD}/runs/${RUN}`)).toBe(4);
    expect(t.delays).toEqual([1200, 1200, POLL_DEFAULT_MS]);
    expect(t.runs.get(THREAD)?.status).toBe("completed");
    // The run is started once: a dropped stream is followed, never started again.
    expect(t.count(`POST /threads/${THREAD}/runs`)).toBe(1);
  });

  it("cancel: stops reading the stream, asks the upstream to cancel, and follows the run until it is cancelled", async () => {
    const encoder = new TextEncoder();
    let streamSignal: AbortSignal | null | undefined;
    const t = setup({
      [`POST /threads/${THREAD}/messages`]: addMessage,
      [`POST /threads/${THREAD}/runs`]: [
        (req) => {
          streamSignal = req.signal;
          // A run that streams its start and then goes quiet, as a long one does.
          return sseResponse(
            new ReadableStream({
              start(c) {
                c.enqueue(
                  encoder.encode(
                    sse([
                      { event: "thread.run.created", data: run("queued") },
                      { event: "thread.run.in_progress", data: run("in_progress") },
                    ]),
                  ),
                );
              },
            }),
          );
        },
      ],
      [`POST /threads/${THREAD}/runs/${RUN}/cancel`]: [() => json(run("cancelling"))],
      [`GET /threads/${THREAD}/runs/${RUN}`]: [
        () => json(run("cancelling"), 200, { "openai-poll-after-ms": "300" }),
        () => json(run("cancelled", { cancelled_at: 12 })),
      ],
    });
    await t.controller.send(target, "Hello");
    await until(t.controller, (s) => s.run?.status === "in_progress");

    await t.controller.cancel();
    const end = t.controller.getSnapshot();
    expect(streamSignal?.aborted).toBe(true);
    expect(t.count(`POST /threads/${THREAD}/runs/${RUN}/cancel`)).toBe(1);
    expect(end.run?.status).toBe("cancelled");
    // A cancelled run is shown as one that ended without an answer (runEndError).
    expect(end.phase).toBe("error");
    expect(end.error?.code).toBe("cancelled");
    expect(t.delays).toEqual([300]);
  });

  it("adopt: a run read from the server after a reload is shown and followed until it ends", async () => {
    const t = setup({
      [`GET /threads/${THREAD}/runs/${RUN}`]: [
        () => json(run("in_progress"), 200, { "openai-poll-after-ms": "700" }),
        () => json(run("completed")),
      ],
    });
    const adopted = t.controller.adopt(THREAD, run("in_progress"));
    const polling = await until(t.controller, (s) => s.phase === "polling");
    expect(polling.threadId).toBe(THREAD);
    expect(polling.pollReason).toBe("recovered");
    await adopted;

    const end = t.controller.getSnapshot();
    expect(end.phase).toBe("finished");
    expect(end.run?.status).toBe("completed");
    expect(t.delays).toEqual([700]);
    // Following never starts anything.
    expect(t.seen.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("adopt: a run that has already ended is shown as it is, without polling", async () => {
    const t = setup({});
    await t.controller.adopt(
      THREAD,
      run("failed", { last_error: { code: "server_error", message: "Boom." } }),
    );
    const end = t.controller.getSnapshot();
    expect(end.phase).toBe("error");
    expect(end.error?.message).toBe("Boom.");
    expect(t.seen).toEqual([]);
  });

  it("a 429 on the message: waits as long as retry-after asks, shows the wait, and sends again on 'Try now'", async () => {
    const now = 5_000_000;
    const t = setup(
      {
        [`POST /threads/${THREAD}/messages`]: [
          () =>
            json({ error: { code: "429", message: "Rate limit is exceeded." } }, 429, { "retry-after": "7" }),
          ...addMessage,
        ],
        [`POST /threads/${THREAD}/runs`]: [
          () => sseResponse(sse([{ event: "thread.run.completed", data: run("completed") }])),
        ],
      },
      () => now,
    );
    const sent = t.controller.send(target, "Hello");
    const waiting = await until(t.controller, (s) => s.wait !== null);
    expect(waiting.wait).toMatchObject({ what: "message", attempt: 2, until: now + 7_000 });
    expect(waiting.wait?.error.status).toBe(429);
    expect(t.count(`POST /threads/${THREAD}/messages`)).toBe(1);

    t.controller.retryNow();
    expect(await sent).toBe(true);
    expect(t.count(`POST /threads/${THREAD}/messages`)).toBe(2);
    const end = await until(t.controller, done);
    expect(end.phase).toBe("finished");
    expect(end.wait).toBeNull();
  });

  it("a 429 on the run: 'Stop retrying' ends the wait and shows the failure; the run is not sent again", async () => {
    const t = setup({
      [`POST /threads/${THREAD}/messages`]: addMessage,
      [`POST /threads/${THREAD}/runs`]: [
        () =>
          json({ error: { code: "429", message: "Rate limit is exceeded." } }, 429, { "retry-after": "1" }),
      ],
    });
    await t.controller.send(target, "Hello");
    const waiting = await until(t.controller, (s) => s.wait !== null);
    expect(waiting.wait?.what).toBe("run");

    t.controller.stopRetrying();
    const end = await until(t.controller, done);
    expect(end.phase).toBe("error");
    expect(end.error?.status).toBe(429);
    expect(end.wait).toBeNull();
    expect(t.count(`POST /threads/${THREAD}/runs`)).toBe(1);
    // The message stays in, so what comes next is a retried run, not a resend.
    expect(end.accepted).toBe(true);
  });
});
