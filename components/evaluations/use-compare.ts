"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { deleteRecord, evaluationKeys, getRecord, saveRecord } from "@/lib/client/evaluations/api";
import { runPrompt, type FunctionCallRequest, type LiveRun } from "@/lib/client/evaluations/run-prompt";
import { toPlaygroundError } from "@/lib/client/errors";
import { newId, type Comparison, type ComparisonColumn, type Configuration } from "@/lib/evaluations/model";
import { PoolCancelled } from "@/lib/evaluations/pool";
import { scopeFor } from "./shared";
import type { Failure } from "./use-set-run";

export interface ColumnState {
  live: LiveRun | null;
  result: ComparisonColumn | null;
  /** What was thrown, or the message a kept comparison stored. */
  error: unknown;
  /** Stopped by the person (not an error). */
  stopped: boolean;
  running: boolean;
  pending: FunctionCallRequest[];
}

export type Outputs = Record<string, string> | null;

/** How a kept comparison says that a column was stopped. */
const STOPPED = "Stopped.";

export const IDLE: ColumnState = {
  live: null,
  result: null,
  error: null,
  stopped: false,
  running: false,
  pending: [],
};

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

/** A column as kept: its result, or how far it got and why it ended. */
function keptColumn(c: Configuration, col: ColumnState | undefined): ComparisonColumn {
  if (col?.result) return col.result;
  const error = col?.stopped ? STOPPED : col?.error ? toPlaygroundError(col.error).message : null;
  return {
    configurationId: c.id,
    threadId: col?.live?.threadId ?? null,
    runId: col?.live?.runId ?? null,
    runStatus: col?.live?.status ?? null,
    text: "",
    usage: null,
    ttftMs: null,
    totalMs: null,
    toolCalls: [],
    error,
  };
}

/**
 * One message sent to every configuration, each in its own new thread, with the function calls the
 * runs ask for answered by the person; and comparisons kept on the server and reopened.
 */
export function useCompare({
  configurations,
  onConfigurationsChange,
}: {
  configurations: Configuration[];
  onConfigurationsChange: (next: Configuration[]) => void;
}) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState("");
  const [columns, setColumns] = useState<Record<string, ColumnState>>({});
  const [asked, setAsked] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | Failure | null>(null);
  const [name, setName] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const [chosen, setChosen] = useState("");
  const controller = useRef<AbortController | null>(null);
  const resolvers = useRef(new Map<string, (outputs: Outputs) => void>());
  useEffect(() => () => controller.current?.abort(), []);

  const update = (id: string, patch: Partial<ColumnState>) =>
    setColumns((cols) => ({ ...cols, [id]: { ...(cols[id] ?? IDLE), ...patch } }));

  // Stable: handed to the memoised columns.
  const answer = useCallback((id: string, outputs: Outputs) => {
    const resolve = resolvers.current.get(id);
    resolvers.current.delete(id);
    setColumns((cols) => ({ ...cols, [id]: { ...(cols[id] ?? IDLE), pending: [] } }));
    resolve?.(outputs);
  }, []);

  const sending = useMutation({
    mutationKey: evaluationKeys.running,
    mutationFn: async (text: string) => {
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
            const stopped = err instanceof PoolCancelled;
            update(c.id, { running: false, pending: [], stopped, error: stopped ? null : err });
          }
        }),
      );
    },
  });

  function send() {
    const text = message.trim();
    if (!text) return setProblem("Type a message to send to every configuration.");
    const missing = configurations.find((c) => !c.assistantId);
    if (missing) return setProblem(`Choose an assistant for configuration ${missing.label}.`);
    setProblem(null);
    setSaved(null);
    setAsked(text);
    setName(text.slice(0, 60));
    sending.mutate(text);
  }

  function stop() {
    controller.current?.abort();
    for (const id of [...resolvers.current.keys()]) answer(id, null);
  }

  const keeping = useMutation({
    mutationFn: (comparison: Comparison) => saveRecord("comparisons", comparison, queryClient),
    onSuccess: (comparison) => {
      setSaved(`Kept as “${comparison.name}”.`);
      setChosen(comparison.id);
    },
    onError: (error) => setProblem({ title: "The comparison could not be kept", error }),
  });

  function keep() {
    keeping.mutate({
      id: newId("cmp"),
      name: name.trim() || (asked ?? "Comparison").slice(0, 60),
      message: asked ?? "",
      configurations,
      columns: configurations.map((c) => keptColumn(c, columns[c.id])),
      created_at: Math.floor(Date.now() / 1000),
    });
  }

  const reopening = useMutation({
    mutationFn: (id: string) => getRecord("comparisons", id),
    onSuccess: (record) => {
      onConfigurationsChange(record.configurations);
      setMessage(record.message);
      setAsked(record.message);
      setName(record.name);
      setSaved(null);
      setColumns(
        Object.fromEntries(
          record.columns.map((col) => {
            const stopped = col.error === STOPPED;
            return [
              col.configurationId,
              { ...IDLE, result: col, stopped, error: stopped ? null : col.error },
            ];
          }),
        ),
      );
    },
    onError: (error) => setProblem({ title: "The comparison could not be opened", error }),
  });

  const deleting = useMutation({
    mutationFn: (id: string) => deleteRecord("comparisons", id, queryClient),
    onSuccess: () => setChosen(""),
    onError: (error) => setProblem({ title: "The comparison could not be deleted", error }),
  });

  const running = sending.isPending;
  return {
    message,
    setMessage,
    columns,
    asked,
    problem,
    name,
    setName,
    saved,
    chosen,
    setChosen,
    running,
    /** Something came back to keep. */
    done: asked !== null && !running && configurations.some((c) => columns[c.id]?.result),
    send,
    stop,
    answer,
    keep,
    reopen: (id: string) => reopening.mutate(id),
    remove: (id: string) => deleting.mutate(id),
    keptBusy: keeping.isPending || reopening.isPending || deleting.isPending,
  };
}
