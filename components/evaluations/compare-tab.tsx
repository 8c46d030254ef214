"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { listQuery } from "@/lib/client/evaluations/api";
import type { Configuration } from "@/lib/evaluations/model";
import { CompareColumn } from "./compare-column";
import { AnswerAllForm } from "./compare-forms";
import { CONFIG_COLUMNS, section } from "./shared";
import { useCompare } from "./use-compare";

export function CompareTab({
  configurations,
  onConfigurationsChange,
}: {
  configurations: Configuration[];
  onConfigurationsChange: (next: Configuration[]) => void;
}) {
  const compare = useCompare({ configurations, onConfigurationsChange });
  const { columns, running, asked, problem, chosen } = compare;
  const kept = useQuery(listQuery("comparisons"));
  const messageId = useId();

  const pendingColumns = configurations.filter((c) => (columns[c.id]?.pending.length ?? 0) > 0);
  const pendingNames = [...new Set(pendingColumns.flatMap((c) => columns[c.id]!.pending.map((p) => p.name)))];
  const gridCols = CONFIG_COLUMNS[configurations.length] ?? "";

  return (
    <div className="space-y-3">
      <section aria-labelledby={`${messageId}-h`} className={section}>
        <h2 id={`${messageId}-h`} className="text-base font-semibold text-slate-900">
          Send one message to every configuration
        </h2>
        <form
          className="mt-2 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            compare.send();
          }}
        >
          <TextAreaField
            label="Message to compare"
            rows={3}
            value={compare.message}
            onChange={(e) => compare.setMessage(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                compare.send();
              }
            }}
            hint="Ctrl+Enter sends. Each configuration answers in its own new thread."
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="primary" disabled={running}>
              Send to all
            </Button>
            <Button onClick={compare.stop} disabled={!running}>
              Stop
            </Button>
          </div>
        </form>
        {problem ? (
          <div className="mt-2">
            {typeof problem === "string" ? (
              <Alert title="Cannot compare">{problem}</Alert>
            ) : (
              <ErrorAlert error={problem.error} title={problem.title} />
            )}
          </div>
        ) : null}
      </section>

      {pendingColumns.length >= 2 ? (
        <AnswerAllForm
          names={pendingNames}
          onSubmit={(byName) => {
            for (const c of pendingColumns)
              compare.answer(
                c.id,
                Object.fromEntries(columns[c.id]!.pending.map((p) => [p.id, byName[p.name] ?? ""])),
              );
          }}
        />
      ) : null}

      {asked !== null ? (
        <div className={`grid grid-cols-1 gap-3 ${gridCols}`}>
          {configurations.map((c) => (
            <CompareColumn
              key={c.id}
              configuration={c}
              column={columns[c.id]}
              asked={asked}
              onAnswer={compare.answer}
            />
          ))}
        </div>
      ) : null}

      <section aria-labelledby={`${messageId}-kept`} className={section}>
        <h2 id={`${messageId}-kept`} className="text-base font-semibold text-slate-900">
          Kept comparisons
        </h2>
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <TextField
            className="min-w-0 flex-1"
            label="Comparison name"
            value={compare.name}
            maxLength={200}
            onChange={(e) => compare.setName(e.target.value)}
          />
          <Button variant="primary" disabled={!compare.done || compare.keptBusy} onClick={compare.keep}>
            Keep comparison
          </Button>
        </div>
        {compare.saved ? (
          <p role="status" className="mt-1 text-sm text-emerald-800">
            {compare.saved}
          </p>
        ) : null}
        <div className="mt-3 flex flex-wrap items-end gap-2">
          <SelectField
            className="min-w-0 flex-1"
            label="Kept comparison"
            value={chosen}
            onChange={(e) => compare.setChosen(e.target.value)}
          >
            <option value="">{kept.isLoading ? "Loading…" : `Choose one (${kept.data?.length ?? 0})`}</option>
            {(kept.data ?? []).map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} — {k.configurations.join(" vs ")}
              </option>
            ))}
          </SelectField>
          <Button disabled={!chosen || running || compare.keptBusy} onClick={() => compare.reopen(chosen)}>
            Reopen
          </Button>
          <Button
            variant="danger"
            disabled={!chosen || compare.keptBusy}
            onClick={() => compare.remove(chosen)}
          >
            Delete
          </Button>
        </div>
      </section>
    </div>
  );
}
