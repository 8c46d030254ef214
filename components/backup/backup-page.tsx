"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ErrorAlert } from "@/components/files/error-alert";
import { AppHeader } from "@/components/layout/app-header";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/field";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import {
  BackupFormatError,
  readArchive,
  type BackupContents,
  type BackupManifest,
} from "@/lib/client/export/archive";
import { backupFileName, createBackup, type BackupProgress } from "@/lib/client/export/backup";
import {
  checkLocalRestore,
  modeFor,
  planRestore,
  restoreByRecreating,
  restoreIntoLocalEngine,
  v2ApiVersion,
  type RestorePlan,
  type RestoreProgress,
  type RestoreResult,
} from "@/lib/client/export/restore";
import { formatBytes } from "@/lib/client/files/file-types";
import { getPlaygroundClient } from "@/lib/client/sdk";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useActiveConnection, type ActiveConnection } from "@/lib/client/use-active-connection";
import { downloadBlob } from "./download";

const section = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";

function clientFor(connection: PlaygroundConnection) {
  return getPlaygroundClient({ name: connection.name, apiVersion: v2ApiVersion(connection) });
}

function listsThreads(connection: PlaygroundConnection): boolean {
  const flag = (connection as PlaygroundConnection & { listThreads?: boolean }).listThreads;
  return flag ?? connection.kind === "local";
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function countsText(c: BackupManifest["counts"]): string {
  return [
    plural(c.assistants, "assistant"),
    plural(c.files, "file"),
    plural(c.vectorStores, "vector store"),
    plural(c.threads, "thread"),
    plural(c.messages, "message"),
    plural(c.runs, "run"),
    plural(c.steps, "run step"),
  ].join(", ");
}

function Progress({
  label,
  done,
  total,
  text,
}: {
  label: string;
  done: number;
  total: number;
  text: string;
}) {
  return (
    <div className="mt-3 space-y-1">
      <progress
        aria-label={label}
        value={done}
        max={Math.max(total, 1)}
        className="h-2 w-full accent-indigo-600"
      />
      <p role="status" className="text-sm text-slate-700">
        {text}
      </p>
    </div>
  );
}

function BackupSection({ active }: { active: ActiveConnection }) {
  const connection = active.connection;
  const threads = usePlaygroundStore((s) => s.threads);
  const [includeUnused, setIncludeUnused] = useState(false);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlaygroundError | null>(null);
  const [done, setDone] = useState<{
    url: string;
    name: string;
    size: number;
    manifest: BackupManifest;
  } | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => () => (done ? URL.revokeObjectURL(done.url) : undefined), [done]);

  async function start() {
    if (!connection) return;
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { zip, manifest } = await createBackup(clientFor(connection), {
        connection: { name: connection.name, kind: connection.kind, apiVersion: v2ApiVersion(connection) },
        knownThreads: threads
          .filter((t) => t.connection === connection.name)
          .map((t) => ({ id: t.id, assistantId: t.assistantId, title: t.title ?? null })),
        listThreads: listsThreads(connection),
        includeUnused,
        onProgress: setProgress,
        signal: controller.signal,
      });
      const blob = new Blob([zip as BlobPart], { type: "application/zip" });
      const name = backupFileName(connection.name);
      downloadBlob(name, blob);
      setDone({ url: URL.createObjectURL(blob), name, size: blob.size, manifest });
    } catch (err) {
      if (!controller.signal.aborted) setError(toPlaygroundError(err));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  return (
    <section aria-labelledby="backup-heading" className={section}>
      <h3 id="backup-heading" className="text-base font-semibold text-slate-900">
        Back up a connection
      </h3>
      <p className="mt-1 text-sm text-slate-700">
        One .zip with the assistants of{" "}
        <strong className="font-semibold">{connection ? connection.label : "the active connection"}</strong>,
        the threads this browser knows
        {connection && listsThreads(connection) ? " and every thread the connection lists" : ""}, their
        messages, runs and run steps, and the vector stores and files they use (with the files&apos; bytes).
        Choose another connection in the header to back it up instead.
      </p>
      <CheckboxField
        className="mt-3"
        label="Also include files and vector stores that nothing uses"
        checked={includeUnused}
        disabled={busy}
        onChange={(e) => setIncludeUnused(e.target.checked)}
      />
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="primary" disabled={!connection || busy} onClick={() => void start()}>
          {busy ? "Backing up…" : `Back up ${connection ? connection.label : ""}`.trim()}
        </Button>
        {busy ? <Button onClick={() => abort.current?.abort()}>Cancel</Button> : null}
      </div>
      {busy && progress ? (
        <Progress
          label="Backup progress"
          done={progress.done}
          total={progress.total}
          text={`${progress.phase === "archive" ? "Writing the archive" : `Reading ${progress.phase}`}: ${progress.label} (${progress.done + 1} of ${Math.max(progress.total, 1)})`}
        />
      ) : null}
      {error ? (
        <div className="mt-3">
          <ErrorAlert error={error} actions={<Button onClick={() => void start()}>Try again</Button>} />
        </div>
      ) : null}
      {done ? (
        <div
          className="mt-3 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950"
          role="status"
        >
          <p className="font-semibold">Backup ready: {countsText(done.manifest.counts)}.</p>
          <p className="mt-1">
            <a href={done.url} download={done.name} className="font-medium text-indigo-800 underline">
              Download {done.name}
            </a>{" "}
            ({formatBytes(done.size)})
          </p>
          {done.manifest.warnings.length ? (
            <ul className="mt-2 list-disc pl-5 text-amber-900">
              {done.manifest.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

interface Loaded {
  name: string;
  zip: Uint8Array;
  backup: BackupContents;
}

function PlanView({ plan }: { plan: RestorePlan }) {
  return (
    <div className="mt-3 space-y-2">
      <h4 className="text-sm font-semibold text-slate-900">
        {plan.mode === "exact" ? "Exact restore into " : "Recreate on "}
        {plan.target.label}
      </h4>
      <ul aria-label="What the restore will do" className="list-disc space-y-1 pl-5 text-sm text-slate-800">
        {plan.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <div
        className="max-h-72 overflow-auto rounded-md border border-slate-200"
        tabIndex={0}
        role="group"
        aria-label="Plan details"
      >
        <table className="w-full text-left text-xs">
          <caption className="sr-only">Objects in the backup and what happens to each</caption>
          <thead className="sticky top-0 bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-2 py-1 font-semibold">
                Kind
              </th>
              <th scope="col" className="px-2 py-1 font-semibold">
                Name
              </th>
              <th scope="col" className="px-2 py-1 font-semibold">
                Id in the backup
              </th>
              <th scope="col" className="px-2 py-1 font-semibold">
                What happens
              </th>
            </tr>
          </thead>
          <tbody>
            {plan.items.map((it) => (
              <tr key={`${it.kind}/${it.id}`} className="border-t border-slate-100">
                <td className="px-2 py-1 whitespace-nowrap text-slate-700">{it.kind}</td>
                <td className="max-w-40 truncate px-2 py-1 text-slate-900" title={it.label}>
                  {it.label}
                </td>
                <td className="px-2 py-1 font-mono break-all text-slate-700">{it.id}</td>
                <td className={`px-2 py-1 ${it.exists ? "text-amber-900" : "text-slate-800"}`}>
                  {it.action}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function RestoreSection({ active }: { active: ActiveConnection }) {
  const inputId = useId();
  const targetId = useId();
  const addThread = usePlaygroundStore((s) => s.addThread);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [targetName, setTargetName] = useState<string | null>(null);
  const [plan, setPlan] = useState<RestorePlan | null>(null);
  const [planError, setPlanError] = useState<PlaygroundError | null>(null);
  const [progress, setProgress] = useState<RestoreProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlaygroundError | null>(null);
  const [result, setResult] = useState<RestoreResult | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const target = active.connections.find((c) => c.name === targetName) ?? active.connection;

  // The plan, whenever the archive or the target changes (exact restores ask the engine what exists).
  useEffect(() => {
    if (!loaded || !target) return;
    let cancelled = false;
    const controller = new AbortController();
    const make = async () => {
      setPlan(null);
      setPlanError(null);
      try {
        const collisions =
          modeFor(target) === "exact"
            ? (await checkLocalRestore(loaded.zip, target.name, controller.signal)).collisions
            : [];
        if (!cancelled) setPlan(planRestore(loaded.backup, target, collisions));
      } catch (err) {
        if (!cancelled) setPlanError(toPlaygroundError(err));
      }
    };
    void make();
    return () => {
      cancelled = true;
      controller.abort();
    };
  }, [loaded, target]);

  async function choose(file: File | undefined) {
    setLoaded(null);
    setPlan(null);
    setResult(null);
    setError(null);
    setFileError(null);
    if (!file) return;
    setReading(true);
    try {
      const zip = new Uint8Array(await file.arrayBuffer());
      setLoaded({ name: file.name, zip, backup: await readArchive(zip) });
    } catch (err) {
      setFileError(
        err instanceof BackupFormatError
          ? err.message
          : `The file could not be read: ${(err as Error).message}`,
      );
    } finally {
      setReading(false);
    }
  }

  async function restore() {
    if (!loaded || !target || !plan) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res =
        plan.mode === "exact"
          ? await restoreIntoLocalEngine(loaded.zip, loaded.backup, {
              connection: target.name,
              skipExisting: plan.collisions.length > 0,
            })
          : await restoreByRecreating(clientFor(target), loaded.backup, setProgress);
      const createdAt = Date.now();
      for (const t of [...res.threadIndex].reverse())
        if (t.assistantId)
          addThread({
            id: t.id,
            connection: target.name,
            assistantId: t.assistantId,
            createdAt,
            ...(t.title ? { title: t.title } : {}),
          });
      setResult(res);
    } catch (err) {
      setError(toPlaygroundError(err));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  function reset() {
    setLoaded(null);
    setPlan(null);
    setResult(null);
    setError(null);
    if (fileInput.current) fileInput.current.value = "";
  }

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
        <label htmlFor={inputId} className="mb-1 block text-sm font-medium text-slate-800">
          Backup archive (.zip)
        </label>
        <input
          ref={fileInput}
          id={inputId}
          type="file"
          accept=".zip,application/zip"
          disabled={busy}
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? `${inputId}-error` : undefined}
          onChange={(e) => void choose(e.target.files?.[0])}
          className="block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-50"
        />
        {reading ? <p className="mt-1 text-xs text-slate-600">Reading the archive…</p> : null}
        {fileError ? (
          <p id={`${inputId}-error`} className="mt-1 text-xs text-red-800">
            {fileError}
          </p>
        ) : null}
      </div>
      {loaded && m ? (
        <div className="mt-3 space-y-3">
          <p className="text-sm text-slate-800">
            <span className="font-medium">{loaded.name}</span>: made{" "}
            {m.createdAt.replace("T", " ").slice(0, 16)} UTC from connection{" "}
            <code className="font-mono">{m.source.connection}</code> — {countsText(m.counts)}.
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
                setResult(null);
              }}
              className="block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              {active.connections.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.label} ({c.kind === "local" ? "exact restore" : "recreate"})
                </option>
              ))}
            </select>
          </div>
          {planError ? <ErrorAlert error={planError} /> : null}
          {!plan && !planError ? <p className="text-sm text-slate-600">Preparing the plan…</p> : null}
          {plan && !result ? <PlanView plan={plan} /> : null}
          {plan && !result ? (
            <div className="flex flex-wrap gap-2">
              <Button variant="primary" disabled={busy} onClick={() => void restore()}>
                {busy
                  ? "Restoring…"
                  : plan.mode === "exact"
                    ? plan.collisions.length
                      ? `Restore into ${plan.target.label}, skipping what exists`
                      : `Restore into ${plan.target.label}`
                    : `Recreate on ${plan.target.label}`}
              </Button>
              <Button disabled={busy} onClick={reset}>
                Cancel
              </Button>
            </div>
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
          {error ? (
            <ErrorAlert error={error} actions={<Button onClick={() => void restore()}>Try again</Button>} />
          ) : null}
          {result ? <RestoreReport result={result} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function RestoreReport({ result }: { result: RestoreResult }) {
  const c = result.created;
  const renamed = Object.entries(result.ids).filter(([from, to]) => from !== to);
  return (
    <div
      role="status"
      className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950"
    >
      <p className="font-semibold">
        Restored: {plural(c.assistants, "assistant")}, {plural(c.files, "file")},{" "}
        {plural(c.vectorStores, "vector store")}, {plural(c.threads, "thread")},{" "}
        {plural(c.messages, "message")}, {plural(c.runs, "run")}, {plural(c.steps, "run step")}.
      </p>
      {result.skipped.length ? (
        <p className="mt-1">
          {plural(result.skipped.length, "object")} already existed and{" "}
          {result.skipped.length === 1 ? "was" : "were"} kept as they were.
        </p>
      ) : null}
      {result.warnings.length ? (
        <ul className="mt-2 list-disc pl-5 text-amber-900">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {renamed.length ? (
        <details className="mt-2">
          <summary className="cursor-pointer font-medium">New ids ({renamed.length})</summary>
          <ul className="mt-1 font-mono text-xs">
            {renamed.map(([from, to]) => (
              <li key={from}>
                {from} → {to}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="mt-2">
        Restored threads are in the playground&apos;s thread list, under their assistant.
      </p>
    </div>
  );
}

/** /backup: back up a whole connection into one archive, and restore one (docs/backup.md). */
export function BackupPage() {
  const active = useActiveConnection();
  return (
    <div className="flex min-h-dvh flex-col bg-slate-100">
      <AppHeader active={active} />
      <main className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4">
        <h2 className="text-lg font-semibold text-slate-900">Backup and restore</h2>
        {active.error ? <ErrorAlert error={active.error} /> : null}
        <BackupSection active={active} />
        <RestoreSection active={active} />
      </main>
    </div>
  );
}
