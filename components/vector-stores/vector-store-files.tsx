"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/client/files/file-types";
import { fileListQuery } from "@/lib/client/queries/files/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { vectorStoreFilesQuery } from "@/lib/client/queries/vector-stores/queries";
import { invalidateVectorStores, removeVectorStoreFile } from "@/lib/client/queries/vector-stores/mutations";

const STATUS: Record<VectorStoreFile["status"], { text: string; className: string }> = {
  in_progress: { text: "In progress", className: "bg-amber-100 text-amber-900" },
  completed: { text: "Completed", className: "bg-green-100 text-green-900" },
  failed: { text: "Failed", className: "bg-red-100 text-red-900" },
  cancelled: { text: "Cancelled", className: "bg-slate-200 text-slate-800" },
};

/** The store's files with live ingestion status (polls while any is in progress). */
export function VectorStoreFiles({ scope, vectorStoreId }: { scope: ClientScope; vectorStoreId: string }) {
  const queryClient = useQueryClient();
  const files = useQuery(vectorStoreFilesQuery(scope, vectorStoreId));
  const known = useQuery(fileListQuery(scope, null));
  const names = new Map((known.data ?? []).map((f) => [f.id, f.filename]));
  const remove = useMutation({
    mutationFn: (fileId: string) => removeVectorStoreFile(scope, vectorStoreId, fileId),
    onSettled: () => invalidateVectorStores(queryClient, scope.connection.name),
  });
  if (files.error)
    return <ErrorAlert error={files.error} onRetry={() => void files.refetch()} retryLabel="Retry" />;
  if (!files.data) return <p className="text-sm text-slate-600">Loading files…</p>;
  if (files.data.length === 0)
    return <p className="text-sm text-slate-600">No files in this store yet. Add some above.</p>;
  return (
    <div className="space-y-2">
      {remove.error ? <ErrorAlert error={remove.error} /> : null}
      <ul
        aria-label="Files in this vector store"
        className="divide-y divide-slate-100 rounded border border-slate-200"
      >
        {files.data.map((f) => {
          const name = names.get(f.id) ?? f.id;
          const s = STATUS[f.status];
          return (
            <li
              key={f.id}
              aria-label={name}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm"
            >
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium" title={name}>
                  {name}
                </span>
                <span className="block font-mono text-xs text-slate-600">{f.id}</span>
              </span>
              <span className={`rounded px-2 py-0.5 text-xs font-medium ${s.className}`}>{s.text}</span>
              <span className="w-20 text-right text-xs text-slate-700">
                {f.status === "completed" ? formatBytes(f.usage_bytes) : ""}
              </span>
              <Button
                variant="ghost"
                aria-label={`Remove ${name} from the store`}
                disabled={remove.isPending && remove.variables === f.id}
                onClick={() => remove.mutate(f.id)}
              >
                Remove
              </Button>
              {f.status === "failed" && f.last_error ? (
                <p className="w-full text-xs text-red-800">
                  <span className="font-mono font-semibold">{f.last_error.code}</span>: {f.last_error.message}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
