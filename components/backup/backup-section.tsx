"use client";

import { memo, useEffect, useRef, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/field";
import { ErrorAlert } from "@/components/ui/error-alert";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { downloadBlob, useObjectUrl } from "@/lib/client/download";
import { backupFileName, createBackup, streamBackup, type BackupProgress } from "@/lib/client/export/backup";
import { pickSaveFile, saveMode, type SaveMode } from "@/lib/client/export/save-file";
import { v2ApiVersion } from "@/lib/client/export/restore";
import { formatBytes } from "@/lib/client/files/file-types";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { Progress, clientFor, countsText, listsThreads, section, success } from "./backup-common";

/** A file chosen to write the archive into; null: build it in memory; "cancelled": the picker was closed. */
type SaveTarget = Awaited<ReturnType<typeof pickSaveFile>> | "cancelled";

/** One .zip of a connection's assistants, threads (with runs and steps), vector stores and files. */
export const BackupSection = memo(function BackupSection({
  connection,
}: {
  connection: PlaygroundConnection | null;
}) {
  const threads = usePlaygroundStore((s) => s.threads);
  const [includeUnused, setIncludeUnused] = useState(false);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  // Known only in the browser: the server render says nothing until then.
  const [mode, setMode] = useState<SaveMode | null>(null);
  useEffect(() => setMode(saveMode()), []);

  const backup = useMutation({
    mutationFn: async ({ source, target }: { source: PlaygroundConnection; target: Promise<SaveTarget> }) => {
      const controller = new AbortController();
      abort.current = controller;
      const options = {
        connection: { name: source.name, kind: source.kind, apiVersion: v2ApiVersion(source) },
        knownThreads: threads
          .filter((t) => t.connection === source.name)
          .map((t) => ({ id: t.id, assistantId: t.assistantId, title: t.title ?? null })),
        listThreads: listsThreads(source),
        includeUnused,
        onProgress: setProgress,
        signal: controller.signal,
      };
      try {
        const chosen = await target;
        if (chosen === "cancelled") return null;
        if (chosen) {
          // Written to the chosen file as it is read: the page holds one thread or file at a time.
          const { manifest, bytes } = await streamBackup(clientFor(source), options, chosen.sink);
          return { saved: { name: chosen.name, bytes }, blob: null, name: chosen.name, manifest };
        }
        const { zip, manifest } = await createBackup(clientFor(source), options);
        const blob = new Blob([zip as BlobPart], { type: "application/zip" });
        const name = backupFileName(source.name);
        downloadBlob(name, blob);
        return { saved: null, blob, name, manifest };
      } catch (err) {
        // Cancelled by the person: nothing to report.
        if (controller.signal.aborted) return null;
        throw err;
      }
    },
    onSettled: () => setProgress(null),
  });
  const busy = backup.isPending;
  const done = backup.data ?? null;
  const url = useObjectUrl(done?.blob ?? undefined);
  const start = () => {
    if (!connection) return;
    // The picker opens in the click itself (it needs the person's gesture), before any await.
    const target: Promise<SaveTarget> =
      mode === "stream"
        ? pickSaveFile(backupFileName(connection.name)).then((picked) => picked ?? "cancelled")
        : Promise.resolve(null);
    backup.mutate({ source: connection, target });
  };

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
      {mode ? (
        <p className="mt-2 text-sm text-slate-700" data-testid="backup-save-mode">
          {mode === "stream"
            ? "This browser writes the archive straight to a file you choose, as it is read: a large connection never has to fit in the page's memory."
            : "This browser cannot write a file as it goes: the archive is built in the page's memory, then downloaded. For a large connection, use a Chromium-based browser (Chrome, Edge), which writes it to disk as it is read."}
        </p>
      ) : null}
      <CheckboxField
        className="mt-3"
        label="Also include files and vector stores that nothing uses"
        checked={includeUnused}
        disabled={busy}
        onChange={(e) => setIncludeUnused(e.target.checked)}
      />
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="primary" disabled={!connection || busy} onClick={start}>
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
      {backup.error ? <ErrorAlert className="mt-3" error={backup.error} onRetry={start} /> : null}
      {done ? (
        <div className={`mt-3 ${success}`} role="status">
          <p className="font-semibold">Backup ready: {countsText(done.manifest.counts)}.</p>
          {done.saved ? (
            <p className="mt-1">
              Saved as <span className="font-medium">{done.saved.name}</span> ({formatBytes(done.saved.bytes)}
              ), written to disk as it was read.
            </p>
          ) : done.blob ? (
            <p className="mt-1">
              <a
                href={url ?? undefined}
                download={done.name}
                className="font-medium text-indigo-800 underline"
              >
                Download {done.name}
              </a>{" "}
              ({formatBytes(done.blob.size)})
            </p>
          ) : null}
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
});
