"use client";

import { memo, useCallback, useState } from "react";
import type { Assistant } from "openai/resources/beta/assistants";
import { generationOf, type MetadataEntry } from "@/lib/client/assistants/form";
import type { ClientScope } from "@/lib/client/queries/scope";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ViewCodeDialog } from "./view-code";
import { BuilderBasics } from "./builder-basics";
import { BuilderTools } from "./builder-tools";
import { BuilderModelSettings } from "./builder-model-settings";
import { BuilderMetadata } from "./builder-metadata";
import { SavedSummary, UnsavedChanges } from "./builder-changes";
import { useAssistantForm, type BuilderConnection, type SavedNote } from "./use-assistant-form";

/**
 * Every setting an assistant has, with the protocol's limits for the connection's api-version.
 * Edits live in the draft store (a reload loses nothing) until saved; parents learn of unsaved
 * edits from that store (useUnsavedDraft). Keyed by assistant id by its parent.
 */
export const AssistantBuilder = memo(function AssistantBuilder({
  scope,
  connection,
  assistant,
  savedNote,
  onSaved,
  compact = false,
}: {
  scope: ClientScope;
  connection: BuilderConnection;
  assistant: Assistant | null;
  savedNote?: SavedNote | null;
  onSaved?: (assistant: Assistant, note: SavedNote) => void;
  compact?: boolean;
}) {
  const form = useAssistantForm({ scope, connection, assistant, onSaved });
  const { values, errors, errorCount, set, dirty, save } = form;
  const apiVersion = connection.apiVersion;
  const g = generationOf(apiVersion);
  const [viewCode, setViewCode] = useState(false);
  const setMetadata = useCallback((m: MetadataEntry[]) => set("metadata", m), [set]);
  const showNote = savedNote && savedNote.id === assistant?.id && !dirty && !save.isPending;

  return (
    <form
      ref={form.formRef}
      onSubmit={form.submit}
      noValidate
      className="space-y-4"
      aria-label={assistant ? `Edit assistant ${assistant.name || assistant.id}` : "Create assistant"}
    >
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-800">
          {assistant ? assistant.id : "Not saved yet"}
        </span>
        <span>
          api-version {apiVersion} ({g})
        </span>
        {dirty ? (
          <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900 ring-1 ring-amber-300">
            Unsaved changes
          </span>
        ) : null}
      </div>

      <BuilderBasics
        values={values}
        errors={errors}
        set={set}
        generation={g}
        suggestions={form.suggestions}
        compact={compact}
      />

      {g === "v1" ? (
        <p className="rounded-md bg-sky-50 p-2 text-xs text-sky-900 ring-1 ring-sky-200">
          This connection uses a v1 api-version ({apiVersion}): files attach as file_ids, which code
          interpreter and retrieval (v1&apos;s file search) both use; instructions take up to 32,768
          characters; vector stores, temperature, top P and response format are not available.
        </p>
      ) : null}
      {form.unsent.length ? (
        <p role="note" className="rounded-md bg-amber-50 p-2 text-xs text-amber-900 ring-1 ring-amber-300">
          Kept in your draft but not sent on {apiVersion}: {form.unsent.join(", ")}. Switch to a v2
          api-version to use them.
        </p>
      ) : null}

      <BuilderTools scope={scope} connection={connection} values={values} errors={errors} set={set} />
      {g === "v2" ? (
        <BuilderModelSettings values={values} errors={errors} set={set} apiVersion={apiVersion} />
      ) : null}
      <BuilderMetadata metadata={values.metadata} errors={errors} onChange={setMetadata} />

      <UnsavedChanges changes={form.changes} />

      {form.submitted && errorCount > 0 ? (
        <Alert title={`Fix ${errorCount} problem${errorCount === 1 ? "" : "s"} before saving`}>
          <p>Each one is explained beside its field. Nothing was sent.</p>
        </Alert>
      ) : null}
      {save.error ? <ErrorAlert error={save.error} note="Your edits are kept." /> : null}

      <div className="sticky bottom-0 -mx-3 flex flex-wrap items-center gap-2 border-t border-slate-200 bg-white px-3 py-2">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {assistant ? "Save changes" : "Create assistant"}
        </Button>
        <Button onClick={() => setViewCode(true)}>View code</Button>
        {dirty ? (
          <Button variant="ghost" onClick={form.discard}>
            Discard changes
          </Button>
        ) : null}
        <div role="status" className="basis-full text-sm text-slate-700">
          {save.isPending ? "Saving…" : showNote ? <SavedSummary note={savedNote} /> : null}
        </div>
      </div>
      <ViewCodeDialog
        open={viewCode}
        onClose={() => setViewCode(false)}
        body={form.body}
        connection={connection}
      />
    </form>
  );
});
