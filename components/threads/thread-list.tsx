"use client";

import { useId, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ThreadExportMenu } from "@/components/backup/thread-export-menu";
import type { ClientScope } from "@/lib/client/queries/scope";
import { deleteThread, retrieveThread, threadKeys, upstreamThreadsQuery } from "@/lib/client/queries/threads";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import type { ThreadEntry } from "@/lib/client/stores/playground-store";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

function describe(entry: ThreadEntry) {
  return entry.title || `Untitled · ${entry.id}`;
}

function ThreadRow({
  entry,
  current,
  onSelect,
  scope,
  disabled,
}: {
  entry: ThreadEntry;
  current: boolean;
  onSelect: () => void;
  scope: ClientScope | null;
  disabled: boolean;
}) {
  const [mode, setMode] = useState<"view" | "rename" | "delete">("view");
  const [title, setTitle] = useState(entry.title ?? "");
  const [error, setError] = useState<PlaygroundError | null>(null);
  const [deleting, setDeleting] = useState(false);
  const titleThread = usePlaygroundStore((s) => s.titleThread);
  const forgetThread = usePlaygroundStore((s) => s.forgetThread);
  const queryClient = useQueryClient();
  const inputId = useId();
  const name = describe(entry);

  async function remove() {
    if (!scope) return;
    setDeleting(true);
    setError(null);
    try {
      await deleteThread(scope, entry.id);
    } catch (err) {
      const e = toPlaygroundError(err);
      // Already gone upstream: forgetting it here is what the person asked for.
      if (e.status !== 404) {
        setError(e);
        setDeleting(false);
        return;
      }
    }
    forgetThread(entry.connection, entry.id);
    queryClient.removeQueries({ queryKey: threadKeys.detail(entry.connection, entry.id) });
    void queryClient.invalidateQueries({ queryKey: threadKeys.upstreamList(entry.connection) });
  }

  if (mode === "rename") {
    return (
      <li className="rounded-md border border-indigo-300 bg-white p-2">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            titleThread(entry.connection, entry.id, title, true);
            setMode("view");
          }}
        >
          <label htmlFor={inputId} className="block text-xs font-medium text-slate-800">
            Title of {entry.id}
          </label>
          <input
            id={inputId}
            autoFocus
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") setMode("view");
            }}
            className="mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
          <div className="mt-1 flex gap-1">
            <Button type="submit" variant="primary" className="px-2 py-0.5 text-xs">
              Save title
            </Button>
            <Button className="px-2 py-0.5 text-xs" onClick={() => setMode("view")}>
              Cancel
            </Button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li
      className={`group rounded-md ${current ? "bg-indigo-50 ring-1 ring-indigo-300" : "hover:bg-slate-100"}`}
    >
      <button
        type="button"
        onClick={onSelect}
        disabled={disabled && !current}
        aria-current={current ? "true" : undefined}
        className="block w-full truncate rounded-md px-2 py-1.5 text-left text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:text-slate-500"
        title={`${name} (${entry.id})`}
      >
        {name}
      </button>
      <div className="flex flex-wrap gap-1 px-2 pb-1.5">
        {mode === "delete" ? (
          <>
            <span className="text-xs text-slate-700">Delete on the server too?</span>
            <Button
              variant="danger"
              className="px-2 py-0.5 text-xs"
              disabled={deleting}
              onClick={() => void remove()}
            >
              {deleting ? "Deleting…" : `Confirm delete`}
            </Button>
            <Button className="px-2 py-0.5 text-xs" onClick={() => setMode("view")}>
              Keep
            </Button>
          </>
        ) : (
          <>
            <Button
              variant="ghost"
              className="px-1.5 py-0 text-xs"
              aria-label={`Rename ${name}`}
              onClick={() => setMode("rename")}
            >
              Rename
            </Button>
            <Button
              variant="ghost"
              className="px-1.5 py-0 text-xs"
              aria-label={`Delete ${name}`}
              disabled={disabled && current}
              onClick={() => setMode("delete")}
            >
              Delete
            </Button>
            <ThreadExportMenu scope={scope} threadId={entry.id} name={name} title={entry.title ?? null} />
          </>
        )}
      </div>
      {error ? <ErrorAlert inline error={error} className="px-2 pb-1.5 text-xs" /> : null}
    </li>
  );
}

/**
 * The threads of the current assistant on this connection: the app's own index (the Azure
 * protocol cannot list threads), plus the upstream's list where it has one.
 */
export function ThreadList({
  scope,
  assistantId,
  threadId,
  canListUpstream,
  onNewThread,
  creating,
  busy,
}: {
  scope: ClientScope | null;
  assistantId: string | null;
  threadId: string | null;
  canListUpstream: boolean;
  onNewThread: () => void;
  creating: boolean;
  busy: boolean;
}) {
  const connection = scope?.connection.name ?? "";
  const allThreads = usePlaygroundStore((s) => s.threads);
  const addThread = usePlaygroundStore((s) => s.addThread);
  const selectThread = usePlaygroundStore((s) => s.selectThread);
  const threads = allThreads.filter((t) => t.connection === connection && t.assistantId === assistantId);
  if (threadId && assistantId && !threads.some((t) => t.id === threadId)) {
    const known = allThreads.find((t) => t.connection === connection && t.id === threadId);
    threads.unshift(known ?? { id: threadId, connection, assistantId, createdAt: 0 });
  }
  const upstream = useQuery({ ...upstreamThreadsQuery(scope, canListUpstream && assistantId !== null) });
  const indexed = new Set(allThreads.filter((t) => t.connection === connection).map((t) => t.id));
  const others = (upstream.data ?? []).filter((t) => !indexed.has(t.id));

  const [openId, setOpenId] = useState("");
  const [openError, setOpenError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const openFieldId = useId();

  function adopt(id: string, createdAt: number) {
    if (!assistantId) return;
    const known = allThreads.find((t) => t.connection === connection && t.id === id);
    addThread(known ? { ...known, assistantId } : { id, connection, assistantId, createdAt });
  }

  async function openById() {
    const id = openId.trim();
    if (!scope || !assistantId) return;
    if (!/^[\w-]+$/.test(id)) {
      setOpenError("Enter a thread id, e.g. thread_abc123.");
      return;
    }
    setOpening(true);
    setOpenError(null);
    try {
      const thread = await retrieveThread(scope, id);
      adopt(thread.id, thread.created_at * 1000);
      setOpenId("");
    } catch (err) {
      const e = toPlaygroundError(err);
      setOpenError(
        e.status === 404
          ? `No thread ${id} on this connection.`
          : `${e.status ? `Error ${e.status}: ` : ""}${e.message}`,
      );
    } finally {
      setOpening(false);
    }
  }

  return (
    <nav
      aria-label="Threads"
      className="flex min-h-0 flex-col gap-2 border-slate-200 p-2 text-sm max-lg:border-b lg:w-44 lg:shrink-0 lg:border-r"
    >
      <Button variant="primary" onClick={onNewThread} disabled={!scope || !assistantId || creating || busy}>
        {creating ? "Creating…" : "New thread"}
      </Button>
      <div className="min-h-0 flex-1 overflow-y-auto max-lg:max-h-60">
        {threads.length === 0 ? (
          <p className="px-1 text-xs text-slate-600">
            {assistantId ? "No thread yet: sending starts one." : "No assistant selected."}
          </p>
        ) : (
          <ul className="space-y-1" aria-label="Your threads">
            {threads.map((t) => (
              <ThreadRow
                key={t.id}
                entry={t}
                current={t.id === threadId}
                scope={scope}
                disabled={busy}
                onSelect={() => assistantId && selectThread(connection, assistantId, t.id)}
              />
            ))}
          </ul>
        )}
        {others.length > 0 ? (
          <>
            <h3 className="mt-3 px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">
              On the server
            </h3>
            <ul className="mt-1 space-y-0.5" aria-label="Threads on the server">
              {others.slice(0, 50).map((t) => (
                <li key={t.id}>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => adopt(t.id, t.created_at * 1000)}
                    className="block w-full truncate rounded px-2 py-1 text-left font-mono text-xs text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
                    title={`Open ${t.id}`}
                  >
                    {t.id}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      {threadId ? (
        <p className="px-1 text-xs text-slate-600">
          Current thread: <code className="font-mono break-all text-slate-800 select-all">{threadId}</code>
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void openById();
        }}
        className="border-t border-slate-200 pt-2"
      >
        <label htmlFor={openFieldId} className="block text-xs font-medium text-slate-800">
          Open a thread by id
        </label>
        <div className="mt-1 flex gap-1">
          <input
            id={openFieldId}
            value={openId}
            onChange={(e) => setOpenId(e.target.value)}
            placeholder="thread_…"
            aria-invalid={openError ? true : undefined}
            aria-describedby={openError ? `${openFieldId}-error` : undefined}
            className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
          <Button
            type="submit"
            className="px-2 py-0.5 text-xs"
            disabled={!scope || !assistantId || opening || busy}
          >
            Open
          </Button>
        </div>
        {openError ? (
          <p id={`${openFieldId}-error`} className="mt-1 text-xs text-red-800">
            {openError}
          </p>
        ) : null}
      </form>
    </nav>
  );
}
