/**
 * Fault tests on the server side: the proxy (route handler, in-process) in front of a fake upstream
 * that misbehaves on cue (./fault-upstream.ts, a real engine behind it), driven by the official SDK.
 * In each case the client is told what happened, the proxy survives, the next request succeeds,
 * and the run's true state is there to recover — its answer exactly once. Nothing throws into the
 * process: no unhandled rejection, no uncaught exception.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { APIError, InternalServerError, RateLimitError } from "openai";
import type { AssistantStreamEvent } from "openai/resources/beta/assistants";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { specCheckedClient, type SpecCheckedClient } from "@/tests/helpers/sdk";
import { loadRoute, ORIGIN, routeFetch, type RouteModule } from "../proxy/harness";
import { startFaultUpstream, type Fault, type FaultUpstream } from "./fault-upstream";

const API_VERSION = "2024-05-01-preview";
const KEY = "fault-test-key-DO-NOT-LEAK-5c1d";
/** Short on purpose: a hang or a stall is reported within a second. */
const RESPONSE_TIMEOUT_MS = 600;
const STREAM_IDLE_TIMEOUT_MS = 600;
const RUNS = "/threads/[^/]+/runs$";

const processFaults: string[] = [];
const onRejection = (reason: unknown) => processFaults.push(`unhandledRejection: ${String(reason)}`);
const onException = (error: Error) => processFaults.push(`uncaughtException: ${error.message}`);

let upstream: FaultUpstream;
let dataDir: string;
let route: RouteModule;

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  dataDir = mkdtempSync(path.join(tmpdir(), "fault-upstream-"));
  upstream = await startFaultUpstream({ dataDir });
  ({ route } = await loadRoute({
    PLAYGROUND_CONNECTIONS: JSON.stringify([
      {
        name: "faulty",
        kind: "azure-openai",
        endpoint: upstream.url,
        apiKey: KEY,
        responseTimeoutMs: RESPONSE_TIMEOUT_MS,
        streamIdleTimeoutMs: STREAM_IDLE_TIMEOUT_MS,
      },
    ]),
    PLAYGROUND_DEFAULT_CONNECTION: "faulty",
  }));
});
afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  process.off("uncaughtException", onException);
  await upstream.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => upstream.clear());
afterEach(async () => {
  // Late socket events (a reset, a destroyed stall) land after the test's last await.
  await sleep(100);
  expect(processFaults).toEqual([]);
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The SDK as the browser has it, through the proxy route; every response checked against the spec. */
function sdk(): SpecCheckedClient {
  const route_ = routeFetch(route);
  return specCheckedClient(
    (request) => {
      const url = new URL(request.url);
      const proxied = `${ORIGIN}/api/openai${url.pathname.replace(/^\/openai/, "")}${url.search}`;
      const headers = new Headers(request.headers);
      headers.set("origin", ORIGIN);
      return route_(
        new Request(proxied, {
          method: request.method,
          headers,
          body: request.body,
          signal: request.signal,
          duplex: "half",
        } as RequestInit),
      );
    },
    { apiVersion: API_VERSION },
  );
}

function arm(fault: Fault, rule: { method?: string; path?: string; times?: number } = {}) {
  upstream.arm({ method: "POST", path: RUNS, ...rule, fault });
}

/** An assistant and a thread holding one user message, made through the proxy (no fault armed). */
async function setup(question = "What is a vector store?") {
  const { client } = sdk();
  const assistant = await client.beta.assistants.create({
    model: "gpt-4o",
    instructions: "You are helpful.",
  });
  const thread = await client.beta.threads.create({ messages: [{ role: "user", content: question }] });
  return { assistantId: assistant.id, threadId: thread.id };
}

/** Reads a run stream until it ends or fails; what arrived, and how it ended. */
async function consume(stream: AsyncIterable<AssistantStreamEvent>) {
  const events: AssistantStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: null as unknown };
  } catch (error) {
    return { events, error };
  }
}

const TERMINAL = new Set(["completed", "failed", "cancelled", "expired", "incomplete", "requires_action"]);

/** Recovers the run's true state through the proxy, as the UI does once the upstream answers again. */
async function settledRun(threadId: string, runId: string): Promise<Run> {
  const { client } = sdk();
  for (;;) {
    const run = await client.beta.threads.runs.retrieve(runId, { thread_id: threadId });
    if (TERMINAL.has(run.status)) return run;
    await sleep(50);
  }
}

/** The thread's assistant messages of a run, as text, through the proxy. */
async function answersOf(threadId: string, runId: string): Promise<string[]> {
  const checked = sdk();
  const page = await checked.client.beta.threads.messages.list(threadId, { run_id: runId, limit: 100 });
  checked.assertClean();
  return page.data
    .filter((m) => m.role === "assistant")
    .map((m) => m.content.map((c) => (c.type === "text" ? c.text.value : "")).join(""));
}

/** The next request after a fault goes through: the proxy survived. */
async function expectProxyAlive(threadId: string) {
  const checked = sdk();
  const thread = await checked.client.beta.threads.retrieve(threadId);
  expect(thread.id).toBe(threadId);
  checked.assertClean();
}

function runIdOf(events: AssistantStreamEvent[]): string {
  const created = events.find((e) => e.event === "thread.run.created");
  expect(created, "the stream carried thread.run.created before the fault").toBeDefined();
  return (created!.data as Run).id;
}

/** After a broken stream: the run finished upstream, its answer is there exactly once. */
async function expectRecovered(threadId: string, runId: string) {
  await expectProxyAlive(threadId);
  const run = await settledRun(threadId, runId);
  expect(run.status).toBe("completed");
  const answers = await answersOf(threadId, runId);
  expect(answers).toHaveLength(1);
  expect(answers[0]!.length).toBeGreaterThan(20);
  const { client } = sdk();
  const runs = await client.beta.threads.runs.list(threadId);
  expect(runs.data.map((r) => r.id)).toEqual([runId]);
}

describe("upstream errors pass through with status, code, message and headers", () => {
  it("429 with retry-after reaches the client; nothing was created; the retry succeeds", async () => {
    const { assistantId, threadId } = await setup();
    arm({ type: "status", status: 429, headers: { "retry-after": "2" } });
    const checked = sdk();
    const error = await checked.client.beta.threads.runs.create(threadId, { assistant_id: assistantId }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    const e = error as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.code).toBe("429");
    expect(e.message).toContain("Injected 429 from the fault upstream.");
    expect(e.headers?.get("retry-after")).toBe("2");
    expect(e.headers?.get("x-playground-connection")).toBe("faulty");
    checked.assertClean();
    expect(upstream.hits().at(-1)).toMatchObject({ method: "POST", type: "status" });

    const run = await checked.client.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId });
    expect(run.status).toBe("completed");
    const runs = await checked.client.beta.threads.runs.list(threadId);
    expect(runs.data.map((r) => r.id)).toEqual([run.id]);
  });

  it("500 reaches the client as it was sent; the next request succeeds", async () => {
    const { threadId } = await setup();
    upstream.arm({
      method: "GET",
      path: "/threads/[^/]+$",
      fault: {
        type: "status",
        status: 500,
        body: { error: { code: "InternalServerError", message: "Boom upstream." } },
      },
    });
    const { client } = sdk();
    const error = await client.beta.threads.retrieve(threadId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(500);
    expect((error as APIError).code).toBe("InternalServerError");
    expect((error as APIError).message).toContain("Boom upstream.");
    await expectProxyAlive(threadId);
  });
});

describe("a hung upstream", () => {
  it("POST: 504 upstream_timeout naming the connection, the host and the limit, and that it may have acted", async () => {
    const { assistantId, threadId } = await setup();
    arm({ type: "hang" });
    const { client } = sdk();
    const error = await client.beta.threads.runs.create(threadId, { assistant_id: assistantId }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIError);
    const e = error as APIError;
    expect(e.status).toBe(504);
    expect(e.code).toBe("upstream_timeout");
    expect(e.message).toContain(
      `${new URL(upstream.url).host} (connection "faulty") did not answer within 0.6 s`,
    );
    expect(e.message).toContain("the upstream may still have acted on it; check before retrying");
    expect(e.message).not.toContain(KEY);
    // The proxy gave up on the upstream socket too: the fake no longer holds it.
    await expect.poll(() => upstream.held()).toBe(0);
    await expectProxyAlive(threadId);
    const run = await client.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId });
    expect(run.status).toBe("completed");
  });

  it("POST that the upstream acted on before hanging: the 504 was right to say check first — the run is there", async () => {
    const { assistantId, threadId } = await setup();
    arm({ type: "hang", forward: true });
    const { client } = sdk();
    const error = await client.beta.threads.runs.create(threadId, { assistant_id: assistantId }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as APIError).status).toBe(504);
    expect((error as APIError).message).toContain("check before retrying");
    await expect.poll(() => upstream.held()).toBe(0);
    // Checking first finds the run the upstream started; a blind retry would have hit the thread lock.
    const runs = await client.beta.threads.runs.list(threadId);
    expect(runs.data).toHaveLength(1);
    await expectRecovered(threadId, runs.data[0]!.id);
  });

  it("GET: 504 that says reading again is safe", async () => {
    const { threadId } = await setup();
    upstream.arm({ method: "GET", path: "/threads/[^/]+$", fault: { type: "hang" } });
    const { client } = sdk();
    const error = await client.beta.threads.retrieve(threadId).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as APIError).status).toBe(504);
    expect((error as APIError).message).toMatch(/did not answer within 0\.6 s\. .*reading again is safe/);
    await expect.poll(() => upstream.held()).toBe(0);
    await expectProxyAlive(threadId);
  });
});

/** A streamed run through the proxy with `fault` armed on run creation, read to its end. */
async function streamWithFault(fault: Fault) {
  const { assistantId, threadId } = await setup();
  arm(fault);
  const checked = sdk();
  const stream = await checked.client.beta.threads.runs.create(threadId, {
    assistant_id: assistantId,
    stream: true,
  });
  return { threadId, checked, ...(await consume(stream)) };
}

type Streamed = Awaited<ReturnType<typeof streamWithFault>>;

describe("a run stream that breaks: the client sees it end abnormally, the run completes upstream", () => {
  const rows: { name: string; fault: Fault; seen: (s: Streamed) => void }[] = [
    {
      name: "connection reset mid-stream",
      fault: { type: "reset", afterEvents: 6 },
      seen: ({ events, error, checked }) => {
        expect(error).toBeInstanceOf(Error);
        // What the server log shows for it names the connection (and no URL or key).
        expect((error as Error).message).toContain('(connection "faulty") broke off the response');
        expect((error as Error).message).not.toContain(KEY);
        expect(events.length).toBeGreaterThan(0);
        expect(events.length).toBeLessThanOrEqual(6);
        expect(events.some((e) => e.event === "thread.run.completed")).toBe(false);
        checked.assertClean(); // the events that did arrive were whole and valid
      },
    },
    {
      name: "stream cut without done",
      fault: { type: "cut", afterEvents: 5 },
      seen: ({ events, checked }) => {
        expect(events).toHaveLength(5);
        expect(events.some((e) => e.event === "thread.run.completed")).toBe(false);
        // What the client saw is exactly the fault: the stream ended without `event: done`.
        expect(checked.violations).toHaveLength(1);
        expect(checked.violations[0]).toContain("ended without `event: done`");
      },
    },
    {
      name: "malformed SSE",
      fault: { type: "malformed", afterEvents: 4 },
      seen: ({ events, error, checked }) => {
        expect(error).toBeInstanceOf(Error);
        expect(events).toHaveLength(4);
        expect(checked.violations.some((v) => v.includes("data is not JSON"))).toBe(true);
      },
    },
    {
      name: "stalled stream: the idle timeout ends it and lets go of the upstream socket",
      fault: { type: "stall", afterEvents: 3 },
      seen: ({ events, error }) => {
        expect(error).toBeInstanceOf(Error);
        expect(String((error as Error).message)).toContain("sent nothing for 0.6 s while streaming");
        expect(events).toHaveLength(3);
      },
    },
  ];

  it.each(rows.map((r) => [r.name, r] as const))("%s", async (_name, row) => {
    const streamed = await streamWithFault(row.fault);
    row.seen(streamed);
    await expect.poll(() => upstream.held()).toBe(0);
    await expectRecovered(streamed.threadId, runIdOf(streamed.events));
  });

  it("a stall before the first event is the idle timeout too, not the response timeout", async () => {
    const { threadId, events, error } = await streamWithFault({ type: "stall", afterEvents: 0 });
    expect(events).toHaveLength(0);
    expect(String((error as Error).message)).toContain("sent nothing for 0.6 s while streaming");
    await expect.poll(() => upstream.held()).toBe(0);
    // No event told the client the run id; the run is still found and finished upstream.
    const { client } = sdk();
    const runs = await client.beta.threads.runs.list(threadId);
    expect(runs.data).toHaveLength(1);
    await expectRecovered(threadId, runs.data[0]!.id);
  });

  it("reset before any byte of a JSON answer", async () => {
    const { threadId } = await setup();
    upstream.arm({ method: "GET", path: "/threads/[^/]+$", fault: { type: "reset", afterEvents: 0 } });
    const { client } = sdk();
    const error = await client.beta.threads.retrieve(threadId).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).code).toBe("upstream_unreachable");
    expect((error as APIError).message).toContain('(connection "faulty")');
    await expectProxyAlive(threadId);
  });
});

describe("a slow upstream", () => {
  it("delays every event; everything arrives, in order, once", async () => {
    const { threadId, events, error, checked } = await streamWithFault({ type: "slow", delayMs: 20 });
    expect(error).toBeNull();
    checked.assertClean(); // ended with done, every event valid
    expect(upstream.hits().at(-1)).toMatchObject({ type: "slow" });
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("thread.run.created");
    expect(names.at(-1)).toBe("thread.run.completed");
    expect(names.indexOf("thread.message.created")).toBeLessThan(names.indexOf("thread.message.completed"));
    const deltas = events.flatMap((e) =>
      e.event === "thread.message.delta"
        ? (e.data.delta.content ?? []).map((c) => (c.type === "text" ? (c.text?.value ?? "") : ""))
        : [],
    );
    const runId = runIdOf(events);
    const answers = await answersOf(threadId, runId);
    expect(answers).toEqual([deltas.join("")]);
  });
});

describe("the client leaves first", () => {
  it("mid-stream, before the upstream stalls: no idle timer fires later, the socket is let go, the run completes", async () => {
    const { assistantId, threadId } = await setup();
    arm({ type: "stall", afterEvents: 3 });
    const { client } = sdk();
    const stream = await client.beta.threads.runs.create(threadId, {
      assistant_id: assistantId,
      stream: true,
    });
    let runId = "";
    for await (const event of stream) {
      if (event.event === "thread.run.created") runId = event.data.id;
      break; // the browser tab closes
    }
    expect(runId).not.toBe("");
    await expect.poll(() => upstream.held()).toBe(0);
    await sleep(STREAM_IDLE_TIMEOUT_MS + 200); // past the idle limit: nothing may fire into the process
    await expectRecovered(threadId, runId);
  });

  it("mid-stream, before the upstream resets: nothing throws, the next request succeeds", async () => {
    const { assistantId, threadId } = await setup();
    arm({ type: "reset", afterEvents: 12 });
    const { client } = sdk();
    const stream = await client.beta.threads.runs.create(threadId, {
      assistant_id: assistantId,
      stream: true,
    });
    let runId = "";
    for await (const event of stream) {
      if (event.event === "thread.run.created") runId = event.data.id;
      if (event.event === "thread.run.in_progress") break;
    }
    expect(runId).not.toBe("");
    await expectRecovered(threadId, runId);
  });

  it("while the upstream hangs: the upstream socket is let go, nothing fires later", async () => {
    const { assistantId, threadId } = await setup();
    arm({ type: "hang" });
    const { client } = sdk();
    const controller = new AbortController();
    const pending = client.beta.threads.runs
      .create(threadId, { assistant_id: assistantId }, { signal: controller.signal })
      .then(
        () => null,
        (e: unknown) => e,
      );
    await expect.poll(() => upstream.held()).toBe(1);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    await expect.poll(() => upstream.held()).toBe(0);
    await sleep(RESPONSE_TIMEOUT_MS + 200);
    await expectProxyAlive(threadId);
  });
});

describe("the fault upstream's control surface (what e2e/faults.spec.ts drives over HTTP)", () => {
  const control = (init?: RequestInit) => fetch(`${upstream.url}/_fault`, init);
  const post = (body: unknown) =>
    control({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("arms, counts down `times`, records hits, and clears rules and hits on DELETE", async () => {
    const { threadId } = await setup();
    const armed = await post({
      method: "get",
      path: "/threads/[^/]+$",
      times: 2,
      fault: { type: "status", status: 503 },
    });
    expect(armed.status).toBe(201);
    expect(await armed.json()).toMatchObject({
      method: "GET",
      times: 2,
      fault: { type: "status", status: 503 },
    });
    const { client } = sdk();
    for (let i = 0; i < 2; i++) {
      const error = await client.beta.threads.retrieve(threadId).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as APIError).status).toBe(503);
      expect((error as APIError).message).toContain("Injected 503 from the fault upstream.");
    }
    await expectProxyAlive(threadId); // the rule is used up
    const state = (await (await control()).json()) as {
      rules: unknown[];
      hits: { method: string; path: string; type: string }[];
    };
    expect(state.rules).toEqual([]);
    expect(state.hits).toEqual([
      expect.objectContaining({ method: "GET", path: `/openai/threads/${threadId}`, type: "status" }),
      expect.objectContaining({ method: "GET", path: `/openai/threads/${threadId}`, type: "status" }),
    ]);
    await post({ fault: { type: "hang" } });
    const cleared = (await (await control({ method: "DELETE" })).json()) as {
      rules: unknown[];
      hits: unknown[];
    };
    expect(cleared).toMatchObject({ rules: [], hits: [], held: 0 });
  });

  it.each([
    [{ fault: { type: "explode" } }, "fault.type must be one of"],
    [{ fault: { type: "reset" } }, "fault.afterEvents must be an integer"],
    [{ path: "([", fault: { type: "hang" } }, "path is not a valid regular expression"],
    [{ times: 0, fault: { type: "hang" } }, "times must be a positive integer"],
    [{ method: "FETCH", fault: { type: "hang" } }, "method must be an HTTP method"],
  ])("refuses a bad rule %j with 400 and says why", async (rule, message) => {
    const res = await post(rule);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(message);
    expect(upstream.rules()).toEqual([]);
  });
});
