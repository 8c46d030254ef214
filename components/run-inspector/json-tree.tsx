"use client";

import { useDeferredValue, useId, useMemo, useState } from "react";
import dynamic from "next/dynamic";
import { countMatches, filterJson } from "@/lib/client/inspector/json-filter";
import { CopyButton } from "./highlighted-code";

const loadJsonTreeView = () => import("./json-tree-view");
/** Loads the tree viewer ahead of the first run (RunInspector asks once the page is idle). */
export const preloadJsonTree = () => void loadJsonTreeView();
const JsonTreeView = dynamic(() => loadJsonTreeView().then((m) => m.JsonTreeView), {
  loading: () => <p className="text-xs text-slate-600">Loading the JSON viewer…</p>,
});

/**
 * A protocol object as a collapsible tree, with a search box that filters it to the matching keys
 * and values (and expands them), and Copy for the whole object.
 */
export function JsonTree({ value, label }: { value: unknown; label: string }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const searchId = useId();
  const shown = useMemo(() => filterJson(value, deferred), [value, deferred]);
  const matches = useMemo(() => countMatches(value, deferred), [value, deferred]);
  const text = useMemo(() => JSON.stringify(value, null, 2), [value]);
  const searching = deferred.trim() !== "";
  return (
    <div className="space-y-2">
      <div className="flex items-end gap-2">
        <div className="min-w-0 flex-1">
          <label htmlFor={searchId} className="block text-xs font-medium text-slate-700">
            Search {label}
          </label>
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="key or value"
            aria-describedby={`${searchId}-count`}
            className="mt-0.5 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
        </div>
        <CopyButton text={text} label={`Copy ${label}`} className="mb-0.5 py-1" />
      </div>
      <p id={`${searchId}-count`} aria-live="polite" className="text-xs text-slate-600">
        {searching ? (matches === 1 ? "1 match" : `${matches} matches`) : ""}
      </p>
      <div className="max-h-[28rem] overflow-auto rounded border border-slate-200 bg-slate-50 p-1">
        {shown === undefined ? (
          <p className="p-1 text-xs text-slate-600">Nothing matches “{deferred.trim()}”.</p>
        ) : shown !== null && typeof shown === "object" ? (
          <JsonTreeView data={shown} label={label} expandAll={searching} />
        ) : (
          <code className="p-1 text-xs">{JSON.stringify(shown)}</code>
        )}
      </div>
    </div>
  );
}
