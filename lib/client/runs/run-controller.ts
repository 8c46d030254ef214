import type { AssistantStream } from "openai/lib/AssistantStream";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run, RunSubmitToolOutputsParams } from "openai/resources/beta/threads/runs/runs";
import { APIUserAbortError } from "openai";
import { RUN_START_OPTIONS } from "../sdk";
import { toPlaygroundError } from "../errors";
import { backoffMs, isRateLimited, isTransient, mayHaveActed, RETRY_POLICY, RetryWaiter } from "../retry";
import {
  createFrameScheduler,
  createLiveMessages,
  initialRunStreamState,
  isTerminalRunStatus,
  runStreamReducer,
  type FrameScheduler,
  type LiveMessagesStore,
  type RetryWait,
  type RunStreamAction,
  type RunStreamState,
} from "../run-stream-state";
import type { ClientScope } from "../queries/scope";
import { createUserMessage, findAddedMessage, type UserMessageInput } from "../queries/threads";
import type { RunOverrides } from "../chat/run-options";
import type { RunCache } from "./run-cache";
import { pollDelayMs } from "./poll-after";

export interface RunTarget {
  threadId: string;
  assistantId: string;
  /** Options for this run only (see chat/run-options). */
  overrides?: RunOverrides;
  /** false: create the run and follow it by polling (v1 api-versions, upstreams that do not stream). */
  stream?: boolean;
}

export type ToolOutput = RunSubmitToolOutputsParams.ToolOutput;

/** The connection the controller talks to, and its cache. */
export interface RunConnection {
  scope: ClientScope;
  cache: RunCache;
}

export interface RunControllerOptions {
  /** Waits between two reads of a polled run (tests record the delays instead of waiting). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Publishes non-text stream events (default: once a frame). */
  frame?: FrameScheduler;
  live?: LiveMessagesStore;
}

/** While a run is followed by polling, the thread's messages are re-read about this often. */
const MESSAGES_EVERY_MS = 2_000;

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const settled = (run: Run) => isTerminalRunStatus(run.status) || run.status === "requires_action";

/**
 * The one place where runs are sent, streamed, polled, adopted and cancelled, outside React: it
 * owns the stream and poll abort controllers and the retry waiter, and dispatches to the pure
 * reducer (lib/client/run-stream-state.ts). Views subscribe to its state (`subscribe` /
 * `getSnapshot`, shaped for useSyncExternalStore) and read streamed text from `live`. A stream
 * that drops mid-run is not an error: the run is followed by polling, at the pace the upstream
 * asks for (poll-after.ts), and the thread re-read, so nothing the run wrote is lost.
 *
 * The public methods are bound (arrow properties): views pass them around as handlers.
 */
export class RunController {
  readonly live: LiveMessagesStore;
  private readonly frame: FrameScheduler;
  private readonly wait: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly waiter = new RetryWaiter();
  private readonly listeners = new Set<() => void>();
  private connection: RunConnection | null = null;
  private stream: AssistantStream | null = null;
  private polling: AbortController | null = null;
  /** Kept in step with every dispatch, so cancel() always sees the current run. */
  private current: RunStreamState = initialRunStreamState;
  /** What views see: lags `current` by up to a frame while events stream. */
  private published: RunStreamState = initialRunStreamState;

  constructor(options: RunControllerOptions = {}) {
    this.wait = options.sleep ?? sleep;
    this.now = options.now ?? Date.now;
    this.frame = options.frame ?? createFrameScheduler();
    this.live = options.live ?? createLiveMessages();
  }

  /** Sets the connection later calls use (calls under way keep theirs); null: none yet. */
  connect(connection: RunConnection | null): void {
    this.connection = connection;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  getSnapshot = (): RunStreamState => this.published;

  /** Stops listening (the view goes away); the controller stays usable. Runs go on upstream. */
  stop = (): void => {
    this.waiter.stop();
    this.stream?.abort();
    this.stream = null;
    this.polling?.abort();
    this.polling = null;
    this.live.dispose();
    this.frame.cancel();
  };

  /**
   * Adds the user's message, then runs the assistant unless `run` is false ("Add without running").
   * Resolves true once the message is in the thread.
   */
  send = async (
    target: RunTarget,
    input: string | UserMessageInput,
    options: { run?: boolean } = {},
  ): Promise<boolean> => {
    const connection = this.connection;
    if (!connection) return false;
    const { scope, cache } = connection;
    this.dispatch({ type: "send", threadId: target.threadId });
    const known = new Set((cache.messages(target.threadId) ?? []).map((m) => m.id));
    let message: Message | null = null;
    for (let attempt = 0; !message; attempt++) {
      try {
        message = await createUserMessage(scope, target.threadId, input);
      } catch (err) {
        // A 429 added nothing: wait and send it again. Other failures may have come after the
        // message went in: look before saying it failed, so a resend cannot add it twice.
        if (isRateLimited(err)) {
          if (await this.waitToRetry("message", attempt, RETRY_POLICY.createAttempts, err)) continue;
        } else if (mayHaveActed(err)) {
          message = await findAddedMessage(scope, target.threadId, input, known);
        }
        if (!message) {
          this.dispatch({ type: "fail", error: toPlaygroundError(err) });
          return false;
        }
      }
    }
    this.dispatch({ type: "accepted" });
    cache.addMessage(target.threadId, message);
    if (options.run === false) {
      this.dispatch({ type: "reset" });
      void cache.refresh(target.threadId);
    } else {
      void this.startRun(connection, target);
    }
    return true;
  };

  /** Runs the assistant on the thread as it is (after a failed run, or after "Add without running"). */
  retryRun = async (target: RunTarget): Promise<void> => {
    const connection = this.connection;
    this.dispatch({ type: "retry", threadId: target.threadId });
    if (!connection) return;
    // A run may be going on the thread already (one whose start looked failed): follow it
    // instead of being refused by the thread's lock, or starting a second one.
    const latest = await connection.scope.client.beta.threads.runs
      .list(target.threadId, { limit: 1, order: "desc" })
      .then((page) => page.data[0] ?? null)
      .catch(() => null);
    if (latest && !isTerminalRunStatus(latest.status)) {
      await this.follow(connection, target.threadId, latest);
      return;
    }
    await this.startRun(connection, target);
  };

  /** Shows a run read from the server (after a reload, or from another tab) and follows it while it is active. */
  adopt = async (threadId: string, run: Run): Promise<void> => {
    const connection = this.connection;
    if (!connection) return;
    if (this.current.threadId !== threadId || this.current.run?.id !== run.id)
      this.dispatch({ type: "retry", threadId });
    await this.follow(connection, threadId, run);
  };

  /** Answers a run's function calls; the run then continues (streamed, or polled). */
  submitToolOutputs = async (
    threadId: string,
    run: Run,
    outputs: ToolOutput[],
    stream = true,
  ): Promise<void> => {
    const connection = this.connection;
    if (!connection) return;
    const runs = connection.scope.client.beta.threads.runs;
    if (this.current.threadId !== threadId) {
      this.dispatch({ type: "retry", threadId });
      this.dispatch({ type: "run", run });
    }
    this.dispatch({ type: "continue" });
    const params = { thread_id: threadId, tool_outputs: outputs };
    if (stream) {
      const result = await this.consume(
        connection,
        threadId,
        runs.submitToolOutputsStream(run.id, params, RUN_START_OPTIONS),
      );
      if (result) this.dispatch({ type: "fail", error: toPlaygroundError(result.failure) });
      return;
    }
    try {
      const next = await runs.submitToolOutputs(run.id, params, RUN_START_OPTIONS);
      this.dispatch({ type: "run", run: next });
      this.dispatch({ type: "poll", reason: "no-stream" });
      await this.poll(connection, threadId, run.id);
    } catch (err) {
      this.dispatch({ type: "fail", error: toPlaygroundError(err) });
    }
  };

  /** Stops listening and asks the upstream to cancel the run (this controller's, or one read from the server). */
  cancel = async (target?: { threadId: string; run: Run }): Promise<void> => {
    if (target && (this.current.threadId !== target.threadId || this.current.run?.id !== target.run.id)) {
      this.dispatch({ type: "retry", threadId: target.threadId });
      this.dispatch({ type: "run", run: target.run });
    }
    const { run: current, threadId } = this.current;
    this.stream?.abort();
    this.stream = null;
    this.polling?.abort();
    const connection = this.connection;
    if (connection && current && threadId) {
      try {
        const run = await connection.scope.client.beta.threads.runs.cancel(current.id, {
          thread_id: threadId,
        });
        this.dispatch({ type: "run", run });
        if (!isTerminalRunStatus(run.status)) {
          // "cancelling" → "cancelled": follow it so the lock lifts when the upstream says so.
          await this.poll(connection, threadId, run.id);
          return;
        }
        await connection.cache.refresh(threadId);
      } catch (err) {
        this.dispatch({ type: "fail", error: toPlaygroundError(err) });
        return;
      }
    }
    this.dispatch({ type: "finish" });
  };

  reset = (): void => {
    this.waiter.stop();
    this.stream?.abort();
    this.stream = null;
    this.polling?.abort();
    this.dispatch({ type: "reset" });
  };

  /** Ends the current wait (state.wait) and sends the failed call again now. */
  retryNow = (): void => this.waiter.now();

  /** Ends the current wait and gives up: the failure is shown as an error. */
  stopRetrying = (): void => this.waiter.stop();

  // Text deltas reach views through `live`, soon after their chunk: re-rendering every panel for
  // each of them cost more than the rest of the stream together (scripts/bench/browser.ts). The
  // stream's other events are published once a frame: a burst brings run, step and message events
  // together with the first words, and one render for all of them keeps those words from waiting.
  // Everything else (sending, a failure, a wait, the end) is published at once.
  private dispatch(action: RunStreamAction): void {
    const next = runStreamReducer(this.current, action);
    this.current = next;
    if (action.type === "event") {
      if (action.event.event === "thread.message.delta") this.live.setSoon(next.messages);
      else
        this.frame.soon(() => {
          this.live.setNow(this.current.messages);
          this.publish(this.current);
        });
      return;
    }
    this.frame.cancel();
    this.live.setNow(next.messages);
    this.publish(next);
  }

  private publish(state: RunStreamState) {
    if (state === this.published) return;
    this.published = state;
    this.listeners.forEach((l) => l());
  }

  /**
   * Shows why a call failed and when it is sent again, then waits (the person may cut the wait
   * short or stop). False when the call should not be sent again.
   */
  private async waitToRetry(
    what: RetryWait["what"],
    attempt: number,
    attempts: number,
    err: unknown,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const ms = backoffMs(attempt, err);
    if (ms === null || attempt + 1 >= attempts) return false;
    const wait = {
      what,
      attempt: attempt + 2,
      attempts,
      until: this.now() + ms,
      error: toPlaygroundError(err),
    };
    this.dispatch({ type: "wait", wait });
    return (await this.waiter.wait(ms, signal)) !== "stop";
  }

  /** Shows a run and follows it while it is active (polling: a stream cannot be re-joined). */
  private async follow(connection: RunConnection, threadId: string, run: Run) {
    const { cache } = connection;
    this.dispatch({ type: "run", run });
    cache.saveRun(threadId, run);
    if (settled(run)) {
      this.dispatch({ type: "finish" });
      await cache.refresh(threadId);
      return;
    }
    this.dispatch({ type: "poll", reason: "recovered" });
    await this.poll(connection, threadId, run.id);
  }

  /** Follows a run by reading it until it ends or needs tool outputs, as often as the upstream asks. */
  private async poll({ scope, cache }: RunConnection, threadId: string, runId: string) {
    this.polling?.abort();
    const controller = new AbortController();
    this.polling = controller;
    const { signal } = controller;
    let failures = 0;
    let messagesReadAt = this.now();
    try {
      for (;;) {
        let run: Run;
        let response: Response;
        try {
          // Retried here, visibly, rather than silently by the SDK.
          ({ data: run, response } = await scope.client.beta.threads.runs
            .retrieve(runId, { thread_id: threadId }, { signal, maxRetries: 0 })
            .withResponse());
        } catch (err) {
          if (signal.aborted || !isTransient(err)) throw err;
          const again = await this.waitToRetry("follow", failures, RETRY_POLICY.followAttempts, err, signal);
          if (signal.aborted) return;
          if (!again) throw err;
          failures += 1;
          continue;
        }
        failures = 0;
        if (signal.aborted) return;
        this.dispatch({ type: "run", run });
        cache.saveRun(threadId, run);
        if (settled(run)) break;
        // Show what the run has written so far, without re-reading on every round.
        if (this.now() - messagesReadAt >= MESSAGES_EVERY_MS) {
          messagesReadAt = this.now();
          cache.messagesChanged(threadId);
        }
        await this.wait(pollDelayMs(response.headers), signal);
        if (signal.aborted) return;
      }
      this.dispatch({ type: "finish" });
    } catch (err) {
      if (!signal.aborted && !(err instanceof APIUserAbortError))
        this.dispatch({ type: "fail", error: toPlaygroundError(err) });
    } finally {
      if (this.polling === controller) this.polling = null;
      await cache.refresh(threadId);
    }
  }

  /**
   * Reads a stream to its end. A stream that drops once the run exists is followed by polling;
   * a failure before the run exists is returned (the caller decides: wait and retry, or look).
   */
  private async consume(
    connection: RunConnection,
    threadId: string,
    stream: AssistantStream,
  ): Promise<{ failure: unknown } | null> {
    const { cache } = connection;
    this.stream = stream;
    let lastRun: Run | null = this.current.run;
    let following = false;
    let failure: { failure: unknown } | null = null;
    // The cached server copy of the run is written when the stream ends, however it ends: views
    // read the stream's own state while it lasts, and each write re-renders the chat at once
    // (a query's observers render synchronously), which a burst's first words would wait for.
    try {
      for await (const event of stream) {
        this.dispatch({ type: "event", event });
        if (event.event === "thread.run.step.completed" && event.data.type === "tool_calls") {
          // A finished tool step is worth re-reading mid-run (the inspector's server copy has
          // what the stream leaves out); steps starting with the first words, or the message
          // step that ends with the run (re-read by refresh), are not: reads compete with words.
          cache.runsChanged(threadId);
        } else if (event.event.startsWith("thread.run.") && !event.event.startsWith("thread.run.step.")) {
          lastRun = event.data as Run;
        }
      }
      if (lastRun) cache.saveRun(threadId, lastRun);
      if (!lastRun) {
        failure = { failure: new Error("The stream ended before the run started.") };
      } else if (!settled(lastRun)) {
        // The stream ended before the run did: a cut connection. Follow the run instead.
        following = true;
      } else {
        this.dispatch({ type: "finish" });
      }
    } catch (err) {
      if (lastRun) cache.saveRun(threadId, lastRun);
      if (err instanceof APIUserAbortError || this.stream !== stream) return null;
      if (!lastRun) failure = { failure: err };
      else if (!isTerminalRunStatus(lastRun.status)) following = true;
      else this.dispatch({ type: "fail", error: toPlaygroundError(err) });
    } finally {
      if (this.stream === stream) this.stream = null;
      if (!following && !failure) await cache.refresh(threadId);
    }
    if (following && lastRun) {
      this.dispatch({ type: "poll", reason: "stream-dropped" });
      await this.poll(connection, threadId, lastRun.id);
    }
    return failure;
  }

  /**
   * The run a failed start may still have created: the thread's latest run, when it is not the one
   * known before and not older than the thread's latest message.
   */
  private async findStartedRun(
    { scope }: RunConnection,
    threadId: string,
    before: { runId: string | null; after: number },
  ) {
    try {
      const page = await scope.client.beta.threads.runs.list(threadId, { limit: 1, order: "desc" });
      const run = page.data[0];
      return run && run.id !== before.runId && run.created_at >= before.after ? run : null;
    } catch {
      return null; // the failure itself is what the person sees
    }
  }

  /**
   * Starts a run. A 429 is waited out and sent again (the upstream created nothing); any other
   * failure that may have come after the upstream acted is checked against the thread, so a run
   * that did start is followed rather than started twice.
   */
  private async startRun(
    connection: RunConnection,
    { threadId, assistantId, overrides, stream = true }: RunTarget,
  ) {
    const { scope, cache } = connection;
    const runs = scope.client.beta.threads.runs;
    const body = { assistant_id: assistantId, ...overrides };
    const before = {
      runId: cache.latestRun(threadId)?.id ?? null,
      after: Math.max(0, ...(cache.messages(threadId) ?? []).map((m) => m.created_at)),
    };
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      if (stream) {
        const result = await this.consume(
          connection,
          threadId,
          runs.stream(threadId, body, RUN_START_OPTIONS),
        );
        if (!result) return;
        failure = result.failure;
      } else {
        this.dispatch({ type: "poll", reason: "no-stream" });
        try {
          const run = await runs.create(threadId, body, RUN_START_OPTIONS);
          this.dispatch({ type: "run", run });
          await this.poll(connection, threadId, run.id);
          return;
        } catch (err) {
          failure = err;
        }
      }
      if (isRateLimited(failure)) {
        if (await this.waitToRetry("run", attempt, RETRY_POLICY.createAttempts, failure)) continue;
      } else if (mayHaveActed(failure)) {
        const started = await this.findStartedRun(connection, threadId, before);
        if (started) {
          await this.follow(connection, threadId, started);
          return;
        }
      }
      this.dispatch({ type: "fail", error: toPlaygroundError(failure) });
      await cache.refresh(threadId);
      return;
    }
  }
}
