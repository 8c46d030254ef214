"use client";

import { useId, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Popover } from "@/components/ui/popover";
import { AttachmentPicker, type MessageAttachment } from "@/components/files/attachment-picker";
import { FilePicker } from "@/components/files/file-picker";
import type { ClientScope } from "@/lib/client/queries/scope";

/** The message box's element id: the page's skip link goes to it. */
export const MESSAGE_BOX_ID = "message-box";

export const TOOL_BUTTON =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-500";

/**
 * The message box with Send, and one row of tools under it: attachments, images, and whatever
 * the chat adds (`tools`: the thread's resources and the run options), each in a popover, so the
 * conversation keeps the panel's height.
 */
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
  tools,
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
  /** More popovers for the tool row. */
  tools?: ReactNode;
}) {
  const id = useId();
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

  const hint = lockReason ?? disabledReason;

  return (
    <form onSubmit={submit} className="border-t border-slate-200 px-2 pt-2 pb-2">
      <label htmlFor={MESSAGE_BOX_ID} className="sr-only">
        Message
      </label>
      <div className="flex items-end gap-2">
        <textarea
          id={MESSAGE_BOX_ID}
          value={draft}
          onChange={(e) => onDraftChange(e.target.value)}
          onKeyDown={onKeyDown}
          rows={2}
          aria-describedby={`${id}-hint`}
          placeholder="Ask the assistant something…"
          className="block max-h-40 min-h-14 min-w-0 flex-1 resize-y rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 [field-sizing:content] placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600"
        />
        <Button type="submit" variant="primary" disabled={!sendable}>
          Send
        </Button>
      </div>
      <p
        id={`${id}-hint`}
        className={hint ? `mt-1 text-xs ${lockReason ? "text-amber-900" : "text-slate-600"}` : "sr-only"}
      >
        {hint ?? "Enter to send, Shift+Enter for a new line."}
      </p>
      <div role="toolbar" aria-label="Message tools" className="mt-1.5 flex flex-wrap items-center gap-1">
        {!v1 ? (
          <>
            <Popover
              side="above"
              title="Files for this message"
              className="w-[min(28rem,calc(100vw-1rem))]"
              buttonClassName={TOOL_BUTTON}
              buttonLabel={`Attach files${attachments.length ? ` (${attachments.length})` : ""}`}
              label={`Files${attachments.length ? ` (${attachments.length})` : ""}`}
            >
              <AttachmentPicker
                scope={scope}
                value={attachments}
                onChange={onAttachmentsChange}
                label="Attachments"
              />
            </Popover>
            <Popover
              side="above"
              title="Images for this message"
              className="w-[min(28rem,calc(100vw-1rem))]"
              buttonClassName={TOOL_BUTTON}
              buttonLabel={`Add images${images.length ? ` (${images.length})` : ""}`}
              label={`Images${images.length ? ` (${images.length})` : ""}`}
            >
              <FilePicker
                scope={scope}
                value={images}
                onChange={onImagesChange}
                use="vision"
                max={10}
                label="Images"
              />
            </Popover>
          </>
        ) : null}
        {tools}
        <span className="flex-1" />
        <button type="button" className={TOOL_BUTTON} disabled={!sendable} onClick={() => onSend(false)}>
          Add without running
        </button>
      </div>
    </form>
  );
}
