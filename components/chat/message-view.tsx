"use client";

import { memo, useId, useMemo, useState, useSyncExternalStore } from "react";
import type { Message, MessageContent, TextContentBlock } from "openai/resources/beta/threads/messages";
import type { ClientScope } from "@/lib/client/queries/scope";
import type { LiveMessages, StreamMessage } from "@/lib/client/run-stream-state";
import type { MarkdownBlocks } from "@/lib/client/markdown-blocks";
import { prepareAnnotatedText } from "@/lib/client/chat/annotations";
import dynamic from "next/dynamic";
import { FileDownload, FileName, ImageFile } from "./file-content";

// The markdown renderer (react-markdown + remark-gfm) loads after the page, not with it: the chat
// is empty at first, and ChatPanel preloads it as soon as a thread is open or the person types,
// so answers never wait for it. The
// highlighter and KaTeX load later still, the first time a block needs them.
type MarkdownModule = typeof import("./markdown");
let loadedMarkdown: MarkdownModule["Markdown"] | null = null;
const loadMarkdown = () =>
  import("./markdown").then((m) => {
    loadedMarkdown = m.Markdown;
    return m;
  });
export const preloadMarkdown = () => void loadMarkdown();
const LazyMarkdown = dynamic(() => loadMarkdown().then((m) => m.Markdown));

/**
 * The renderer itself once it has loaded (the usual case: it was preloaded), so a new answer's
 * first words render at once; before that, the lazy one, which suspends until the chunk is in.
 * Each message keeps the one it started with (a switch would rebuild its DOM).
 */
function Markdown(props: React.ComponentProps<MarkdownModule["Markdown"]>) {
  const [Loaded] = useState(() => loadedMarkdown);
  return Loaded ? <Loaded {...props} /> : <LazyMarkdown {...props} />;
}

function Bubble({
  role,
  children,
  busy,
  attachments,
  messageId,
}: {
  role: string;
  children: React.ReactNode;
  busy?: boolean;
  attachments?: Message["attachments"];
  /** Gives the bubble the element id `message-<id>`, the target of the inspector's "Go to message". */
  messageId?: string;
}) {
  const isUser = role === "user";
  const headingId = useId();
  return (
    <article
      id={messageId ? `message-${messageId}` : undefined}
      tabIndex={messageId ? -1 : undefined}
      aria-labelledby={headingId}
      aria-busy={busy || undefined}
      className={`rounded-lg px-3 py-2 ${isUser ? "ml-8 bg-indigo-50 text-slate-900" : "mr-8 border border-slate-200 bg-white text-slate-900"}`}
    >
      <h3 id={headingId} className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        {isUser ? "You" : "Assistant"}
      </h3>
      {children}
      {attachments && attachments.length > 0 ? (
        <ul aria-label="Attachments" className="mt-1 flex flex-wrap gap-1 text-xs text-slate-700">
          {attachments.map((a) => (
            <li key={a.file_id} className="rounded border border-slate-300 bg-white px-1.5 py-0.5">
              📎 {a.file_id} · {(a.tools ?? []).map((t) => t.type.replace("_", " ")).join(", ") || "no tool"}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

/** Content the app does not know how to show: shown raw, never dropped. */
function RawPart({ part }: { part: unknown }) {
  const type = (part as { type?: unknown })?.type;
  return (
    <details className="my-1 text-sm text-slate-700">
      <summary>Content of type “{String(type)}” (shown raw)</summary>
      <pre tabIndex={0} className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs">
        {JSON.stringify(part, null, 2)}
      </pre>
    </details>
  );
}

/**
 * An assistant's text: a finished part (`part`, its annotations resolved to citations and file
 * links) or one still streaming (`blocks`). The same component either way, so the finished part
 * takes over the streamed one's DOM.
 */
const AnnotatedText = memo(function AnnotatedText({
  part,
  blocks,
  scope,
  anchorPrefix,
}: {
  part?: TextContentBlock;
  blocks?: MarkdownBlocks;
  scope: ClientScope | null;
  anchorPrefix: string;
}) {
  const value = part?.text.value;
  const annotations = part?.text.annotations;
  const prepared = useMemo(
    () => (value === undefined ? null : prepareAnnotatedText(value, annotations ?? [])),
    [value, annotations],
  );
  const links = useMemo(
    () =>
      prepared && {
        citations: prepared.citations,
        anchorPrefix,
        renderFile: (fileId: string, children: React.ReactNode) => (
          <FileDownload scope={scope} fileId={fileId} name={prepared.files[fileId] ?? fileId}>
            {children}
          </FileDownload>
        ),
      },
    [prepared, scope, anchorPrefix],
  );
  return (
    <>
      <Markdown text={prepared?.markdown} blocks={blocks} links={links ?? undefined} />
      {prepared && prepared.citations.length > 0 ? (
        <section
          aria-label="Citations"
          className="mt-2 border-t border-slate-200 pt-2 text-xs text-slate-700"
        >
          <h4 className="font-semibold">Sources</h4>
          <ol className="mt-1 space-y-1">
            {prepared.citations.map((c) => (
              <li key={c.n} id={`${anchorPrefix}cite-${c.n}`}>
                <span className="font-semibold">[{c.n}]</span>{" "}
                <span className="font-medium">
                  <FileName scope={scope} fileId={c.fileId} />
                </span>
                {c.quote ? <q className="ml-1 text-slate-600 italic">{c.quote}</q> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
});

/** A part that is not an assistant's text. */
function ContentPart({
  part,
  role,
  scope,
}: {
  part: MessageContent;
  role: string;
  scope: ClientScope | null;
}) {
  if (part.type === "text") return <p className="whitespace-pre-wrap">{part.text.value}</p>;
  if (part.type === "image_file")
    return <ImageFile scope={scope} fileId={part.image_file.file_id} byUser={role === "user"} />;
  if (part.type === "image_url")
    return (
      <p className="text-sm">
        Image:{" "}
        <a href={part.image_url.url} target="_blank" rel="noopener noreferrer" className="underline">
          {part.image_url.url}
        </a>
      </p>
    );
  return <RawPart part={part} />;
}

const noSubscription = () => () => {};

/**
 * One message of the conversation: a finished `message` from the thread, or a `streamed` one
 * whose text comes from `live` (published once a frame, so only it re-renders). ChatPanel keys
 * both by the message id in one list: when the thread's copy of a streamed answer arrives, this
 * same component re-renders with it and the answer's DOM stays.
 */
export const ChatMessage = memo(function ChatMessage({
  message,
  streamed,
  scope,
  live,
}: {
  message?: Message;
  streamed?: StreamMessage;
  scope: ClientScope | null;
  live?: LiveMessages;
}) {
  const current = useSyncExternalStore(
    streamed && live ? live.subscribe : noSubscription,
    () => (streamed ? (live?.get(streamed.id) ?? streamed) : null),
    () => streamed ?? null,
  );
  if (message)
    return (
      <Bubble role={message.role} attachments={message.attachments} messageId={message.id}>
        {message.content.map((part, i) =>
          part.type === "text" && message.role !== "user" ? (
            <AnnotatedText key={i} part={part} scope={scope} anchorPrefix={`${message.id}-${i}-`} />
          ) : (
            <ContentPart key={i} part={part} role={message.role} scope={scope} />
          ),
        )}
        {message.status === "incomplete" ? (
          <p className="mt-1 text-xs text-amber-800">
            Incomplete{message.incomplete_details ? `: ${message.incomplete_details.reason}` : ""}
          </p>
        ) : null}
      </Bubble>
    );
  if (!current) return null;
  return (
    <Bubble role="assistant" busy={current.status === "in_progress"} messageId={current.id}>
      {current.parts.map((part) => {
        if (part.type === "text")
          return (
            <AnnotatedText
              key={part.index}
              blocks={part.blocks}
              scope={scope}
              anchorPrefix={`${current.id}-${part.index}-`}
            />
          );
        if (part.type === "image_file")
          return <ImageFile key={part.index} scope={scope} fileId={part.fileId} />;
        return (
          <p key={part.index} className="text-sm text-slate-600 italic">
            [{part.label} content]
          </p>
        );
      })}
      {current.status === "in_progress" && current.parts.length === 0 ? (
        <p className="text-sm text-slate-600">Writing…</p>
      ) : null}
    </Bubble>
  );
});
