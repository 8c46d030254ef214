"use client";

import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { AttachmentPicker, type MessageAttachment } from "@/components/files/attachment-picker";
import { FilePicker } from "@/components/files/file-picker";
import type { ClientScope } from "@/lib/client/queries/scope";

export function Composer({
  scope,
  draft,
  onDraftChange,
  onSend,
  canSend,
  busy,
  lockReason,
  disabledReason,
  attachments,
  onAttachmentsChange,
  images,
  onImagesChange,
  v1,
}: {
  scope: ClientScope | null;
  draft: string;
  onDraftChange: (value: string) => void;
  /** run: false adds the message without starting a run. */
  onSend: (run: boolean) => void;
  canSend: boolean;
  busy: boolean;
  /** Why sending is locked while a run is active (the protocol locks the thread). */
  lockReason?: string | null;
  disabledReason?: string | null;
  attachments: MessageAttachment[];
  onAttachmentsChange: (value: MessageAttachment[]) => void;
  images: string[];
  onImagesChange: (value: string[]) => void;
  /** v1 api-versions take neither attachments nor image content. */
  v1: boolean;
}) {
  const id = useId();
  const [panel, setPanel] = useState<"none" | "files" | "images">("none");
  const hasContent = draft.trim().length > 0 || images.length > 0;
  const sendable = canSend && !busy && hasContent;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (sendable) onSend(true);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends; Shift+Enter (and Enter while an IME composes) inserts a line break.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (sendable) onSend(true);
    }
  }

  const hint = lockReason ?? disabledReason ?? "Enter to send, Shift+Enter for a new line.";

  return (
    <form onSubmit={submit} className="border-t border-slate-200 p-3">
      <label htmlFor={`${id}-message`} className="mb-1 block text-sm font-medium text-slate-800">
        Message
      </label>
      <textarea
        id={`${id}-message`}
        value={draft}
        onChange={(e) => onDraftChange(e.target.value)}
        onKeyDown={onKeyDown}
        rows={3}
        aria-describedby={`${id}-hint`}
        placeholder="Ask the assistant something…"
        className="block max-h-60 min-h-16 w-full resize-y rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600"
      />
      {panel === "files" && !v1 ? (
        <div className="mt-2 rounded-md border border-slate-200 bg-slate-50 p-2">
          <AttachmentPicker
            scope={scope}
            value={attachments}
            onChange={onAttachmentsChange}
            label="Attachments"
          />
        </div>
      ) : null}
      {panel === "images" && !v1 ? (
        <div className="mt-2 rounded-md border border-slate-200 bg-slate-50 p-2">
          <FilePicker
            scope={scope}
            value={images}
            onChange={onImagesChange}
            use="vision"
            max={10}
            label="Images"
          />
        </div>
      ) : null}
      <p id={`${id}-hint`} className={`mt-1 text-xs ${lockReason ? "text-amber-900" : "text-slate-600"}`}>
        {hint}
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        {!v1 ? (
          <>
            <Button
              aria-expanded={panel === "files"}
              onClick={() => setPanel(panel === "files" ? "none" : "files")}
              className="px-2"
            >
              Attach files{attachments.length ? ` (${attachments.length})` : ""}
            </Button>
            <Button
              aria-expanded={panel === "images"}
              onClick={() => setPanel(panel === "images" ? "none" : "images")}
              className="px-2"
            >
              Add images{images.length ? ` (${images.length})` : ""}
            </Button>
          </>
        ) : null}
        <span className="flex-1" />
        <Button disabled={!sendable} onClick={() => onSend(false)}>
          Add without running
        </Button>
        <Button type="submit" variant="primary" disabled={!sendable}>
          Send
        </Button>
      </div>
    </form>
  );
}
