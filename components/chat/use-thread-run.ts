"use client";

import { useEffect, useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Message } from "openai/resources/beta/threads/messages";
import type { ClientScope } from "@/lib/client/queries/scope";
import { threadMessagesQuery, titleFromText } from "@/lib/client/queries/threads";
import { latestRunQuery } from "@/lib/client/queries/runs/queries";
import { toPlaygroundError } from "@/lib/client/errors";
import { isTerminalRunStatus } from "@/lib/client/run-stream-state";
import type { RunStreamControls } from "@/lib/client/use-run-stream";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

const EMPTY: Message[] = [];

/**
 * A thread and its run as the chat shows them: the thread's messages, the run controller's state
 * when it is about this thread, and otherwise the thread's latest run as read from the server (a
 * run started before a reload, or in another tab, is followed by reading it until it ends).
 */
export function useThreadRun(
  scope: ClientScope | null,
  threadId: string | null,
  runStream: RunStreamControls,
) {
  const connectionName = scope?.connection.name ?? "";
  const titleThread = usePlaygroundStore((s) => s.titleThread);
  const messagesQuery = useQuery(threadMessagesQuery(scope, threadId));
  const messages = messagesQuery.data ?? EMPTY;
  const messagesError = messagesQuery.isError ? toPlaygroundError(messagesQuery.error) : null;

  const { state } = runStream;
  const streamHere = state.threadId !== null && state.threadId === threadId;
  const busy =
    streamHere &&
    (state.phase === "sending" ||
      ((state.phase === "streaming" || state.phase === "polling") &&
        !(state.run && (isTerminalRunStatus(state.run.status) || state.run.status === "requires_action"))));
  // A run read from the server (after a reload, or another tab) that is still going: follow it.
  const latestRunResult = useQuery({
    ...latestRunQuery(scope, threadId),
    refetchInterval: (q) => {
      const run = q.state.data;
      return !busy && run && !isTerminalRunStatus(run.status) && run.status !== "requires_action"
        ? 1000
        : false;
    },
  });
  const latestRun = latestRunResult.data ?? null;
  // Once the stream is over, the server's view of the same run is fresher (e.g. cancelling → cancelled).
  const shownRun =
    streamHere && state.run
      ? !busy && latestRun?.id === state.run.id && latestRunResult.dataUpdatedAt > 0
        ? latestRun
        : state.run
      : latestRun;
  const serverActive = !busy && shownRun !== null && !isTerminalRunStatus(shownRun.status);
  const waiting = shownRun?.status === "requires_action" && !busy;
  const locked = busy || serverActive;

  const previousActive = useRef(serverActive);
  const { refetch: refetchMessages } = messagesQuery;
  useEffect(() => {
    // A run followed from the server just ended: read what it wrote.
    if (previousActive.current && !serverActive && threadId) void refetchMessages();
    previousActive.current = serverActive;
  }, [serverActive, threadId, refetchMessages]);

  // A thread opened by id or from the server's list gets its title from its first message.
  const firstText = messages.find((m) => m.role === "user")?.content.find((c) => c.type === "text");
  const firstTitle = firstText?.type === "text" ? titleFromText(firstText.text.value) : "";
  useEffect(() => {
    if (threadId && firstTitle) titleThread(connectionName, threadId, firstTitle);
  }, [threadId, firstTitle, connectionName, titleThread]);

  let newestQuestion: string | null = null;
  for (let i = messages.length - 1; i >= 0 && newestQuestion === null; i--)
    if (messages[i]!.role === "user") newestQuestion = messages[i]!.id;

  return {
    state,
    messages,
    messagesQuery,
    messagesError,
    /** The controller's state is about this thread. */
    streamHere,
    /** This view is sending or streaming a run on the thread. */
    busy,
    shownRun,
    /** The run waits for function outputs. */
    waiting,
    /** A run is active on the thread: the protocol locks it. */
    locked,
    /** The id of the thread's newest question. */
    newestQuestion,
  };
}
