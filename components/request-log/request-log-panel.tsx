"use client";

import { memo, useDeferredValue, useMemo, useState, useSyncExternalStore } from "react";
import { downloadJson } from "@/lib/client/download";
import { fileNameStamp } from "@/lib/client/time";
import { Button } from "@/components/ui/button";
import {
  EMPTY_FILTER,
  filterEntries,
  requestLog,
  toHar,
  toJsonExport,
  type RequestLogEntry,
  type RequestLogFilter,
} from "@/lib/client/request-log";
import { EntryRow } from "./entry-row";
import { RequestLogFilters } from "./request-log-filters";

const NO_ENTRIES: readonly RequestLogEntry[] = [];

/**
 * Every call this browser made through the proxy: filterable, expandable, exportable (JSON, HAR).
 * Takes no props: memoised, a hidden Request log tab is not re-rendered with the inspector.
 */
export const RequestLogPanel = memo(function RequestLogPanel() {
  const entries = useSyncExternalStore(requestLog.subscribe, requestLog.getSnapshot, () => NO_ENTRIES);
  const [filter, setFilter] = useState<RequestLogFilter>(EMPTY_FILTER);
  const deferred = useDeferredValue(filter);
  const visible = useMemo(() => filterEntries(entries, deferred).reverse(), [entries, deferred]);
  const filtered = filter.text !== "" || filter.method !== "" || filter.status !== "all";

  return (
    <section aria-label="Request log" className="flex min-h-0 flex-1 flex-col">
      <div className="space-y-1.5 border-b border-slate-200 p-2">
        <RequestLogFilters filter={filter} onChange={setFilter} />
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
});
