import { memo } from "react";
import { formatTimestamp } from "@/lib/client/time";
import type { EvaluationRun } from "@/lib/evaluations/model";
import { diffRuns, type CellChange } from "@/lib/evaluations/report";
import { formatMs } from "./shared";

const Changes = memo(function Changes({
  title,
  changes,
  detail,
}: {
  title: string;
  changes: CellChange[];
  detail: (c: CellChange) => string;
}) {
  return (
    <div>
      <h4 className="text-sm font-semibold text-slate-800">
        {title} ({changes.length})
      </h4>
      {changes.length === 0 ? (
        <p className="text-sm text-slate-600">None.</p>
      ) : (
        <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800">
          {changes.map((c) => (
            <li key={`${c.promptId}/${c.configuration}`} className="break-words">
              <span className="font-medium">{c.promptId}</span> on {c.configuration}: {detail(c)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});

function failedReason(c: CellChange): string {
  const failed = c.after.checks.find((x) => !x.pass);
  return failed ? `${failed.label} — ${failed.reason}` : (c.after.error ?? c.after.verdict);
}

const passesNow = () => "passes now";
const slowerBy = (c: CellChange) => `${formatMs(c.before.totalMs)} → ${formatMs(c.after.totalMs)}`;
const costlierBy = (c: CellChange) =>
  `${c.before.usage?.total_tokens ?? "?"} → ${c.after.usage?.total_tokens ?? "?"} tokens`;

/** What changed from `base` to `run`: totals, then the cells newly failing, newly passing, slower, costlier. */
export const RunDifferences = memo(function RunDifferences({
  base,
  run,
}: {
  base: EvaluationRun;
  run: EvaluationRun;
}) {
  const diff = diffRuns(base, run);
  return (
    <section
      className="mt-3 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
      aria-label="Differences from the other run"
    >
      <p className="text-sm text-slate-800">
        Against the run of {formatTimestamp(base.started_at)}: passed {diff.before.passed} →{" "}
        {diff.after.passed} of {diff.after.cells}; tokens {diff.before.tokens} → {diff.after.tokens}; time{" "}
        {formatMs(diff.before.totalMs)} → {formatMs(diff.after.totalMs)}.
      </p>
      <div className="grid gap-3 md:grid-cols-2">
        <Changes title="Newly failing" changes={diff.newlyFailing} detail={failedReason} />
        <Changes title="Newly passing" changes={diff.newlyPassing} detail={passesNow} />
        <Changes title="Slower" changes={diff.slower} detail={slowerBy} />
        <Changes title="Costlier" changes={diff.costlier} detail={costlierBy} />
      </div>
    </section>
  );
});
