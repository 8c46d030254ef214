"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { evaluationKeys, saveRecord } from "@/lib/client/evaluations/api";
import type { LiveRun } from "@/lib/client/evaluations/run-prompt";
import { cellKey, runSet, type CellKey } from "@/lib/client/evaluations/run-set";
import { getPlaygroundClient } from "@/lib/client/sdk";
import { EVALUATION_LIMITS, newId, type Cell, type EvaluationRun } from "@/lib/evaluations/model";
import { fitRecord, planRerun } from "@/lib/evaluations/report";

/** What failed (said as the alert's title) and what was thrown. */
export interface Failure {
  title: string;
  error: unknown;
}

/**
 * A prompt set running against its configurations: the record with the cells finished so far, the
 * cells still running and a rate-limit pause. The record is stored on the server when the run starts,
 * every few seconds while results come in (a reload or a closed tab mid-run leaves what had finished
 * in the history) and when it ends.
 */
export function useSetRun({
  concurrency,
  onFailure,
  onStarted,
}: {
  concurrency: number;
  onFailure: (failure: Failure) => void;
  /** The run is stored on the server and its cells start. */
  onStarted?: (record: EvaluationRun) => void;
}) {
  const queryClient = useQueryClient();
  const [run, setRun] = useState<EvaluationRun | null>(null);
  const [live, setLive] = useState<ReadonlyMap<string, LiveRun | null>>(new Map());
  const [paused, setPaused] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const execution = useMutation({
    mutationKey: evaluationKeys.running,
    mutationFn: async ({ record, todo }: { record: EvaluationRun; todo: CellKey[] }) => {
      const abort = new AbortController();
      controller.current = abort;
      setRun(record);
      setLive(new Map());
      const cells: Cell[] = [...record.cells];
      // Saves go one after another, so an older state never lands after a newer one.
      let saving: Promise<unknown> = Promise.resolve();
      let lastSave = Date.now();
      const store = (r: EvaluationRun) => {
        lastSave = Date.now();
        saving = saving
          .catch(() => {})
          .then(() =>
            saveRecord("runs", fitRecord(r, EVALUATION_LIMITS.recordBytes - 64 * 1024), queryClient),
          );
        return saving;
      };
      try {
        await store(record);
      } catch (error) {
        onFailure({ title: "The run could not be stored on the server", error });
        return;
      }
      onStarted?.(record);
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
      // Not awaited: the run is over for the person once its cells are; storing it is the server's part.
      void store(final).catch((error: unknown) =>
        onFailure({ title: "The results could not be stored on the server", error }),
      );
    },
  });

  return {
    run,
    live,
    paused,
    busy: execution.isPending,
    /** Runs `todo` of `record`, whose cells hold what is already known. */
    execute: (record: EvaluationRun, todo: CellKey[]) => execution.mutate({ record, todo }),
    /** A new run of `source`'s failed cells, keeping the passed ones; false when none failed. */
    rerunFailed: (source: EvaluationRun): boolean => {
      const plan = planRerun(source, newId("run"), Math.floor(Date.now() / 1000));
      if (!plan) return false;
      execution.mutate(plan);
      return true;
    },
    cancel: () => controller.current?.abort(),
  };
}
