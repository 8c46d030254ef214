"use client";

import { useId, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";

export function Composer({
  draft,
  onDraftChange,
  onSend,
  canSend,
  busy,
  disabledReason,
}: {
  draft: string;
  onDraftChange: (value: string) => void;
  onSend: () => void;
  canSend: boolean;
  busy: boolean;
  disabledReason?: string | null;
}) {
  const id = useId();
  const sendable = canSend && !busy && draft.trim().length > 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (sendable) onSend();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends; Shift+Enter (and Enter while an IME composes) inserts a line break.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (sendable) onSend();
    }
  }

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
      <div className="mt-2 flex items-center justify-between gap-2">
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {disabledReason ?? "Enter to send, Shift+Enter for a new line."}
        </p>
        <Button type="submit" variant="primary" disabled={!sendable}>
          Send
        </Button>
      </div>
    </form>
  );
}
