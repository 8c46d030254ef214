"use client";

import { memo, useId, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { FileDrop } from "@/components/ui/file-drop";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { BackupFormatError, readArchive } from "@/lib/client/export/archive";
import {
  restoreByRecreating,
  restoreIntoLocalEngine,
  type RestorePlan,
  type RestoreProgress,
} from "@/lib/client/export/restore";
import { restorePlanQuery, type LoadedArchive } from "@/lib/client/queries/backup/queries";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { formatTimestamp } from "@/lib/client/time";
import { Progress, clientFor, countsText, section } from "./backup-common";
import { RestorePlanView, RestoreReport } from "./restore-views";

let archiveSeq = 0;

async function readFile(file: File): Promise<LoadedArchive> {
  try {
    const zip = new Uint8Array(await file.arrayBuffer());
    archiveSeq += 1;
    return { id: `${archiveSeq}:${file.name}`, name: file.name, zip, backup: await readArchive(zip) };
  } catch (err) {
    throw new Error(
      err instanceof BackupFormatError
        ? err.message
        : `The file could not be read: ${(err as Error).message}`,
    );
  }
}

function restoreLabel(plan: RestorePlan): string {
  if (plan.mode !== "exact") return `Recreate on ${plan.target.label}`;
  return plan.collisions.length
    ? `Restore into ${plan.target.label}, skipping what exists`
    : `Restore into ${plan.target.label}`;
}

/** Read an archive, choose where it goes, see the plan, then restore it and report what came back. */
export const RestoreSection = memo(function RestoreSection({
  connections,
  active,
}: {
  connections: PlaygroundConnection[];
  active: PlaygroundConnection | null;
}) {
  const targetId = useId();
  const addThread = usePlaygroundStore((s) => s.addThread);
  const [targetName, setTargetName] = useState<string | null>(null);
  const [progress, setProgress] = useState<RestoreProgress | null>(null);
  const [chosen, setChosen] = useState<{ name: string; size: number } | null>(null);
  const target = connections.find((c) => c.name === targetName) ?? active;

  const read = useMutation({ mutationFn: readFile });
  const loaded = read.data ?? null;

  const restore = useMutation({
    mutationFn: async ({
      archive,
      into,
      plan,
    }: {
      archive: LoadedArchive;
      into: PlaygroundConnection;
      plan: RestorePlan;
    }) => {
      const res =
        plan.mode === "exact"
          ? await restoreIntoLocalEngine(archive.zip, archive.backup, {
              connection: into.name,
              skipExisting: plan.collisions.length > 0,
            })
          : await restoreByRecreating(clientFor(into), archive.backup, setProgress);
      const createdAt = Date.now();
      for (const t of [...res.threadIndex].reverse())
        if (t.assistantId)
          addThread({
            id: t.id,
            connection: into.name,
            assistantId: t.assistantId,
            createdAt,
            ...(t.title ? { title: t.title } : {}),
          });
      return res;
    },
    onSettled: () => setProgress(null),
  });
  const busy = restore.isPending;
  const result = restore.data ?? null;
  // No plan beside a report: the target holds more now, so choosing a target again plans afresh.
  const plan = useQuery(restorePlanQuery(result ? null : loaded, target));
  const start = () =>
    loaded && target && plan.data && restore.mutate({ archive: loaded, into: target, plan: plan.data });

  function choose(file: File | undefined) {
    restore.reset();
    setChosen(file ? { name: file.name, size: file.size } : null);
    if (file) read.mutate(file);
    else read.reset();
  }

  function reset() {
    read.reset();
    restore.reset();
    setChosen(null);
  }

  const fileError = read.error?.message ?? null;
  const m = loaded?.backup.manifest;
  return (
    <section aria-labelledby="restore-heading" className={section}>
      <h3 id="restore-heading" className="text-base font-semibold text-slate-900">
        Restore a backup
      </h3>
      <p className="mt-1 text-sm text-slate-700">
        Into a local engine, everything comes back as it was: ids, runs and run steps included. Into any other
        connection, assistants, files and vector stores are recreated with new ids and threads are replayed as
        messages; runs cannot be recreated through the API. You see the plan before anything starts.
      </p>
      <div className="mt-3">
        <FileDrop
          label="Backup archive (.zip)"
          accept=".zip,application/zip"
          chooseText="Choose a backup…"
          dropText="or drop a backup archive (.zip) here"
          disabled={busy}
          chosen={chosen}
          error={fileError}
          hint={read.isPending ? "Reading the archive…" : undefined}
          onFile={choose}
        />
      </div>
      {loaded && m ? (
        <div className="mt-3 space-y-3">
          <p className="text-sm text-slate-800">
            <span className="font-medium">{loaded.name}</span>: made {formatTimestamp(m.createdAt)} from
            connection <code className="font-mono">{m.source.connection}</code> — {countsText(m.counts)}.
          </p>
          <div className="max-w-sm">
            <label htmlFor={targetId} className="mb-1 block text-sm font-medium text-slate-800">
              Restore into
            </label>
            <select
              id={targetId}
              value={target?.name ?? ""}
              disabled={busy}
              onChange={(e) => {
                setTargetName(e.target.value);
                restore.reset();
              }}
              className="block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              {connections.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.label} ({c.kind === "local" ? "exact restore" : "recreate"})
                </option>
              ))}
            </select>
          </div>
          {plan.error ? <ErrorAlert error={plan.error} /> : null}
          {plan.isPending && target && !result ? (
            <p className="text-sm text-slate-600">Preparing the plan…</p>
          ) : null}
          {plan.data && !result ? (
            <>
              <RestorePlanView plan={plan.data} />
              <div className="flex flex-wrap gap-2">
                <Button variant="primary" disabled={busy} onClick={start}>
                  {busy ? "Restoring…" : restoreLabel(plan.data)}
                </Button>
                <Button disabled={busy} onClick={reset}>
                  Cancel
                </Button>
              </div>
            </>
          ) : null}
          {busy && progress ? (
            <Progress
              label="Restore progress"
              done={progress.done}
              total={progress.total}
              text={`${progress.label} (${Math.min(progress.done + 1, progress.total)} of ${progress.total})`}
            />
          ) : null}
          {busy && !progress ? (
            <p role="status" className="text-sm text-slate-700">
              Restoring…
            </p>
          ) : null}
          {restore.error ? <ErrorAlert error={restore.error} onRetry={start} /> : null}
          {result ? <RestoreReport result={result} /> : null}
        </div>
      ) : null}
    </section>
  );
});
