"use client";

import { useCallback, useEffect, useReducer, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AssistantStream } from "openai/lib/AssistantStream";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run, RunSubmitToolOutputsParams } from "openai/resources/beta/threads/runs/runs";
import { APIUserAbortError } from "openai";
import { RUN_START_OPTIONS } from "./sdk";
import { toPlaygroundError } from "./errors";
import {
  initialRunStreamState,
  isTerminalRunStatus,
  runStreamReducer,
  type RunStreamAction,
  type RunStreamState,
} from "./run-stream-state";
import type { ClientScope } from "./queries/scope";
import { createUserMessage, threadKeys, type UserMessageInput } from "./queries/threads";
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
  const [state, rawDispatch] = useReducer(runStreamReducer, initialRunStreamState);
  const queryClient = useQueryClient();
  const streamRef = useRef<AssistantStream | null>(null);
  const pollRef = useRef<AbortController | null>(null);
  const stateRef = useRef(state);
  // Kept in step with every dispatch (not a render later), so cancel() always sees the current run.
  const dispatch = useCallback((action: RunStreamAction) => {
    stateRef.current = runStreamReducer(stateRef.current, action);
    rawDispatch(action);
  }, []);

  useEffect(
    () => () => {
      streamRef.current?.abort();
      pollRef.current?.abort();
    },
    [],
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

  /** Follows a run by reading it until it ends or needs tool outputs. */
  const poll = useCallback(
    async (threadId: string, runId: string) => {
      if (!scope) return;
      const connection = scope.connection.name;
      pollRef.current?.abort();
      const controller = new AbortController();
      pollRef.current = controller;
      let rounds = 0;
      try {
        for (;;) {
          const run = await scope.client.beta.threads.runs.retrieve(
            runId,
            { thread_id: threadId },
            { signal: controller.signal },
          );
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
    [scope, queryClient, refresh, dispatch],
  );

  const consume = useCallback(
    async (threadId: string, stream: AssistantStream) => {
      if (!scope) return;
      const connection = scope.connection.name;
      streamRef.current = stream;
      let lastRun: Run | null = stateRef.current.run;
      let following = false;
      try {
        for await (const event of stream) {
          dispatch({ type: "event", event });
          if (event.event.startsWith("thread.run.step.")) {
            if (!event.event.endsWith(".delta")) {
              void queryClient.invalidateQueries({ queryKey: runKeys.thread(connection, threadId) });
            }
          } else if (event.event.startsWith("thread.run.")) {
            lastRun = event.data as Run;
            queryClient.setQueryData(runKeys.latest(connection, threadId), event.data);
          }
        }
        if (lastRun && !isTerminalRunStatus(lastRun.status) && lastRun.status !== "requires_action") {
          // The stream ended before the run did: a cut connection. Follow the run instead.
          following = true;
        } else {
          dispatch({ type: "finish" });
        }
      } catch (err) {
        if (err instanceof APIUserAbortError || streamRef.current !== stream) return;
        if (lastRun && !isTerminalRunStatus(lastRun.status)) following = true;
        else dispatch({ type: "fail", error: toPlaygroundError(err) });
      } finally {
        if (streamRef.current === stream) streamRef.current = null;
        if (!following) await refresh(connection, threadId);
      }
      if (following && lastRun) {
        dispatch({ type: "poll", reason: "stream-dropped" });
        await poll(threadId, lastRun.id);
      }
    },
    [scope, queryClient, refresh, poll, dispatch],
  );

  const startRun = useCallback(
    async ({ threadId, assistantId, overrides, stream = true }: RunTarget) => {
      if (!scope) return;
      const body = { assistant_id: assistantId, ...overrides };
      if (stream) {
        await consume(threadId, scope.client.beta.threads.runs.stream(threadId, body, RUN_START_OPTIONS));
        return;
      }
      dispatch({ type: "poll", reason: "no-stream" });
      let run: Run;
      try {
        run = await scope.client.beta.threads.runs.create(threadId, body, RUN_START_OPTIONS);
      } catch (err) {
        dispatch({ type: "fail", error: toPlaygroundError(err) });
        return;
      }
      dispatch({ type: "run", run });
      await poll(threadId, run.id);
    },
    [scope, consume, poll, dispatch],
  );

  const send = useCallback(
    async (target: RunTarget, input: string | UserMessageInput, options: { run?: boolean } = {}) => {
      if (!scope) return false;
      dispatch({ type: "send", threadId: target.threadId });
      let message: Message;
      try {
        message = await createUserMessage(scope, target.threadId, input);
      } catch (err) {
        dispatch({ type: "fail", error: toPlaygroundError(err) });
        return false;
      }
      dispatch({ type: "accepted" });
      queryClient.setQueryData<Message[]>(
        threadKeys.messages(scope.connection.name, target.threadId),
        (old) => (old ? [...old.filter((m) => m.id !== message.id), message] : [message]),
      );
      if (options.run === false) {
        dispatch({ type: "reset" });
        void refresh(scope.connection.name, target.threadId);
      } else {
        void startRun(target);
      }
      return true;
    },
    [scope, queryClient, startRun, refresh, dispatch],
  );

  const retryRun = useCallback(
    async (target: RunTarget) => {
      dispatch({ type: "retry", threadId: target.threadId });
      await startRun(target);
    },
    [startRun, dispatch],
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
        await consume(
          threadId,
          scope.client.beta.threads.runs.submitToolOutputsStream(run.id, params, RUN_START_OPTIONS),
        );
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
    streamRef.current?.abort();
    streamRef.current = null;
    pollRef.current?.abort();
    dispatch({ type: "reset" });
  }, [dispatch]);

  return { state, send, retryRun, submitToolOutputs, cancel, reset };
}
