"use client";

import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ThreadExportMenu } from "@/components/backup/thread-export-menu";
import type { ClientScope } from "@/lib/client/queries/scope";
import {
  deleteThread,
  formatThreadDate,
  renameThread,
  retrieveThread,
  THREAD_ASSISTANT_KEY,
  THREAD_TITLE_KEY,
  threadDetailQuery,
  threadKeys,
  threadMeta,
  threadTitle,
  upstreamThreadsQuery,
} from "@/lib/client/queries/threads";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import type { ThreadEntry } from "@/lib/client/stores/playground-store";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

/** The id of the thread list's element (the chat's "Threads" button shows and hides it). */
export const THREAD_LIST_ID = "thread-list";

/** A row of the list: a thread this browser knows, or one the upstream listed. */
interface Row {
  entry: ThreadEntry;
  /** Only on the upstream's list: choosing it adds it to this browser's index. */
  upstreamOnly: boolean;
}

const describe = (entry: ThreadEntry) =>
  threadTitle({ localTitle: entry.title, createdAt: entry.createdAt || null });

function ThreadRow({
  entry,
  current,
  tabStop,
  onSelect,
  scope,
  disabled,
}: {
  entry: ThreadEntry;
  current: boolean;
  /** The list's one Tab stop (the arrow keys move between rows). */
  tabStop: boolean;
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

  const [renaming, setRenaming] = useState(false);

  async function rename() {
    const next = title.trim();
    titleThread(entry.connection, entry.id, next, true);
    setMode("view");
    if (!scope) return;
    // Stored on the thread too, so other browsers and scripts see the same title.
    setRenaming(true);
    try {
      const updated = await renameThread(scope, entry.id, next);
      queryClient.setQueryData(threadDetailQuery(scope, entry.id).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: threadKeys.upstreamList(entry.connection) });
    } catch (err) {
      setError(toPlaygroundError(err));
    } finally {
      setRenaming(false);
    }
  }

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
            void rename();
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

  const dateId = `${inputId}-date`;
  return (
    <li
      className={`group rounded-md ${current ? "bg-indigo-50 ring-1 ring-indigo-300" : "hover:bg-slate-100"}`}
    >
      <button
        type="button"
        data-thread-row=""
        tabIndex={tabStop ? 0 : -1}
        onClick={() => {
          if (!disabled || current) onSelect();
        }}
        aria-disabled={disabled && !current ? true : undefined}
        aria-current={current ? "true" : undefined}
        aria-label={name}
        aria-describedby={entry.createdAt ? dateId : undefined}
        className="block w-full rounded-md px-2 py-1 text-left text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 aria-disabled:text-slate-500"
        title={`${name} (${entry.id})`}
      >
        <span className="block truncate">{name}</span>
        {entry.createdAt ? (
          <span id={dateId} className="block text-xs text-slate-600">
            {formatThreadDate(entry.createdAt)}
          </span>
        ) : null}
      </button>
      {current ? (
        <div className="flex flex-wrap items-center gap-1 px-2 pb-1.5">
          <code className="w-full font-mono text-[0.7rem] break-all text-slate-700 select-all">
            {entry.id}
          </code>
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
              {renaming ? <span className="text-xs text-slate-600">Saving…</span> : null}
            </>
          )}
        </div>
      ) : null}
      {error ? <ErrorAlert inline error={error} className="px-2 pb-1.5 text-xs" /> : null}
    </li>
  );
}

/** Arrow keys, Home and End move between the rows' buttons (the list is one Tab stop). */
function moveFocus(e: KeyboardEvent<HTMLUListElement>) {
  const rows = [...e.currentTarget.querySelectorAll<HTMLButtonElement>("[data-thread-row]")];
  const at = rows.indexOf(document.activeElement as HTMLButtonElement);
  const to =
    e.key === "ArrowDown"
      ? Math.min(rows.length - 1, at + 1)
      : e.key === "ArrowUp"
        ? Math.max(0, at - 1)
        : e.key === "Home"
          ? 0
          : e.key === "End"
            ? rows.length - 1
            : null;
  if (to === null || at === -1) return;
  e.preventDefault();
  for (const [i, row] of rows.entries()) row.tabIndex = i === to ? 0 : -1;
  rows[to]?.focus();
}

/**
 * The threads of the selected assistant on this connection (or, on demand, all of them): the
 * app's own index (the Azure protocol cannot list threads) merged with the upstream's list where
 * it has one. A thread's title and assistant are in its metadata, so they follow it to other
 * browsers; this browser's first-message title and the date stand in where there is none.
 */
export function ThreadList({
  scope,
  assistantId,
  threadId,
  canListUpstream,
  onNewThread,
  creating,
  busy,
  hidden = false,
}: {
  scope: ClientScope | null;
  assistantId: string | null;
  threadId: string | null;
  canListUpstream: boolean;
  onNewThread: () => void;
  creating: boolean;
  busy: boolean;
  /** Collapsed by the person (it stays mounted). */
  hidden?: boolean;
}) {
  const connection = scope?.connection.name ?? "";
  const allIndexed = usePlaygroundStore((s) => s.threads);
  const showAll = usePlaygroundStore((s) => s.allThreads);
  const setShowAll = usePlaygroundStore((s) => s.setAllThreads);
  const addThread = usePlaygroundStore((s) => s.addThread);
  const selectThread = usePlaygroundStore((s) => s.selectThread);
  const titleThread = usePlaygroundStore((s) => s.titleThread);
  const upstream = useQuery({ ...upstreamThreadsQuery(scope, canListUpstream && assistantId !== null) });
  const current = useQuery(threadDetailQuery(scope, threadId)).data ?? null;

  // A title stored on the current thread (by another browser, a script, a rename) wins here too.
  const storedTitle = threadMeta(current, THREAD_TITLE_KEY);
  useEffect(() => {
    if (threadId && storedTitle) titleThread(connection, threadId, storedTitle, true);
  }, [threadId, storedTitle, connection, titleThread]);

  const indexed = allIndexed.filter((t) => t.connection === connection);
  const byId = new Map<string, Row>();
  for (const t of indexed)
    if (showAll || t.assistantId === assistantId) byId.set(t.id, { entry: t, upstreamOnly: false });
  for (const t of upstream.data ?? []) {
    const mine = byId.get(t.id);
    if (mine) {
      // The title stored on the thread (renamed in another browser, say) wins over this browser's.
      const stored = threadMeta(t, THREAD_TITLE_KEY);
      if (stored) mine.entry = { ...mine.entry, title: stored };
      continue;
    }
    const known = indexed.find((k) => k.id === t.id);
    const owner = threadMeta(t, THREAD_ASSISTANT_KEY) ?? known?.assistantId ?? null;
    if (!showAll && owner !== assistantId) continue;
    const title = threadMeta(t, THREAD_TITLE_KEY) ?? known?.title;
    byId.set(t.id, {
      entry: {
        id: t.id,
        connection,
        assistantId: owner ?? "",
        createdAt: t.created_at * 1000,
        ...(title ? { title } : {}),
      },
      upstreamOnly: !known,
    });
  }
  if (threadId && assistantId && !byId.has(threadId)) {
    const known = indexed.find((t) => t.id === threadId);
    byId.set(threadId, {
      entry: known ?? { id: threadId, connection, assistantId, createdAt: (current?.created_at ?? 0) * 1000 },
      upstreamOnly: false,
    });
  }
  const rows = [...byId.values()].sort((a, b) => b.entry.createdAt - a.entry.createdAt);
  const tabStopId = rows.some((r) => r.entry.id === threadId) ? threadId : (rows[0]?.entry.id ?? null);

  const [openId, setOpenId] = useState("");
  const [openError, setOpenError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const openFieldId = useId();
  const allId = useId();

  function adopt(id: string, createdAt: number, title?: string) {
    if (!assistantId) return;
    const known = allIndexed.find((t) => t.connection === connection && t.id === id);
    addThread(
      known
        ? { ...known, assistantId }
        : { id, connection, assistantId, createdAt, ...(title ? { title } : {}) },
    );
  }

  function choose(row: Row) {
    if (!assistantId) return;
    if (row.upstreamOnly || row.entry.assistantId !== assistantId)
      adopt(row.entry.id, row.entry.createdAt, row.entry.title);
    else selectThread(connection, assistantId, row.entry.id);
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
      adopt(thread.id, thread.created_at * 1000, threadMeta(thread, THREAD_TITLE_KEY) ?? undefined);
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
      id={THREAD_LIST_ID}
      aria-label="Threads"
      hidden={hidden}
      className="flex min-h-0 flex-col gap-2 border-slate-200 p-2 text-sm max-lg:max-h-72 max-lg:border-b lg:w-44 lg:shrink-0 lg:border-r"
    >
      <Button variant="primary" onClick={onNewThread} disabled={!scope || !assistantId || creating || busy}>
        {creating ? "Creating…" : "New thread"}
      </Button>
      <label htmlFor={allId} className="flex items-center gap-1.5 px-1 text-xs text-slate-700">
        <input
          id={allId}
          type="checkbox"
          checked={showAll}
          onChange={(e) => setShowAll(e.target.checked)}
          className="size-3.5 accent-indigo-600"
        />
        Every assistant&apos;s threads
      </label>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {rows.length === 0 ? (
          <p className="px-1 text-xs text-slate-600">
            {assistantId || showAll ? "No thread yet: sending starts one." : "No assistant selected."}
          </p>
        ) : (
          <ul className="space-y-1" aria-label="Your threads" onKeyDown={moveFocus}>
            {rows.map((r) => (
              <ThreadRow
                key={r.entry.id}
                entry={r.entry}
                current={r.entry.id === threadId}
                tabStop={r.entry.id === tabStopId}
                scope={scope}
                disabled={busy}
                onSelect={() => choose(r)}
              />
            ))}
          </ul>
        )}
      </div>
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
