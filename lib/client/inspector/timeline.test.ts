import { describe, expect, it } from "vitest";
import type { RunStep, RunStepDeltaEvent } from "openai/resources/beta/threads/runs/steps";
import { buildTimeline, formatDuration, mergeSteps, rowTitle, stepHint, toRow } from "./timeline";
import { applyStepDelta } from "./step-delta";
import { countMatches, filterJson } from "./json-filter";

function step(
  id: string,
  created_at: number,
  details: RunStep["step_details"],
  extra: Partial<RunStep> = {},
): RunStep {
  return {
    id,
    object: "thread.run.step",
    assistant_id: "asst_1",
    thread_id: "thread_1",
    run_id: "run_1",
    type: details.type,
    status: "in_progress",
    created_at,
    completed_at: null,
    failed_at: null,
    cancelled_at: null,
    expired_at: null,
    last_error: null,
    metadata: null,
    usage: null,
    step_details: details,
    ...extra,
  };
}

const usage = (p: number, c: number) => ({ prompt_tokens: p, completion_tokens: c, total_tokens: p + c });
const toolStep = (id: string, at: number, extra: Partial<RunStep> = {}) =>
  step(id, at, { type: "tool_calls", tool_calls: [] }, extra);
const delta = (id: string, d: RunStepDeltaEvent["delta"]): RunStepDeltaEvent => ({
  id,
  object: "thread.run.step.delta",
  delta: d,
});

describe("timeline rows", () => {
  it("gives each step its type, status, start, end, duration and usage, and totals the usage", () => {
    const code = step(
      "step_a",
      100,
      {
        type: "tool_calls",
        tool_calls: [
          { id: "c1", type: "code_interpreter", code_interpreter: { input: "x", outputs: [] } },
          { id: "c2", type: "code_interpreter", code_interpreter: { input: "y", outputs: [] } },
          { id: "c3", type: "function", function: { name: "f", arguments: "{}", output: null } },
        ],
      },
      { status: "completed", completed_at: 103, usage: usage(10, 5) },
    );
    const message = step(
      "step_b",
      103,
      { type: "message_creation", message_creation: { message_id: "msg_1" } },
      { status: "failed", failed_at: 170, usage: usage(20, 7) },
    );
    const open = toolStep("step_c", 171);
    const timeline = buildTimeline([message, open, code]);
    expect(timeline.rows.map((r) => [r.id, r.kinds, r.status, r.start, r.end, r.duration])).toEqual([
      ["step_a", ["code_interpreter", "function"], "completed", 100, 103, 3],
      ["step_b", ["message_creation"], "failed", 103, 170, 67],
      ["step_c", [], "in_progress", 171, null, null],
    ]);
    expect(timeline.rows[0]?.usage).toEqual({ prompt: 10, completion: 5, total: 15 });
    expect(timeline.rows[2]?.usage).toBeNull();
    expect(timeline.total).toEqual({ prompt: 30, completion: 12, total: 42 });
    expect(timeline.active).toBe(1);
    expect(timeline.rows.map((r) => stepHint(r.step))).toEqual(["x; y; f({})", "", ""]);
    expect(
      stepHint(
        step("s", 1, {
          type: "tool_calls",
          tool_calls: [
            { id: "a", type: "file_search", file_search: { results: [] } },
            {
              id: "b",
              type: "function",
              function: { name: "g", arguments: `{"q": "${"x".repeat(50)}"}`, output: null },
            },
            {
              id: "c",
              type: "code_interpreter",
              code_interpreter: { input: "\n\n  import os\nx", outputs: [] },
            },
          ],
        }),
      ),
    ).toBe(`0 results; g({"q": "${"x".repeat(32)}…); import os`);
    expect(timeline.rows.map(rowTitle)).toEqual([
      "Code interpreter + Function call",
      "Message creation",
      "Tool calls",
    ]);
  });

  it("has no total when no step reports usage (v1), and ends cancelled and expired steps", () => {
    const t = buildTimeline([
      toolStep("s1", 5, { status: "cancelled", cancelled_at: 9 }),
      toolStep("s2", 9, { status: "expired", expired_at: 12 }),
    ]);
    expect(t.total).toBeNull();
    expect(t.rows.map((r) => r.duration)).toEqual([4, 3]);
    expect(t.active).toBe(0);
    expect(buildTimeline([]).rows).toEqual([]);
  });

  it("formats durations", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(59)).toBe("59 s");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(3600 + 180 + 4)).toBe("1 h 3 min");
  });
});

describe("merging the server's steps with the stream's", () => {
  const serverOpen = toolStep("s1", 1);
  const streamed = applyStepDelta(
    [toolStep("s1", 1)],
    delta("s1", {
      step_details: {
        type: "tool_calls",
        tool_calls: [{ index: 0, type: "function", id: "call_1", function: { name: "f", arguments: "{}" } }],
      },
    }),
  )[0]!;
  const serverDone = toolStep("s1", 1, { status: "completed", completed_at: 2 });

  it("prefers the streamed copy while both are in progress, and whichever has ended otherwise", () => {
    expect(mergeSteps([serverOpen], [streamed])).toEqual([streamed]);
    expect(mergeSteps([serverDone], [streamed])).toEqual([serverDone]);
    const streamedDone = { ...streamed, status: "completed" as const, completed_at: 2 };
    expect(mergeSteps([serverOpen], [streamedDone])).toEqual([streamedDone]);
    expect(mergeSteps([serverDone], [streamedDone])).toEqual([serverDone]);
  });

  it("adds steps only the stream knows, in creation order", () => {
    const later = toolStep("s2", 5);
    const earlier = toolStep("s0", 0);
    expect(mergeSteps([serverOpen], [later, earlier]).map((s) => s.id)).toEqual(["s0", "s1", "s2"]);
    expect(toRow(later).end).toBeNull();
    // Same second: the server's order stands (ids are random, not ordered).
    const a = toolStep("step_zz", 7);
    const b = toolStep("step_aa", 7);
    expect(mergeSteps([a, b], []).map((s) => s.id)).toEqual(["step_zz", "step_aa"]);
  });
});

describe("step deltas", () => {
  it("streams a function call's name and arguments, and its output", () => {
    let steps = [toolStep("s1", 1)];
    const fn = (d: object) =>
      delta("s1", {
        step_details: { type: "tool_calls", tool_calls: [{ index: 0, type: "function", ...d }] },
      });
    steps = applyStepDelta(
      steps,
      fn({ id: "call_1", function: { name: "get_weather", arguments: "", output: null } }),
    );
    steps = applyStepDelta(steps, fn({ function: { arguments: '{"city":' } }));
    steps = applyStepDelta(steps, fn({ function: { arguments: '"Oslo"}' } }));
    expect(steps[0]?.step_details).toEqual({
      type: "tool_calls",
      tool_calls: [
        {
          id: "call_1",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Oslo"}', output: null },
        },
      ],
    });
    steps = applyStepDelta(steps, fn({ function: { output: "12 °C" } }));
    expect(steps[0]?.step_details.type === "tool_calls" && steps[0].step_details.tool_calls[0]).toMatchObject(
      {
        function: { name: "get_weather", output: "12 °C" },
      },
    );
  });

  it("streams code-interpreter input and its outputs by index, and keeps several calls apart", () => {
    let steps = [toolStep("s1", 1)];
    const ci = (index: number, d: object) =>
      delta("s1", {
        step_details: { type: "tool_calls", tool_calls: [{ index, type: "code_interpreter", ...d }] },
      });
    steps = applyStepDelta(steps, ci(0, { id: "call_a", code_interpreter: { input: "", outputs: [] } }));
    steps = applyStepDelta(steps, ci(0, { code_interpreter: { input: "import math\n" } }));
    steps = applyStepDelta(steps, ci(0, { code_interpreter: { input: "print(1)" } }));
    steps = applyStepDelta(
      steps,
      delta("s1", {
        step_details: {
          type: "tool_calls",
          tool_calls: [{ index: 1, type: "file_search", id: "call_b", file_search: {} }],
        },
      }),
    );
    steps = applyStepDelta(
      steps,
      ci(0, {
        code_interpreter: {
          outputs: [
            { index: 0, type: "logs", logs: "1\n" },
            { index: 1, type: "image", image: { file_id: "file_png" } },
          ],
        },
      }),
    );
    steps = applyStepDelta(
      steps,
      ci(0, { code_interpreter: { outputs: [{ index: 0, type: "logs", logs: "done" }] } }),
    );
    expect(steps[0]?.step_details).toEqual({
      type: "tool_calls",
      tool_calls: [
        {
          id: "call_a",
          type: "code_interpreter",
          code_interpreter: {
            input: "import math\nprint(1)",
            outputs: [
              { type: "logs", logs: "1\ndone" },
              { type: "image", image: { file_id: "file_png" } },
            ],
          },
        },
        { id: "call_b", type: "file_search", file_search: {} },
      ],
    });
  });

  it("sets a message_creation step's message, and ignores deltas for unknown steps or without details", () => {
    const msg = step("m1", 1, { type: "message_creation", message_creation: { message_id: "" } });
    const next = applyStepDelta(
      [msg],
      delta("m1", { step_details: { type: "message_creation", message_creation: { message_id: "msg_9" } } }),
    );
    expect(next[0]?.step_details).toEqual({
      type: "message_creation",
      message_creation: { message_id: "msg_9" },
    });
    expect(msg.step_details).toEqual({ type: "message_creation", message_creation: { message_id: "" } });
    const steps = [toolStep("s1", 1)];
    expect(
      applyStepDelta(steps, delta("nope", { step_details: { type: "tool_calls", tool_calls: [] } })),
    ).toBe(steps);
    expect(applyStepDelta(steps, delta("s1", {}))).toBe(steps);
  });
});

describe("raw JSON search", () => {
  const run = {
    id: "run_1",
    model: "gpt-4o",
    tools: [{ type: "code_interpreter" }, { type: "function", function: { name: "get_weather" } }],
    usage: { prompt_tokens: 3 },
  };

  it("keeps the matching keys and values with their parents, case-insensitively", () => {
    expect(filterJson(run, "WEATHER")).toEqual({ tools: [{ function: { name: "get_weather" } }] });
    expect(filterJson(run, "usage")).toEqual({ usage: { prompt_tokens: 3 } });
    expect(filterJson(run, "  ")).toBe(run);
    expect(filterJson(run, "nothing-like-this")).toBeUndefined();
    expect(filterJson({ a: null, b: 3 }, "null")).toEqual({ a: null });
  });

  it("counts matches in keys and values", () => {
    expect(countMatches(run, "type")).toBe(2);
    expect(countMatches(run, "gpt")).toBe(1);
    expect(countMatches(run, "")).toBe(0);
  });
});

describe("the run stream keeps step deltas", () => {
  it("merges thread.run.step.delta into the streamed steps", async () => {
    const { runStreamReducer, initialRunStreamState } = await import("../run-stream-state");
    let state = runStreamReducer(initialRunStreamState, {
      type: "event",
      event: { event: "thread.run.step.created", data: toolStep("s1", 1) },
    });
    state = runStreamReducer(state, {
      type: "event",
      event: {
        event: "thread.run.step.delta",
        data: delta("s1", {
          step_details: {
            type: "tool_calls",
            tool_calls: [
              { index: 0, type: "code_interpreter", id: "c1", code_interpreter: { input: "print(2)" } },
            ],
          },
        }),
      },
    });
    expect(state.steps[0]?.step_details).toEqual({
      type: "tool_calls",
      tool_calls: [
        { id: "c1", type: "code_interpreter", code_interpreter: { input: "print(2)", outputs: [] } },
      ],
    });
  });
});
