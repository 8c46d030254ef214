"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { deleteRecord, listQuery, recordQuery, type RunSummary } from "@/lib/client/evaluations/api";
import { toPlaygroundError } from "@/lib/client/errors";
import type { Configuration } from "@/lib/evaluations/model";
import { diffRuns, exportCsv, exportJson, type CellChange } from "@/lib/evaluations/report";
import { ResultsTable } from "./results-table";
import { downloadText, fileSafe, formatMs, section } from "./shared";

function when(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString();
}

function runLabel(r: RunSummary): string {
  // A run still "running" here was left (a reload or a closed tab): it keeps what had finished.
  const status = r.status === "completed" ? "" : r.status === "running" ? " · unfinished" : ` · ${r.status}`;
  return `${r.promptSetName} · ${when(r.started_at)} · ${r.totals.passed}/${r.totals.cells} passed${status}`;
}

function Changes({
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
}

function failedReason(c: CellChange): string {
  const failed = c.after.checks.find((x) => !x.pass);
  return failed ? `${failed.label} — ${failed.reason}` : (c.after.error ?? c.after.verdict);
}

export function HistoryTab({
  onUseConfigurations,
}: {
  onUseConfigurations: (configurations: Configuration[]) => void;
}) {
  const queryClient = useQueryClient();
  const runs = useQuery(listQuery("runs"));
  const [selected, setSelected] = useState("");
  const [against, setAgainst] = useState("");
  const list = runs.data ?? [];
  const current = list.find((r) => r.id === selected) ?? list[0] ?? null;
  const currentId = current?.id ?? null;
  const record = useQuery(recordQuery("runs", currentId));
  const others = list.filter((r) => r.id !== currentId && r.promptSetId === current?.promptSetId);
  const baseId =
    against && others.some((r) => r.id === against) ? against : (current?.rerunOf ?? others[0]?.id ?? null);
  const base = useQuery(recordQuery("runs", baseId));
  const diff = record.data && base.data ? diffRuns(base.data, record.data) : null;

  return (
    <div className="space-y-3">
      <section aria-labelledby="history-heading" className={section}>
        <h2 id="history-heading" className="text-base font-semibold text-slate-900">
          History
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Every run of a prompt set is kept on the server with the configurations it used.
        </p>
        {runs.isError ? (
          <p className="mt-2 text-sm text-red-800">{toPlaygroundError(runs.error).message}</p>
        ) : null}
        {list.length === 0 && !runs.isLoading ? (
          <p className="mt-2 text-sm text-slate-600">No runs yet.</p>
        ) : null}
        {list.length > 0 ? (
          <div className="mt-2 grid gap-2 md:grid-cols-2">
            <SelectField label="Run" value={currentId ?? ""} onChange={(e) => setSelected(e.target.value)}>
              {list.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Compare with"
              value={baseId ?? ""}
              onChange={(e) => setAgainst(e.target.value)}
            >
              <option value="">{others.length ? "Nothing" : "No other run of this set"}</option>
              {others.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
      </section>

      {record.data ? (
        <section aria-label="Run details" className={section}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="text-base font-semibold text-slate-900">
              {record.data.promptSetName} — {record.data.configurations.map((c) => c.label).join(" vs ")}
            </h3>
            <div className="flex flex-wrap gap-2">
              <Button onClick={() => onUseConfigurations(record.data.configurations)}>
                Use these configurations
              </Button>
              <Button
                onClick={() =>
                  downloadText(
                    `${fileSafe(record.data.promptSetName)}-${record.data.id}.csv`,
                    exportCsv(record.data),
                    "text/csv",
                  )
                }
              >
                Export CSV
              </Button>
              <Button
                onClick={() =>
                  downloadText(
                    `${fileSafe(record.data.promptSetName)}-${record.data.id}.json`,
                    exportJson(record.data),
                    "application/json",
                  )
                }
              >
                Export JSON
              </Button>
              <Button
                variant="danger"
                onClick={() => {
                  void deleteRecord("runs", record.data.id, queryClient).then(() => setSelected(""));
                }}
              >
                Delete run
              </Button>
            </div>
          </div>

          {diff && base.data ? (
            <section
              className="mt-3 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
              aria-label="Differences from the other run"
            >
              <p className="text-sm text-slate-800">
                Against the run of {when(base.data.started_at)}: passed {diff.before.passed} →{" "}
                {diff.after.passed} of {diff.after.cells}; tokens {diff.before.tokens} → {diff.after.tokens};
                time {formatMs(diff.before.totalMs)} → {formatMs(diff.after.totalMs)}.
              </p>
              <div className="grid gap-3 md:grid-cols-2">
                <Changes title="Newly failing" changes={diff.newlyFailing} detail={failedReason} />
                <Changes title="Newly passing" changes={diff.newlyPassing} detail={() => "passes now"} />
                <Changes
                  title="Slower"
                  changes={diff.slower}
                  detail={(c) => `${formatMs(c.before.totalMs)} → ${formatMs(c.after.totalMs)}`}
                />
                <Changes
                  title="Costlier"
                  changes={diff.costlier}
                  detail={(c) =>
                    `${c.before.usage?.total_tokens ?? "?"} → ${c.after.usage?.total_tokens ?? "?"} tokens`
                  }
                />
              </div>
            </section>
          ) : null}

          <div className="mt-3">
            <ResultsTable run={record.data} caption={`Results of the run of ${record.data.promptSetName}`} />
          </div>
        </section>
      ) : null}
    </div>
  );
}
