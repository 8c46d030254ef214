"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { SelectField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { assistantListQuery } from "@/lib/client/queries/assistants/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { connectionsQuery } from "@/lib/client/connections";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useUnsavedDraft } from "@/lib/client/stores/assistant-draft-store-hooks";
import { AssistantBuilder } from "./assistant-builder";
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
  const list = useQuery(assistantListQuery(scope));
  const connections = useQuery(connectionsQuery);
  const assistants = list.data ?? [];
  const selected = assistants.find((a) => a.id === assistantId) ?? null;
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
        <SelectField
          label="Assistant"
          className="min-w-0 flex-1"
          value={selected?.id ?? ""}
          onChange={(e) => choose(e.target.value || null)}
          disabled={list.isLoading}
        >
          <option value="">{list.isLoading ? "Loading…" : "New assistant"}</option>
          {assistants.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name || "(unnamed)"} · {a.id}
            </option>
          ))}
        </SelectField>
        <Button onClick={() => choose(null)} disabled={selected === null}>
          New assistant
        </Button>
      </div>
      {list.isError ? (
        <ErrorAlert
          title="Could not load assistants"
          error={list.error}
          onRetry={() => void list.refetch()}
          retryLabel="Reload"
        />
      ) : null}
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
    </div>
  );
}
