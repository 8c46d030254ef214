"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import { exportThread, threadToMarkdown } from "@/lib/client/export/thread";
import type { ClientScope } from "@/lib/client/queries/scope";
import { downloadBlob } from "./download";

/** Export one thread as JSON (with runs, steps and generated files) or as a Markdown transcript. */
export function ThreadExportMenu({
  scope,
  threadId,
  name,
  title,
}: {
  scope: ClientScope | null;
  threadId: string;
  /** How the thread is called in the list (for accessible names). */
  name: string;
  title: string | null;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<"json" | "md" | null>(null);
  const [error, setError] = useState<PlaygroundError | null>(null);

  async function run(kind: "json" | "md") {
    if (!scope) return;
    setBusy(kind);
    setError(null);
    try {
      const exp = await exportThread(scope.client, threadId, {
        connection: scope.connection.name,
        apiVersion: scope.connection.apiVersion,
        title,
      });
      if (kind === "json")
        downloadBlob(
          `${threadId}.json`,
          new Blob([JSON.stringify(exp, null, 2) + "\n"], { type: "application/json" }),
        );
      else downloadBlob(`${threadId}.md`, new Blob([threadToMarkdown(exp)], { type: "text/markdown" }));
      setOpen(false);
    } catch (err) {
      setError(toPlaygroundError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <Button
        variant="ghost"
        className="px-1.5 py-0 text-xs"
        aria-label={`Export ${name}`}
        aria-expanded={open}
        disabled={!scope}
        onClick={() => setOpen((o) => !o)}
      >
        Export
      </Button>
      {open ? (
        <span role="group" aria-label={`Export ${name} as`} className="flex basis-full items-center gap-1">
          <Button
            className="flex-1 px-1 py-0.5 text-xs"
            disabled={busy !== null}
            aria-label={`Export ${name} as JSON`}
            onClick={() => void run("json")}
          >
            {busy === "json" ? "Exporting…" : "JSON"}
          </Button>
          <Button
            className="flex-1 px-1 py-0.5 text-xs"
            disabled={busy !== null}
            aria-label={`Export ${name} as Markdown`}
            onClick={() => void run("md")}
          >
            {busy === "md" ? "Exporting…" : "Markdown"}
          </Button>
        </span>
      ) : null}
      {error ? (
        <span role="alert" className="basis-full text-xs text-red-800">
          Export failed{error.status ? ` (${error.status}${error.code ? ` ${error.code}` : ""})` : ""}:{" "}
          {error.message} {error.hint}
        </span>
      ) : null}
    </>
  );
}
