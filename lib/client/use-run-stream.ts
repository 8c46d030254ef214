"use client";

import { useCallback, useEffect, useReducer, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AssistantStream } from "openai/lib/AssistantStream";
import type { Message } from "openai/resources/beta/threads/messages";
import { APIUserAbortError } from "openai";
import { RUN_START_OPTIONS } from "./sdk";
import { toPlaygroundError } from "./errors";
import { initialRunStreamState, runStreamReducer, type RunStreamState } from "./run-stream-state";
import type { ClientScope } from "./queries/scope";
import { createUserMessage, threadKeys } from "./queries/threads";
import { runKeys } from "./queries/runs";

export interface RunTarget {
  threadId: string;
  assistantId: string;
}

export interface RunStreamControls {
  state: RunStreamState;
  /** Adds the user's message, then streams a run. Resolves true once the message is in the thread. */
  send: (target: RunTarget, content: string) => Promise<boolean>;
  /** Streams a new run on the thread as it is (after a failed run). */
  retryRun: (target: RunTarget) => Promise<void>;
  /** Stops listening and asks the upstream to cancel the run. */
  cancel: () => Promise<void>;
  reset: () => void;
}

/**
 * The one place where runs are streamed. Views read `state`; each event costs work proportional
 * to the event (see markdown-blocks), and server state is refreshed through React Query at the end.
 */
export function useRunStream(scope: ClientScope | null): RunStreamControls {
  const [state, dispatch] = useReducer(runStreamReducer, initialRunStreamState);
  const queryClient = useQueryClient();
  const streamRef = useRef<AssistantStream | null>(null);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  useEffect(() => () => streamRef.current?.abort(), []);

  const stream = useCallback(
    async ({ threadId, assistantId }: RunTarget) => {
      if (!scope) return;
      const connection = scope.connection.name;
      const run = scope.client.beta.threads.runs.stream(
        threadId,
        { assistant_id: assistantId },
        RUN_START_OPTIONS,
      );
      streamRef.current = run;
      try {
        for await (const event of run) {
          dispatch({ type: "event", event });
          if (event.event.startsWith("thread.run.step.")) {
            if (!event.event.endsWith(".delta")) {
              void queryClient.invalidateQueries({ queryKey: runKeys.thread(connection, threadId) });
            }
          } else if (event.event.startsWith("thread.run.")) {
            queryClient.setQueryData(runKeys.latest(connection, threadId), event.data);
          }
        }
        dispatch({ type: "finish" });
      } catch (err) {
        if (!(err instanceof APIUserAbortError)) dispatch({ type: "fail", error: toPlaygroundError(err) });
      } finally {
        if (streamRef.current === run) streamRef.current = null;
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: threadKeys.messages(connection, threadId) }),
          queryClient.invalidateQueries({ queryKey: runKeys.thread(connection, threadId) }),
        ]);
      }
    },
    [scope, queryClient],
  );

  const send = useCallback(
    async (target: RunTarget, content: string) => {
      if (!scope) return false;
      dispatch({ type: "send", threadId: target.threadId });
      let message: Message;
      try {
        message = await createUserMessage(scope, target.threadId, content);
      } catch (err) {
        dispatch({ type: "fail", error: toPlaygroundError(err) });
        return false;
      }
      dispatch({ type: "accepted" });
      queryClient.setQueryData<Message[]>(
        threadKeys.messages(scope.connection.name, target.threadId),
        (old) => (old ? [...old.filter((m) => m.id !== message.id), message] : [message]),
      );
      void stream(target);
      return true;
    },
    [scope, queryClient, stream],
  );

  const retryRun = useCallback(
    async (target: RunTarget) => {
      dispatch({ type: "retry", threadId: target.threadId });
      await stream(target);
    },
    [stream],
  );

  const cancel = useCallback(async () => {
    const current = stateRef.current;
    streamRef.current?.abort();
    if (scope && current.run && current.threadId) {
      try {
        const run = await scope.client.beta.threads.runs.cancel(current.run.id, {
          thread_id: current.threadId,
        });
        dispatch({ type: "event", event: { event: "thread.run.cancelling", data: run } });
        void queryClient.invalidateQueries({
          queryKey: runKeys.thread(scope.connection.name, current.threadId),
        });
      } catch (err) {
        dispatch({ type: "fail", error: toPlaygroundError(err) });
        return;
      }
    }
    dispatch({ type: "finish" });
  }, [scope, queryClient]);

  const reset = useCallback(() => {
    streamRef.current?.abort();
    dispatch({ type: "reset" });
  }, []);

  return { state, send, retryRun, cancel, reset };
}
