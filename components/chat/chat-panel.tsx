"use client";

import { memo, useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Message } from "openai/resources/beta/threads/messages";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { RunStatusBadge } from "@/components/run-inspector/run-status-badge";
import type { ClientScope } from "@/lib/client/queries/scope";
import type { ConnectionRef } from "@/lib/client/sdk";
import { createThread, threadMessagesQuery } from "@/lib/client/queries/threads";
import { latestRunQuery } from "@/lib/client/queries/runs";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import { isTerminalRunStatus } from "@/lib/client/run-stream-state";
import type { RunStreamControls } from "@/lib/client/use-run-stream";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { Composer } from "./composer";
import { HistoryMessage, preloadMarkdown, StreamingMessage } from "./message-view";
import { RunError } from "./run-error";

const History = memo(function History({
  messages,
  connection,
}: {
  messages: readonly Message[];
  connection: ConnectionRef;
}) {
  return messages.map((m) => <HistoryMessage key={m.id} message={m} connection={connection} />);
});

const EMPTY: Message[] = [];

export function ChatPanel({
  scope,
  assistantId,
  threadId,
  runStream,
}: {
  scope: ClientScope | null;
  assistantId: string | null;
  threadId: string | null;
  runStream: RunStreamControls;
}) {
  const [draft, setDraft] = useState("");
  const [threadError, setThreadError] = useState<PlaygroundError | null>(null);
  const [creatingThread, setCreatingThread] = useState(false);
  const addThread = usePlaygroundStore((s) => s.addThread);
  const selectThread = usePlaygroundStore((s) => s.selectThread);
  const allThreads = usePlaygroundStore((s) => s.threads);
  const connectionName = scope?.connection.name ?? "";
  const threads = allThreads.filter((t) => t.connection === connectionName && t.assistantId === assistantId);
  // A current thread missing from the index (e.g. index trimmed) is still listed, so the picker never lies.
  if (threadId && assistantId && !threads.some((t) => t.id === threadId)) {
    threads.unshift({ id: threadId, connection: connectionName, assistantId, createdAt: 0 });
  }

  const messagesQuery = useQuery(threadMessagesQuery(scope, threadId));
  const messages = messagesQuery.data ?? EMPTY;
  const messagesError = messagesQuery.isError ? toPlaygroundError(messagesQuery.error) : null;

  const { state } = runStream;
  const streamHere = state.threadId !== null && state.threadId === threadId;
  const busy =
    streamHere &&
    (state.phase === "sending" ||
      (state.phase === "streaming" && !(state.run && isTerminalRunStatus(state.run.status))));
  // Once the stream is over, the server's view of the same run is fresher (e.g. cancelling → cancelled).
  const latestRun = useQuery(latestRunQuery(scope, threadId)).data;
  const shownRun =
    streamHere && state.run ? (!busy && latestRun?.id === state.run.id ? latestRun : state.run) : null;
  const waiting = shownRun?.status === "requires_action";
  const shownIds = new Set(messages.map((m) => m.id));
  const streaming = streamHere ? state.messages.filter((m) => !shownIds.has(m.id)) : [];

  useEffect(preloadMarkdown, []);

  const logRef = useRef<HTMLDivElement>(null);
  // Follow the answer while the reader stays at the bottom; once they scroll up, leave them there.
  // Watching the content's size also catches what grows without a render here (images, lazy markdown).
  const followRef = useRef(true);
  const contentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const log = logRef.current;
    const content = contentRef.current;
    if (!log || !content || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (followRef.current) log.scrollTop = log.scrollHeight;
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    followRef.current = true;
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [threadId]);

  async function newThread(): Promise<string | null> {
    if (!scope || !assistantId) return null;
    setCreatingThread(true);
    setThreadError(null);
    try {
      const thread = await createThread(scope);
      addThread({
        id: thread.id,
        connection: scope.connection.name,
        assistantId,
        createdAt: thread.created_at * 1000,
      });
      runStream.reset();
      return thread.id;
    } catch (err) {
      setThreadError(toPlaygroundError(err));
      return null;
    } finally {
      setCreatingThread(false);
    }
  }

  async function send() {
    if (!scope || !assistantId) return;
    const content = draft;
    const target = threadId ?? (await newThread());
    if (!target) return;
    const accepted = await runStream.send({ threadId: target, assistantId }, content);
    // The draft goes only once the message is safely in the thread; on any failure it stays.
    if (accepted) setDraft((current) => (current === content ? "" : current));
  }

  const disabledReason = !scope
    ? "Waiting for the connection…"
    : !assistantId
      ? "Choose or create an assistant to start chatting."
      : null;

  const error = threadError ?? (streamHere ? state.error : null);
  const retry = threadError
    ? { label: "Try again", run: () => void send() }
    : state.accepted && assistantId && threadId
      ? { label: "Retry run", run: () => void runStream.retryRun({ threadId, assistantId }) }
      : { label: "Try again", run: () => void send() };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-end gap-2 border-b border-slate-200 px-3 py-2">
        {threads.length > 0 ? (
          <SelectField
            label="Thread"
            className="min-w-0 flex-1"
            value={threadId ?? ""}
            onChange={(e) => {
              if (!assistantId) return;
              selectThread(connectionName, assistantId, e.target.value || null);
            }}
          >
            {threadId === null ? <option value="">No thread selected</option> : null}
            {threads.map((t) => (
              <option key={t.id} value={t.id}>
                {t.createdAt ? `${t.id} · ${new Date(t.createdAt).toLocaleString()}` : t.id}
              </option>
            ))}
          </SelectField>
        ) : (
          <p className="flex-1 text-sm text-slate-600">
            {assistantId ? "No thread yet: sending starts one." : "No assistant selected."}
          </p>
        )}
        <Button onClick={() => void newThread()} disabled={!scope || !assistantId || creatingThread || busy}>
          New thread
        </Button>
      </div>

      <div
        ref={logRef}
        onScroll={(e) => {
          const log = e.currentTarget;
          followRef.current = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
        }}
        role="log"
        aria-label="Conversation"
        aria-busy={busy}
        tabIndex={0}
        className="flex min-h-48 flex-1 flex-col overflow-y-auto bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 max-lg:max-h-[70vh]"
      >
        <div ref={contentRef} className="flex flex-1 flex-col gap-3 p-3">
          {messagesError ? (
            <RunError
              error={messagesError}
              retryLabel={messagesError.status === 404 ? "Start a new thread" : "Reload messages"}
              onRetry={
                messagesError.status === 404 ? () => void newThread() : () => void messagesQuery.refetch()
              }
              onDismiss={() => {
                if (assistantId) selectThread(connectionName, assistantId, null);
              }}
            />
          ) : null}
          {messages.length === 0 && streaming.length === 0 && !messagesQuery.isLoading ? (
            <p className="m-auto max-w-sm text-center text-sm text-slate-600">
              {assistantId
                ? "Send a message to start the conversation."
                : "Choose or create an assistant in the setup panel."}
            </p>
          ) : null}
          {scope ? <History messages={messages} connection={scope.connection} /> : null}
          {scope
            ? streaming.map((m) => <StreamingMessage key={m.id} message={m} connection={scope.connection} />)
            : null}
        </div>
      </div>

      <div
        role="status"
        aria-label="Run status"
        className="flex min-h-9 flex-wrap items-center gap-2 px-3 pt-2"
      >
        {streamHere && state.phase === "sending" ? (
          <span className="text-sm text-slate-600">Sending…</span>
        ) : null}
        {shownRun ? <RunStatusBadge status={shownRun.status} prefix="Run" /> : null}
        {waiting ? (
          <span className="text-sm text-slate-700">
            The run waits for function outputs; this playground cannot submit them yet.
          </span>
        ) : null}
        {(busy || waiting) && state.run ? (
          <Button variant="secondary" onClick={() => void runStream.cancel()}>
            Cancel run
          </Button>
        ) : null}
      </div>
      {error ? (
        <div className="px-3 pt-2">
          <RunError
            error={error}
            retryLabel={retry.label}
            onRetry={assistantId ? retry.run : undefined}
            onDismiss={() => {
              setThreadError(null);
              runStream.reset();
            }}
          />
        </div>
      ) : null}
      <Composer
        draft={draft}
        onDraftChange={setDraft}
        onSend={() => void send()}
        canSend={scope !== null && assistantId !== null && !creatingThread}
        busy={busy}
        disabledReason={disabledReason}
      />
    </div>
  );
}
