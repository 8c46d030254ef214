"use client";

import { Button } from "@/components/ui/button";
import type { LiveRun } from "@/lib/client/evaluations/run-prompt";
import { cellKey } from "@/lib/client/evaluations/run-set";
import type { EvaluationRun } from "@/lib/evaluations/model";
import { cellFor } from "@/lib/evaluations/report";
import { formatMs, useOpenInPlayground, VerdictBadge } from "./shared";

/** The configuration's name above a cell where the table's columns are stacked (narrow screens). */
function ConfigName({ label }: { label: string }) {
  return (
    <span aria-hidden="true" className="mb-0.5 block text-xs font-semibold text-slate-700 md:hidden">
      {label}
    </span>
  );
}

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
    <div className="max-w-full md:overflow-x-auto">
      {/* Explicit roles: stacked on narrow screens (display: block), the table keeps its semantics. */}
      <table role="table" className="w-full border-collapse text-left text-sm max-md:block">
        <caption className="sr-only">{caption}</caption>
        <thead className="max-md:hidden">
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
        <tbody role="rowgroup" className="max-md:block">
          {run.prompts.map((p) => (
            <tr
              role="row"
              key={p.id}
              className="border-b border-slate-100 align-top max-md:block max-md:py-2"
            >
              <th role="rowheader" scope="row" className="py-2 pr-3 font-normal text-slate-800 max-md:block">
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
                    <td
                      role="cell"
                      key={c.id}
                      className="py-2 pr-3 max-md:block"
                      aria-label={`${p.id} on ${c.label}: ${state}`}
                    >
                      <ConfigName label={c.label} />
                      <VerdictBadge verdict={state} />
                      {l ? (
                        <span className="ml-1 text-xs text-slate-600">{l.status.replace(/_/g, " ")}</span>
                      ) : null}
                    </td>
                  );
                }
                return (
                  <td
                    role="cell"
                    key={c.id}
                    className="py-2 pr-3 max-md:block"
                    aria-label={`${p.id} on ${c.label}: ${cell.verdict}`}
                  >
                    <ConfigName label={c.label} />
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
