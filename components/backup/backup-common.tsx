import { memo } from "react";
import type { PlaygroundConnection } from "@/lib/client/connections";
import type { BackupManifest } from "@/lib/client/export/archive";
import { v2ApiVersion } from "@/lib/client/export/restore";
import { getPlaygroundClient } from "@/lib/client/sdk";

export const section = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";
export const success = "rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950";

export function clientFor(connection: PlaygroundConnection) {
  return getPlaygroundClient({ name: connection.name, apiVersion: v2ApiVersion(connection) });
}

/** Whether the connection can list its threads (the local engine can; Azure cannot). */
export function listsThreads(connection: PlaygroundConnection): boolean {
  const flag = (connection as PlaygroundConnection & { listThreads?: boolean }).listThreads;
  return flag ?? connection.kind === "local";
}

export function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

export function countsText(c: BackupManifest["counts"]): string {
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

export const Progress = memo(function Progress({
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
});
