"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { VectorStore } from "openai/resources/vector-stores/vector-stores";
import { FilePicker } from "@/components/files/file-picker";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import {
  ChunkingFields,
  chunkingFromInput,
  DEFAULT_CHUNKING_INPUT,
  FieldError,
  type ChunkingInput,
} from "./chunking-fields";
import type { ClientScope } from "@/lib/client/queries/scope";
import { vectorStoreKeys } from "@/lib/client/queries/vector-stores/queries";
import { createVectorStore, invalidateVectorStores } from "@/lib/client/queries/vector-stores/mutations";
import {
  EXPIRY_DAYS,
  MAX_BATCH_FILES,
  validateVectorStoreDraft,
  type DraftErrors,
} from "@/lib/client/vector-stores/draft";

/**
 * Create a vector store: name, files, and (unless `compact`) expiration policy and chunking strategy
 * with the protocol's limits checked beside each field. A group, not a <form>, so it can sit inside
 * another form (the assistant form).
 */
export function VectorStoreForm({
  scope,
  onCreated,
  onCancel,
  compact = false,
}: {
  scope: ClientScope | null;
  onCreated: (vs: VectorStore) => void;
  onCancel?: () => void;
  compact?: boolean;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [expires, setExpires] = useState(false);
  const [days, setDays] = useState("7");
  const [chunking, setChunking] = useState<ChunkingInput>(DEFAULT_CHUNKING_INPUT);
  const [fileIds, setFileIds] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<DraftErrors>({});
  const draft = {
    name,
    expiresAfterDays: expires ? Number(days) : null,
    chunking: chunkingFromInput(chunking),
    fileIds,
  };
  const create = useMutation({
    mutationFn: () => createVectorStore(scope!, draft),
    onSuccess: (vs) => {
      if (scope) {
        queryClient.setQueryData(vectorStoreKeys.detail(scope.connection, vs.id), vs);
        void invalidateVectorStores(queryClient, scope.connection.name);
      }
      setName("");
      setFileIds([]);
      onCreated(vs);
    },
  });

  function submit() {
    const errs = validateVectorStoreDraft(draft);
    setFieldErrors(errs);
    if (Object.keys(errs).length > 0 || !scope) return;
    create.mutate();
  }

  return (
    <div
      role="group"
      aria-label="New vector store"
      className="space-y-3"
      onKeyDown={(e) => {
        if (
          e.key === "Enter" &&
          (e.target as HTMLElement).tagName === "INPUT" &&
          (e.target as HTMLInputElement).type !== "checkbox"
        ) {
          e.preventDefault();
          submit();
        }
      }}
    >
      <div>
        <TextField
          label="Vector store name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Product manuals"
          aria-invalid={fieldErrors.name ? true : undefined}
        />
        <FieldError id="vs-name-error" message={fieldErrors.name} />
      </div>
      {compact ? null : (
        <div className="grid gap-3 sm:grid-cols-2">
          <fieldset className="space-y-2">
            <legend className="mb-1 text-sm font-medium text-slate-800">Expiration policy</legend>
            <SelectField
              label="Expires"
              value={expires ? "days" : "never"}
              onChange={(e) => setExpires(e.target.value === "days")}
            >
              <option value="never">Never</option>
              <option value="days">Days after last activity</option>
            </SelectField>
            {expires ? (
              <div>
                <TextField
                  label="Days after last activity"
                  type="number"
                  inputMode="numeric"
                  value={days}
                  onChange={(e) => setDays(e.target.value)}
                  hint={`${EXPIRY_DAYS.min}–${EXPIRY_DAYS.max} days, counted from the store's last use.`}
                  aria-invalid={fieldErrors.expiresAfterDays ? true : undefined}
                />
                <FieldError id="vs-days-error" message={fieldErrors.expiresAfterDays} />
              </div>
            ) : null}
          </fieldset>
          <ChunkingFields value={chunking} onChange={setChunking} errors={fieldErrors} />
        </div>
      )}
      <FilePicker
        scope={scope}
        value={fileIds}
        onChange={setFileIds}
        max={MAX_BATCH_FILES}
        use="file_search"
        label="Files to add"
      />
      <FieldError id="vs-files-error" message={fieldErrors.fileIds} />
      {create.error ? <ErrorAlert error={create.error} /> : null}
      <div className="flex gap-2">
        <Button variant="primary" onClick={submit} disabled={!scope || create.isPending}>
          {create.isPending ? "Creating…" : "Create vector store"}
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
    </div>
  );
}
