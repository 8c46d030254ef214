"use client";

import { memo, useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { SelectField, TextField } from "@/components/ui/field";
import { assistantDetailQuery, assistantPagesQuery } from "@/lib/client/queries/assistants/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { formatTimestamp } from "@/lib/client/time";

type Sort = "desc" | "asc" | "name";

function toolSummary(a: Assistant): string {
  const fns = a.tools.filter((t) => t.type === "function").length;
  const parts = [
    a.tools.some((t) => t.type === "code_interpreter") ? "Code interpreter" : null,
    a.tools.some((t) => t.type === "file_search" || (t.type as string) === "retrieval")
      ? "File search"
      : null,
    fns ? `${fns} function${fns === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "No tools";
}

/** The connection's assistants, page by page: search (an exact asst_ id is fetched directly), sort, pick one. */
export const AssistantList = memo(function AssistantList({
  scope,
  apiVersion,
  apiVersions,
  onApiVersion,
  selectedId,
  onSelect,
}: {
  scope: ClientScope | null;
  apiVersion: string;
  /** The connection's api-versions; a choice shows when there is more than one. */
  apiVersions: readonly string[];
  onApiVersion: (apiVersion: string) => void;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const [sort, setSort] = useState<Sort>("desc");
  const [search, setSearch] = useState("");
  const query = useDeferredValue(search.trim().toLowerCase());
  const pages = useInfiniteQuery(assistantPagesQuery(scope, sort === "asc" ? "asc" : "desc"));
  const loaded = useMemo(() => pages.data?.pages.flatMap((p) => p.data) ?? [], [pages.data]);
  const shown = useMemo(() => {
    const list = query
      ? loaded.filter(
          (a) => a.id.toLowerCase().includes(query) || (a.name ?? "").toLowerCase().includes(query),
        )
      : loaded;
    return sort === "name" ? [...list].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "")) : list;
  }, [loaded, query, sort]);
  // An exact id not among the loaded pages is fetched directly.
  const idLookup =
    /^asst_[a-z0-9]+$/i.test(search.trim()) && !loaded.some((a) => a.id === search.trim())
      ? search.trim()
      : null;
  const lookup = useQuery({ ...assistantDetailQuery(scope, idLookup), retry: false });

  return (
    <section
      aria-labelledby="assistants-list-heading"
      className="flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
    >
      <div className="flex items-baseline justify-between">
        <h2 id="assistants-list-heading" className="text-sm font-semibold text-slate-900">
          Assistants
        </h2>
        <span className="text-xs text-slate-600">
          {loaded.length} loaded{pages.hasNextPage ? ", more available" : ""}
        </span>
      </div>
      <div className="grid grid-cols-[1fr_auto] gap-2">
        <TextField
          label="Search"
          type="search"
          placeholder="Name or asst_ id"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <SelectField label="Sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          <option value="desc">Newest first</option>
          <option value="asc">Oldest first</option>
          <option value="name">Name A–Z</option>
        </SelectField>
      </div>
      {apiVersions.length > 1 ? (
        <SelectField
          label="API version"
          value={apiVersion}
          onChange={(e) => onApiVersion(e.target.value)}
          hint="v1 versions (2024-02-15/03-01/04-01-preview) show file_ids and hide v2-only settings."
        >
          {apiVersions.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </SelectField>
      ) : null}
      {pages.isError ? (
        <ErrorAlert
          title="Could not load assistants"
          error={pages.error}
          onRetry={() => void pages.refetch()}
        />
      ) : null}
      <ul
        aria-label="Assistants"
        aria-busy={pages.isLoading}
        className="min-h-0 flex-1 space-y-1 overflow-y-auto"
      >
        {lookup.data && !shown.some((a) => a.id === lookup.data.id) ? (
          <AssistantRow
            assistant={lookup.data}
            selected={lookup.data.id === selectedId}
            onSelect={onSelect}
          />
        ) : null}
        {shown.map((a) => (
          <AssistantRow key={a.id} assistant={a} selected={a.id === selectedId} onSelect={onSelect} />
        ))}
      </ul>
      {pages.isLoading ? <p className="text-sm text-slate-600">Loading assistants…</p> : null}
      {!pages.isLoading && shown.length === 0 && !lookup.data ? (
        <p className="text-sm text-slate-600">
          {query
            ? `No loaded assistant matches “${search.trim()}”.${pages.hasNextPage ? " Load more to search further." : ""}`
            : "No assistants yet: create one."}
        </p>
      ) : null}
      {pages.hasNextPage ? (
        <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </section>
  );
});

const AssistantRow = memo(function AssistantRow({
  assistant: a,
  selected,
  onSelect,
}: {
  assistant: Assistant;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  return (
    <li>
      <button
        type="button"
        onClick={() => onSelect(a.id)}
        aria-current={selected ? "true" : undefined}
        className={`w-full rounded-md border px-2.5 py-2 text-left focus-visible:outline-2 focus-visible:outline-indigo-600 ${selected ? "border-indigo-400 bg-indigo-50" : "border-slate-200 hover:bg-slate-50"}`}
      >
        <span className="block truncate text-sm font-medium text-slate-900">{a.name || "(unnamed)"}</span>
        <span className="block truncate font-mono text-xs text-slate-600">{a.id}</span>
        <span className="mt-0.5 block text-xs text-slate-700">
          {a.model} · {toolSummary(a)}
        </span>
        <span className="block text-xs text-slate-600">Created {formatTimestamp(a.created_at)}</span>
      </button>
    </li>
  );
});
