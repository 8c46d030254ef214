"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AssistantStream } from "openai/lib/AssistantStream";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run, RunSubmitToolOutputsParams } from "openai/resources/beta/threads/runs/runs";
import { APIUserAbortError } from "openai";
import { RUN_START_OPTIONS } from "./sdk";
import { toPlaygroundError } from "./errors";
import { backoffMs, isRateLimited, isTransient, mayHaveActed, RETRY_POLICY, RetryWaiter } from "./retry";
import {
  createFrameScheduler,
  createLiveMessages,
  initialRunStreamState,
  isTerminalRunStatus,
  runStreamReducer,
  type LiveMessages,
  type RetryWait,
  type RunStreamAction,
  type RunStreamState,
} from "./run-stream-state";
import type { ClientScope } from "./queries/scope";
import { createUserMessage, findAddedMessage, threadKeys, type UserMessageInput } from "./queries/threads";
import { runKeys } from "./queries/runs";
import type { RunOverrides } from "./chat/run-options";

export interface RunTarget {
  threadId: string;
  assistantId: string;
  /** Options for this run only (see chat/run-options). */
  overrides?: RunOverrides;
  /** false: create the run and follow it by polling (v1 api-versions, upstreams that do not stream). */
  stream?: boolean;
}

export type ToolOutput = RunSubmitToolOutputsParams.ToolOutput;

export interface RunStreamControls {
  state: RunStreamState;
  /** The streamed messages with their latest text (state.messages lags text deltas: see LiveMessages). */
  live: LiveMessages;
  /**
   * Adds the user's message, then runs the assistant unless `run` is false ("Add without running").
   * Resolves true once the message is in the thread.
   */
  send: (
    target: RunTarget,
    input: string | UserMessageInput,
    options?: { run?: boolean },
  ) => Promise<boolean>;
  /** Runs the assistant on the thread as it is (after a failed run, or after "Add without running"). */
  retryRun: (target: RunTarget) => Promise<void>;
  /** Answers a run's function calls; the run then continues (streamed, or polled). */
  submitToolOutputs: (threadId: string, run: Run, outputs: ToolOutput[], stream?: boolean) => Promise<void>;
  /** Stops listening and asks the upstream to cancel the run (this hook's, or one read from the server). */
  cancel: (target?: { threadId: string; run: Run }) => Promise<void>;
  reset: () => void;
  /** Ends the current wait (state.wait) and sends the failed call again now. */
  retryNow: () => void;
  /** Ends the current wait and gives up: the failure is shown as an error. */
  stopRetrying: () => void;
}

const POLL_MS = 500;

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The one place where runs are streamed (or polled). Views read `state`; each event costs work
 * proportional to the event (see markdown-blocks), and server state is refreshed through React
 * Query at the end. A stream that drops mid-run is not an error: the run is followed by polling
 * and the thread re-read, so nothing the run wrote is lost.
 */
export function useRunStream(scope: ClientScope | null): RunStreamControls {
  const [state, setState] = useState(initialRunStreamState);
  const [live] = useState(createLiveMessages);
  const queryClient = useQueryClient();
  const streamRef = useRef<AssistantStream | null>(null);
  const pollRef = useRef<AbortController | null>(null);
  const stateRef = useRef(state);
  const waiterRef = useRef(new RetryWaiter());
  // Kept in step with every dispatch (not a render later), so cancel() always sees the current run.
  // Text deltas reach the page through `live` once a frame: re-rendering every panel for each of
  // them cost more than the rest of the stream together (scripts/bench/browser.ts). The stream's
  // other events are shown once a frame too: a burst brings run, step and message events together
  // with the first words, and one render for all of them keeps those words from waiting.
  // Everything else (sending, a failure, a wait, the end) is shown at once.
  const [frame] = useState(createFrameScheduler);
  const dispatch = useCallback(
    (action: RunStreamAction) => {
      const next = runStreamReducer(stateRef.current, action);
      stateRef.current = next;
      if (action.type === "event") {
        if (action.event.event === "thread.message.delta") live.setSoon(next.messages);
        else
          frame.soon(() => {
            live.setNow(stateRef.current.messages);
            setState(stateRef.current);
          });
        return;
      }
      frame.cancel();
      live.setNow(next.messages);
      setState(next);
    },
    [live, frame],
  );

  useEffect(
    () => () => {
      streamRef.current?.abort();
      pollRef.current?.abort();
      waiterRef.current.stop();
      live.dispose();
      frame.cancel();
    },
    [live, frame],
  );

  const refresh = useCallback(
    async (connection: string, threadId: string) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: threadKeys.messages(connection, threadId) }),
        queryClient.invalidateQueries({ queryKey: runKeys.thread(connection, threadId) }),
      ]);
    },
    [queryClient],
  );

  /**
   * Shows why a call failed and when it is sent again, then waits (the person may cut the wait
   * short or stop). False when the call should not be sent again.
   */
  const waitToRetry = useCallback(
    async (
      what: RetryWait["what"],
      attempt: number,
      attempts: number,
      err: unknown,
      signal?: AbortSignal,
    ) => {
      const ms = backoffMs(attempt, err);
      if (ms === null || attempt + 1 >= attempts) return false;
      const wait = {
        what,
        attempt: attempt + 2,
        attempts,
        until: Date.now() + ms,
        error: toPlaygroundError(err),
      };
      dispatch({ type: "wait", wait });
      return (await waiterRef.current.wait(ms, signal)) !== "stop";
    },
    [dispatch],
  );

  /** Follows a run by reading it until it ends or needs tool outputs. */
  const poll = useCallback(
    async (threadId: string, runId: string) => {
      if (!scope) return;
      const connection = scope.connection.name;
      pollRef.current?.abort();
      const controller = new AbortController();
      pollRef.current = controller;
      let rounds = 0;
      let failures = 0;
      try {
        for (;;) {
          let run: Run;
          try {
            // Retried here, visibly, rather than silently by the SDK.
            run = await scope.client.beta.threads.runs.retrieve(
              runId,
              { thread_id: threadId },
              { signal: controller.signal, maxRetries: 0 },
            );
          } catch (err) {
            if (controller.signal.aborted || !isTransient(err)) throw err;
            const again = await waitToRetry(
              "follow",
              failures,
              RETRY_POLICY.followAttempts,
              err,
              controller.signal,
            );
            if (controller.signal.aborted) return;
            if (!again) throw err;
            failures += 1;
            continue;
          }
          failures = 0;
          if (controller.signal.aborted) return;
          dispatch({ type: "run", run });
          queryClient.setQueryData(runKeys.latest(connection, threadId), run);
          if (isTerminalRunStatus(run.status) || run.status === "requires_action") break;
          // Show what the run has written so far, without re-reading on every round.
          if (++rounds % 4 === 0)
            void queryClient.invalidateQueries({ queryKey: threadKeys.messages(connection, threadId) });
          await sleep(POLL_MS, controller.signal);
          if (controller.signal.aborted) return;
        }
        dispatch({ type: "finish" });
      } catch (err) {
        if (!controller.signal.aborted && !(err instanceof APIUserAbortError))
          dispatch({ type: "fail", error: toPlaygroundError(err) });
      } finally {
        if (pollRef.current === controller) pollRef.current = null;
        await refresh(connection, threadId);
      }
    },
    [scope, queryClient, refresh, dispatch, waitToRetry],
  );

  /**
   * Reads a stream to its end. A stream that drops once the run exists is followed by polling;
   * a failure before the run exists is returned (the caller decides: wait and retry, or look).
   */
  const consume = useCallback(
    async (threadId: string, stream: AssistantStream): Promise<{ failure: unknown } | null> => {
      if (!scope) return null;
      const connection = scope.connection.name;
      streamRef.current = stream;
      let lastRun: Run | null = stateRef.current.run;
      let following = false;
      let failure: { failure: unknown } | null = null;
      // The cached server copy of the run is written when the stream ends, however it ends: views
      // read the stream's own state while it lasts, and each write re-renders the chat at once
      // (a query's observers render synchronously), which a burst's first words would wait for.
      const saveLatest = (run: Run) => queryClient.setQueryData(runKeys.latest(connection, threadId), run);
      try {
        for await (const event of stream) {
          dispatch({ type: "event", event });
          if (event.event === "thread.run.step.completed" && event.data.type === "tool_calls") {
            // A finished tool step is worth re-reading mid-run (the inspector's server copy has
            // what the stream leaves out); steps starting with the first words, or the message
            // step that ends with the run (re-read by refresh), are not: reads compete with words.
            void queryClient.invalidateQueries({ queryKey: runKeys.thread(connection, threadId) });
          } else if (event.event.startsWith("thread.run.") && !event.event.startsWith("thread.run.step.")) {
            lastRun = event.data as Run;
          }
        }
        if (lastRun) saveLatest(lastRun);
        if (!lastRun) {
          failure = { failure: new Error("The stream ended before the run started.") };
        } else if (!isTerminalRunStatus(lastRun.status) && lastRun.status !== "requires_action") {
          // The stream ended before the run did: a cut connection. Follow the run instead.
          following = true;
        } else {
          dispatch({ type: "finish" });
        }
      } catch (err) {
        if (lastRun) saveLatest(lastRun);
        if (err instanceof APIUserAbortError || streamRef.current !== stream) return null;
        if (!lastRun) failure = { failure: err };
        else if (!isTerminalRunStatus(lastRun.status)) following = true;
        else dispatch({ type: "fail", error: toPlaygroundError(err) });
      } finally {
        if (streamRef.current === stream) streamRef.current = null;
        if (!following && !failure) await refresh(connection, threadId);
      }
      if (following && lastRun) {
        dispatch({ type: "poll", reason: "stream-dropped" });
        await poll(threadId, lastRun.id);
      }
      return failure;
    },
    [scope, queryClient, refresh, poll, dispatch],
  );

  /** Shows a run read from the server and follows it while it is active. */
  const adopt = useCallback(
    async (threadId: string, run: Run) => {
      if (!scope) return;
      dispatch({ type: "run", run });
      queryClient.setQueryData(runKeys.latest(scope.connection.name, threadId), run);
      if (isTerminalRunStatus(run.status) || run.status === "requires_action") {
        dispatch({ type: "finish" });
        await refresh(scope.connection.name, threadId);
        return;
      }
      dispatch({ type: "poll", reason: "recovered" });
      await poll(threadId, run.id);
    },
    [scope, queryClient, refresh, poll, dispatch],
  );

  /**
   * The run a failed start may still have created: the thread's latest run, when it is not the one
   * known before and not older than the thread's latest message.
   */
  const findStartedRun = useCallback(
    async (threadId: string, before: { runId: string | null; after: number }) => {
      if (!scope) return null;
      try {
        const page = await scope.client.beta.threads.runs.list(threadId, { limit: 1, order: "desc" });
        const run = page.data[0];
        return run && run.id !== before.runId && run.created_at >= before.after ? run : null;
      } catch {
        return null; // the failure itself is what the person sees
      }
    },
    [scope],
  );

  /**
   * Starts a run. A 429 is waited out and sent again (the upstream created nothing); any other
   * failure that may have come after the upstream acted is checked against the thread, so a run
   * that did start is followed rather than started twice.
   */
  const startRun = useCallback(
    async ({ threadId, assistantId, overrides, stream = true }: RunTarget) => {
      if (!scope) return;
      const connection = scope.connection.name;
      const body = { assistant_id: assistantId, ...overrides };
      const before = {
        runId: queryClient.getQueryData<Run | null>(runKeys.latest(connection, threadId))?.id ?? null,
        after: Math.max(
          0,
          ...(queryClient.getQueryData<Message[]>(threadKeys.messages(connection, threadId)) ?? []).map(
            (m) => m.created_at,
          ),
        ),
      };
      for (let attempt = 0; ; attempt++) {
        let failure: unknown;
        if (stream) {
          const result = await consume(
            threadId,
            scope.client.beta.threads.runs.stream(threadId, body, RUN_START_OPTIONS),
          );
          if (!result) return;
          failure = result.failure;
        } else {
          dispatch({ type: "poll", reason: "no-stream" });
          try {
            const run = await scope.client.beta.threads.runs.create(threadId, body, RUN_START_OPTIONS);
            dispatch({ type: "run", run });
            await poll(threadId, run.id);
            return;
          } catch (err) {
            failure = err;
          }
        }
        if (isRateLimited(failure)) {
          if (await waitToRetry("run", attempt, RETRY_POLICY.createAttempts, failure)) continue;
        } else if (mayHaveActed(failure)) {
          const started = await findStartedRun(threadId, before);
          if (started) {
            await adopt(threadId, started);
            return;
          }
        }
        dispatch({ type: "fail", error: toPlaygroundError(failure) });
        await refresh(connection, threadId);
        return;
      }
    },
    [scope, queryClient, consume, poll, dispatch, waitToRetry, findStartedRun, adopt, refresh],
  );

  const send = useCallback(
    async (target: RunTarget, input: string | UserMessageInput, options: { run?: boolean } = {}) => {
      if (!scope) return false;
      dispatch({ type: "send", threadId: target.threadId });
      const messagesKey = threadKeys.messages(scope.connection.name, target.threadId);
      const known = new Set((queryClient.getQueryData<Message[]>(messagesKey) ?? []).map((m) => m.id));
      let message: Message | null = null;
      for (let attempt = 0; !message; attempt++) {
        try {
          message = await createUserMessage(scope, target.threadId, input);
        } catch (err) {
          // A 429 added nothing: wait and send it again. Other failures may have come after the
          // message went in: look before saying it failed, so a resend cannot add it twice.
          if (isRateLimited(err)) {
            if (await waitToRetry("message", attempt, RETRY_POLICY.createAttempts, err)) continue;
          } else if (mayHaveActed(err)) {
            message = await findAddedMessage(scope, target.threadId, input, known);
          }
          if (!message) {
            dispatch({ type: "fail", error: toPlaygroundError(err) });
            return false;
          }
        }
      }
      dispatch({ type: "accepted" });
      const added = message;
      queryClient.setQueryData<Message[]>(messagesKey, (old) =>
        old ? [...old.filter((m) => m.id !== added.id), added] : [added],
      );
      if (options.run === false) {
        dispatch({ type: "reset" });
        void refresh(scope.connection.name, target.threadId);
      } else {
        void startRun(target);
      }
      return true;
    },
    [scope, queryClient, startRun, refresh, dispatch, waitToRetry],
  );

  const retryRun = useCallback(
    async (target: RunTarget) => {
      dispatch({ type: "retry", threadId: target.threadId });
      // A run may be going on the thread already (one whose start looked failed): follow it
      // instead of being refused by the thread's lock, or starting a second one.
      if (scope) {
        const latest = await scope.client.beta.threads.runs
          .list(target.threadId, { limit: 1, order: "desc" })
          .then((page) => page.data[0] ?? null)
          .catch(() => null);
        if (latest && !isTerminalRunStatus(latest.status)) {
          await adopt(target.threadId, latest);
          return;
        }
      }
      await startRun(target);
    },
    [scope, startRun, adopt, dispatch],
  );

  const submitToolOutputs = useCallback(
    async (threadId: string, run: Run, outputs: ToolOutput[], stream = true) => {
      if (!scope) return;
      if (stateRef.current.threadId !== threadId) {
        dispatch({ type: "retry", threadId });
        dispatch({ type: "run", run });
      }
      dispatch({ type: "continue" });
      const params = { thread_id: threadId, tool_outputs: outputs };
      if (stream) {
        const result = await consume(
          threadId,
          scope.client.beta.threads.runs.submitToolOutputsStream(run.id, params, RUN_START_OPTIONS),
        );
        if (result) dispatch({ type: "fail", error: toPlaygroundError(result.failure) });
        return;
      }
      try {
        const next = await scope.client.beta.threads.runs.submitToolOutputs(
          run.id,
          params,
          RUN_START_OPTIONS,
        );
        dispatch({ type: "run", run: next });
        dispatch({ type: "poll", reason: "no-stream" });
        await poll(threadId, run.id);
      } catch (err) {
        dispatch({ type: "fail", error: toPlaygroundError(err) });
      }
    },
    [scope, consume, poll, dispatch],
  );

  const cancel = useCallback(
    async (target?: { threadId: string; run: Run }) => {
      if (
        target &&
        (stateRef.current.threadId !== target.threadId || stateRef.current.run?.id !== target.run.id)
      ) {
        dispatch({ type: "retry", threadId: target.threadId });
        dispatch({ type: "run", run: target.run });
      }
      const current = stateRef.current;
      streamRef.current?.abort();
      streamRef.current = null;
      pollRef.current?.abort();
      if (scope && current.run && current.threadId) {
        try {
          const run = await scope.client.beta.threads.runs.cancel(current.run.id, {
            thread_id: current.threadId,
          });
          dispatch({ type: "run", run });
          if (!isTerminalRunStatus(run.status)) {
            // "cancelling" → "cancelled": follow it so the lock lifts when the upstream says so.
            await poll(current.threadId, run.id);
            return;
          }
          await refresh(scope.connection.name, current.threadId);
        } catch (err) {
          dispatch({ type: "fail", error: toPlaygroundError(err) });
          return;
        }
      }
      dispatch({ type: "finish" });
    },
    [scope, poll, refresh, dispatch],
  );

  const reset = useCallback(() => {
    waiterRef.current.stop();
    streamRef.current?.abort();
    streamRef.current = null;
    pollRef.current?.abort();
    dispatch({ type: "reset" });
  }, [dispatch]);

  const retryNow = useCallback(() => waiterRef.current.now(), []);
  const stopRetrying = useCallback(() => waiterRef.current.stop(), []);

  return { state, live, send, retryRun, submitToolOutputs, cancel, reset, retryNow, stopRetrying };
}
