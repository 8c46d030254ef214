"use client";

import { useCallback } from "react";
import { downloadBlob } from "@/lib/client/download";
import type { ClientScope } from "@/lib/client/queries/scope";
import { getPlaygroundClient } from "@/lib/client/sdk";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import type { Configuration, ToolCallSummary, Usage } from "@/lib/evaluations/model";

export const section = "rounded-lg border border-slate-200 bg-white p-3 shadow-sm sm:p-4";

/** Grid columns for one card per configuration (1–4). */
export const CONFIG_COLUMNS = [
  "",
  "md:grid-cols-1",
  "md:grid-cols-2",
  "md:grid-cols-2 xl:grid-cols-3",
  "md:grid-cols-2 xl:grid-cols-4",
];

export function scopeFor(configuration: Pick<Configuration, "connection" | "apiVersion">): ClientScope {
  const ref = { name: configuration.connection, apiVersion: configuration.apiVersion };
  return { client: getPlaygroundClient(ref), connection: ref };
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function toolCallsText(calls: readonly ToolCallSummary[]): string {
  if (calls.length === 0) return "none";
  return calls
    .map((c) => (c.type === "function" ? `${c.name}(${c.arguments ?? ""})` : c.type.replace(/_/g, " ")))
    .join(", ");
}

/** The measurements of one run, as a description list. */
export function Metrics({
  usage,
  ttftMs,
  totalMs,
  steps,
  toolCalls,
}: {
  usage: Usage | null;
  ttftMs: number | null;
  totalMs: number | null;
  steps?: number | null;
  toolCalls: readonly ToolCallSummary[];
}) {
  const rows: [string, string][] = [
    [
      "Tokens",
      usage ? `${usage.total_tokens} (${usage.prompt_tokens} in, ${usage.completion_tokens} out)` : "—",
    ],
    ["First token", formatMs(ttftMs)],
    ["Total time", formatMs(totalMs)],
  ];
  if (steps !== undefined && steps !== null) rows.push(["Steps", String(steps)]);
  rows.push(["Tool calls", toolCallsText(toolCalls)]);
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs text-slate-700">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-medium text-slate-600">{k}</dt>
          <dd className="break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const VERDICT_STYLE: Record<string, string> = {
  passed: "bg-emerald-100 text-emerald-900",
  failed: "bg-red-100 text-red-900",
  error: "bg-amber-100 text-amber-900",
  cancelled: "bg-slate-200 text-slate-800",
  running: "bg-indigo-100 text-indigo-900",
  waiting: "bg-slate-100 text-slate-700",
};
const VERDICT_TEXT: Record<string, string> = {
  passed: "✓ Passed",
  failed: "✗ Failed",
  error: "! Error",
  cancelled: "Cancelled",
  running: "Running…",
  waiting: "Waiting",
};

export function VerdictBadge({ verdict }: { verdict: string }) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${VERDICT_STYLE[verdict] ?? ""}`}
    >
      {VERDICT_TEXT[verdict] ?? verdict}
    </span>
  );
}

export function downloadText(fileName: string, text: string, type: string) {
  downloadBlob(fileName, new Blob([text], { type }));
}

export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "evaluation";
}

/**
 * Opens a thread in the playground, in a new tab so the results stay where they are: the
 * playground shows the current thread of the chosen connection and assistant, and the store that
 * says so is persisted (lib/client/stores/playground-store.ts), so the new tab starts on it.
 */
export function useOpenInPlayground() {
  const selectConnection = usePlaygroundStore((s) => s.selectConnection);
  const selectAssistant = usePlaygroundStore((s) => s.selectAssistant);
  const addThread = usePlaygroundStore((s) => s.addThread);
  return useCallback(
    (configuration: Pick<Configuration, "connection" | "assistantId">, threadId: string, title: string) => {
      selectConnection(configuration.connection);
      selectAssistant(configuration.connection, configuration.assistantId);
      addThread({
        id: threadId,
        connection: configuration.connection,
        assistantId: configuration.assistantId,
        createdAt: Date.now(),
        title: title.slice(0, 80),
      });
      window.open("/", "_blank", "noopener");
    },
    [selectConnection, selectAssistant, addThread],
  );
}
