// A prompt set against two configurations of one assistant on a real local engine, through the
// official SDK (spec-checked): the runner creates runs with the overrides as run parameters, answers
// function calls from the prompt, and the checks pass or fail for the reasons the scripted model gives.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cell, Configuration, Prompt } from "@/lib/evaluations/model";
import { runSet } from "@/lib/client/evaluations/run-set";
import { runPrompt } from "@/lib/client/evaluations/run-prompt";
import { makeHarness, V2, type Harness } from "../engine/harness";
import { specCheckedClient } from "../helpers/sdk";
import { errorBody, errors as engineErrors } from "@/lib/engine/errors";

let h: Harness;
let assistantId: string;

beforeAll(async () => {
  h = await makeHarness();
  const assistant = await h.v2.client.beta.assistants.create({
    model: "gpt-4o",
    name: "Data Visualization",
    instructions: "You make charts.",
    tools: [
      { type: "code_interpreter" },
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Get the weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ],
  });
  assistantId = assistant.id;
});
afterAll(() => h.cleanup());

const configs = (): Configuration[] => [
  { id: "base", label: "As saved", connection: "local", apiVersion: V2, assistantId, overrides: {} },
  {
    id: "json",
    label: "JSON, no tools",
    connection: "local",
    apiVersion: V2,
    assistantId,
    overrides: {
      tools: [],
      response_format: { type: "json_object" },
      temperature: 0.2,
      instructions: "Answer in JSON.",
    },
  },
];

const prompts: Prompt[] = [
  {
    id: "chart",
    text: "Create a visualization of a sinewave",
    attachments: [],
    checks: [{ type: "uses_code_interpreter" }, { type: "status", status: "completed" }],
  },
  {
    id: "weather",
    text: "What's the weather in Lisbon?",
    attachments: [],
    checks: [{ type: "calls_function", name: "get_weather", argumentValues: { city: "Lisbon" } }],
    functionOutputs: { get_weather: '{"temperature": 21}' },
  },
  {
    id: "broken",
    text: "Please answer [[fail]]",
    attachments: [],
    checks: [{ type: "status", status: "completed" }],
  },
  {
    id: "json",
    text: "Name three colours",
    attachments: [],
    checks: [{ type: "valid_json" }, { type: "max_tokens", tokens: 100000 }],
  },
];

it("runs every cell, checks it, and reports cells as they settle", async () => {
  const seen: Cell[] = [];
  const cells = await runSet({
    run: { prompts, configurations: configs() },
    cells: prompts.flatMap((p) => configs().map((c) => ({ promptId: p.id, configurationId: c.id }))),
    clientFor: () => h.v2.client,
    concurrency: 3,
    signal: new AbortController().signal,
    onCell: (c) => seen.push(c),
    pollMs: 20,
  });
  expect(cells).toHaveLength(8);
  expect(seen).toHaveLength(8);
  const at = (p: string, c: string) => cells.find((x) => x.promptId === p && x.configurationId === c)!;

  expect(at("chart", "base")).toMatchObject({ verdict: "passed", runStatus: "completed" });
  expect(at("chart", "base").toolCalls).toContainEqual({ type: "code_interpreter" });
  expect(at("chart", "base").ttftMs).not.toBeNull();
  expect(at("chart", "base").usage!.total_tokens).toBeGreaterThan(0);
  // The override removed the tools: no chart, and the check says why.
  expect(at("chart", "json").verdict).toBe("failed");
  expect(at("chart", "json").checks[0]!.reason).toBe("code interpreter was not used (no tool was called)");

  // The function was called with Lisbon, its output submitted from the prompt, and the run completed.
  expect(at("weather", "base")).toMatchObject({ verdict: "passed", runStatus: "completed" });
  expect(at("weather", "base").text).toContain("21");
  expect(at("weather", "json").checks[0]!.reason).toBe("get_weather was not called (no tool was called)");

  expect(at("broken", "base").verdict).toBe("failed");
  expect(at("broken", "base").checks[0]!.reason).toMatch(/^the run finished failed \(server_error: /);

  // json_object was sent as a run parameter: only that configuration answers in JSON.
  expect(at("json", "json").verdict).toBe("passed");
  expect(at("json", "base").checks[0]).toMatchObject({ pass: false });

  const run = await h.v2.client.beta.threads.runs.retrieve(at("json", "json").runId!, {
    thread_id: at("json", "json").threadId!,
  });
  expect(run).toMatchObject({ temperature: 0.2, instructions: "Answer in JSON.", tools: [] });
});

it("a function call with no output stops the run, recorded as requires_action", async () => {
  const result = await runPrompt({
    client: h.v2.client,
    configuration: configs()[0]!,
    prompt: { text: "What's the weather in Paris?", attachments: [] },
    signal: new AbortController().signal,
    answerFunctions: async () => null,
    pollMs: 20,
  });
  expect(result.status).toBe("requires_action");
  expect(result.toolCalls).toEqual([
    { type: "function", name: "get_weather", arguments: '{"city":"Paris"}' },
  ]);
  const run = await h.v2.client.beta.threads.runs.retrieve(result.runId!, { thread_id: result.threadId! });
  expect(["cancelling", "cancelled"]).toContain(run.status);
});

it("cancel ends the running cells as cancelled and cancels their runs", async () => {
  const controller = new AbortController();
  const started = new Map<string, string>();
  const slow: Prompt[] = [1, 2, 3].map((i) => ({
    id: `slow${i}`,
    text: `Tell me about cats [[slow:300]] ${i}`,
    attachments: [],
    checks: [],
  }));
  const cellsPromise = runSet({
    run: { prompts: slow, configurations: [configs()[0]!] },
    cells: slow.map((p) => ({ promptId: p.id, configurationId: "base" })),
    clientFor: () => h.v2.client,
    concurrency: 2,
    signal: controller.signal,
    onCell: () => {},
    onLive: (_key, live) => {
      if (live.runId && live.threadId) started.set(live.runId, live.threadId);
      if (live.text.length > 0) controller.abort();
    },
    pollMs: 20,
  });
  const cells = await cellsPromise;
  expect(cells.map((c) => c.verdict)).toEqual(["cancelled", "cancelled", "cancelled"]);
  expect(started.size).toBe(2); // the third never started
  for (const [runId, threadId] of started) {
    const run = await h.v2.client.beta.threads.runs.retrieve(runId, { thread_id: threadId });
    expect(["cancelling", "cancelled"]).toContain(run.status);
  }
});

it("a model-graded check runs on a temporary grader assistant, shown as such, deleted afterwards", async () => {
  const graded: Prompt = {
    id: "graded",
    text: "What is the capital of France?",
    attachments: [],
    checks: [
      { type: "model_graded", rubric: "Names Paris", connection: "local", apiVersion: V2, model: "gpt-4o" },
    ],
  };
  const before = (await h.v2.client.beta.assistants.list({ limit: 100 })).data.length;
  const [cell] = await runSet({
    run: { prompts: [graded], configurations: [configs()[0]!] },
    cells: [{ promptId: "graded", configurationId: "base" }],
    clientFor: () => h.v2.client,
    concurrency: 1,
    signal: new AbortController().signal,
    onCell: () => {},
    pollMs: 20,
  });
  // The scripted model is no judge: it answers json_object with its own fields, which say neither.
  expect(cell!.checks[0]).toMatchObject({ label: "graded by gpt-4o on local", pass: false });
  expect(cell!.checks[0]!.reason).toMatch(/^the grader said neither pass nor fail: /);
  expect((await h.v2.client.beta.assistants.list({ limit: 100 })).data.length).toBe(before);
});

it("a 429 on creating a run pauses the whole set (retry-after, never less than the backoff), then creates each run once", async () => {
  let refused = 0;
  let runCreates = 0;
  const handler = async (req: Request) => {
    const creatingRun = req.method === "POST" && /\/threads\/[^/]+\/runs$/.test(new URL(req.url).pathname);
    if (creatingRun && refused < 2) {
      refused++;
      // The engine's own 429 (Azure's body), asking for 300 ms.
      const e = engineErrors.rateLimited(0.3, "Rate limit is exceeded.");
      return Response.json(errorBody(e), { status: e.status, headers: e.headers });
    }
    if (creatingRun) runCreates++;
    return h.engine.fetch(req);
  };
  const limited = specCheckedClient(handler, { apiVersion: V2 });
  const pauses: number[] = [];
  const prompts: Prompt[] = [1, 2, 3].map((i) => ({
    id: `q${i}`,
    text: `Question ${i}`,
    attachments: [],
    checks: [],
  }));
  const started = Date.now();
  const cells = await runSet({
    run: { prompts, configurations: [configs()[0]!] },
    cells: prompts.map((p) => ({ promptId: p.id, configurationId: "base" })),
    clientFor: () => limited.client,
    concurrency: 3,
    signal: new AbortController().signal,
    onCell: () => {},
    onPause: (ms) => pauses.push(ms),
    pollMs: 20,
  });
  expect(cells.map((c) => c.verdict)).toEqual(["passed", "passed", "passed"]);
  expect(refused).toBe(2);
  expect(runCreates).toBe(3); // no run was created twice
  // The backoff never waits less than ~1 s (0.8 s with jitter) after a first refusal, even when asked for 300 ms.
  expect(pauses.length).toBeGreaterThan(0);
  expect(Math.min(...pauses)).toBeGreaterThanOrEqual(800);
  expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  const threads = new Set(cells.map((c) => c.threadId));
  expect(threads.size).toBe(3);
  limited.assertClean();
});
