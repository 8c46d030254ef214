import { afterEach, describe, expect, it, vi } from "vitest";
import type { AssistantStreamEvent } from "openai/resources/beta/assistants";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import {
  afterTaskThrottled,
  createFrameScheduler,
  createLiveMessages,
  PUBLISH_GAP_MS,
  initialRunStreamState,
  runStreamReducer,
  type RunStreamState,
  type StreamMessage,
} from "./run-stream-state";
import { appendMarkdown, emptyBlocks } from "./markdown-blocks";

function run(status: Run["status"], extra: Partial<Run> = {}): Run {
  return {
    id: "run_1",
    object: "thread.run",
    thread_id: "thread_1",
    assistant_id: "asst_1",
    status,
    ...extra,
  } as Run;
}

function message(
  id: string,
  content: Message["content"],
  status: Message["status"] = "in_progress",
): Message {
  return {
    id,
    object: "thread.message",
    thread_id: "thread_1",
    role: "assistant",
    content,
    status,
  } as Message;
}

const textDelta = (id: string, value: string, index = 0): AssistantStreamEvent => ({
  event: "thread.message.delta",
  data: {
    id,
    object: "thread.message.delta",
    delta: { content: [{ index, type: "text", text: { value } }] },
  },
});

function play(
  events: AssistantStreamEvent[],
  from: RunStreamState = runStreamReducer(initialRunStreamState, { type: "send", threadId: "thread_1" }),
) {
  return events.reduce((s, event) => runStreamReducer(s, { type: "event", event }), from);
}

describe("run stream state", () => {
  it("follows the run's status and builds the streamed answer from deltas", () => {
    const s = play([
      { event: "thread.run.created", data: run("queued") },
      { event: "thread.run.in_progress", data: run("in_progress") },
      { event: "thread.message.created", data: message("msg_1", []) },
      textDelta("msg_1", "## Hi\n\nfirst "),
      textDelta("msg_1", "para\n\nsecond"),
    ]);
    expect(s.phase).toBe("streaming");
    expect(s.run?.status).toBe("in_progress");
    const part = s.messages[0]?.parts[0];
    expect(part?.type).toBe("text");
    if (part?.type !== "text") return;
    expect(part.blocks.closed).toEqual(["## Hi", "first para"]);
    expect(part.blocks.tail).toBe("second");
  });

  it("leaves citation markers out of the streamed text, even one cut across deltas", () => {
    const s = play([
      { event: "thread.message.created", data: message("msg_1", []) },
      textDelta("msg_1", "Tents sleep four【4:"),
      textDelta("msg_1", "0†catalog.pdf】 and weigh"),
      textDelta("msg_1", " 2 kg【5:1†spec"),
    ]);
    const part = s.messages[0]?.parts[0];
    if (part?.type !== "text") throw new Error("no text part");
    expect(part.blocks.tail).toBe("Tents sleep four and weigh 2 kg");
  });

  it("shows image_file parts beside text and keeps streamed text on completion", () => {
    const streamed = play([
      { event: "thread.message.created", data: message("msg_1", []) },
      {
        event: "thread.message.delta",
        data: {
          id: "msg_1",
          object: "thread.message.delta",
          delta: { content: [{ index: 0, type: "image_file", image_file: { file_id: "file_png" } }] },
        },
      },
      textDelta("msg_1", "Here is the chart.", 1),
    ]);
    const textBefore = streamed.messages[0]?.parts[1];
    const done = play(
      [
        {
          event: "thread.message.completed",
          data: message(
            "msg_1",
            [
              { type: "image_file", image_file: { file_id: "file_png" } },
              { type: "text", text: { value: "Here is the chart.", annotations: [] } },
            ],
            "completed",
          ),
        },
      ],
      streamed,
    );
    expect(done.messages[0]?.status).toBe("completed");
    expect(done.messages[0]?.parts[0]).toEqual({ type: "image_file", index: 0, fileId: "file_png" });
    expect(done.messages[0]?.parts[1]).toBe(textBefore);
  });

  it("collects run steps from step events, replacing each by id", () => {
    const base = { object: "thread.run.step", run_id: "run_1", type: "message_creation", created_at: 1 };
    const s = play([
      { event: "thread.run.step.created", data: { ...base, id: "step_1", status: "in_progress" } as never },
      { event: "thread.run.step.completed", data: { ...base, id: "step_1", status: "completed" } as never },
    ]);
    expect(s.steps.map((st) => [st.id, st.status])).toEqual([["step_1", "completed"]]);
  });

  it("ignores the user's own message events", () => {
    const s = play([
      { event: "thread.message.created", data: { ...message("msg_u", []), role: "user" } as Message },
    ]);
    expect(s.messages).toEqual([]);
  });

  it("ends as an error when the run failed, with last_error's code and message", () => {
    const s = runStreamReducer(
      play([
        {
          event: "thread.run.failed",
          data: run("failed", { last_error: { code: "server_error", message: "boom" } }),
        },
      ]),
      { type: "finish" },
    );
    expect(s.phase).toBe("error");
    expect(s.error).toMatchObject({ code: "server_error", message: "boom" });
  });

  it("ends finished when the run completed", () => {
    const s = runStreamReducer(play([{ event: "thread.run.completed", data: run("completed") }]), {
      type: "finish",
    });
    expect(s.phase).toBe("finished");
    expect(s.error).toBeNull();
  });

  it("remembers whether the message was accepted, so a retry re-runs instead of re-sending", () => {
    let s = runStreamReducer(initialRunStreamState, { type: "send", threadId: "thread_1" });
    expect(s.accepted).toBe(false);
    s = runStreamReducer(s, { type: "accepted" });
    s = runStreamReducer(s, {
      type: "fail",
      error: { status: 429, code: "rate_limit_exceeded", message: "slow down", hint: "" },
    });
    expect(s).toMatchObject({ phase: "error", accepted: true });
    expect(runStreamReducer(s, { type: "retry", threadId: "thread_1" })).toMatchObject({
      phase: "sending",
      accepted: true,
      error: null,
    });
  });
});

describe("runStreamReducer: polling and tool outputs", () => {
  it("follows a dropped stream by polling, keeping what streamed", () => {
    let s = runStreamReducer(initialRunStreamState, { type: "send", threadId: "thread_1" });
    s = runStreamReducer(s, {
      type: "event",
      event: { event: "thread.run.in_progress", data: run("in_progress") },
    });
    s = runStreamReducer(s, {
      type: "event",
      event: { event: "thread.message.created", data: message("msg_1", []) },
    });
    s = runStreamReducer(s, { type: "event", event: textDelta("msg_1", "Half an ans") });
    s = runStreamReducer(s, { type: "poll", reason: "stream-dropped" });
    expect(s.phase).toBe("polling");
    expect(s.pollReason).toBe("stream-dropped");
    s = runStreamReducer(s, { type: "run", run: run("completed") });
    expect(s.phase).toBe("polling");
    expect(s.messages[0]?.parts[0]).toMatchObject({ type: "text", blocks: { tail: "Half an ans" } });
    s = runStreamReducer(s, { type: "finish" });
    expect(s.phase).toBe("finished");
    expect(s.run?.status).toBe("completed");
  });

  it("a polled run that failed ends in error with its last_error", () => {
    let s = runStreamReducer(initialRunStreamState, { type: "send", threadId: "thread_1" });
    s = runStreamReducer(s, { type: "run", run: run("queued") });
    expect(s.phase).toBe("polling");
    s = runStreamReducer(s, {
      type: "run",
      run: run("failed", { last_error: { code: "server_error", message: "Boom" } }),
    });
    s = runStreamReducer(s, { type: "finish" });
    expect(s.phase).toBe("error");
    expect(s.error).toMatchObject({ code: "server_error", message: "Boom" });
  });

  it("continues the same run after tool outputs, keeping the run and clearing the error", () => {
    let s = runStreamReducer(initialRunStreamState, { type: "send", threadId: "thread_1" });
    s = runStreamReducer(s, {
      type: "event",
      event: { event: "thread.run.requires_action", data: run("requires_action") },
    });
    s = runStreamReducer(s, { type: "finish" });
    expect(s.phase).toBe("finished");
    s = runStreamReducer(s, { type: "continue" });
    expect(s.phase).toBe("sending");
    expect(s.run?.status).toBe("requires_action");
    s = runStreamReducer(s, {
      type: "event",
      event: { event: "thread.run.in_progress", data: run("in_progress") },
    });
    expect(s.phase).toBe("streaming");
  });
});

describe("waiting to retry", () => {
  const wait = {
    what: "run" as const,
    attempt: 2,
    attempts: 4,
    until: 1_000,
    error: { status: 429, code: "429", message: "Rate limit is exceeded.", hint: "" },
  };
  it("keeps the phase while a failed call waits, and the next action ends the wait", () => {
    const sending = runStreamReducer(initialRunStreamState, { type: "send", threadId: "thread_1" });
    const waiting = runStreamReducer(sending, { type: "wait", wait });
    expect(waiting.phase).toBe("sending");
    expect(waiting.wait).toEqual(wait);
    const started = runStreamReducer(waiting, {
      type: "event",
      event: { event: "thread.run.created", data: run("queued") } as AssistantStreamEvent,
    });
    expect(started.wait).toBeNull();
    expect(started.phase).toBe("streaming");
    const failed = runStreamReducer(runStreamReducer(sending, { type: "wait", wait }), {
      type: "fail",
      error: wait.error,
    });
    expect(failed.wait).toBeNull();
    expect(failed.error).toEqual(wait.error);
  });
});

describe("createLiveMessages", () => {
  const msg = (id: string, text: string): StreamMessage => ({
    id,
    status: "in_progress",
    parts: [{ type: "text", index: 0, blocks: appendMarkdown(emptyBlocks, text) }],
  });

  it("publishes deltas once a frame, with the latest messages, and at once when asked", () => {
    const frames: (() => void)[] = [];
    const live = createLiveMessages((run) => {
      frames.push(run);
      return () => frames.splice(frames.indexOf(run), 1);
    });
    let notified = 0;
    live.subscribe(() => (notified += 1));
    live.setSoon([msg("msg_1", "a ")]);
    live.setSoon([msg("msg_1", "a b ")]);
    expect(frames).toHaveLength(1);
    expect(live.get("msg_1")).toBeUndefined();
    frames.shift()!();
    expect(notified).toBe(1);
    expect(live.get("msg_1")?.parts[0]).toMatchObject({ blocks: { tail: "a b " } });
    live.setSoon([msg("msg_1", "a b c ")]);
    const done = [msg("msg_1", "a b c d")];
    live.setNow(done);
    expect(frames).toHaveLength(0);
    expect(notified).toBe(2);
    expect(live.get("msg_1")).toBe(done[0]);
    live.setNow(done);
    expect(notified).toBe(2);
  });
});

describe("live message ids", () => {
  it("keeps the same array while the streamed messages stay the same ones", () => {
    const live = createLiveMessages((run) => (run(), () => {}));
    const one = (text: string): StreamMessage => ({
      id: "msg_1",
      status: "in_progress",
      parts: [{ type: "text", index: 0, blocks: appendMarkdown(emptyBlocks, text) }],
    });
    expect(live.ids()).toEqual([]);
    live.setNow([one("a")]);
    const ids = live.ids();
    expect(ids).toEqual(["msg_1"]);
    live.setSoon([one("a b")]);
    expect(live.ids()).toBe(ids);
    live.setNow([one("a b c"), { id: "msg_2", status: "in_progress", parts: [] }]);
    expect(live.ids()).toEqual(["msg_1", "msg_2"]);
  });
});

describe("afterTaskThrottled", () => {
  it("runs right after the current task, then no sooner than PUBLISH_GAP_MS after the last run", () => {
    let now = 1000;
    const tasks: (() => void)[] = [];
    const timers: { run: () => void; ms: number }[] = [];
    const schedule = afterTaskThrottled(
      () => now,
      (run) => (tasks.push(run), () => tasks.splice(tasks.indexOf(run), 1)),
      (run, ms) => (timers.push({ run, ms }), () => {}),
    );
    const ran: number[] = [];
    schedule(() => ran.push(now));
    expect(tasks).toHaveLength(1);
    expect(timers).toHaveLength(0);
    tasks.shift()!();
    expect(ran).toEqual([1000]);
    now += 5;
    schedule(() => ran.push(now));
    expect(tasks).toHaveLength(0);
    expect(timers).toEqual([{ run: expect.any(Function), ms: PUBLISH_GAP_MS - 5 }]);
    now += PUBLISH_GAP_MS - 5;
    timers.shift()!.run();
    expect(ran).toEqual([1000, 1000 + PUBLISH_GAP_MS]);
    now += PUBLISH_GAP_MS;
    schedule(() => ran.push(now));
    expect(tasks).toHaveLength(1);
    const cancel = schedule(() => ran.push(-1));
    cancel();
    expect(tasks).toHaveLength(1);
  });
});

describe("afterTaskThrottled's default task", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is a user-blocking scheduler.postTask where the browser has one, and a cancel aborts it", async () => {
    const posted: { run: () => void; priority: string; signal: AbortSignal }[] = [];
    vi.stubGlobal("scheduler", {
      postTask: (run: () => void, options: { priority: string; signal: AbortSignal }) => {
        posted.push({ run, ...options });
        return new Promise((resolve, reject) => {
          options.signal.addEventListener("abort", () => reject(options.signal.reason));
        });
      },
    });
    let clock = 0;
    const schedule = afterTaskThrottled(() => clock);
    const ran: string[] = [];
    schedule(() => ran.push("first"));
    expect(posted.map((p) => p.priority)).toEqual(["user-blocking"]);
    posted[0]!.run();
    expect(ran).toEqual(["first"]);
    clock += PUBLISH_GAP_MS;
    const reported = vi.fn();
    vi.stubGlobal("reportError", reported);
    const cancel = schedule(() => ran.push("second"));
    expect(posted).toHaveLength(2);
    cancel();
    expect(posted[1]!.signal.aborted).toBe(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(reported).not.toHaveBeenCalled();
    expect(ran).toEqual(["first"]);
  });
});

describe("createFrameScheduler", () => {
  it("runs only the last task given before the frame, once, and nothing once cancelled", () => {
    const frames: (() => void)[] = [];
    const frame = createFrameScheduler((run) => {
      frames.push(run);
      return () => frames.splice(frames.indexOf(run), 1);
    });
    const ran: string[] = [];
    frame.soon(() => ran.push("run.created"));
    frame.soon(() => ran.push("message.created"));
    expect(frames).toHaveLength(1);
    expect(ran).toEqual([]);
    frames.shift()!();
    expect(ran).toEqual(["message.created"]);
    frame.soon(() => ran.push("run.completed"));
    expect(frames).toHaveLength(1);
    frame.cancel();
    expect(frames).toHaveLength(0);
    frame.soon(() => ran.push("after"));
    frames.shift()!();
    expect(ran).toEqual(["message.created", "after"]);
  });
});
