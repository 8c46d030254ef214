"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ErrorAlert } from "@/components/ui/error-alert";
import { AppHeader } from "@/components/layout/app-header";
import { Button } from "@/components/ui/button";
import { vectorStoreListQuery } from "@/lib/client/queries/vector-stores/queries";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { FileCounts } from "./file-counts";
import { VectorStoreDetail } from "./vector-store-detail";
import { VectorStoreForm } from "./vector-store-form";

export function VectorStoresPage() {
  const active = useActiveConnection();
  const { scope } = active;
  const stores = useQuery(vectorStoreListQuery(scope));
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = stores.data ?? [];
  const current = selected;

  return (
    <div className="flex min-h-dvh flex-col bg-slate-100">
      <AppHeader active={active} />
      <main className="mx-auto grid w-full max-w-6xl gap-4 p-4 lg:grid-cols-[18rem_minmax(0,1fr)]">
        <div className="flex flex-wrap items-center gap-2 lg:col-span-2">
          <Button variant="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            {creating ? "Close new vector store" : "New vector store"}
          </Button>
        </div>
        <nav
          aria-labelledby="vs-list-heading"
          className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
        >
          <h2 id="vs-list-heading" className="text-base font-semibold">
            Vector stores
          </h2>
          {stores.error ? (
            <ErrorAlert error={stores.error} onRetry={() => void stores.refetch()} retryLabel="Retry" />
          ) : null}
          {stores.isLoading ? <p className="text-sm text-slate-600">Loading…</p> : null}
          {stores.data && list.length === 0 ? (
            <p className="text-sm text-slate-600">
              No vector stores yet. Create one with “New vector store”.
            </p>
          ) : null}
          <ul className="space-y-1">
            {list.map((vs) => (
              <li key={vs.id}>
                <button
                  type="button"
                  onClick={() => {
                    setSelected(vs.id);
                    setCreating(false);
                  }}
                  aria-current={current === vs.id ? "true" : undefined}
                  className={`w-full rounded-md px-2 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${current === vs.id ? "bg-indigo-50 ring-1 ring-indigo-300" : "hover:bg-slate-50"}`}
                >
                  <span className="block truncate font-medium">{vs.name || vs.id}</span>
                  <FileCounts counts={vs.file_counts} />
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="min-w-0 space-y-4">
          {creating ? (
            <section
              aria-labelledby="vs-new-heading"
              className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            >
              <h2 id="vs-new-heading" className="mb-3 text-base font-semibold">
                New vector store
              </h2>
              <VectorStoreForm
                scope={scope}
                onCancel={() => setCreating(false)}
                onCreated={(vs) => {
                  setCreating(false);
                  setSelected(vs.id);
                }}
              />
            </section>
          ) : null}
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            {current && scope ? (
              <VectorStoreDetail
                key={current}
                scope={scope}
                vectorStoreId={current}
                onDeleted={() => setSelected(null)}
              />
            ) : (
              <p className="text-sm text-slate-600">
                Choose a vector store to see its files, or create a new one.
              </p>
            )}
          </div>
        </div>
      </main>
    </div>
  );
}
