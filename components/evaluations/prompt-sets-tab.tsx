"use client";

import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { SelectField } from "@/components/ui/field";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { listQuery } from "@/lib/client/evaluations/api";
import { useStableCallback } from "@/lib/client/use-stable-callback";
import { newId, type Configuration, type EvaluationRun } from "@/lib/evaluations/model";
import { PromptSetEditor } from "./prompt-set-editor";
import { SetResults } from "./set-results";
import { section } from "./shared";
import { usePromptSetDraft, type Problem } from "./use-prompt-set-draft";
import { useSetRun } from "./use-set-run";

function ProblemAlert({ problem }: { problem: Problem }) {
  if (!("lines" in problem)) return <ErrorAlert error={problem.error} title={problem.title} />;
  const [title, ...rest] = problem.lines;
  return (
    <Alert title={title}>
      {rest.length > 0 ? (
        <ul className="list-disc pl-5">
          {rest.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/** A hidden file input, opened by a button. */
function FileButton({
  label,
  inputLabel,
  accept,
  disabled,
  onFile,
}: {
  label: string;
  inputLabel: string;
  accept: string;
  disabled: boolean;
  onFile: (file: File) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button disabled={disabled} onClick={() => input.current?.click()}>
        {label}
      </Button>
      <input
        ref={input}
        type="file"
        accept={accept}
        aria-label={inputLabel}
        className="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = "";
          if (f) onFile(f);
        }}
      />
    </>
  );
}

export function PromptSetsTab({
  configurations,
  connections,
}: {
  configurations: Configuration[];
  connections: PlaygroundConnection[];
}) {
  const sets = useQuery(listQuery("prompt-sets"));
  const editing = usePromptSetDraft();
  const { draft, chosen } = editing;
  const [concurrency, setConcurrency] = useState(3);
  const runner = useSetRun({ concurrency, onFailure: editing.setProblem });
  const busy = runner.busy;

  const start = useStableCallback(async () => {
    const missing = configurations.find((c) => !c.assistantId);
    if (missing)
      return editing.setProblem({ lines: [`Choose an assistant for configuration ${missing.label}.`] });
    const saved = await editing.save();
    if (!saved) return;
    const record: EvaluationRun = {
      id: newId("run"),
      promptSetId: saved.id,
      promptSetName: saved.name,
      prompts: saved.prompts,
      configurations,
      cells: [],
      status: "running",
      started_at: Math.floor(Date.now() / 1000),
      finished_at: null,
      rerunOf: null,
    };
    runner.execute(
      record,
      saved.prompts.flatMap((p) => configurations.map((c) => ({ promptId: p.id, configurationId: c.id }))),
    );
  });
  const rerunFailed = useStableCallback(() => {
    if (runner.run && !runner.rerunFailed(runner.run))
      editing.setNotice("Nothing failed: nothing to run again.");
  });
  const cancel = useStableCallback(runner.cancel);
  const save = useStableCallback(() => void editing.save());
  const remove = useStableCallback(() => draft && editing.remove(draft.id));

  return (
    <div className="space-y-3">
      <section aria-labelledby="sets-heading" className={section}>
        <h2 id="sets-heading" className="text-base font-semibold text-slate-900">
          Prompt sets
        </h2>
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <SelectField
            className="min-w-0 flex-1"
            label="Prompt set"
            value={chosen}
            onChange={(e) => editing.setChosen(e.target.value)}
          >
            <option value="">
              {sets.isLoading ? "Loading…" : `Choose a set (${sets.data?.length ?? 0} on the server)`}
            </option>
            {(sets.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} — {s.prompts} prompts
              </option>
            ))}
          </SelectField>
          <Button disabled={!chosen || busy || editing.pending} onClick={() => editing.open(chosen)}>
            Open
          </Button>
          <Button disabled={busy} onClick={editing.startNew}>
            New set
          </Button>
          <FileButton
            label="Import prompts (CSV or JSONL)"
            inputLabel="Prompts file (CSV or JSONL)"
            accept=".csv,.jsonl,.ndjson,text/csv"
            disabled={busy}
            onFile={(f) => void editing.importPromptFile(f)}
          />
          <FileButton
            label="Import set file"
            inputLabel="Prompt set file (JSON)"
            accept=".json,application/json"
            disabled={busy}
            onFile={(f) => void editing.importSetFile(f)}
          />
        </div>
        {editing.problem ? (
          <div className="mt-2">
            <ProblemAlert problem={editing.problem} />
          </div>
        ) : null}
        {editing.notice ? (
          <p role="status" className="mt-2 text-sm text-emerald-800">
            {editing.notice}
          </p>
        ) : null}
      </section>

      {draft ? (
        <PromptSetEditor
          draft={draft}
          connections={connections}
          configurationCount={configurations.length}
          busy={busy || editing.pending}
          concurrency={concurrency}
          onConcurrencyChange={setConcurrency}
          onEdit={editing.editDraft}
          onChangePrompt={editing.changePrompt}
          onRemovePrompt={editing.removePrompt}
          onAddPrompt={editing.addPrompt}
          onSave={save}
          onDelete={remove}
          onRun={start}
        />
      ) : null}

      {runner.run ? (
        <SetResults
          run={runner.run}
          live={runner.live}
          busy={busy}
          paused={runner.paused}
          onCancel={cancel}
          onRerunFailed={rerunFailed}
        />
      ) : null}
    </div>
  );
}
