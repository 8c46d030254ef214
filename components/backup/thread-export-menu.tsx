"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { downloadBlob, downloadJson } from "@/lib/client/download";
import { exportThread, threadToMarkdown } from "@/lib/client/export/thread";
import type { ClientScope } from "@/lib/client/queries/scope";

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
  const exporting = useMutation({
    mutationFn: async ({ kind, scope }: { kind: "json" | "md"; scope: ClientScope }) => {
      const exp = await exportThread(scope.client, threadId, {
        connection: scope.connection.name,
        apiVersion: scope.connection.apiVersion,
        title,
      });
      if (kind === "json") downloadJson(`${threadId}.json`, exp);
      else downloadBlob(`${threadId}.md`, new Blob([threadToMarkdown(exp)], { type: "text/markdown" }));
    },
    onSuccess: () => setOpen(false),
  });
  const busy = exporting.isPending ? exporting.variables.kind : null;
  const run = (kind: "json" | "md") => scope && exporting.mutate({ kind, scope });

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
            onClick={() => run("json")}
          >
            {busy === "json" ? "Exporting…" : "JSON"}
          </Button>
          <Button
            className="flex-1 px-1 py-0.5 text-xs"
            disabled={busy !== null}
            aria-label={`Export ${name} as Markdown`}
            onClick={() => run("md")}
          >
            {busy === "md" ? "Exporting…" : "Markdown"}
          </Button>
        </span>
      ) : null}
      {exporting.error ? (
        <ErrorAlert inline title="Export failed" error={exporting.error} className="basis-full text-xs" />
      ) : null}
    </>
  );
}
