"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import type { ClientScope } from "@/lib/client/queries/scope";
import { vectorStoreListQuery } from "@/lib/client/queries/vector-stores/queries";
import { FileCounts } from "./file-counts";
import { VectorStoreForm } from "./vector-store-form";

export interface VectorStorePickerProps {
  scope: ClientScope | null;
  /** The chosen vector store id, or null for none. */
  value: string | null;
  onChange: (id: string | null) => void;
  label?: string;
}

/** Choose one vector store, or create one on the spot (name + files); returns its id. */
export function VectorStorePicker({
  scope,
  value,
  onChange,
  label = "Vector store",
}: VectorStorePickerProps) {
  const stores = useQuery(vectorStoreListQuery(scope));
  const [creating, setCreating] = useState(false);
  const list = stores.data ?? [];
  const chosen = list.find((vs) => vs.id === value) ?? null;
  return (
    <div className="space-y-2">
      <div className="flex items-end gap-2">
        <SelectField
          className="min-w-0 flex-1"
          label={label}
          value={value ?? ""}
          onChange={(e) => onChange(e.target.value || null)}
          disabled={stores.isLoading}
        >
          <option value="">None</option>
          {value && !chosen && !stores.isLoading ? <option value={value}>{value}</option> : null}
          {list.map((vs) => (
            <option key={vs.id} value={vs.id}>
              {(vs.name || vs.id) + ` (${vs.file_counts.total} file${vs.file_counts.total === 1 ? "" : "s"})`}
            </option>
          ))}
        </SelectField>
        <Button onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          {creating ? "Close" : "New vector store…"}
        </Button>
      </div>
      {chosen ? <FileCounts counts={chosen.file_counts} /> : null}
      {stores.error ? <ErrorAlert error={stores.error} /> : null}
      {creating ? (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
          <VectorStoreForm
            scope={scope}
            compact
            onCancel={() => setCreating(false)}
            onCreated={(vs) => {
              setCreating(false);
              onChange(vs.id);
            }}
          />
        </div>
      ) : null}
    </div>
  );
}
