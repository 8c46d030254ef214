"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { ChatMessage } from "@/components/chat/message-view";
import { RunStatusBadge } from "@/components/run-inspector/run-status-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { deleteRecord, getRecord, listQuery, saveRecord } from "@/lib/client/evaluations/api";
import { runPrompt, type FunctionCallRequest, type LiveRun } from "@/lib/client/evaluations/run-prompt";
import { toPlaygroundError } from "@/lib/client/errors";
import { newId, type Comparison, type ComparisonColumn, type Configuration } from "@/lib/evaluations/model";
import { PoolCancelled } from "@/lib/evaluations/pool";
import { CONFIG_COLUMNS, Metrics, scopeFor, section, useOpenInPlayground } from "./shared";

interface ColumnState {
  live: LiveRun | null;
  result: ComparisonColumn | null;
  error: string | null;
  running: boolean;
  pending: FunctionCallRequest[];
}

type Outputs = Record<string, string> | null;

const IDLE: ColumnState = { live: null, result: null, error: null, running: false, pending: [] };

/** The run's assistant messages, read back from the thread: figures, citations and all. */
function RunMessages({
  configuration,
  threadId,
  runId,
}: {
  configuration: Configuration;
  threadId: string;
  runId: string;
}) {
  const scope = scopeFor(configuration);
  const messages = useQuery({
    queryKey: ["evaluations", "run-messages", configuration.connection, threadId, runId],
    queryFn: async ({ signal }) =>
      (
        await scope.client.beta.threads.messages.list(
          threadId,
          { run_id: runId, order: "asc", limit: 100 },
          { signal },
        )
      ).data,
    staleTime: Infinity,
  });
  if (messages.isLoading) return <p className="text-sm text-slate-600">Loading the answer…</p>;
  if (messages.isError)
    return (
      <p className="text-sm text-red-800">
        The answer could not be read: {toPlaygroundError(messages.error).message}
      </p>
    );
  const list = (messages.data ?? []).filter((m) => m.role === "assistant");
  if (list.length === 0) return <p className="text-sm text-slate-600">No answer.</p>;
  return (
    <div className="space-y-2">
      {list.map((m) => (
        <ChatMessage key={m.id} message={m} scope={scope} />
      ))}
    </div>
  );
}

function FunctionCallsForm({
  calls,
  label,
  onSubmit,
}: {
  calls: FunctionCallRequest[];
  label: string;
  onSubmit: (outputs: Outputs) => void;
}) {
  const [outputs, setOutputs] = useState<Record<string, string>>({});
  return (
    <form
      aria-label={`Function calls of ${label}`}
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(Object.fromEntries(calls.map((c) => [c.id, outputs[c.id] ?? ""])));
      }}
    >
      <p className="text-sm font-medium text-amber-900">The run asks for function outputs.</p>
      {calls.map((c) => (
        <TextAreaField
          key={c.id}
          label={`Output of ${c.name}`}
          hint={`Arguments: ${c.arguments}`}
          rows={2}
          value={outputs[c.id] ?? ""}
          onChange={(e) => setOutputs((o) => ({ ...o, [c.id]: e.target.value }))}
        />
      ))}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary">
          Submit outputs
        </Button>
        <Button onClick={() => onSubmit(null)}>Stop here</Button>
      </div>
    </form>
  );
}

/** One output per function name, given to every column waiting for it. */
function AnswerAllForm({
  names,
  onSubmit,
}: {
  names: string[];
  onSubmit: (byName: Record<string, string>) => void;
}) {
  const [outputs, setOutputs] = useState<Record<string, string>>({});
  return (
    <form
      aria-label="Answer every column's function calls"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(outputs);
      }}
    >
      <p className="text-sm font-medium text-amber-900">
        Several columns wait for function outputs: answer them all at once.
      </p>
      {names.map((n) => (
        <TextAreaField
          key={n}
          label={`Output of ${n} for every column`}
          rows={2}
          value={outputs[n] ?? ""}
          onChange={(e) => setOutputs((o) => ({ ...o, [n]: e.target.value }))}
        />
      ))}
      <Button type="submit" variant="primary">
        Submit to every column
      </Button>
    </form>
  );
}

function toColumn(configurationId: string, r: Awaited<ReturnType<typeof runPrompt>>): ComparisonColumn {
  return {
    configurationId,
    threadId: r.threadId,
    runId: r.runId,
    runStatus: r.status,
    text: r.text,
    usage: r.usage,
    ttftMs: r.ttftMs,
    totalMs: r.totalMs,
    toolCalls: r.toolCalls.slice(0, 200),
    steps: r.stepCount,
    error: null,
  };
}

export function CompareTab({
  configurations,
  onConfigurationsChange,
  onBusyChange,
}: {
  configurations: Configuration[];
  onConfigurationsChange: (next: Configuration[]) => void;
  onBusyChange: (busy: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const openInPlayground = useOpenInPlayground();
  const [message, setMessage] = useState("");
  const [columns, setColumns] = useState<Record<string, ColumnState>>({});
  const [asked, setAsked] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const [chosen, setChosen] = useState("");
  const controller = useRef<AbortController | null>(null);
  const resolvers = useRef(new Map<string, (outputs: Outputs) => void>());
  const kept = useQuery(listQuery("comparisons"));
  const messageId = useId();

  const running = Object.values(columns).some((c) => c.running);
  useEffect(() => onBusyChange(running), [running, onBusyChange]);
  useEffect(() => () => controller.current?.abort(), []);

  const update = (id: string, patch: Partial<ColumnState>) =>
    setColumns((cols) => ({ ...cols, [id]: { ...(cols[id] ?? IDLE), ...patch } }));

  const answer = (id: string, outputs: Outputs) => {
    const resolve = resolvers.current.get(id);
    resolvers.current.delete(id);
    update(id, { pending: [] });
    resolve?.(outputs);
  };

  async function send() {
    const text = message.trim();
    if (!text) return setProblem("Type a message to send to every configuration.");
    const missing = configurations.find((c) => !c.assistantId);
    if (missing) return setProblem(`Choose an assistant for configuration ${missing.label}.`);
    setProblem(null);
    setSaved(null);
    setAsked(text);
    setName(text.slice(0, 60));
    const abort = new AbortController();
    controller.current = abort;
    setColumns(Object.fromEntries(configurations.map((c) => [c.id, { ...IDLE, running: true }])));
    await Promise.all(
      configurations.map(async (c) => {
        try {
          const result = await runPrompt({
            client: scopeFor(c).client,
            configuration: c,
            prompt: { text, attachments: [] },
            signal: abort.signal,
            onUpdate: (live) => update(c.id, { live }),
            answerFunctions: (calls) =>
              new Promise<Outputs>((resolve) => {
                resolvers.current.set(c.id, resolve);
                update(c.id, { pending: calls });
              }),
          });
          update(c.id, { result: toColumn(c.id, result), running: false, pending: [] });
        } catch (err) {
          update(c.id, {
            running: false,
            pending: [],
            error: err instanceof PoolCancelled ? "Stopped." : toPlaygroundError(err).message,
          });
        }
      }),
    );
  }

  function stop() {
    controller.current?.abort();
    for (const id of [...resolvers.current.keys()]) answer(id, null);
  }

  async function keep() {
    const comparison: Comparison = {
      id: newId("cmp"),
      name: name.trim() || (asked ?? "Comparison").slice(0, 60),
      message: asked ?? "",
      configurations,
      columns: configurations.map(
        (c) =>
          columns[c.id]?.result ?? {
            configurationId: c.id,
            threadId: columns[c.id]?.live?.threadId ?? null,
            runId: columns[c.id]?.live?.runId ?? null,
            runStatus: columns[c.id]?.live?.status ?? null,
            text: "",
            usage: null,
            ttftMs: null,
            totalMs: null,
            toolCalls: [],
            error: columns[c.id]?.error ?? null,
          },
      ),
      created_at: Math.floor(Date.now() / 1000),
    };
    try {
      await saveRecord("comparisons", comparison, queryClient);
      setSaved(`Kept as “${comparison.name}”.`);
      setChosen(comparison.id);
    } catch (err) {
      setProblem(`The comparison could not be kept: ${toPlaygroundError(err).message}`);
    }
  }

  async function reopen(id: string) {
    try {
      const record = await getRecord("comparisons", id);
      onConfigurationsChange(record.configurations);
      setMessage(record.message);
      setAsked(record.message);
      setName(record.name);
      setSaved(null);
      setColumns(
        Object.fromEntries(
          record.columns.map((col) => [col.configurationId, { ...IDLE, result: col, error: col.error }]),
        ),
      );
    } catch (err) {
      setProblem(`The comparison could not be opened: ${toPlaygroundError(err).message}`);
    }
  }

  const pendingColumns = configurations.filter((c) => (columns[c.id]?.pending.length ?? 0) > 0);
  const pendingNames = [...new Set(pendingColumns.flatMap((c) => columns[c.id]!.pending.map((p) => p.name)))];
  const done = asked !== null && !running && configurations.some((c) => columns[c.id]?.result);
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
            void send();
          }}
        >
          <TextAreaField
            label="Message to compare"
            rows={3}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                void send();
              }
            }}
            hint="Ctrl+Enter sends. Each configuration answers in its own new thread."
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="primary" disabled={running}>
              Send to all
            </Button>
            <Button onClick={stop} disabled={!running}>
              Stop
            </Button>
          </div>
        </form>
        {problem ? (
          <div className="mt-2">
            <Alert title="Cannot compare">{problem}</Alert>
          </div>
        ) : null}
      </section>

      {pendingColumns.length >= 2 ? (
        <AnswerAllForm
          names={pendingNames}
          onSubmit={(byName) => {
            for (const c of pendingColumns)
              answer(
                c.id,
                Object.fromEntries(columns[c.id]!.pending.map((p) => [p.id, byName[p.name] ?? ""])),
              );
          }}
        />
      ) : null}

      {asked !== null ? (
        <div className={`grid grid-cols-1 gap-3 ${gridCols}`}>
          {configurations.map((c) => {
            const col = columns[c.id] ?? IDLE;
            const status = col.result?.runStatus ?? col.live?.status ?? (col.error ? "failed" : "queued");
            const result = col.result;
            return (
              <section
                key={c.id}
                aria-label={`Answer of ${c.label}`}
                className={`${section} min-w-0 space-y-2`}
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h3 className="text-sm font-semibold text-slate-900">{c.label}</h3>
                  <span role="status" aria-label={`Run status of ${c.label}`}>
                    <RunStatusBadge status={status} />
                  </span>
                </div>
                <Metrics
                  usage={result?.usage ?? null}
                  ttftMs={result?.ttftMs ?? col.live?.ttftMs ?? null}
                  totalMs={result?.totalMs ?? null}
                  steps={result?.steps ?? col.live?.stepCount ?? null}
                  toolCalls={result?.toolCalls ?? col.live?.toolCalls ?? []}
                />
                {col.pending.length > 0 ? (
                  <FunctionCallsForm calls={col.pending} label={c.label} onSubmit={(o) => answer(c.id, o)} />
                ) : null}
                {col.error ? <p className="text-sm text-red-800">{col.error}</p> : null}
                {result?.threadId && result.runId ? (
                  <>
                    <RunMessages configuration={c} threadId={result.threadId} runId={result.runId} />
                    <Button
                      variant="ghost"
                      onClick={() => openInPlayground(c, result.threadId!, asked)}
                      aria-label={`Open the thread of ${c.label} in the inspector (new tab)`}
                    >
                      Open in inspector (new tab)
                    </Button>
                  </>
                ) : col.live ? (
                  <div className="text-sm whitespace-pre-wrap text-slate-800" aria-live="off">
                    {col.live.text || (col.running ? "Waiting for the first token…" : "")}
                    {col.live.imageFileIds.length ? (
                      <p className="mt-1 text-xs text-slate-600">
                        {col.live.imageFileIds.length} image(s) so far
                      </p>
                    ) : null}
                  </div>
                ) : null}
              </section>
            );
          })}
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
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
          />
          <Button variant="primary" disabled={!done} onClick={() => void keep()}>
            Keep comparison
          </Button>
        </div>
        {saved ? (
          <p role="status" className="mt-1 text-sm text-emerald-800">
            {saved}
          </p>
        ) : null}
        <div className="mt-3 flex flex-wrap items-end gap-2">
          <SelectField
            className="min-w-0 flex-1"
            label="Kept comparison"
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
          >
            <option value="">{kept.isLoading ? "Loading…" : `Choose one (${kept.data?.length ?? 0})`}</option>
            {(kept.data ?? []).map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} — {k.configurations.join(" vs ")}
              </option>
            ))}
          </SelectField>
          <Button disabled={!chosen || running} onClick={() => void reopen(chosen)}>
            Reopen
          </Button>
          <Button
            variant="danger"
            disabled={!chosen}
            onClick={() => {
              void deleteRecord("comparisons", chosen, queryClient).then(() => setChosen(""));
            }}
          >
            Delete
          </Button>
        </div>
      </section>
    </div>
  );
}
