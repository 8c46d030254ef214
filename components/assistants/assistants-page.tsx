"use client";

import dynamic from "next/dynamic";
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { AppHeader } from "@/components/layout/app-header";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { SelectField, TextField } from "@/components/ui/field";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { getPlaygroundClient } from "@/lib/client/sdk";
import type { ClientScope } from "@/lib/client/queries/scope";
import {
  assistantDetailQuery,
  assistantKeys,
  assistantPagesQuery,
  deleteAssistant,
  onAssistantDeleted,
  onAssistantSaved,
  writeAssistant,
} from "@/lib/client/queries/assistants";
import { formFromAssistant, toRequestBody } from "@/lib/client/assistants/form";
import { buildExport, exportFileName } from "@/lib/client/assistants/transfer";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useUnsavedDraft } from "@/lib/client/stores/assistant-draft-store-hooks";
import { AssistantBuilder } from "./assistant-builder";
import type { BuilderConnection, SavedNote } from "./use-assistant-form";
import { Modal } from "@/components/ui/dialog";
import { downloadJson } from "@/lib/client/download";
import { formatTimestamp } from "@/lib/client/time";
import { LEAVE_MESSAGE } from "./use-leave-guard";

// Import parsing (zod) loads only when a person imports a file.
const ImportDialog = dynamic(() => import("./import-dialog").then((m) => m.ImportDialog), { ssr: false });

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

/** Browse, search and sort the connection's assistants; create, edit, duplicate, delete, import and export. */
export function AssistantsPage() {
  const active = useActiveConnection();
  const info = active.connection;
  const queryClient = useQueryClient();
  const [apiVersionChoice, setApiVersion] = useState<string | null>(null);
  const apiVersion =
    apiVersionChoice && info?.apiVersions.includes(apiVersionChoice)
      ? apiVersionChoice
      : (info?.apiVersion ?? null);
  const name = info?.name ?? null;
  const scope = useMemo<ClientScope | null>(() => {
    if (!name || !apiVersion) return null;
    const ref = { name, apiVersion };
    return { client: getPlaygroundClient(ref), connection: ref };
  }, [name, apiVersion]);

  // Query keys name the connection, not the api-version: start afresh when the version changes.
  const lastVersion = useRef(apiVersion);
  useEffect(() => {
    if (name && lastVersion.current !== apiVersion)
      void queryClient.resetQueries({ queryKey: assistantKeys.connection(name) });
    lastVersion.current = apiVersion;
  }, [apiVersion, name, queryClient]);
  useEffect(
    () => () => {
      if (name && lastVersion.current !== info?.apiVersion)
        queryClient.removeQueries({ queryKey: assistantKeys.connection(name) });
    },
    [name, info?.apiVersion, queryClient],
  );

  const selectedId = usePlaygroundStore((s) => (name ? (s.assistantByConnection[name] ?? null) : null));
  const selectAssistant = usePlaygroundStore((s) => s.selectAssistant);
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

  const detail = useQuery(assistantDetailQuery(scope, selectedId));
  const selected = detail.data ?? null;
  const [savedNote, setSavedNote] = useState<SavedNote | null>(null);
  const builderShown = scope !== null && info !== null && (!selectedId || selected !== null);
  const dirty = useUnsavedDraft(builderShown ? name : null, selected, info?.deployments[0]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [importFile, setImportFile] = useState<{ name: string; text: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const importId = useId();

  function choose(id: string | null) {
    if (!name) return;
    if (id === selectedId) return;
    if (dirty && !window.confirm(LEAVE_MESSAGE)) return;
    setSavedNote(null);
    setMessage(null);
    selectAssistant(name, id);
  }

  const duplicate = useMutation({
    mutationFn: async (a: Assistant) => {
      if (!scope) throw new Error("No connection yet.");
      const form = formFromAssistant(a);
      form.name = `${(a.name || "Assistant").slice(0, 249)} (copy)`;
      return writeAssistant(scope, toRequestBody(form, scope.connection.apiVersion), null);
    },
    onSuccess: async (copy) => {
      if (!name) return;
      selectAssistant(name, copy.id);
      setSavedNote(null);
      setMessage(`Duplicated as ${copy.name} (${copy.id}).`);
      await onAssistantSaved(queryClient, name, copy);
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => {
      if (!scope) throw new Error("No connection yet.");
      return deleteAssistant(scope, id);
    },
    onSuccess: async (_, id) => {
      if (!name) return;
      setConfirmDelete(false);
      setMessage(`Deleted ${selected?.name || id}.`);
      selectAssistant(name, null);
      await onAssistantDeleted(queryClient, name, id);
    },
  });
  const exportAll = useMutation({
    mutationFn: async () => {
      if (!scope) throw new Error("No connection yet.");
      const all: Assistant[] = [];
      for await (const a of scope.client.beta.assistants.list({ limit: 100, order: "asc" })) all.push(a);
      return all;
    },
    onSuccess: (all) => {
      if (!scope) return;
      downloadJson(
        exportFileName(scope.connection.name, all),
        buildExport(all, { connection: scope.connection.name, apiVersion: scope.connection.apiVersion }),
      );
      setMessage(`Exported ${all.length} assistant${all.length === 1 ? "" : "s"}.`);
    },
  });

  const connection: BuilderConnection | null =
    info && apiVersion
      ? {
          name: info.name,
          apiVersion,
          default: info.default,
          deployments: info.deployments,
          codeSandbox: info.codeSandbox ?? null,
          engineModel: info.engineModel ?? null,
        }
      : null;

  return (
    <div className="flex min-h-dvh flex-col bg-slate-100">
      <AppHeader
        active={active}
        actions={
          <>
            <Button onClick={() => choose(null)}>New assistant</Button>
            <span>
              <input
                id={importId}
                type="file"
                accept="application/json,.json"
                className="peer sr-only"
                disabled={!scope}
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  e.target.value = "";
                  if (f) setImportFile({ name: f.name, text: await f.text() });
                }}
              />
              <label
                htmlFor={importId}
                className="inline-flex cursor-pointer items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600"
              >
                Import JSON
              </label>
            </span>
            <Button onClick={() => exportAll.mutate()} disabled={!scope || exportAll.isPending}>
              {exportAll.isPending ? "Exporting…" : "Export all"}
            </Button>
          </>
        }
      />
      <main className="grid flex-1 grid-cols-1 gap-3 p-3 lg:grid-cols-[minmax(18rem,26rem)_minmax(0,1fr)]">
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
          {info && info.apiVersions.length > 1 ? (
            <SelectField
              label="API version"
              value={apiVersion ?? ""}
              onChange={(e) => setApiVersion(e.target.value)}
              hint="v1 versions (2024-02-15/03-01/04-01-preview) show file_ids and hide v2-only settings."
            >
              {info.apiVersions.map((v) => (
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
                onSelect={choose}
              />
            ) : null}
            {shown.map((a) => (
              <AssistantRow key={a.id} assistant={a} selected={a.id === selectedId} onSelect={choose} />
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

        <section
          aria-labelledby="assistant-editor-heading"
          className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
        >
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <h2 id="assistant-editor-heading" className="mr-auto text-sm font-semibold text-slate-900">
              {selected ? selected.name || "(unnamed)" : selectedId ? "Loading…" : "New assistant"}
            </h2>
            {selected ? (
              <>
                <Button onClick={() => duplicate.mutate(selected)} disabled={duplicate.isPending}>
                  {duplicate.isPending ? "Duplicating…" : "Duplicate"}
                </Button>
                <Button
                  onClick={() =>
                    scope &&
                    downloadJson(
                      exportFileName(scope.connection.name, [selected]),
                      buildExport([selected], {
                        connection: scope.connection.name,
                        apiVersion: scope.connection.apiVersion,
                      }),
                    )
                  }
                >
                  Export
                </Button>
                <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                  Delete
                </Button>
              </>
            ) : null}
          </div>
          <p role="status" className="mb-2 text-sm text-emerald-800 empty:hidden">
            {message}
          </p>
          {duplicate.error ? <ErrorAlert title="Could not duplicate" error={duplicate.error} /> : null}
          {exportAll.error ? (
            <ErrorAlert title="Could not export" error={exportAll.error} onRetry={() => exportAll.mutate()} />
          ) : null}
          {detail.isError ? (
            <ErrorAlert
              title="Could not load the assistant"
              error={detail.error}
              onRetry={() => choose(null)}
              retryLabel="Start a new assistant"
            />
          ) : null}
          {scope && connection && builderShown ? (
            <AssistantBuilder
              key={`${connection.name}/${connection.apiVersion}/${selected?.id ?? "new"}`}
              scope={scope}
              connection={connection}
              assistant={selected}
              savedNote={savedNote}
              onSaved={(a, note) => {
                setSavedNote(note);
                setMessage(null);
                if (name) selectAssistant(name, a.id);
              }}
            />
          ) : null}
        </section>
      </main>

      <Modal
        title="Delete assistant?"
        open={confirmDelete && selected !== null}
        onClose={() => {
          setConfirmDelete(false);
          remove.reset();
        }}
        footer={
          <>
            <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => selected && remove.mutate(selected.id)}
            >
              {remove.isPending ? "Deleting…" : "Delete assistant"}
            </Button>
          </>
        }
      >
        <p>
          Delete <strong>{selected?.name || "(unnamed)"}</strong> ({selected?.id}) from {name}? This cannot be
          undone; its threads stay but can no longer run it. Export it first to keep a copy.
        </p>
        {remove.error ? (
          <div className="mt-2">
            <ErrorAlert title="Could not delete" error={remove.error} />
          </div>
        ) : null}
      </Modal>

      {scope && importFile ? (
        <ImportDialog
          scope={scope}
          file={importFile}
          onClose={() => setImportFile(null)}
          onCreated={(created) => {
            const last = created.at(-1);
            if (name && last) selectAssistant(name, last.id);
            setSavedNote(null);
            setMessage(`Imported ${created.length} assistant${created.length === 1 ? "" : "s"}.`);
          }}
        />
      ) : null}
    </div>
  );
}

function AssistantRow({
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
}
