"use client";

import { memo, useId, type Dispatch, type SetStateAction } from "react";
import type { RequestLogFilter, StatusFilter } from "@/lib/client/request-log";

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

/** The log's filter: text (path, id, status or body), method and status. */
export const RequestLogFilters = memo(function RequestLogFilters({
  filter,
  onChange: setFilter,
}: {
  filter: RequestLogFilter;
  onChange: Dispatch<SetStateAction<RequestLogFilter>>;
}) {
  const id = useId();
  return (
    <>
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
    </>
  );
});
