"use client";

import dynamic from "next/dynamic";
import { useId, useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { AppHeader } from "@/components/layout/app-header";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { useStableCallback } from "@/lib/client/use-stable-callback";
import { getPlaygroundClient } from "@/lib/client/sdk";
import type { ClientScope } from "@/lib/client/queries/scope";
import { assistantDetailQuery } from "@/lib/client/queries/assistants/queries";
import { onAssistantSaved, writeAssistant } from "@/lib/client/queries/assistants/mutations";
import { collectPages } from "@/lib/client/queries/pages";
import { formFromAssistant, toRequestBody } from "@/lib/client/assistants/form";
import { buildExport, exportFileName } from "@/lib/client/assistants/transfer";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useUnsavedDraft } from "@/lib/client/stores/assistant-draft-store-hooks";
import { AssistantBuilder } from "./assistant-builder";
import { AssistantList } from "./assistant-list";
import { DeleteAssistantDialog } from "./delete-assistant-dialog";
import type { BuilderConnection, SavedNote } from "./use-assistant-form";
import { downloadJson } from "@/lib/client/download";
import { LEAVE_MESSAGE } from "./use-leave-guard";

// Import parsing (zod) loads only when a person imports a file.
const ImportDialog = dynamic(() => import("./import-dialog").then((m) => m.ImportDialog), { ssr: false });

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

  const selectedId = usePlaygroundStore((s) => (name ? (s.assistantByConnection[name] ?? null) : null));
  const selectAssistant = usePlaygroundStore((s) => s.selectAssistant);

  const detail = useQuery(assistantDetailQuery(scope, selectedId));
  const selected = detail.data ?? null;
  const [savedNote, setSavedNote] = useState<SavedNote | null>(null);
  const builderShown = scope !== null && info !== null && (!selectedId || selected !== null);
  const dirty = useUnsavedDraft(builderShown ? name : null, selected, info?.deployments[0]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [importFile, setImportFile] = useState<{ name: string; text: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const importId = useId();

  const choose = useStableCallback((id: string | null) => {
    if (!name) return;
    if (id === selectedId) return;
    if (dirty && !window.confirm(LEAVE_MESSAGE)) return;
    setSavedNote(null);
    setMessage(null);
    selectAssistant(name, id);
  });

  const duplicate = useMutation({
    mutationFn: async (a: Assistant) => {
      if (!scope) throw new Error("No connection yet.");
      const form = formFromAssistant(a);
      form.name = `${(a.name || "Assistant").slice(0, 249)} (copy)`;
      return writeAssistant(scope, toRequestBody(form, scope.connection.apiVersion), null);
    },
    onSuccess: async (copy) => {
      if (!scope) return;
      selectAssistant(scope.connection.name, copy.id);
      setSavedNote(null);
      setMessage(`Duplicated as ${copy.name} (${copy.id}).`);
      await onAssistantSaved(queryClient, scope.connection, copy);
    },
  });
  const exportAll = useMutation({
    mutationFn: async () => {
      if (!scope) throw new Error("No connection yet.");
      return collectPages(scope.client.beta.assistants.list({ limit: 100, order: "asc" }));
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
      <AppHeader active={active} />
      <main className="grid flex-1 grid-cols-1 gap-3 p-3 lg:grid-cols-[minmax(18rem,26rem)_minmax(0,1fr)]">
        <div
          role="toolbar"
          aria-label="Assistants"
          className="flex flex-wrap items-center gap-2 lg:col-span-2"
        >
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
        </div>
        <AssistantList
          scope={scope}
          apiVersion={apiVersion ?? ""}
          apiVersions={info?.apiVersions ?? []}
          onApiVersion={setApiVersion}
          selectedId={selectedId}
          onSelect={choose}
        />

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

      <DeleteAssistantDialog
        scope={scope}
        assistant={selected}
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        onDeleted={(id, label) => {
          setConfirmDelete(false);
          setMessage(`Deleted ${label}.`);
          if (name) selectAssistant(name, null);
        }}
      />

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
