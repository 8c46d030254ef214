"use client";

import { memo, useDeferredValue, useId, useMemo, useState, useSyncExternalStore } from "react";
import { downloadJson } from "@/lib/client/download";
import { fileNameStamp, formatTimeOfDay } from "@/lib/client/time";
import { Button } from "@/components/ui/button";
import {
  EMPTY_FILTER,
  filterEntries,
  requestLog,
  toHar,
  toJsonExport,
  type LoggedBody,
  type RequestLogEntry,
  type RequestLogFilter,
  type StatusFilter,
} from "@/lib/client/request-log";

const NO_ENTRIES: readonly RequestLogEntry[] = [];
const METHODS = ["GET", "POST", "DELETE"] as const;
const STATUSES: { value: StatusFilter; label: string }[] = [
  { value: "all", label: "Any status" },
  { value: "2xx", label: "2xx success" },
  { value: "4xx", label: "4xx client error" },
  { value: "5xx", label: "5xx server error" },
  { value: "failed", label: "Failed (≥ 400 or no response)" },
  { value: "pending", label: "Pending" },
];

const control =
  "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600";

/** The path without the api-version every call carries (it is in the details). */
function shortPath(path: string): string {
  const [p, q = ""] = path.split("?");
  const params = new URLSearchParams(q);
  params.delete("api-version");
  const rest = params.toString();
  return rest ? `${p}?${decodeURIComponent(rest)}` : (p ?? path);
}

function duration(ms: number | null): string {
  if (ms === null) return "";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function statusTone(e: RequestLogEntry): string {
  if (e.state === "error" || (e.status !== null && e.status >= 500)) return "bg-red-100 text-red-900";
  if (e.status !== null && e.status >= 400) return "bg-amber-100 text-amber-900";
  if (e.status === null || e.state === "cancelled") return "bg-slate-100 text-slate-700";
  return "bg-emerald-100 text-emerald-900";
}

function statusLabel(e: RequestLogEntry): string {
  if (e.status !== null) return String(e.status);
  return e.state === "pending" ? "…" : e.state === "cancelled" ? "cancelled" : "failed";
}

function HeaderTable({ title, list }: { title: string; list: RequestLogEntry["requestHeaders"] }) {
  if (list.length === 0) return null;
  return (
    <div>
      <h4 className="text-[11px] font-semibold tracking-wide text-slate-600 uppercase">{title}</h4>
      <dl className="mt-0.5 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-2 font-mono text-[11px]">
        {list.map(([name, value]) => (
          <div key={name} className="contents">
            <dt className="truncate text-slate-600" title={name}>
              {name}
            </dt>
            <dd className="break-all text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const pre =
  "mt-0.5 max-h-64 overflow-auto rounded border border-slate-200 bg-slate-50 p-1.5 font-mono text-[11px] break-all whitespace-pre-wrap text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600";

function Body({ title, body }: { title: string; body: LoggedBody | null }) {
  if (!body) return null;
  let content;
  switch (body.kind) {
    case "json":
    case "text":
      content = (
        <>
          {/* Focusable: a scrollable region must be reachable from the keyboard. */}
          <pre className={pre} tabIndex={0} aria-label={title}>
            {body.text}
          </pre>
          {body.truncated ? <p className="text-[11px] text-slate-600">Cut at 64 KB.</p> : null}
        </>
      );
      break;
    case "sse":
      content = (
        <>
          <p className="text-[11px] text-slate-700">
            {body.events.length} events{body.complete ? "" : " so far"}
            {body.truncated ? " (later events not kept)" : ""}
          </p>
          <ol
            className="mt-0.5 max-h-80 space-y-1 overflow-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
            aria-label={`${title} events`}
            tabIndex={0}
          >
            {body.events.map((ev, i) => (
              <li key={i} className="rounded border border-slate-200 bg-slate-50 p-1">
                <span className="font-mono text-[11px] font-semibold text-indigo-800">{ev.event}</span>
                <pre className="font-mono text-[11px] break-all whitespace-pre-wrap text-slate-800">
                  {ev.data}
                </pre>
              </li>
            ))}
          </ol>
        </>
      );
      break;
    case "multipart":
      content = (
        <ul className="mt-0.5 space-y-0.5 font-mono text-[11px] text-slate-900">
          {body.parts.map((p, i) => (
            <li key={i} className="break-all">
              {p.name}:{" "}
              {p.filename !== undefined
                ? `file “${p.filename}” (${p.contentType ?? "?"}, ${p.size ?? "?"} bytes; bytes not recorded)`
                : p.value}
            </li>
          ))}
        </ul>
      );
      break;
    case "binary":
      content = (
        <p className="text-[11px] text-slate-800">
          Binary, {body.contentType || "unknown type"}
          {body.size !== null ? `, ${body.size} bytes` : ""} (not recorded)
        </p>
      );
      break;
  }
  return (
    <div>
      <h4 className="text-[11px] font-semibold tracking-wide text-slate-600 uppercase">{title}</h4>
      {content}
    </div>
  );
}

// A row re-renders only when its own entry changes (the log publishes a live stream every 100 ms).
const EntryRow = memo(function EntryRow({ entry }: { entry: RequestLogEntry }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const path = shortPath(entry.path);
  return (
    <li className="border-b border-slate-200 last:border-b-0">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen((o) => !o)}
        aria-label={`${entry.method} ${path} — ${statusLabel(entry)}${entry.durationMs !== null ? `, ${duration(entry.durationMs)}` : ""}`}
        className="block w-full px-2 py-1.5 text-left hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
      >
        <span className="flex items-center gap-1.5 text-[11px]">
          <span className="w-12 shrink-0 font-mono font-semibold text-slate-900">{entry.method}</span>
          <span className={`rounded px-1 font-mono font-semibold ${statusTone(entry)}`}>
            {statusLabel(entry)}
          </span>
          {entry.responseBody?.kind === "sse" ? (
            <span className="rounded bg-indigo-100 px-1 text-indigo-900">stream</span>
          ) : null}
          <span className="ml-auto text-slate-600 tabular-nums">{duration(entry.durationMs)}</span>
        </span>
        <span className="mt-0.5 line-clamp-2 font-mono text-xs break-all text-slate-800">{path}</span>
      </button>
      {open ? (
        <div id={detailsId} className="space-y-2 px-2 pb-2">
          <p className="text-[11px] text-slate-700">
            {formatTimeOfDay(new Date(entry.startedAt))} · {entry.connection ?? "default connection"}
            {entry.waitMs !== null ? ` · headers after ${duration(entry.waitMs)}` : ""}
          </p>
          <p className="font-mono text-[11px] break-all text-slate-800">{entry.path}</p>
          {entry.error ? (
            <p className={`text-[11px] ${entry.state === "cancelled" ? "text-slate-700" : "text-red-800"}`}>
              {entry.error}
            </p>
          ) : null}
          <HeaderTable title="Request headers" list={entry.requestHeaders} />
          <Body title="Request body" body={entry.requestBody} />
          <HeaderTable title="Response headers" list={entry.responseHeaders} />
          <Body title="Response body" body={entry.responseBody} />
        </div>
      ) : null}
    </li>
  );
});

/** Every call this browser made through the proxy: filterable, expandable, exportable (JSON, HAR). */
export function RequestLogPanel() {
  const entries = useSyncExternalStore(requestLog.subscribe, requestLog.getSnapshot, () => NO_ENTRIES);
  const [filter, setFilter] = useState<RequestLogFilter>(EMPTY_FILTER);
  const deferred = useDeferredValue(filter);
  const visible = useMemo(() => filterEntries(entries, deferred).reverse(), [entries, deferred]);
  const id = useId();
  const filtered = filter.text !== "" || filter.method !== "" || filter.status !== "all";

  return (
    <section aria-label="Request log" className="flex min-h-0 flex-1 flex-col">
      <div className="space-y-1.5 border-b border-slate-200 p-2">
        <div>
          <label htmlFor={`${id}-text`} className="block text-xs font-medium text-slate-800">
            Filter requests
          </label>
          <input
            id={`${id}-text`}
            type="search"
            value={filter.text}
            placeholder="path, id, status or body text"
            onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
            className={`mt-0.5 ${control}`}
          />
        </div>
        <div className="grid grid-cols-2 gap-1.5">
          <div>
            <label htmlFor={`${id}-method`} className="block text-xs font-medium text-slate-800">
              Method
            </label>
            <select
              id={`${id}-method`}
              value={filter.method}
              onChange={(e) => setFilter((f) => ({ ...f, method: e.target.value }))}
              className={`mt-0.5 ${control}`}
            >
              <option value="">Any method</option>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-status`} className="block text-xs font-medium text-slate-800">
              Status
            </label>
            <select
              id={`${id}-status`}
              value={filter.status}
              onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value as StatusFilter }))}
              className={`mt-0.5 ${control}`}
            >
              {STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-1">
          <p className="w-full text-xs text-slate-700" role="status" aria-live="polite">
            {filtered ? `${visible.length} of ${entries.length}` : entries.length}{" "}
            {entries.length === 1 ? "request" : "requests"}
          </p>
          <Button
            className="px-2 py-0.5 text-xs"
            disabled={visible.length === 0}
            onClick={() => downloadJson(`playground-requests-${fileNameStamp()}.json`, toJsonExport(visible))}
          >
            Export JSON
          </Button>
          <Button
            className="px-2 py-0.5 text-xs"
            disabled={visible.length === 0}
            onClick={() => downloadJson(`playground-requests-${fileNameStamp()}.har`, toHar(visible))}
          >
            Export HAR
          </Button>
          <Button
            variant="ghost"
            className="ml-auto px-2 py-0.5 text-xs"
            disabled={entries.length === 0}
            onClick={() => requestLog.clear()}
          >
            Clear
          </Button>
        </div>
        {filtered ? <p className="text-[11px] text-slate-600">Exports contain the requests shown.</p> : null}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {visible.length === 0 ? (
          <p className="p-2 text-xs text-slate-600">
            {entries.length === 0
              ? "No requests yet. Calls this browser makes through the proxy appear here, newest first."
              : "No request matches the filter."}
          </p>
        ) : (
          <ul aria-label="Requests, newest first">
            {visible.map((e) => (
              <EntryRow key={e.id} entry={e} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
