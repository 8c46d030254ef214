"use client";

import { memo } from "react";
import { Button } from "@/components/ui/button";
import type { LiveRun } from "@/lib/client/evaluations/run-prompt";
import type { EvaluationRun } from "@/lib/evaluations/model";
import { exportCsv, exportJson, totalsOf } from "@/lib/evaluations/report";
import { ResultsTable } from "./results-table";
import { downloadText, fileSafe, section } from "./shared";

/** How far a set run is: a progress bar, the counts so far, and a rate-limit pause. */
export const SetProgress = memo(function SetProgress({
  run,
  busy,
  paused,
}: {
  run: EvaluationRun;
  busy: boolean;
  paused: string | null;
}) {
  const totals = totalsOf(run.cells);
  const planned = run.prompts.length * run.configurations.length;
  return (
    <div className="mt-2 space-y-1">
      <progress
        aria-label="Progress"
        value={totals.cells}
        max={Math.max(planned, 1)}
        className="h-2 w-full accent-indigo-600"
      />
      <p role="status" className="text-sm text-slate-700">
        {totals.cells} of {planned} done · {totals.passed} passed · {totals.failed} failed
        {totals.errors ? ` · ${totals.errors} errors` : ""}
        {totals.cancelled ? ` · ${totals.cancelled} cancelled` : ""}
        {busy ? "" : run.status === "cancelled" ? " · cancelled" : " · finished"}
      </p>
      {paused ? <p className="text-sm text-amber-900">{paused}</p> : null}
    </div>
  );
});

/** Exports of a run, as CSV and as JSON. */
export function ExportButtons({ run, disabled }: { run: EvaluationRun; disabled?: boolean }) {
  const base = `${fileSafe(run.promptSetName)}-${run.id}`;
  return (
    <>
      <Button disabled={disabled} onClick={() => downloadText(`${base}.csv`, exportCsv(run), "text/csv")}>
        Export CSV
      </Button>
      <Button
        disabled={disabled}
        onClick={() => downloadText(`${base}.json`, exportJson(run), "application/json")}
      >
        Export JSON
      </Button>
    </>
  );
}

/** The results of the set run in progress or just finished, with its actions. */
export const SetResults = memo(function SetResults({
  run,
  live,
  busy,
  paused,
  onCancel,
  onRerunFailed,
}: {
  run: EvaluationRun;
  live: ReadonlyMap<string, LiveRun | null>;
  busy: boolean;
  paused: string | null;
  onCancel: () => void;
  onRerunFailed: () => void;
}) {
  const totals = totalsOf(run.cells);
  const failedCount = totals.failed + totals.errors + totals.cancelled;
  return (
    <section aria-label="Results" className={section}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-base font-semibold text-slate-900">
          Results: {run.promptSetName}
          {run.rerunOf ? " (re-run of the failed ones)" : ""}
        </h2>
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" disabled={!busy} onClick={onCancel}>
            Cancel
          </Button>
          <Button disabled={busy || failedCount === 0} onClick={onRerunFailed}>
            Re-run failed
          </Button>
          <ExportButtons run={run} disabled={busy} />
        </div>
      </div>
      <SetProgress run={run} busy={busy} paused={paused} />
      <div className="mt-3">
        <ResultsTable run={run} live={live} caption={`Results of ${run.promptSetName}`} />
      </div>
    </section>
  );
});
