"use client";

import { useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { SelectField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { assistantListQuery } from "@/lib/client/queries/assistants";
import type { ClientScope } from "@/lib/client/queries/scope";
import { connectionsQuery } from "@/lib/client/connections";
import { toPlaygroundError } from "@/lib/client/errors";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { AssistantBuilder, type BuilderConnection, type SavedNote } from "./assistant-builder";
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
  const dirty = useRef(false);

  function choose(id: string | null) {
    if (!scope) return;
    if (dirty.current && !window.confirm(LEAVE_MESSAGE)) return;
    setSavedNote(null);
    selectAssistant(scope.connection.name, id);
  }

  if (!scope) return <p className="p-3 text-sm text-slate-600">Waiting for the connection…</p>;
  const info = connections.data?.find((c) => c.name === scope.connection.name);
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
        <Alert
          title="Could not load assistants"
          actions={<Button onClick={() => void list.refetch()}>Reload</Button>}
        >
          <p>{toPlaygroundError(list.error).message}</p>
          <p>{toPlaygroundError(list.error).hint}</p>
        </Alert>
      ) : null}
      <AssistantBuilder
        key={`${connection.name}/${connection.apiVersion}/${selected?.id ?? "new"}`}
        scope={scope}
        connection={connection}
        assistant={selected}
        compact
        savedNote={savedNote}
        onDirtyChange={(d) => (dirty.current = d)}
        onSaved={(assistant, note) => {
          setSavedNote(note);
          selectAssistant(scope.connection.name, assistant.id);
        }}
      />
    </div>
  );
}
