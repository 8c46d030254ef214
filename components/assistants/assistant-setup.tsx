"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import {
  assistantListQuery,
  onAssistantSaved,
  saveAssistant,
  type AssistantDraft,
} from "@/lib/client/queries/assistants";
import type { ClientScope } from "@/lib/client/queries/scope";
import { toPlaygroundError } from "@/lib/client/errors";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { AssistantForm } from "./assistant-form";

export function AssistantSetup({
  scope,
  assistantId,
}: {
  scope: ClientScope | null;
  assistantId: string | null;
}) {
  const queryClient = useQueryClient();
  const selectAssistant = usePlaygroundStore((s) => s.selectAssistant);
  const list = useQuery(assistantListQuery(scope));
  const assistants = list.data ?? [];
  const selected = assistants.find((a) => a.id === assistantId) ?? null;
  const [savedId, setSavedId] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: ({ draft, existing }: { draft: AssistantDraft; existing: Assistant | null }) => {
      if (!scope) throw new Error("No connection yet.");
      return saveAssistant(scope, draft, existing);
    },
    onSuccess: async (assistant) => {
      if (!scope) return;
      selectAssistant(scope.connection.name, assistant.id);
      setSavedId(assistant.id);
      await onAssistantSaved(queryClient, scope.connection.name, assistant);
    },
  });

  function choose(id: string | null) {
    if (!scope) return;
    save.reset();
    setSavedId(null);
    selectAssistant(scope.connection.name, id);
  }

  if (!scope) return <p className="p-3 text-sm text-slate-600">Waiting for the connection…</p>;

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
      <AssistantForm
        key={selected?.id ?? "new"}
        assistant={selected}
        saving={save.isPending}
        saved={savedId !== null && savedId === selected?.id && !save.isPending}
        error={save.error ? toPlaygroundError(save.error) : null}
        onSave={(draft) => save.mutate({ draft, existing: selected })}
      />
    </div>
  );
}
