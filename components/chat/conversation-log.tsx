"use client";

import { memo, useRef, useSyncExternalStore, type RefObject } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Message } from "openai/resources/beta/threads/messages";
import { Button } from "@/components/ui/button";
import type { ClientScope } from "@/lib/client/queries/scope";
import type { PlaygroundError } from "@/lib/client/errors";
import type { LiveMessages } from "@/lib/client/run-stream-state";
import { ChatMessage } from "./message-view";
import { RunError } from "./run-error";

/** Above this many messages the history is virtualised: only what is on screen is in the DOM. */
const VIRTUALISE_ABOVE = 60;

const EMPTY: Message[] = [];

function VirtualHistory({
  messages,
  scope,
  scrollRef,
}: {
  messages: readonly Message[];
  scope: ClientScope | null;
  scrollRef: RefObject<HTMLDivElement | null>;
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

/**
 * The conversation: the thread's messages, then the answer streaming in (from the live store), in
 * a `log` landmark named "Conversation". Scrolling is the parent's (use-follow-scroll.ts): this
 * renders the scroll container, its content and the "Jump to latest" control.
 */
export const ConversationLog = memo(function ConversationLog({
  scope,
  threadId,
  messages,
  loading,
  live,
  streamHere,
  busy,
  emptyText,
  messagesError,
  onReloadMessages,
  onNewThread,
  onCloseThread,
  scrollRef,
  contentRef,
  onScroll,
  showJump,
  onJump,
}: {
  scope: ClientScope | null;
  threadId: string | null;
  messages: readonly Message[];
  loading: boolean;
  live: LiveMessages;
  /** The live store's messages belong to this thread. */
  streamHere: boolean;
  busy: boolean;
  emptyText: string;
  messagesError: PlaygroundError | null;
  onReloadMessages: () => void;
  onNewThread: () => void;
  onCloseThread: () => void;
  scrollRef: RefObject<HTMLDivElement | null>;
  contentRef: RefObject<HTMLDivElement | null>;
  onScroll: () => void;
  showJump: boolean;
  onJump: () => void;
}) {
  const virtual = messages.length > VIRTUALISE_ABOVE;
  const shownIds = new Set(messages.map((m) => m.id));
  // The streamed messages as the live store has them: a new answer mounts with its first words,
  // which the store publishes right after the chunk that brought them (the run's state follows a
  // frame later). Its ids change once per message, so this re-renders once per message.
  const liveIds = useSyncExternalStore(live.subscribe, live.ids, live.ids);
  const streaming = streamHere ? liveIds.flatMap((id) => (shownIds.has(id) ? [] : (live.get(id) ?? []))) : [];
  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div
        ref={scrollRef}
        onScroll={onScroll}
        role="log"
        aria-label="Conversation"
        aria-busy={busy}
        tabIndex={0}
        // overflow-anchor: the browser's scroll anchoring would move the view on a layout shift by
        // itself, which use-follow-scroll.ts would take for the reader scrolling.
        className="flex min-h-40 flex-1 flex-col overflow-y-auto bg-slate-50 [overflow-anchor:none] focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 max-lg:max-h-[70vh]"
      >
        <div ref={contentRef} className="flex flex-1 flex-col gap-3 p-3">
          {messagesError ? (
            <RunError
              error={messagesError}
              retryLabel={messagesError.status === 404 ? "Start a new thread" : "Reload messages"}
              onRetry={messagesError.status === 404 ? onNewThread : onReloadMessages}
              onDismiss={onCloseThread}
            />
          ) : null}
          {messages.length === 0 && streaming.length === 0 && !loading ? (
            <p className="m-auto max-w-sm text-center text-sm text-slate-600">{emptyText}</p>
          ) : null}
          {virtual ? (
            <VirtualHistory key={threadId} messages={messages} scope={scope} scrollRef={scrollRef} />
          ) : null}
          {/* One list, keyed by message id: a streamed answer's thread copy takes its place (and its DOM). */}
          {[
            ...(virtual ? EMPTY : messages).map((m) => <ChatMessage key={m.id} message={m} scope={scope} />),
            ...streaming.map((m) => <ChatMessage key={m.id} streamed={m} scope={scope} live={live} />),
          ]}
        </div>
      </div>
      {showJump ? (
        <Button
          variant="primary"
          onClick={onJump}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 shadow-md"
        >
          Jump to latest <span aria-hidden="true">↓</span>
        </Button>
      ) : null}
    </div>
  );
});
