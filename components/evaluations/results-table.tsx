"use client";

import { Button } from "@/components/ui/button";
import type { LiveRun } from "@/lib/client/evaluations/run-prompt";
import { cellKey } from "@/lib/client/evaluations/run-set";
import type { EvaluationRun } from "@/lib/evaluations/model";
import { cellFor } from "@/lib/evaluations/report";
import { formatMs, useOpenInPlayground, VerdictBadge } from "./shared";

/** Prompt × configuration: the verdict, every check with its reason, tokens, time, and a way into the inspector. */
export function ResultsTable({
  run,
  live,
  caption,
}: {
  run: EvaluationRun;
  /** Cells still running, by cellKey. */
  live?: ReadonlyMap<string, LiveRun | null>;
  caption: string;
}) {
  const openInPlayground = useOpenInPlayground();
  return (
    <div className="max-w-full overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200">
            <th scope="col" className="w-48 py-2 pr-3 font-semibold text-slate-700">
              Prompt
            </th>
            {run.configurations.map((c) => (
              <th key={c.id} scope="col" className="min-w-56 py-2 pr-3 font-semibold text-slate-700">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {run.prompts.map((p) => (
            <tr key={p.id} className="border-b border-slate-100 align-top">
              <th scope="row" className="py-2 pr-3 font-normal text-slate-800">
                <span className="block text-xs text-slate-500">{p.id}</span>
                <span className="line-clamp-4 break-words">{p.text}</span>
              </th>
              {run.configurations.map((c) => {
                const cell = cellFor(run, p.id, c.id);
                const key = cellKey({ promptId: p.id, configurationId: c.id });
                if (!cell) {
                  const l = live?.get(key);
                  const state = live?.has(key) ? "running" : "waiting";
                  return (
                    <td key={c.id} className="py-2 pr-3" aria-label={`${p.id} on ${c.label}: ${state}`}>
                      <VerdictBadge verdict={state} />
                      {l ? (
                        <span className="ml-1 text-xs text-slate-600">{l.status.replace(/_/g, " ")}</span>
                      ) : null}
                    </td>
                  );
                }
                return (
                  <td key={c.id} className="py-2 pr-3" aria-label={`${p.id} on ${c.label}: ${cell.verdict}`}>
                    <div className="flex flex-wrap items-center gap-1.5">
                      <VerdictBadge verdict={cell.verdict} />
                      {cell.runStatus ? (
                        <span className="text-xs text-slate-600">
                          run {cell.runStatus.replace(/_/g, " ")}
                        </span>
                      ) : null}
                      {cell.copiedFrom ? (
                        <span className="text-xs text-slate-500">(kept from the earlier run)</span>
                      ) : null}
                    </div>
                    {cell.error ? (
                      <p className="mt-1 text-xs break-words text-amber-900">{cell.error}</p>
                    ) : null}
                    <ul className="mt-1 space-y-0.5 text-xs" aria-label="Checks">
                      {cell.checks.map((check, i) => (
                        <li key={i} className={check.pass ? "text-emerald-900" : "text-red-900"}>
                          <span aria-hidden="true">{check.pass ? "✓ " : "✗ "}</span>
                          <span className="sr-only">{check.pass ? "Passed: " : "Failed: "}</span>
                          <span className="font-medium">{check.label}</span>
                          <span className="break-words text-slate-700"> — {check.reason}</span>
                        </li>
                      ))}
                    </ul>
                    <p className="mt-1 text-xs text-slate-600">
                      {cell.usage ? `${cell.usage.total_tokens} tokens` : "— tokens"} ·{" "}
                      {formatMs(cell.totalMs)}
                      {cell.ttftMs !== null ? ` · first token ${formatMs(cell.ttftMs)}` : ""}
                    </p>
                    {cell.threadId ? (
                      <Button
                        variant="ghost"
                        className="mt-1 -ml-3"
                        aria-label={`Open ${p.id} on ${c.label} in the inspector (new tab)`}
                        onClick={() => openInPlayground(c, cell.threadId!, p.text)}
                      >
                        Open in inspector (new tab)
                      </Button>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
