"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { assistantDetailQuery } from "@/lib/client/queries/assistants/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { connectionsQuery } from "@/lib/client/connections";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useUnsavedDraft } from "@/lib/client/stores/assistant-draft-store-hooks";
import { AssistantBuilder } from "./assistant-builder";
import { AssistantPicker } from "./assistant-picker";
import type { BuilderConnection, SavedNote } from "./use-assistant-form";
import { LEAVE_MESSAGE } from "./use-leave-guard";

/** The playground's setup panel: pick an assistant of the connection, or build a new one. */
export function AssistantSetup({
  scope,
  assistantId,
}: {
  scope: ClientScope | null;
  assistantId: string | null;
}) {
  const selectAssistant = usePlaygroundStore((s) => s.selectAssistant);
  // The chosen assistant on its own (it may be beyond any page the picker has loaded).
  const detail = useQuery(assistantDetailQuery(scope, assistantId));
  const connections = useQuery(connectionsQuery);
  const selected = assistantId && detail.data?.id === assistantId ? detail.data : null;
  const [savedNote, setSavedNote] = useState<SavedNote | null>(null);
  const info = connections.data?.find((c) => c.name === scope?.connection.name);
  const dirty = useUnsavedDraft(scope?.connection.name ?? null, selected, info?.deployments[0]);

  function choose(id: string | null) {
    if (!scope) return;
    if (dirty && !window.confirm(LEAVE_MESSAGE)) return;
    setSavedNote(null);
    selectAssistant(scope.connection.name, id);
  }

  if (!scope) return <p className="p-3 text-sm text-slate-600">Waiting for the connection…</p>;
  const connection: BuilderConnection = {
    name: scope.connection.name,
    apiVersion: scope.connection.apiVersion,
    default: info?.default ?? false,
    deployments: info?.deployments ?? [],
    codeSandbox: info?.codeSandbox ?? null,
    engineModel: info?.engineModel ?? null,
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-3">
      <div className="flex items-end gap-2">
        <AssistantPicker scope={scope} selected={selected} onChoose={choose} />
        {/* Only beside a chosen assistant: with none, the form below already makes a new one. */}
        {assistantId ? <Button onClick={() => choose(null)}>New assistant</Button> : null}
      </div>
      {detail.isError ? (
        <ErrorAlert
          title="Could not load the assistant"
          error={detail.error}
          onRetry={() => void detail.refetch()}
          retryLabel="Reload"
        />
      ) : null}
      {assistantId && detail.isPending ? (
        <p className="text-sm text-slate-600">Loading the assistant…</p>
      ) : null}
      {assistantId && !selected && !detail.isError ? null : (
        <AssistantBuilder
          key={`${connection.name}/${connection.apiVersion}/${selected?.id ?? "new"}`}
          scope={scope}
          connection={connection}
          assistant={selected}
          compact
          savedNote={savedNote}
          onSaved={(assistant, note) => {
            setSavedNote(note);
            selectAssistant(scope.connection.name, assistant.id);
          }}
        />
      )}
    </div>
  );
}
