"use client";

import { useId, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AssistantTool } from "openai/resources/beta/assistants";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { assistantListQuery } from "@/lib/client/queries/assistants/queries";
import { invalidateAssistants } from "@/lib/client/queries/assistants/mutations";
import type { ClientScope } from "@/lib/client/queries/scope";

/**
 * Sets an assistant's `tool_resources.file_search.vector_store_ids` to this store (an assistant
 * holds one) and turns file search on, keeping its other tools and resources.
 */
export function AttachToAssistant({ scope, vectorStoreId }: { scope: ClientScope; vectorStoreId: string }) {
  const queryClient = useQueryClient();
  const assistants = useQuery(assistantListQuery(scope));
  const [assistantId, setAssistantId] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const statusId = useId();
  const attach = useMutation({
    mutationFn: async (id: string) => {
      const a = await scope.client.beta.assistants.retrieve(id);
      const tools: AssistantTool[] = a.tools.some((t) => t.type === "file_search")
        ? a.tools
        : [...a.tools, { type: "file_search" }];
      return scope.client.beta.assistants.update(id, {
        tools,
        tool_resources: { file_search: { vector_store_ids: [vectorStoreId] } },
      });
    },
    onSuccess: (a) => {
      setDone(`Attached to ${a.name || a.id}; file search is on.`);
      void invalidateAssistants(queryClient, scope.connection.name);
    },
  });
  const list = assistants.data ?? [];
  const current = list.filter((a) =>
    a.tool_resources?.file_search?.vector_store_ids?.includes(vectorStoreId),
  );
  return (
    <div className="space-y-2">
      {current.length > 0 ? (
        <p className="text-sm text-slate-700">Used by: {current.map((a) => a.name || a.id).join(", ")}</p>
      ) : null}
      <div className="flex flex-wrap items-end gap-2">
        <SelectField
          label="Assistant"
          className="min-w-48 flex-1"
          value={assistantId}
          onChange={(e) => {
            setAssistantId(e.target.value);
            setDone(null);
            attach.reset();
          }}
          hint="Its current vector store (if any) is replaced: an assistant has one."
        >
          <option value="">
            {assistants.isLoading
              ? "Loading assistants…"
              : list.length
                ? "Choose an assistant"
                : "No assistants yet"}
          </option>
          {list.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name || a.id}
            </option>
          ))}
        </SelectField>
        <Button
          variant="primary"
          disabled={!assistantId || attach.isPending}
          onClick={() => attach.mutate(assistantId)}
          aria-describedby={statusId}
        >
          {attach.isPending ? "Attaching…" : "Attach"}
        </Button>
      </div>
      <p id={statusId} role="status" className="text-sm text-green-800">
        {done}
      </p>
      {attach.error ? <ErrorAlert error={attach.error} /> : null}
      {assistants.error ? <ErrorAlert error={assistants.error} /> : null}
    </div>
  );
}
