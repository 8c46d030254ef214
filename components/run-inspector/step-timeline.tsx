"use client";

import { useState } from "react";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import {
  buildTimeline,
  formatDuration,
  rowTitle,
  stepHint,
  type TimelineRow,
} from "@/lib/client/inspector/timeline";
import { RunStatusBadge } from "./run-status-badge";
import { StepDetail, type StepDetailOptions } from "./step-details";
import { Disclosure } from "@/components/ui/disclosure";
import { JsonTree } from "./json-tree";
import { formatTokens } from "./format";
import { formatTimeOfDay } from "@/lib/client/time";

/** The run's steps, oldest first: type, status, start, end, duration and tokens; each opens to its detail. */
export function StepTimeline({
  serverSteps,
  liveSteps,
  options,
}: {
  serverSteps: readonly RunStep[];
  liveSteps: readonly RunStep[];
  options: StepDetailOptions;
}) {
  const timeline = buildTimeline(serverSteps, liveSteps);
  const [missing, setMissing] = useState<string | null>(null);
  if (timeline.rows.length === 0) return <p className="text-xs text-slate-600">No steps yet.</p>;
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-700">
        {timeline.rows.length === 1 ? "1 step" : `${timeline.rows.length} steps`}
        {timeline.active ? ` · ${timeline.active} in progress` : ""}
        {timeline.total
          ? ` · ${formatTokens(timeline.total.total)} (${timeline.total.prompt} prompt, ${timeline.total.completion} completion)`
          : " · no usage reported"}
      </p>
      {missing ? (
        <p role="status" className="text-xs text-amber-800">
          Message {missing} is not on screen: scroll the conversation to it, or open its thread.
        </p>
      ) : null}
      <ol aria-label="Run steps" className="space-y-1.5">
        {timeline.rows.map((row) => (
          <li key={row.id}>
            <StepRow row={row} options={options} onMissingMessage={setMissing} />
          </li>
        ))}
      </ol>
    </div>
  );
}

/** One step: its summary, and when opened its detail and raw JSON. */
function StepRow({
  row,
  options,
  onMissingMessage,
}: {
  row: TimelineRow;
  options: StepDetailOptions;
  onMissingMessage: (messageId: string) => void;
}) {
  // A closed step costs its summary alone while a run streams (Disclosure renders the rest when open).
  return (
    <Disclosure
      className="group rounded border border-slate-200 bg-white"
      summaryClassName="cursor-pointer list-none px-2 py-1.5 focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden"
      summary={
        <>
          <span className="flex items-center justify-between gap-2">
            <span className="flex min-w-0 items-center gap-1 text-sm font-medium text-slate-900">
              <span aria-hidden="true" className="text-slate-500 transition-transform group-open:rotate-90">
                ▸
              </span>
              <span className="truncate">{rowTitle(row)}</span>
            </span>
            <RunStatusBadge status={row.status} />
          </span>
          {stepHint(row.step) ? (
            <span className="mt-0.5 block truncate pl-4 font-mono text-xs text-slate-800">
              {stepHint(row.step)}
            </span>
          ) : null}
          <span className="mt-0.5 block pl-4 text-xs text-slate-700 tabular-nums">
            {formatTimeOfDay(row.start)} → {row.end === null ? "…" : formatTimeOfDay(row.end)}
            {row.duration !== null ? ` · ${formatDuration(row.duration)}` : ""}
            {row.usage ? ` · ${formatTokens(row.usage.total)}` : ""}
          </span>
        </>
      }
    >
      <div className="space-y-3 border-t border-slate-200 p-2">
        <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
          <dt className="text-slate-600">Step</dt>
          <dd className="[overflow-wrap:anywhere]">
            <code>{row.id}</code>
          </dd>
          {row.usage ? (
            <>
              <dt className="text-slate-600">Tokens</dt>
              <dd>
                {row.usage.prompt} prompt · {row.usage.completion} completion · {row.usage.total} total
              </dd>
            </>
          ) : null}
        </dl>
        <StepDetail step={row.step} options={options} onMissingMessage={onMissingMessage} />
        <Disclosure
          className="rounded border border-slate-200"
          summaryClassName="cursor-pointer px-2 py-1 text-xs font-medium text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600"
          summary="Raw JSON of this step"
        >
          <div className="p-2">
            <JsonTree value={row.step} label={`step ${row.id}`} />
          </div>
        </Disclosure>
      </div>
    </Disclosure>
  );
}
