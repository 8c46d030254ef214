"use client";

import { memo, useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { threadRunsQuery } from "@/lib/client/queries/runs/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { formatTimeOfDay } from "@/lib/client/time";
import { ErrorAlert } from "@/components/ui/error-alert";
import { runStatusLabel } from "./run-status-badge";
import { RunView, type OpenSections } from "./run-view";

/** The server's runs, newest first, with the run being streamed (fresher than its listed copy). */
export function runsWithLive(runs: readonly Run[], live: Run | null): Run[] {
  if (!live) return [...runs];
  return runs.some((r) => r.id === live.id)
    ? runs.map((r) => (r.id === live.id ? live : r))
    : [live, ...runs];
}

/** The thread's runs in a picker (the latest followed by default) and the one picked. */
export const RunTab = memo(function RunTab({
  scope,
  threadId,
  liveRun,
  liveSteps,
}: {
  scope: ClientScope | null;
  threadId: string;
  liveRun: Run | null;
  liveSteps: readonly RunStep[];
}) {
  const runsQuery = useQuery(threadRunsQuery(scope, threadId));
  const runs = runsWithLive(runsQuery.data ?? [], liveRun);
  // null: follow the latest run (a new run shows as soon as it starts).
  const [picked, setPicked] = useState<string | null>(null);
  const [sections, setSections] = useState<OpenSections>({ details: false, json: false });
  const pickerId = useId();
  const run = (picked ? runs.find((r) => r.id === picked) : undefined) ?? runs[0] ?? null;

  if (runsQuery.isError && !run)
    return (
      <ErrorAlert
        inline
        title="Could not load the runs"
        error={runsQuery.error}
        onRetry={() => void runsQuery.refetch()}
        retryLabel="Retry"
        className="p-3 text-sm"
      />
    );
  if (!run)
    return (
      <p className="p-3 text-sm text-slate-600">
        {runsQuery.isLoading ? "Loading runs…" : "No runs on this thread yet."}
      </p>
    );
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto p-3 text-sm">
      <div>
        <label htmlFor={pickerId} className="block text-xs font-medium text-slate-700">
          Run {runs.length > 1 ? `(${runs.length} on this thread, newest first)` : ""}
        </label>
        <select
          id={pickerId}
          value={picked && runs.some((r) => r.id === picked) ? picked : ""}
          onChange={(e) => setPicked(e.target.value || null)}
          className="mt-0.5 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <option value="">
            Latest run (
            {runs[0] ? `${formatTimeOfDay(runs[0].created_at)} · ${runStatusLabel(runs[0].status)}` : "none"})
          </option>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {formatTimeOfDay(r.created_at)} · {runStatusLabel(r.status)} · {r.id}
            </option>
          ))}
        </select>
      </div>
      <RunView
        key={run.id}
        scope={scope}
        threadId={threadId}
        run={run}
        latest={run.id === runs[0]?.id}
        liveSteps={liveSteps}
        sections={sections}
        onSectionsChange={setSections}
      />
    </div>
  );
});
