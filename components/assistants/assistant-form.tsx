"use client";

import { useState, type FormEvent } from "react";
import type { Assistant } from "openai/resources/beta/assistants";
import { Button } from "@/components/ui/button";
import { CheckboxField, TextAreaField, TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { draftFromAssistant, type AssistantDraft } from "@/lib/client/queries/assistants";
import type { PlaygroundError } from "@/lib/client/errors";

/** Keyed by the assistant's id by its parent, so switching assistants starts from that assistant's values. */
export function AssistantForm({
  assistant,
  onSave,
  saving,
  error,
  saved,
}: {
  assistant: Assistant | null;
  onSave: (draft: AssistantDraft) => void;
  saving: boolean;
  error: PlaygroundError | null;
  saved: boolean;
}) {
  const [draft, setDraft] = useState<AssistantDraft>(() => draftFromAssistant(assistant));
  const set = <K extends keyof AssistantDraft>(key: K, value: AssistantDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave(draft);
  }

  return (
    <form
      onSubmit={submit}
      className="space-y-3"
      aria-label={assistant ? "Edit assistant" : "Create assistant"}
    >
      <TextField
        label="Name"
        value={draft.name}
        onChange={(e) => set("name", e.target.value)}
        placeholder="Math tutor"
        maxLength={256}
      />
      <TextAreaField
        label="Instructions"
        value={draft.instructions}
        onChange={(e) => set("instructions", e.target.value)}
        rows={6}
        placeholder="You are a helpful assistant…"
      />
      <TextField
        label="Deployment"
        value={draft.model}
        onChange={(e) => set("model", e.target.value)}
        required
        hint="The model deployment name (sent as model)."
      />
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-800">Tools</legend>
        <CheckboxField
          label="Code interpreter"
          checked={draft.codeInterpreter}
          onChange={(e) => set("codeInterpreter", e.target.checked)}
        />
        <CheckboxField
          label="File search"
          checked={draft.fileSearch}
          onChange={(e) => set("fileSearch", e.target.checked)}
        />
      </fieldset>
      {error ? (
        <Alert
          title={[error.status !== null ? `Error ${error.status}` : "Error", error.code]
            .filter(Boolean)
            .join(" · ")}
        >
          <p>{error.message}</p>
          <p>{error.hint}</p>
        </Alert>
      ) : null}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={saving}>
          {assistant ? "Save changes" : "Create assistant"}
        </Button>
        <p role="status" className="text-sm text-slate-600">
          {saving ? "Saving…" : saved ? "Saved." : ""}
        </p>
      </div>
    </form>
  );
}
