"use client";

import { memo, useEffect, useMemo, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { MessageContentPartParam } from "openai/resources/beta/threads/messages";
import { ThreadList as Threads } from "@/components/threads/thread-list";
import type { MessageAttachment } from "@/components/files/attachment-picker";
import type { ClientScope } from "@/lib/client/queries/scope";
import {
  renameThread,
  THREAD_TITLE_KEY,
  threadDetailQuery,
  threadMeta,
  titleFromText,
  type UserMessageInput,
} from "@/lib/client/queries/threads";
import { assistantDetailQuery } from "@/lib/client/queries/assistants/queries";
import { runEndError } from "@/lib/client/errors";
import type { RunStreamControls } from "@/lib/client/use-run-stream";
import { isV1ApiVersion } from "@/lib/client/chat/run-options";
import { draftKey } from "@/lib/client/stores/playground-store";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useStableCallback } from "@/lib/client/use-stable-callback";
import { useWideLayout } from "@/lib/client/use-wide-layout";
import { Composer as ComposerForm, TOOL_BUTTON } from "./composer";
import { ConversationLog } from "./conversation-log";
import { preloadMarkdown } from "./message-view";
import { RunError } from "./run-error";
import { RunOptionsForm as RunOptions } from "./run-options-form";
import { RunStatusBar } from "./run-status-bar";
import { ThreadResources as Resources } from "./thread-resources";
import { ToolCallsForm } from "./tool-calls";
import { useFollowScroll } from "./use-follow-scroll";
import { useNewThread } from "./use-new-thread";
import { useRunOptionsDraft } from "./use-run-options-draft";
import { useThreadRun } from "./use-thread-run";

// What surrounds the conversation stays as it is while an answer streams (each run event re-renders
// ChatPanel): memoised, with stable handlers (useStableCallback).
const ThreadList = memo(Threads);
const ThreadResources = memo(Resources);
const RunOptionsForm = memo(RunOptions);
const Composer = memo(ComposerForm);

export { MESSAGE_BOX_ID } from "./composer";

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
  const [attachments, setAttachments] = useState<MessageAttachment[]>([]);
  const [images, setImages] = useState<string[]>([]);
  const [dismissedRun, setDismissedRun] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const selectThread = usePlaygroundStore((s) => s.selectThread);
  const titleThread = usePlaygroundStore((s) => s.titleThread);
  const setDraftIn = usePlaygroundStore((s) => s.setDraft);
  const phone = !useWideLayout();
  const threadListOpen = usePlaygroundStore((s) => (phone ? s.phoneThreadListOpen : s.threadListOpen));
  const queryClient = useQueryClient();
  const connectionName = scope?.connection.name ?? "";
  const key = draftKey(connectionName, threadId, assistantId);
  const draft = usePlaygroundStore((s) => s.drafts[key] ?? "");
  const v1 = scope ? isV1ApiVersion(scope.connection.apiVersion) : false;
  const assistant = useQuery(assistantDetailQuery(scope, assistantId)).data ?? null;
  const options = useRunOptionsDraft(assistant, assistantId, v1);
  const {
    newThread,
    creating: creatingThread,
    error: threadError,
    clearError: clearThreadError,
  } = useNewThread(scope, assistantId, runStream.reset);

  const {
    state,
    messages,
    messagesQuery,
    messagesError,
    streamHere,
    busy,
    shownRun,
    waiting,
    locked,
    newestQuestion,
  } = useThreadRun(scope, threadId, runStream);
  // The question's element id is its bubble's (message-view.tsx).
  const scroll = useFollowScroll({
    resetKey: threadId,
    newestQuestion: newestQuestion && `message-${newestQuestion}`,
  });

  // The markdown renderer loads once something is to be rendered or about to be: a thread is open,
  // or the person starts writing (well before an answer arrives). An empty first visit skips it.
  const wantsMarkdown = threadId !== null || draft !== "";
  useEffect(() => {
    if (wantsMarkdown) preloadMarkdown();
  }, [wantsMarkdown]);

  async function send(run = true) {
    if (!scope || !assistantId) return;
    const content = draft;
    const startKey = key;
    if (run && !options.targetFor("check")) return;
    const title = titleFromText(content) || (images.length ? "Image message" : "");
    // The first message names the thread, on the thread itself (its metadata): a thread made by
    // this send is created with it, an empty one made by "New thread" gets it once the message is in.
    const namesThread = threadId === null || messages.length === 0;
    const target = threadId ?? (await newThread(content, title));
    if (!target) return;
    const runAt = options.targetFor(target);
    if (!runAt) return;
    const parts: MessageContentPartParam[] = [
      ...(content.trim() ? [{ type: "text" as const, text: content }] : []),
      ...images.map((id) => ({ type: "image_file" as const, image_file: { file_id: id } })),
    ];
    const input: string | UserMessageInput =
      images.length === 0 && attachments.length === 0
        ? content
        : { content: images.length ? parts : content, attachments };
    // The newest question and its answer come into view, whatever the reader scrolled to before.
    scroll.follow({ newQuestion: true });
    const accepted = await runStream.send(runAt, input, { run });
    if (!accepted) scroll.follow();
    // The draft goes only once the message is safely in the thread; on any failure it stays.
    if (accepted) {
      const sentKey = draftKey(connectionName, target, assistantId);
      for (const k of new Set([startKey, sentKey])) {
        if ((readDraft(k) ?? "") === content) setDraftIn(k, "");
      }
      titleThread(connectionName, target, title || "Image message");
      if (namesThread && threadId !== null && title) void nameThread(target, title);
      setAttachments([]);
      setImages([]);
      setDismissedRun(null);
    }
  }
  async function nameThread(target: string, title: string) {
    if (!scope) return;
    const detail = threadDetailQuery(scope, target);
    const known = queryClient.getQueryData(detail.queryKey);
    if (threadMeta(known, THREAD_TITLE_KEY)) return;
    try {
      queryClient.setQueryData(detail.queryKey, await renameThread(scope, target, title));
    } catch {
      // The title stays in this browser's index; the thread keeps working without one.
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
    const target = options.targetFor(threadId);
    if (!target) return;
    setDismissedRun(null);
    scroll.follow();
    void runStream.retryRun(target);
  }

  const disabledReason = !scope
    ? "Waiting for the connection…"
    : !assistantId
      ? "Choose or create an assistant to start chatting."
      : null;
  const lockReason = waiting
    ? "The run is waiting for function outputs (above), or for you to cancel it."
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
  const onDraftChange = useStableCallback((text: string) => setDraftIn(key, text));
  const onSend = useStableCallback((run: boolean) => void send(run));
  const onCancel = useStableCallback(
    () => void runStream.cancel(shownRun && threadId ? { threadId, run: shownRun } : undefined),
  );
  const onReloadMessages = useStableCallback(() => void messagesQuery.refetch());
  const onNewThreadFromGone = useStableCallback(() => void newThread(draft || undefined));
  const onCloseThread = useStableCallback(() => {
    if (assistantId) selectThread(connectionName, assistantId, null);
  });

  // The composer's extra tools, kept as they are while an answer streams (the composer is memoised).
  const { runOptions, onChange: onOptionsChange, optionErrors } = options;
  const tools = useMemo(
    () => (
      <>
        {/* v2 only: a thread's own tool_resources. */}
        {!v1 ? (
          <ThreadResources
            key={threadId ?? "none"}
            scope={scope}
            threadId={threadId}
            buttonClassName={TOOL_BUTTON}
          />
        ) : null}
        <RunOptionsForm
          assistant={assistant}
          draft={runOptions}
          onChange={onOptionsChange}
          errors={optionErrors}
          v1={v1}
          buttonClassName={TOOL_BUTTON}
        />
      </>
    ),
    [v1, threadId, scope, assistant, runOptions, onOptionsChange, optionErrors],
  );

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
        hidden={!threadListOpen}
      />
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        <ConversationLog
          scope={scope}
          threadId={threadId}
          messages={messages}
          loading={messagesQuery.isLoading}
          live={runStream.live}
          streamHere={streamHere}
          busy={busy}
          emptyText={
            assistantId
              ? "Send a message to start the conversation."
              : "Choose or create an assistant in the setup panel."
          }
          messagesError={messagesError}
          onReloadMessages={onReloadMessages}
          onNewThread={onNewThreadFromGone}
          onCloseThread={onCloseThread}
          scrollRef={scroll.scrollRef}
          contentRef={scroll.contentRef}
          onScroll={scroll.onScroll}
          showJump={scroll.showJump}
          onJump={scroll.jumpToLatest}
        />

        {/* Below the conversation: the run's status, pending function calls (their own scroll, Submit
            in view), an error, and the composer with its tools in popovers. */}
        <RunStatusBar
          state={state}
          streamHere={streamHere}
          shownRun={shownRun}
          locked={locked}
          waiting={waiting}
          onCancel={onCancel}
          onRetryNow={runStream.retryNow}
          onStopRetrying={runStream.stopRetrying}
        />
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
              scroll.follow();
              void runStream
                .submitToolOutputs(threadId, shownRun, outputs, options.stream)
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
                clearThreadError();
                if (shownRun) setDismissedRun(shownRun.id);
                runStream.reset();
              }}
            />
          </div>
        ) : null}
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
          tools={tools}
        />
      </div>
    </div>
  );
}
