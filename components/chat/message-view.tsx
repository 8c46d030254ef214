"use client";

import { memo, useId, useMemo, useSyncExternalStore } from "react";
import type { Message, MessageContent, TextContentBlock } from "openai/resources/beta/threads/messages";
import type { ClientScope } from "@/lib/client/queries/scope";
import type { LiveMessages, StreamMessage } from "@/lib/client/run-stream-state";
import { prepareAnnotatedText } from "@/lib/client/chat/annotations";
import dynamic from "next/dynamic";
import { FileDownload, FileName, ImageFile } from "./file-content";

// The markdown renderer (react-markdown + remark-gfm) loads after the page, not with it: the chat
// is empty at first, and ChatPanel preloads it as soon as a thread is open or the person types,
// so answers never wait for it. The
// highlighter and KaTeX load later still, the first time a block needs them.
const loadMarkdown = () => import("./markdown");
export const preloadMarkdown = () => void loadMarkdown();
const Markdown = dynamic(() => loadMarkdown().then((m) => m.Markdown));
const StreamingMarkdown = dynamic(() => loadMarkdown().then((m) => m.StreamingMarkdown));

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

const AnnotatedText = memo(function AnnotatedText({
  part,
  scope,
  anchorPrefix,
}: {
  part: TextContentBlock;
  scope: ClientScope | null;
  anchorPrefix: string;
}) {
  const prepared = useMemo(
    () => prepareAnnotatedText(part.text.value, part.text.annotations ?? []),
    [part.text.value, part.text.annotations],
  );
  const links = useMemo(
    () => ({
      citations: prepared.citations,
      anchorPrefix,
      renderFile: (fileId: string, children: React.ReactNode) => (
        <FileDownload scope={scope} fileId={fileId} name={prepared.files[fileId] ?? fileId}>
          {children}
        </FileDownload>
      ),
    }),
    [prepared, scope, anchorPrefix],
  );
  return (
    <>
      <Markdown text={prepared.markdown} links={links} />
      {prepared.citations.length > 0 ? (
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

function ContentPart({
  part,
  role,
  scope,
  anchorPrefix,
}: {
  part: MessageContent;
  role: string;
  scope: ClientScope | null;
  anchorPrefix: string;
}) {
  if (part.type === "text") {
    return role === "user" ? (
      <p className="whitespace-pre-wrap">{part.text.value}</p>
    ) : (
      <AnnotatedText part={part} scope={scope} anchorPrefix={anchorPrefix} />
    );
  }
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

export const HistoryMessage = memo(function HistoryMessage({
  message,
  scope,
}: {
  message: Message;
  scope: ClientScope | null;
}) {
  return (
    <Bubble role={message.role} attachments={message.attachments} messageId={message.id}>
      {message.content.map((part, i) => (
        <ContentPart
          key={i}
          part={part}
          role={message.role}
          scope={scope}
          anchorPrefix={`${message.id}-${i}-`}
        />
      ))}
      {message.status === "incomplete" ? (
        <p className="mt-1 text-xs text-amber-800">
          Incomplete{message.incomplete_details ? `: ${message.incomplete_details.reason}` : ""}
        </p>
      ) : null}
    </Bubble>
  );
});

const noSubscription = () => () => {};

/** A message still streaming: its text comes from `live` (published once a frame), so only it re-renders. */
export const StreamingMessage = memo(function StreamingMessage({
  message: given,
  scope,
  live,
}: {
  message: StreamMessage;
  scope: ClientScope | null;
  live?: LiveMessages;
}) {
  const message = useSyncExternalStore(
    live?.subscribe ?? noSubscription,
    () => live?.get(given.id) ?? given,
    () => given,
  );
  return (
    <Bubble role="assistant" busy={message.status === "in_progress"} messageId={message.id}>
      {message.parts.map((part) => {
        if (part.type === "text") return <StreamingMarkdown key={part.index} blocks={part.blocks} />;
        if (part.type === "image_file")
          return <ImageFile key={part.index} scope={scope} fileId={part.fileId} />;
        return (
          <p key={part.index} className="text-sm text-slate-600 italic">
            [{part.label} content]
          </p>
        );
      })}
      {message.status === "in_progress" && message.parts.length === 0 ? (
        <p className="text-sm text-slate-600">Writing…</p>
      ) : null}
    </Bubble>
  );
});
