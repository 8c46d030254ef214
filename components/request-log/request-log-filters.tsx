"use client";

import { memo, useId, type Dispatch, type SetStateAction } from "react";
import type { RequestLogFilter, StatusFilter } from "@/lib/client/request-log";

const METHODS: { value: string; label: string }[] = [
  { value: "", label: "Any method" },
  ...["GET", "POST", "DELETE"].map((m) => ({ value: m, label: m })),
];
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

function Choice<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
        className={`mt-0.5 ${control}`}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

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
        <Choice
          label="Method"
          value={filter.method}
          options={METHODS}
          onChange={(method) => setFilter((f) => ({ ...f, method }))}
        />
        <Choice
          label="Status"
          value={filter.status}
          options={STATUSES}
          onChange={(status) => setFilter((f) => ({ ...f, status }))}
        />
      </div>
    </>
  );
});
