"use client";

import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { VectorStore } from "openai/resources/vector-stores/vector-stores";
import { ConfirmDialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { FilePicker } from "@/components/files/file-picker";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { formatTimestamp } from "@/lib/client/time";
import { formatBytes } from "@/lib/client/files/file-types";
import type { ClientScope } from "@/lib/client/queries/scope";
import { LIMITS } from "@/lib/protocol/limits";
import {
  fileBatchQuery,
  vectorStoreDetailQuery,
  vectorStoreFilesQuery,
  vectorStoreKeys,
} from "@/lib/client/queries/vector-stores/queries";
import {
  addVectorStoreFiles,
  cancelFileBatch,
  deleteVectorStore,
  invalidateVectorStores,
  updateVectorStore,
} from "@/lib/client/queries/vector-stores/mutations";
import {
  MAX_BATCH_FILES,
  validateVectorStoreDraft,
  type DraftErrors,
} from "@/lib/client/vector-stores/draft";
import {
  ChunkingFields,
  chunkingFromInput,
  DEFAULT_CHUNKING_INPUT,
  type ChunkingInput,
} from "./chunking-fields";
import { AttachToAssistant } from "./attach-to-assistant";
import { FileCounts } from "./file-counts";
import { VectorStoreFiles } from "./vector-store-files";

function Rename({ scope, store }: { scope: ClientScope; store: VectorStore }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(store.name ?? "");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const rename = useMutation({
    mutationFn: (n: string) => updateVectorStore(scope, store.id, { name: n }),
    onSuccess: () => invalidateVectorStores(queryClient, scope.connection.name),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.length > LIMITS.nameLength) {
      setFieldError(`At most ${LIMITS.nameLength} characters.`);
      return;
    }
    setFieldError(null);
    rename.mutate(name.trim());
  }
  return (
    <form onSubmit={submit} aria-label="Rename vector store" className="space-y-1">
      <div className="flex items-end gap-2">
        <TextField
          className="min-w-0 flex-1"
          label="Name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            rename.reset();
          }}
          aria-invalid={fieldError ? true : undefined}
        />
        <Button type="submit" disabled={rename.isPending || name === (store.name ?? "")}>
          {rename.isPending ? "Saving…" : "Rename"}
        </Button>
      </div>
      {fieldError ? (
        <p role="alert" className="text-sm text-red-800">
          {fieldError}
        </p>
      ) : null}
      <p role="status" className="text-sm text-green-800">
        {rename.isSuccess ? "Renamed." : ""}
      </p>
      {rename.error ? <ErrorAlert error={rename.error} /> : null}
    </form>
  );
}

function AddFiles({ scope, store }: { scope: ClientScope; store: VectorStore }) {
  const queryClient = useQueryClient();
  const [fileIds, setFileIds] = useState<string[]>([]);
  const [chunking, setChunking] = useState<ChunkingInput>(DEFAULT_CHUNKING_INPUT);
  const [chunkErrors, setChunkErrors] = useState<DraftErrors>({});
  const [batchId, setBatchId] = useState<string | null>(null);
  const batch = useQuery(fileBatchQuery(scope, store.id, batchId));
  const inStore = useQuery(vectorStoreFilesQuery(scope, store.id));
  const excludeIds = useMemo(() => (inStore.data ?? []).map((f) => f.id), [inStore.data]);
  const add = useMutation({
    mutationFn: (ids: string[]) => addVectorStoreFiles(scope, store.id, ids, chunkingFromInput(chunking)),
    onSuccess: (r) => {
      setFileIds([]);
      if (r.batch) {
        setBatchId(r.batch.id);
        queryClient.setQueryData(vectorStoreKeys.batch(scope.connection, store.id, r.batch.id), r.batch);
      }
      void invalidateVectorStores(queryClient, scope.connection.name);
    },
  });
  const cancel = useMutation({
    mutationFn: (id: string) => cancelFileBatch(scope, store.id, id),
    onSettled: () => invalidateVectorStores(queryClient, scope.connection.name),
  });
  const batchStatus = batch.data?.status;
  useEffect(() => {
    if (batchStatus && batchStatus !== "in_progress")
      void invalidateVectorStores(queryClient, scope.connection.name);
  }, [batchStatus, queryClient, scope.connection.name]);

  return (
    <div className="space-y-2">
      <FilePicker
        scope={scope}
        value={fileIds}
        onChange={setFileIds}
        max={MAX_BATCH_FILES}
        use="file_search"
        label="Files to add"
        excludeIds={excludeIds}
      />
      <ChunkingFields value={chunking} onChange={setChunking} errors={chunkErrors} />
      <Button
        variant="primary"
        disabled={fileIds.length === 0 || add.isPending}
        onClick={() => {
          const errs = validateVectorStoreDraft({
            name: "",
            expiresAfterDays: null,
            chunking: chunkingFromInput(chunking),
            fileIds,
          });
          setChunkErrors(errs);
          if (Object.keys(errs).length === 0) add.mutate(fileIds);
        }}
      >
        {add.isPending
          ? "Adding…"
          : fileIds.length > 1
            ? `Add ${fileIds.length} files as a batch`
            : fileIds.length === 1
              ? "Add file"
              : "Add files"}
      </Button>
      {add.error ? <ErrorAlert error={add.error} /> : null}
      {batch.data ? (
        <div
          role="group"
          aria-label="File batch"
          className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-slate-50 px-3 py-2 text-sm"
        >
          <span className="font-medium">Batch {batch.data.status.replace("_", " ")}</span>
          <span className="font-mono text-xs text-slate-600">{batch.data.id}</span>
          <FileCounts counts={batch.data.file_counts} />
          {batch.data.status === "in_progress" ? (
            <Button
              className="ml-auto"
              onClick={() => cancel.mutate(batch.data.id)}
              disabled={cancel.isPending}
            >
              Cancel batch
            </Button>
          ) : null}
        </div>
      ) : null}
      {cancel.error ? <ErrorAlert error={cancel.error} /> : null}
      {batch.error ? <ErrorAlert error={batch.error} /> : null}
    </div>
  );
}

export function VectorStoreDetail({
  scope,
  vectorStoreId,
  onDeleted,
}: {
  scope: ClientScope;
  vectorStoreId: string;
  onDeleted: () => void;
}) {
  const queryClient = useQueryClient();
  const store = useQuery(vectorStoreDetailQuery(scope, vectorStoreId));
  const [confirming, setConfirming] = useState(false);
  const [attaching, setAttaching] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteVectorStore(scope, vectorStoreId),
    onSuccess: () => {
      setConfirming(false);
      onDeleted();
      void invalidateVectorStores(queryClient, scope.connection.name);
    },
  });
  if (store.error)
    return <ErrorAlert error={store.error} onRetry={() => void store.refetch()} retryLabel="Retry" />;
  const vs = store.data;
  if (!vs) return <p className="text-sm text-slate-600">Loading vector store…</p>;
  const title = vs.name || vs.id;
  return (
    <section aria-labelledby="vs-detail-heading" className="space-y-4">
      <div className="flex flex-wrap items-start gap-2">
        <div className="mr-auto min-w-0">
          <h2 id="vs-detail-heading" className="truncate text-lg font-semibold">
            {title}
          </h2>
          <p className="font-mono text-xs text-slate-600">{vs.id}</p>
        </div>
        <Button onClick={() => setAttaching((a) => !a)} aria-expanded={attaching}>
          Attach to assistant…
        </Button>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete vector store
        </Button>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-600">Status</dt>
          <dd>{vs.status.replace("_", " ")}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Usage</dt>
          <dd>{formatBytes(vs.usage_bytes)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Created</dt>
          <dd>{formatTimestamp(vs.created_at)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Expires</dt>
          <dd>
            {vs.expires_after
              ? `${vs.expires_after.days} days after last activity${vs.expires_at ? ` (${formatTimestamp(vs.expires_at)})` : ""}`
              : "Never"}
          </dd>
        </div>
      </dl>
      <div aria-live="polite">
        <FileCounts counts={vs.file_counts} />
      </div>
      {attaching ? (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
          <h3 className="mb-2 text-sm font-semibold">Attach to an assistant</h3>
          <AttachToAssistant scope={scope} vectorStoreId={vs.id} />
        </div>
      ) : null}
      <Rename key={vs.id} scope={scope} store={vs} />
      <div>
        <h3 className="mb-2 text-sm font-semibold">Add files</h3>
        <AddFiles key={vs.id} scope={scope} store={vs} />
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold">Files</h3>
        <VectorStoreFiles scope={scope} vectorStoreId={vs.id} />
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${title}?`}
        confirmLabel="Delete vector store"
        busy={remove.isPending}
        onCancel={() => {
          setConfirming(false);
          remove.reset();
        }}
        onConfirm={() => remove.mutate()}
      >
        <p>
          The store and its chunks are deleted and it is detached from assistants and threads. The files
          themselves stay.
        </p>
        {remove.error ? (
          <div className="mt-2">
            <ErrorAlert error={remove.error} />
          </div>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
