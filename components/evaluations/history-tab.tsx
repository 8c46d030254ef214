"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { SelectField } from "@/components/ui/field";
import { deleteRecord, listQuery, recordQuery, type RunSummary } from "@/lib/client/evaluations/api";
import { formatTimestamp } from "@/lib/client/time";
import type { Configuration } from "@/lib/evaluations/model";
import { totalsOf } from "@/lib/evaluations/report";
import { ResultsTable } from "./results-table";
import { RunDifferences } from "./run-differences";
import { ExportButtons, SetProgress } from "./set-results";
import { section } from "./shared";
import { useSetRun, type Failure } from "./use-set-run";

function runLabel(r: RunSummary): string {
  // A run still "running" here was left (a reload or a closed tab): it keeps what had finished.
  const status = r.status === "completed" ? "" : r.status === "running" ? " · unfinished" : ` · ${r.status}`;
  return `${r.promptSetName} · ${formatTimestamp(r.started_at)} · ${r.totals.passed}/${r.totals.cells} passed${status}`;
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
  const [failure, setFailure] = useState<Failure | null>(null);
  const removing = useMutation({
    mutationFn: (id: string) => deleteRecord("runs", id, queryClient),
    onSuccess: () => setSelected(""),
    onError: (error) => setFailure({ title: "The run could not be deleted", error }),
  });
  const rerun = useSetRun({
    concurrency: 3,
    onFailure: setFailure,
    // The new run is shown as soon as it is stored, against the run it re-runs.
    onStarted: (r) => {
      setSelected(r.id);
      setAgainst("");
    },
  });
  // The re-run going on (or just finished) in this tab, when it is the run shown.
  const live = rerun.run && rerun.run.id === currentId ? rerun.run : null;
  const shown = live ?? record.data;
  const planned = shown ? shown.prompts.length * shown.configurations.length : 0;
  const somethingFailed = shown ? totalsOf(shown.cells).passed < planned : false;

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
          <ErrorAlert
            className="mt-2"
            error={runs.error}
            title="The runs could not be listed"
            onRetry={() => void runs.refetch()}
          />
        ) : null}
        {failure ? <ErrorAlert className="mt-2" error={failure.error} title={failure.title} /> : null}
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
              {live && rerun.busy ? (
                <Button variant="danger" onClick={rerun.cancel}>
                  Cancel
                </Button>
              ) : (
                <Button
                  disabled={rerun.busy || !somethingFailed}
                  onClick={() => {
                    setFailure(null);
                    rerun.rerunFailed(record.data);
                  }}
                >
                  Re-run failed
                </Button>
              )}
              <ExportButtons run={record.data} />
              <Button
                variant="danger"
                disabled={removing.isPending || Boolean(live && rerun.busy)}
                onClick={() => {
                  setFailure(null);
                  removing.mutate(record.data.id);
                }}
              >
                Delete run
              </Button>
            </div>
          </div>

          {base.data && !(live && rerun.busy) ? <RunDifferences base={base.data} run={record.data} /> : null}

          {live ? <SetProgress run={live} busy={rerun.busy} paused={rerun.paused} /> : null}

          <div className="mt-3">
            <ResultsTable
              run={live ?? record.data}
              live={live ? rerun.live : undefined}
              caption={`Results of the run of ${record.data.promptSetName}`}
            />
          </div>
        </section>
      ) : null}
    </div>
  );
}
