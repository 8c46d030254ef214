"use client";

import { memo, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Message, MessageContentPartParam } from "openai/resources/beta/threads/messages";
import { Button } from "@/components/ui/button";
import { RunStatusBadge } from "@/components/run-inspector/run-status-badge";
import { ThreadList as Threads } from "@/components/threads/thread-list";
import type { MessageAttachment } from "@/components/files/attachment-picker";
import type { ClientScope } from "@/lib/client/queries/scope";
import {
  createThread,
  seedNewThread,
  threadMessagesQuery,
  titleFromText,
  type UserMessageInput,
} from "@/lib/client/queries/threads";
import { latestRunQuery } from "@/lib/client/queries/runs";
import { assistantDetailQuery } from "@/lib/client/queries/assistants";
import { runEndError, toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import { isTerminalRunStatus } from "@/lib/client/run-stream-state";
import type { RunStreamControls } from "@/lib/client/use-run-stream";
import {
  buildRunOverrides,
  emptyRunOptions,
  isV1ApiVersion,
  type RunOptionErrors,
  type RunOptionsDraft,
} from "@/lib/client/chat/run-options";
import { draftKey } from "@/lib/client/stores/playground-store";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useStableCallback } from "@/lib/client/use-stable-callback";
import { Composer as ComposerForm } from "./composer";
import { ChatMessage, preloadMarkdown } from "./message-view";
import { RunError } from "./run-error";
import { RetryNotice } from "./retry-notice";
import { RunOptionsForm as RunOptions } from "./run-options-form";
import { ThreadResources as Resources } from "./thread-resources";
import { ToolCallsForm } from "./tool-calls";

// What surrounds the conversation stays as it is while an answer streams (each run event re-renders
// ChatPanel): memoised, with stable handlers (useStableCallback).
const ThreadList = memo(Threads);
const ThreadResources = memo(Resources);
const RunOptionsForm = memo(RunOptions);
const Composer = memo(ComposerForm);

/** Above this many messages the history is virtualised: only what is on screen is in the DOM. */
const VIRTUALISE_ABOVE = 60;

function VirtualHistory({
  messages,
  scope,
  scrollRef,
}: {
  messages: readonly Message[];
  scope: ClientScope | null;
  scrollRef: React.RefObject<HTMLDivElement | null>;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's functions are not memoised; nothing here memoises them
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 160,
    overscan: 6,
    scrollMargin: listRef.current?.offsetTop ?? 0,
    getItemKey: (i) => messages[i]?.id ?? i,
    initialOffset: () => Number.MAX_SAFE_INTEGER,
  });
  const margin = virtualizer.options.scrollMargin;
  return (
    <div ref={listRef} style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
      {virtualizer.getVirtualItems().map((item) => {
        const message = messages[item.index];
        if (!message) return null;
        return (
          <div
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className="absolute top-0 left-0 w-full pb-3"
            style={{ transform: `translateY(${item.start - margin}px)` }}
          >
            <ChatMessage message={message} scope={scope} />
          </div>
        );
      })}
    </div>
  );
}

const EMPTY: Message[] = [];

function sameErrors(a: RunOptionErrors, b: RunOptionErrors): boolean {
  const keys = Object.keys(a) as (keyof RunOptionErrors)[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export function ChatPanel({
  scope,
  assistantId,
  threadId,
  runStream,
  canListThreads = false,
}: {
  scope: ClientScope | null;
  assistantId: string | null;
  threadId: string | null;
  runStream: RunStreamControls;
  /** The upstream can list threads (the local engine): show its list beside the app's own. */
  canListThreads?: boolean;
}) {
  const [threadError, setThreadError] = useState<PlaygroundError | null>(null);
  const [creatingThread, setCreatingThread] = useState(false);
  const [attachments, setAttachments] = useState<MessageAttachment[]>([]);
  const [images, setImages] = useState<string[]>([]);
  const [runOptions, setRunOptions] = useState<RunOptionsDraft>(emptyRunOptions);
  const [optionErrors, setOptionErrors] = useState<RunOptionErrors>({});
  const [dismissedRun, setDismissedRun] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const queryClient = useQueryClient();
  const addThread = usePlaygroundStore((s) => s.addThread);
  const selectThread = usePlaygroundStore((s) => s.selectThread);
  const titleThread = usePlaygroundStore((s) => s.titleThread);
  const setDraftIn = usePlaygroundStore((s) => s.setDraft);
  const connectionName = scope?.connection.name ?? "";
  const key = draftKey(connectionName, threadId, assistantId);
  const draft = usePlaygroundStore((s) => s.drafts[key] ?? "");
  const v1 = scope ? isV1ApiVersion(scope.connection.apiVersion) : false;
  const assistant = useQuery(assistantDetailQuery(scope, assistantId)).data ?? null;

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
  const virtual = messages.length > VIRTUALISE_ABOVE;
  const shownIds = new Set(messages.map((m) => m.id));
  // The streamed messages as the live store has them: a new answer mounts with its first words,
  // which the store publishes right after the chunk that brought them (the run's state follows a
  // frame later). Its ids change once per message, so this re-renders once per message.
  const live = runStream.live;
  const liveIds = useSyncExternalStore(live.subscribe, live.ids, live.ids);
  const streaming = streamHere ? liveIds.flatMap((id) => (shownIds.has(id) ? [] : (live.get(id) ?? []))) : [];
  const previousActive = useRef(serverActive);
  useEffect(() => {
    // A run followed from the server just ended: read what it wrote.
    if (previousActive.current && !serverActive && threadId) void messagesQuery.refetch();
    previousActive.current = serverActive;
  }, [serverActive, threadId, messagesQuery]);

  // The markdown renderer loads once something is to be rendered or about to be: a thread is open,
  // or the person starts writing (well before an answer arrives). An empty first visit skips it.
  const wantsMarkdown = threadId !== null || draft !== "";
  useEffect(() => {
    if (wantsMarkdown) preloadMarkdown();
  }, [wantsMarkdown]);
  // A thread opened by id or from the server's list gets its title from its first message.
  const firstText = messages.find((m) => m.role === "user")?.content.find((c) => c.type === "text");
  const firstTitle = firstText?.type === "text" ? titleFromText(firstText.text.value) : "";
  useEffect(() => {
    if (threadId && firstTitle) titleThread(connectionName, threadId, firstTitle);
  }, [threadId, firstTitle, connectionName, titleThread]);

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

  async function newThread(carryDraft?: string): Promise<string | null> {
    if (!scope || !assistantId) return null;
    setCreatingThread(true);
    setThreadError(null);
    try {
      const thread = await createThread(scope);
      seedNewThread(queryClient, scope.connection.name, thread.id);
      // The draft moves with the person into the new thread, so nothing typed is lost.
      if (carryDraft) setDraftIn(draftKey(scope.connection.name, thread.id, assistantId), carryDraft);
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

  function runTarget(target: string) {
    const { overrides, errors } = buildRunOverrides(runOptions, assistant);
    // The same errors keep the same object (the options form is memoised on it).
    setOptionErrors((current) => (sameErrors(current, errors) ? current : errors));
    if (Object.values(errors).some(Boolean)) return null;
    return { threadId: target, assistantId: assistantId ?? "", overrides, stream: runOptions.stream && !v1 };
  }

  async function send(run = true) {
    if (!scope || !assistantId) return;
    const content = draft;
    const startKey = key;
    if (run && !runTarget("check")) return;
    const target = threadId ?? (await newThread(content));
    if (!target) return;
    const runAt = runTarget(target);
    if (!runAt) return;
    const parts: MessageContentPartParam[] = [
      ...(content.trim() ? [{ type: "text" as const, text: content }] : []),
      ...images.map((id) => ({ type: "image_file" as const, image_file: { file_id: id } })),
    ];
    const input: string | UserMessageInput =
      images.length === 0 && attachments.length === 0
        ? content
        : { content: images.length ? parts : content, attachments };
    const accepted = await runStream.send(runAt, input, { run });
    // The draft goes only once the message is safely in the thread; on any failure it stays.
    if (accepted) {
      const sentKey = draftKey(connectionName, target, assistantId);
      for (const k of new Set([startKey, sentKey])) {
        if ((readDraft(k) ?? "") === content) setDraftIn(k, "");
      }
      titleThread(connectionName, target, titleFromText(content) || "Image message");
      setAttachments([]);
      setImages([]);
      setDismissedRun(null);
    }
  }
  // Read at call time (after awaits), not from the render that started the send.
  const drafts = usePlaygroundStore((s) => s.drafts);
  const draftsRef = useRef(drafts);
  useEffect(() => {
    draftsRef.current = drafts;
  }, [drafts]);
  const readDraft = (k: string) => draftsRef.current[k];

  function retry() {
    if (!assistantId || !threadId) return;
    const target = runTarget(threadId);
    if (!target) return;
    setDismissedRun(null);
    void runStream.retryRun(target);
  }

  const disabledReason = !scope
    ? "Waiting for the connection…"
    : !assistantId
      ? "Choose or create an assistant to start chatting."
      : null;
  const lockReason = waiting
    ? "The run is waiting for function outputs: submit them below (or cancel the run) before sending. The protocol locks the thread while a run is active."
    : locked
      ? "A run is active on this thread: the protocol locks the thread until it ends. Wait for it, or cancel the run."
      : null;

  const streamError = streamHere ? state.error : null;
  const endError =
    !streamError && shownRun && shownRun.id !== dismissedRun && !locked ? runEndError(shownRun) : null;
  const error = threadError ?? streamError ?? endError;
  const retryAction = threadError
    ? { label: "Try again", run: () => void send() }
    : (state.accepted || endError) && assistantId && threadId
      ? { label: "Retry run", run: retry }
      : { label: "Try again", run: () => void send() };

  // Stable handlers: the forms below are memoised and stay as they are while an answer streams.
  const onNewThread = useStableCallback(() => {
    // From a thread that is gone upstream, the unsent draft comes along to the new thread.
    const gone = streamError?.status === 404 || messagesError?.status === 404;
    if (gone && draft) setDraftIn(key, "");
    void newThread(gone ? draft : undefined);
  });
  const onRunOptionsChange = useStableCallback((next: RunOptionsDraft) => {
    setRunOptions(next);
    if (Object.values(optionErrors).some(Boolean)) setOptionErrors(buildRunOverrides(next, assistant).errors);
  });
  const onDraftChange = useStableCallback((text: string) => setDraftIn(key, text));
  const onSend = useStableCallback((run: boolean) => void send(run));

  return (
    <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
      <ThreadList
        scope={scope}
        assistantId={assistantId}
        threadId={threadId}
        canListUpstream={canListThreads}
        onNewThread={onNewThread}
        creating={creatingThread}
        busy={busy}
      />
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
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
          className="flex min-h-40 flex-1 flex-col overflow-y-auto bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 max-lg:max-h-[70vh]"
        >
          <div ref={contentRef} className="flex flex-1 flex-col gap-3 p-3">
            {messagesError ? (
              <RunError
                error={messagesError}
                retryLabel={messagesError.status === 404 ? "Start a new thread" : "Reload messages"}
                onRetry={
                  messagesError.status === 404
                    ? () => void newThread(draft || undefined)
                    : () => void messagesQuery.refetch()
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
            {virtual ? (
              <VirtualHistory key={threadId} messages={messages} scope={scope} scrollRef={logRef} />
            ) : null}
            {/* One list, keyed by message id: a streamed answer's thread copy takes its place (and its DOM). */}
            {[
              ...(virtual ? EMPTY : messages).map((m) => (
                <ChatMessage key={m.id} message={m} scope={scope} />
              )),
              ...streaming.map((m) => <ChatMessage key={m.id} streamed={m} scope={scope} live={live} />),
            ]}
          </div>
        </div>

        {/* Below the conversation: scrolls on its own when tall (a tool-call form, open options), so the
            conversation keeps its share of the panel. */}
        <div className="flex shrink-0 flex-col overflow-y-auto lg:max-h-[62%]">
          <div
            role="status"
            aria-label="Run status"
            className="flex min-h-9 shrink-0 flex-wrap items-center gap-2 px-3 pt-2"
          >
            {streamHere && state.phase === "sending" && !state.wait ? (
              <span className="text-sm text-slate-600">Sending…</span>
            ) : null}
            {streamHere && state.wait ? (
              <RetryNotice
                wait={state.wait}
                onRetryNow={runStream.retryNow}
                onStop={runStream.stopRetrying}
              />
            ) : null}
            {shownRun ? <RunStatusBadge status={shownRun.status} prefix="Run" /> : null}
            {streamHere && state.phase === "polling" && state.pollReason === "stream-dropped" && locked ? (
              <span className="text-sm text-slate-700">
                The stream dropped: following the run by polling…
              </span>
            ) : null}
            {streamHere && state.phase === "polling" && state.pollReason === "recovered" && locked ? (
              <span className="text-sm text-slate-700">The run had started after all: following it…</span>
            ) : null}
            {streamHere && state.phase === "polling" && state.pollReason === "no-stream" && locked ? (
              <span className="text-sm text-slate-700">Following the run by polling (no stream)…</span>
            ) : null}
            {waiting ? (
              <span className="text-sm text-slate-700">
                The run waits for function outputs: answer them below.
              </span>
            ) : null}
            {locked || waiting ? (
              <Button
                variant="secondary"
                onClick={() =>
                  void runStream.cancel(shownRun && threadId ? { threadId, run: shownRun } : undefined)
                }
                disabled={!shownRun || shownRun.status === "cancelling"}
              >
                Cancel run
              </Button>
            ) : null}
          </div>
          {waiting && shownRun && threadId ? (
            <ToolCallsForm
              key={
                shownRun.id +
                (shownRun.required_action?.submit_tool_outputs.tool_calls.map((c) => c.id).join() ?? "")
              }
              run={shownRun}
              submitting={submitting}
              onSubmit={(outputs) => {
                setSubmitting(true);
                void runStream
                  .submitToolOutputs(threadId, shownRun, outputs, runOptions.stream && !v1)
                  .finally(() => setSubmitting(false));
              }}
            />
          ) : null}
          {error ? (
            <div className="px-3 pt-2">
              <RunError
                error={error}
                retryLabel={retryAction.label}
                onRetry={assistantId ? retryAction.run : undefined}
                onDismiss={() => {
                  setThreadError(null);
                  if (shownRun) setDismissedRun(shownRun.id);
                  runStream.reset();
                }}
              />
            </div>
          ) : null}
          {/* Always rendered (v2) so the conversation keeps its height when a thread starts mid-stream. */}
          {!v1 ? <ThreadResources key={threadId ?? "none"} scope={scope} threadId={threadId} /> : null}
          <RunOptionsForm
            assistant={assistant}
            draft={runOptions}
            onChange={onRunOptionsChange}
            errors={optionErrors}
            v1={v1}
          />
          <Composer
            scope={scope}
            draft={draft}
            onDraftChange={onDraftChange}
            onSend={onSend}
            canSend={scope !== null && assistantId !== null && !creatingThread && !locked && !waiting}
            busy={busy}
            lockReason={lockReason}
            disabledReason={disabledReason}
            attachments={attachments}
            onAttachmentsChange={setAttachments}
            images={images}
            onImagesChange={setImages}
            v1={v1}
          />
        </div>
      </div>
    </div>
  );
}
