import type { AssistantStreamEvent } from "openai/resources/beta/assistants";
import type { Message, MessageContent, MessageContentDelta } from "openai/resources/beta/threads/messages";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { streamWithoutMarkers } from "./chat/annotations";
import { appendMarkdown, emptyBlocks, type MarkdownBlocks } from "./markdown-blocks";
import { runEndError, type PlaygroundError } from "./errors";
import { applyStepDelta } from "./inspector/step-delta";

export type StreamPart =
  | {
      type: "text";
      index: number;
      blocks: MarkdownBlocks;
      /** The end of the streamed text that may be the start of a citation marker (streamWithoutMarkers). */
      held?: string;
    }
  | { type: "image_file"; index: number; fileId: string }
  | { type: "other"; index: number; label: string };

export interface StreamMessage {
  id: string;
  status: string;
  parts: StreamPart[];
}

export type RunStreamPhase = "idle" | "sending" | "streaming" | "polling" | "finished" | "error";

/** A failed call that will be sent again by itself after a wait (lib/client/retry.ts). */
export interface RetryWait {
  /** What is being tried again: adding the message, starting the run, or reading the run. */
  what: "message" | "run" | "follow";
  /** The attempt that comes next (2 = the first retry), out of `attempts`. */
  attempt: number;
  attempts: number;
  /** When it will be sent (epoch ms). */
  until: number;
  error: PlaygroundError;
}

export interface RunStreamState {
  phase: RunStreamPhase;
  threadId: string | null;
  run: Run | null;
  messages: StreamMessage[];
  error: PlaygroundError | null;
  /** Run steps as the stream reported them, with their deltas merged (lib/client/inspector/step-delta). */
  steps: RunStep[];
  /** Whether the user's message is in the thread: after that, a failure is retried as a run, not a resend. */
  accepted: boolean;
  /** Why the run is followed by polling: the api-version or upstream does not stream, or the stream dropped. */
  pollReason: "no-stream" | "stream-dropped" | "recovered" | null;
  /** A failed call waiting to be sent again, shown with a countdown; null otherwise. */
  wait: RetryWait | null;
}

export type RunStreamAction =
  | { type: "send"; threadId: string }
  | { type: "accepted" }
  | { type: "retry"; threadId: string }
  | { type: "event"; event: AssistantStreamEvent }
  /** A run as read by polling (no stream). */
  | { type: "run"; run: Run }
  | { type: "poll"; reason: "no-stream" | "stream-dropped" | "recovered" }
  /** A failed call will be sent again after a wait; the next other action ends the wait. */
  | { type: "wait"; wait: RetryWait }
  /** Tool outputs were submitted: the same run continues. */
  | { type: "continue" }
  | { type: "finish" }
  | { type: "fail"; error: PlaygroundError }
  | { type: "reset" };

export const initialRunStreamState: RunStreamState = {
  phase: "idle",
  threadId: null,
  run: null,
  messages: [],
  error: null,
  steps: [],
  accepted: false,
  pollReason: null,
  wait: null,
};

function partFromContent(content: MessageContent, index: number): StreamPart {
  if (content.type === "text")
    return { type: "text", index, blocks: appendMarkdown(emptyBlocks, content.text.value) };
  if (content.type === "image_file") return { type: "image_file", index, fileId: content.image_file.file_id };
  return { type: "other", index, label: content.type };
}

function applyDelta(parts: StreamPart[], delta: MessageContentDelta): StreamPart[] {
  const at = parts.findIndex((p) => p.index === delta.index);
  const current = at >= 0 ? parts[at] : undefined;
  let next: StreamPart;
  if (delta.type === "text") {
    const base = current?.type === "text" ? current : null;
    const { text, held } = streamWithoutMarkers(base?.held ?? "", delta.text?.value ?? "");
    next = {
      type: "text",
      index: delta.index,
      blocks: appendMarkdown(base?.blocks ?? emptyBlocks, text),
      held,
    };
  } else if (delta.type === "image_file") {
    const fileId = delta.image_file?.file_id ?? (current?.type === "image_file" ? current.fileId : "");
    next = { type: "image_file", index: delta.index, fileId };
  } else {
    next = current ?? { type: "other", index: delta.index, label: delta.type };
  }
  if (at < 0) return [...parts, next].sort((a, b) => a.index - b.index);
  const copy = parts.slice();
  copy[at] = next;
  return copy;
}

function upsertMessage(
  messages: StreamMessage[],
  id: string,
  update: (m: StreamMessage) => StreamMessage,
): StreamMessage[] {
  const at = messages.findIndex((m) => m.id === id);
  if (at < 0) return [...messages, update({ id, status: "in_progress", parts: [] })];
  const copy = messages.slice();
  copy[at] = update(messages[at]!);
  return copy;
}

function fromMessage(message: Message): StreamMessage {
  return { id: message.id, status: message.status, parts: message.content.map(partFromContent) };
}

export function runStreamReducer(state: RunStreamState, action: RunStreamAction): RunStreamState {
  if (action.type === "wait") return { ...state, wait: action.wait };
  const next = reduce(state, action);
  return next.wait ? { ...next, wait: null } : next;
}

function reduce(state: RunStreamState, action: Exclude<RunStreamAction, { type: "wait" }>): RunStreamState {
  switch (action.type) {
    case "send":
      return { ...initialRunStreamState, phase: "sending", threadId: action.threadId };
    case "accepted":
      return { ...state, accepted: true };
    case "retry":
      return { ...initialRunStreamState, phase: "sending", threadId: action.threadId, accepted: true };
    case "reset":
      return initialRunStreamState;
    case "run":
      return { ...state, phase: state.phase === "sending" ? "polling" : state.phase, run: action.run };
    case "poll":
      return { ...state, phase: "polling", pollReason: action.reason };
    case "continue":
      return { ...state, phase: "sending", error: null, pollReason: null };
    case "fail":
      return { ...state, phase: "error", error: action.error };
    case "finish": {
      const error = state.run ? runEndError(state.run) : null;
      return { ...state, phase: error ? "error" : "finished", error };
    }
    case "event": {
      const { event } = action;
      switch (event.event) {
        case "thread.run.created":
        case "thread.run.queued":
        case "thread.run.in_progress":
        case "thread.run.requires_action":
        case "thread.run.completed":
        case "thread.run.incomplete":
        case "thread.run.failed":
        case "thread.run.cancelling":
        case "thread.run.cancelled":
        case "thread.run.expired":
          return { ...state, phase: state.phase === "polling" ? "polling" : "streaming", run: event.data };
        case "thread.run.step.created":
        case "thread.run.step.in_progress":
        case "thread.run.step.completed":
        case "thread.run.step.failed":
        case "thread.run.step.cancelled":
        case "thread.run.step.expired": {
          const step = event.data;
          const at = state.steps.findIndex((s) => s.id === step.id);
          const steps = at < 0 ? [...state.steps, step] : state.steps.map((s, i) => (i === at ? step : s));
          return { ...state, steps };
        }
        case "thread.run.step.delta":
          return { ...state, steps: applyStepDelta(state.steps, event.data) };
        case "thread.message.created":
          if (event.data.role !== "assistant") return state;
          return {
            ...state,
            messages: upsertMessage(state.messages, event.data.id, () => fromMessage(event.data)),
          };
        case "thread.message.delta": {
          const contents = event.data.delta.content ?? [];
          return {
            ...state,
            messages: upsertMessage(state.messages, event.data.id, (m) => ({
              ...m,
              parts: contents.reduce(applyDelta, m.parts),
            })),
          };
        }
        case "thread.message.completed":
        case "thread.message.incomplete": {
          const done = event.data;
          if (done.role !== "assistant") return state;
          return {
            ...state,
            messages: upsertMessage(state.messages, done.id, (m) => ({
              ...m,
              status: done.status,
              // Text already streamed keeps its blocks (no re-parse); parts that never streamed come from the final message.
              parts: done.content.map((c, i) => {
                const streamed = m.parts.find((p) => p.index === i);
                return streamed && streamed.type === c.type ? streamed : partFromContent(c, i);
              }),
            })),
          };
        }
        default:
          return state;
      }
    }
  }
}

/** Whether a run status means the run can no longer change. */
export function isTerminalRunStatus(status: string): boolean {
  return ["completed", "failed", "cancelled", "expired", "incomplete"].includes(status);
}

/**
 * The streamed messages as a view of one message reads them. Text deltas are published here, once
 * a frame, instead of through the hook's React state: a delta re-renders the message it belongs
 * to, not every panel that reads the run's state.
 */
export interface LiveMessages {
  subscribe(listener: () => void): () => void;
  /** The message as last published (undefined: not streamed here). */
  get(id: string): StreamMessage | undefined;
  /** The ids of the published messages, in order: the same array while they stay the same. */
  ids(): readonly string[];
}

export interface LiveMessagesStore extends LiveMessages {
  /** Publishes soon (afterTaskThrottled), with whatever was set last by then. */
  setSoon(messages: StreamMessage[]): void;
  /** Publishes now (a pending frame is dropped). */
  setNow(messages: StreamMessage[]): void;
  /** Drops a pending frame (the hook unmounts). */
  dispose(): void;
}

function nextFrame(run: () => void): () => void {
  if (typeof requestAnimationFrame === "function" && typeof document !== "undefined" && !document.hidden) {
    const id = requestAnimationFrame(run);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(run, 16);
  return () => clearTimeout(id);
}

interface PostTaskScheduler {
  postTask(task: () => void, options: { priority: "user-blocking"; signal: AbortSignal }): Promise<unknown>;
}

/**
 * A task of its own, after the current one and its microtasks. Where the browser schedules tasks
 * by priority (`scheduler.postTask`), a user-blocking one: words go before React's own scheduled
 * renders and timers. Else a message port (no 4 ms clamp).
 */
function nextTask(run: () => void): () => void {
  const scheduler = (globalThis as { scheduler?: Partial<PostTaskScheduler> }).scheduler;
  if (typeof scheduler?.postTask === "function") {
    const controller = new AbortController();
    scheduler
      .postTask(run, { priority: "user-blocking", signal: controller.signal })
      .catch((err: unknown) => {
        // Cancelled: nothing to do. A failure of the task itself is reported as any task's would be.
        if (!controller.signal.aborted) reportError(err);
      });
    return () => controller.abort();
  }
  if (typeof MessageChannel !== "function") {
    const id = setTimeout(run, 0);
    return () => clearTimeout(id);
  }
  const channel = new MessageChannel();
  let live = true;
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (live) run();
  };
  channel.port2.postMessage(null);
  return () => {
    live = false;
    channel.port1.close();
  };
}

/** The least time between two publications of streamed words (about a frame). */
export const PUBLISH_GAP_MS = 16;

/**
 * A schedule for what the stream has just brought: right after the task that read it, and no
 * sooner than PUBLISH_GAP_MS after the last time it ran. Words reach the page as soon as their
 * network chunk is read rather than at the next frame (a frame waits for every task queued before
 * it, and a burst keeps the main thread busy), and still about once a frame when chunks come faster.
 */
export function afterTaskThrottled(
  now: () => number = () => performance.now(),
  task: (run: () => void) => () => void = nextTask,
  later: (run: () => void, ms: number) => () => void = (run, ms) => {
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  },
): (run: () => void) => () => void {
  let last = -Infinity;
  return (run) => {
    const wrapped = () => {
      last = now();
      run();
    };
    const wait = last + PUBLISH_GAP_MS - now();
    return wait > 0 ? later(wrapped, wait) : task(wrapped);
  };
}

/** Runs the last task given to `soon` at the next frame (once, however many were given). */
export interface FrameScheduler {
  soon(task: () => void): void;
  /** Drops a pending task. */
  cancel(): void;
}

export function createFrameScheduler(schedule: (run: () => void) => () => void = nextFrame): FrameScheduler {
  let task: (() => void) | null = null;
  let cancelFrame: (() => void) | null = null;
  return {
    soon(next) {
      task = next;
      cancelFrame ??= schedule(() => {
        cancelFrame = null;
        const run = task;
        task = null;
        run?.();
      });
    },
    cancel() {
      cancelFrame?.();
      cancelFrame = null;
      task = null;
    },
  };
}

export function createLiveMessages(
  schedule: (run: () => void) => () => void = afterTaskThrottled(),
): LiveMessagesStore {
  let published: StreamMessage[] = [];
  let ids: readonly string[] = [];
  const frame = createFrameScheduler(schedule);
  const listeners = new Set<() => void>();
  const publish = (messages: StreamMessage[]) => {
    frame.cancel();
    if (messages === published) return;
    published = messages;
    if (messages.length !== ids.length || messages.some((m, i) => m.id !== ids[i]))
      ids = messages.map((m) => m.id);
    listeners.forEach((l) => l());
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get: (id) => published.find((m) => m.id === id),
    ids: () => ids,
    setSoon: (messages) => frame.soon(() => publish(messages)),
    setNow: publish,
    dispose: () => frame.cancel(),
  };
}
