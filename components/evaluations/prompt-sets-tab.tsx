"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { deleteRecord, getRecord, listQuery, saveRecord } from "@/lib/client/evaluations/api";
import type { LiveRun } from "@/lib/client/evaluations/run-prompt";
import { cellKey, runSet, type CellKey } from "@/lib/client/evaluations/run-set";
import { toPlaygroundError } from "@/lib/client/errors";
import { getPlaygroundClient } from "@/lib/client/sdk";
import { describeProblem, importPrompts } from "@/lib/evaluations/import";
import {
  describeIssues,
  EVALUATION_LIMITS,
  newId,
  promptSetSchema,
  type Cell,
  type Configuration,
  type EvaluationRun,
  type Prompt,
  type PromptSet,
} from "@/lib/evaluations/model";
import { cellFor, exportCsv, exportJson, fitRecord, needsRerun, totalsOf } from "@/lib/evaluations/report";
import { CheckEditor, defaultCheck } from "./check-editor";
import { ResultsTable } from "./results-table";
import { downloadText, fileSafe, section } from "./shared";

function emptyPrompt(): Prompt {
  return { id: newId("p"), text: "", attachments: [], checks: [] };
}

function newSet(name = "Untitled set", prompts: Prompt[] = [emptyPrompt()]): PromptSet {
  const now = Math.floor(Date.now() / 1000);
  return { id: newId("set"), name, description: "", prompts, created_at: now, updated_at: now };
}

function FunctionOutputsField({ prompt, onChange }: { prompt: Prompt; onChange: (p: Prompt) => void }) {
  const [text, setText] = useState(prompt.functionOutputs ? JSON.stringify(prompt.functionOutputs) : "");
  const [error, setError] = useState<string | null>(null);
  return (
    <TextAreaField
      label="Function outputs (optional)"
      hint='JSON by function name, e.g. {"get_weather": "{\"temp\": 21}"}. A call without an output stops the run.'
      rows={2}
      value={text}
      error={error}
      onChange={(e) => {
        setText(e.target.value);
        if (e.target.value.trim() === "") {
          setError(null);
          const next = { ...prompt };
          delete next.functionOutputs;
          return onChange(next);
        }
        try {
          const v = JSON.parse(e.target.value) as unknown;
          if (
            typeof v !== "object" ||
            v === null ||
            Array.isArray(v) ||
            Object.values(v).some((x) => typeof x !== "string")
          )
            throw new Error("expected an object of strings");
          setError(null);
          onChange({ ...prompt, functionOutputs: v as Record<string, string> });
        } catch (err) {
          setError(`Not valid yet: ${(err as Error).message}`);
        }
      }}
    />
  );
}

function PromptEditor({
  prompt,
  index,
  onChange,
  onRemove,
  connections,
}: {
  prompt: Prompt;
  index: number;
  onChange: (p: Prompt) => void;
  onRemove: () => void;
  connections: PlaygroundConnection[];
}) {
  const n = index + 1;
  return (
    <li className="space-y-2 rounded-md border border-slate-200 p-3">
      <TextAreaField
        label={`Prompt ${n}`}
        rows={2}
        value={prompt.text}
        onChange={(e) => onChange({ ...prompt, text: e.target.value })}
      />
      <div className="space-y-2" role="group" aria-label={`Checks of prompt ${n}`}>
        {prompt.checks.map((check, i) => (
          <CheckEditor
            key={i}
            name={`check ${i + 1} of prompt ${n}`}
            check={check}
            connections={connections}
            onChange={(next) =>
              onChange({ ...prompt, checks: prompt.checks.map((c, j) => (j === i ? next : c)) })
            }
            onRemove={() => onChange({ ...prompt, checks: prompt.checks.filter((_, j) => j !== i) })}
          />
        ))}
      </div>
      <details>
        <summary className="cursor-pointer text-sm text-slate-700">Function outputs and attachments</summary>
        <div className="mt-2 space-y-2">
          <FunctionOutputsField prompt={prompt} onChange={onChange} />
          <TextField
            label="Attached file ids (file search)"
            value={prompt.attachments.map((a) => a.file_id).join(" ")}
            onChange={(e) =>
              onChange({
                ...prompt,
                attachments: e.target.value
                  .split(/[\s,]+/)
                  .filter(Boolean)
                  .map((file_id) => ({ file_id, tools: ["file_search"] })),
              })
            }
          />
        </div>
      </details>
      <div className="flex flex-wrap gap-2">
        <Button
          onClick={() =>
            onChange({
              ...prompt,
              checks: [...prompt.checks, defaultCheck("contains", connections[0] ?? null)],
            })
          }
          aria-label={`Add a check to prompt ${n}`}
        >
          Add check
        </Button>
        <Button variant="ghost" onClick={onRemove} aria-label={`Remove prompt ${n}`}>
          Remove prompt
        </Button>
      </div>
    </li>
  );
}

export function PromptSetsTab({
  configurations,
  connections,
  onBusyChange,
}: {
  configurations: Configuration[];
  connections: PlaygroundConnection[];
  onBusyChange: (busy: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const sets = useQuery(listQuery("prompt-sets"));
  const [draft, setDraft] = useState<PromptSet | null>(null);
  const [chosen, setChosen] = useState("");
  const [problems, setProblems] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [concurrency, setConcurrency] = useState(3);
  const [run, setRun] = useState<EvaluationRun | null>(null);
  const [live, setLive] = useState<Map<string, LiveRun | null>>(new Map());
  const [busy, setBusy] = useState(false);
  const [paused, setPaused] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  const promptsFile = useRef<HTMLInputElement>(null);
  const setFile = useRef<HTMLInputElement>(null);

  useEffect(() => onBusyChange(busy), [busy, onBusyChange]);
  useEffect(() => () => controller.current?.abort(), []);

  function validate(set: PromptSet): PromptSet | null {
    const parsed = promptSetSchema.safeParse({ ...set, updated_at: Math.floor(Date.now() / 1000) });
    if (!parsed.success) {
      setProblems(
        describeIssues(parsed.error).map((line) =>
          line
            .replace(
              /^prompts\.(\d+)\.checks\.(\d+)/,
              (_, p, c) => `prompt ${Number(p) + 1}, check ${Number(c) + 1}`,
            )
            .replace(/^prompts\.(\d+)/, (_, p) => `prompt ${Number(p) + 1}`),
        ),
      );
      return null;
    }
    setProblems(null);
    return parsed.data;
  }

  async function save(): Promise<PromptSet | null> {
    if (!draft) return null;
    const valid = validate(draft);
    if (!valid) return null;
    try {
      const saved = await saveRecord("prompt-sets", valid, queryClient);
      setDraft(saved);
      setChosen(saved.id);
      setNotice(`Saved “${saved.name}”.`);
      return saved;
    } catch (err) {
      setProblems([`The set could not be saved: ${toPlaygroundError(err).message}`]);
      return null;
    }
  }

  async function open(id: string) {
    try {
      setDraft(await getRecord("prompt-sets", id));
      setProblems(null);
      setNotice(null);
    } catch (err) {
      setProblems([`The set could not be opened: ${toPlaygroundError(err).message}`]);
    }
  }

  async function importPromptFile(file: File) {
    const result = importPrompts(file.name, await file.text());
    const unit = /\.csv$/i.test(file.name) ? "row" : "line";
    if (!result.ok) {
      setProblems([
        `Nothing was imported from ${file.name}:`,
        ...result.problems.map((p) => describeProblem(p, unit)),
      ]);
      return;
    }
    setDraft(newSet(file.name.replace(/\.[^.]+$/, ""), result.prompts));
    setProblems(null);
    setNotice(`Imported ${result.prompts.length} prompts from ${file.name}. Save the set to keep it.`);
  }

  async function importSetFile(file: File) {
    let value: unknown;
    try {
      value = JSON.parse(await file.text());
    } catch (err) {
      setProblems([`${file.name} is not JSON: ${(err as Error).message}`]);
      return;
    }
    const parsed = promptSetSchema.safeParse(value);
    if (!parsed.success) {
      setProblems([`${file.name} is not a prompt set:`, ...describeIssues(parsed.error).slice(0, 20)]);
      return;
    }
    // A new id: importing never overwrites a set someone else keeps on the server.
    setDraft({ ...parsed.data, id: newId("set") });
    setProblems(null);
    setNotice(`Read “${parsed.data.name}” from ${file.name}. Save the set to keep it.`);
  }

  async function execute(record: EvaluationRun, todo: CellKey[]) {
    const abort = new AbortController();
    controller.current = abort;
    setBusy(true);
    setRun(record);
    setLive(new Map());
    const cells: Cell[] = [...record.cells];
    // Saves run one after another; results so far are stored every few seconds, so a reload or a
    // closed tab mid-run leaves what had finished in the history.
    let saving: Promise<unknown> = Promise.resolve();
    let lastSave = Date.now();
    const store = (r: EvaluationRun) => {
      lastSave = Date.now();
      saving = saving
        .catch(() => {})
        .then(() => saveRecord("runs", fitRecord(r, EVALUATION_LIMITS.recordBytes - 64 * 1024), queryClient));
      return saving;
    };
    try {
      await store(record);
    } catch (err) {
      setProblems([`The run could not be stored on the server: ${toPlaygroundError(err).message}`]);
      setBusy(false);
      return;
    }
    await runSet({
      run: record,
      cells: todo,
      clientFor: getPlaygroundClient,
      concurrency,
      signal: abort.signal,
      onLive: (key, l) => setLive((m) => new Map(m).set(cellKey(key), l)),
      onPause: (ms) => {
        setPaused(`Rate limited: every run waits ${(ms / 1000).toFixed(1)} s before going on.`);
        setTimeout(() => setPaused(null), ms);
      },
      onCell: (cell) => {
        cells.push(cell);
        setRun((r) => (r && r.id === record.id ? { ...r, cells: [...cells] } : r));
        setLive((m) => {
          const next = new Map(m);
          next.delete(cellKey(cell));
          return next;
        });
        if (Date.now() - lastSave > 5000) void store({ ...record, cells: [...cells] }).catch(() => {});
      },
    });
    const final: EvaluationRun = {
      ...record,
      cells,
      status: abort.signal.aborted ? "cancelled" : "completed",
      finished_at: Math.floor(Date.now() / 1000),
    };
    setRun(final);
    setBusy(false);
    try {
      await store(final);
    } catch (err) {
      setProblems([`The results could not be stored on the server: ${toPlaygroundError(err).message}`]);
    }
  }

  async function start() {
    const missing = configurations.find((c) => !c.assistantId);
    if (missing) return setProblems([`Choose an assistant for configuration ${missing.label}.`]);
    const saved = await save();
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
    await execute(
      record,
      saved.prompts.flatMap((p) => configurations.map((c) => ({ promptId: p.id, configurationId: c.id }))),
    );
  }

  async function rerunFailed() {
    if (!run) return;
    const todo: CellKey[] = [];
    const kept: Cell[] = [];
    for (const p of run.prompts)
      for (const c of run.configurations) {
        const cell = cellFor(run, p.id, c.id);
        if (needsRerun(cell)) todo.push({ promptId: p.id, configurationId: c.id });
        else kept.push({ ...cell!, copiedFrom: cell!.copiedFrom ?? run.id });
      }
    if (todo.length === 0) return setNotice("Nothing failed: nothing to run again.");
    await execute(
      {
        ...run,
        id: newId("run"),
        cells: kept,
        status: "running",
        started_at: Math.floor(Date.now() / 1000),
        finished_at: null,
        rerunOf: run.id,
      },
      todo,
    );
  }

  const totals = run ? totalsOf(run.cells) : null;
  const planned = run ? run.prompts.length * run.configurations.length : 0;
  const failedCount = totals ? totals.failed + totals.errors + totals.cancelled : 0;

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
            onChange={(e) => setChosen(e.target.value)}
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
          <Button disabled={!chosen || busy} onClick={() => void open(chosen)}>
            Open
          </Button>
          <Button
            disabled={busy}
            onClick={() => {
              setDraft(newSet());
              setChosen("");
              setNotice(null);
              setProblems(null);
            }}
          >
            New set
          </Button>
          <Button disabled={busy} onClick={() => promptsFile.current?.click()}>
            Import prompts (CSV or JSONL)
          </Button>
          <Button disabled={busy} onClick={() => setFile.current?.click()}>
            Import set file
          </Button>
          <input
            ref={promptsFile}
            type="file"
            accept=".csv,.jsonl,.ndjson,text/csv"
            aria-label="Prompts file (CSV or JSONL)"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = "";
              if (f) void importPromptFile(f);
            }}
          />
          <input
            ref={setFile}
            type="file"
            accept=".json,application/json"
            aria-label="Prompt set file (JSON)"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = "";
              if (f) void importSetFile(f);
            }}
          />
        </div>
        {problems ? (
          <div className="mt-2">
            <Alert title={problems[0]!}>
              {problems.length > 1 ? (
                <ul className="list-disc pl-5">
                  {problems.slice(1).map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              ) : null}
            </Alert>
          </div>
        ) : null}
        {notice ? (
          <p role="status" className="mt-2 text-sm text-emerald-800">
            {notice}
          </p>
        ) : null}
      </section>

      {draft ? (
        <section aria-label="Prompt set editor" className={section}>
          <div className="grid gap-2 md:grid-cols-2">
            <TextField
              label="Set name"
              value={draft.name}
              maxLength={200}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
            <TextField
              label="Description"
              value={draft.description}
              maxLength={2000}
              onChange={(e) => setDraft({ ...draft, description: e.target.value })}
            />
          </div>
          <ol className="mt-3 space-y-3" aria-label="Prompts">
            {draft.prompts.map((p, i) => (
              <PromptEditor
                key={p.id}
                prompt={p}
                index={i}
                connections={connections}
                onChange={(next) =>
                  setDraft({ ...draft, prompts: draft.prompts.map((x) => (x.id === p.id ? next : x)) })
                }
                onRemove={() => setDraft({ ...draft, prompts: draft.prompts.filter((x) => x.id !== p.id) })}
              />
            ))}
          </ol>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button onClick={() => setDraft({ ...draft, prompts: [...draft.prompts, emptyPrompt()] })}>
              Add prompt
            </Button>
            <Button variant="primary" disabled={busy} onClick={() => void save()}>
              Save set
            </Button>
            <Button
              onClick={() =>
                downloadText(
                  `${fileSafe(draft.name)}.prompt-set.json`,
                  `${JSON.stringify(draft, null, 2)}\n`,
                  "application/json",
                )
              }
            >
              Export set
            </Button>
            <Button
              variant="danger"
              disabled={busy}
              onClick={() => {
                void deleteRecord("prompt-sets", draft.id, queryClient)
                  .catch(() => {})
                  .then(() => {
                    setDraft(null);
                    setChosen("");
                  });
              }}
            >
              Delete set
            </Button>
          </div>
          <div className="mt-4 flex flex-wrap items-end gap-2 border-t border-slate-200 pt-3">
            <TextField
              className="w-32"
              label="Runs at once"
              type="number"
              min={1}
              max={8}
              value={concurrency}
              onChange={(e) =>
                setConcurrency(Math.min(8, Math.max(1, Math.round(Number(e.target.value) || 1))))
              }
            />
            <Button variant="primary" disabled={busy} onClick={() => void start()}>
              Run against {configurations.length} configuration{configurations.length === 1 ? "" : "s"}
            </Button>
          </div>
        </section>
      ) : null}

      {run && totals ? (
        <section aria-label="Results" className={section}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-base font-semibold text-slate-900">
              Results: {run.promptSetName}
              {run.rerunOf ? " (re-run of the failed ones)" : ""}
            </h2>
            <div className="flex flex-wrap gap-2">
              <Button variant="danger" disabled={!busy} onClick={() => controller.current?.abort()}>
                Cancel
              </Button>
              <Button disabled={busy || failedCount === 0} onClick={() => void rerunFailed()}>
                Re-run failed
              </Button>
              <Button
                disabled={busy}
                onClick={() =>
                  downloadText(`${fileSafe(run.promptSetName)}-${run.id}.csv`, exportCsv(run), "text/csv")
                }
              >
                Export CSV
              </Button>
              <Button
                disabled={busy}
                onClick={() =>
                  downloadText(
                    `${fileSafe(run.promptSetName)}-${run.id}.json`,
                    exportJson(run),
                    "application/json",
                  )
                }
              >
                Export JSON
              </Button>
            </div>
          </div>
          <div className="mt-2 space-y-1">
            <progress
              aria-label="Progress"
              value={totals.cells}
              max={Math.max(planned, 1)}
              className="h-2 w-full accent-indigo-600"
            />
            <p role="status" className="text-sm text-slate-700">
              {totals.cells} of {planned} done · {totals.passed} passed · {totals.failed} failed
              {totals.errors ? ` · ${totals.errors} errors` : ""}
              {totals.cancelled ? ` · ${totals.cancelled} cancelled` : ""}
              {busy ? "" : run.status === "cancelled" ? " · cancelled" : " · finished"}
            </p>
            {paused ? <p className="text-sm text-amber-900">{paused}</p> : null}
          </div>
          <div className="mt-3">
            <ResultsTable run={run} live={live} caption={`Results of ${run.promptSetName}`} />
          </div>
        </section>
      ) : null}
    </div>
  );
}
