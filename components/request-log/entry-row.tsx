"use client";

import { memo, useId, useState } from "react";
import { formatTimeOfDay } from "@/lib/client/time";
import type { RequestLogEntry } from "@/lib/client/request-log";
import { Body, HeaderTable } from "./entry-details";

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

// A row re-renders only when its own entry changes (the log publishes a live stream every 100 ms).
export const EntryRow = memo(function EntryRow({ entry }: { entry: RequestLogEntry }) {
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
