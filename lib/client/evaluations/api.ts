/**
 * The browser's side of /api/playground/evaluations (lib/server/evaluations.ts): prompt sets, set
 * runs and comparisons kept on the server, as React Query options and plain calls.
 */
import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { CollectionName, Comparison, EvaluationRun, PromptSet } from "@/lib/evaluations/model";
import type { Totals } from "@/lib/evaluations/report";
import { PlaygroundHttpError } from "../errors";

const BASE = "/api/playground/evaluations";

export interface PromptSetSummary {
  id: string;
  name: string;
  description: string;
  prompts: number;
  updated: number;
}

export interface RunSummary {
  id: string;
  promptSetId: string;
  promptSetName: string;
  status: EvaluationRun["status"];
  started_at: number;
  finished_at: number | null;
  rerunOf: string | null;
  configurations: string[];
  prompts: number;
  totals: Totals;
}

export interface ComparisonSummary {
  id: string;
  name: string;
  message: string;
  configurations: string[];
  created_at: number;
}

interface RecordOf {
  "prompt-sets": PromptSet;
  runs: EvaluationRun;
  comparisons: Comparison;
}
interface SummaryOf {
  "prompt-sets": PromptSetSummary;
  runs: RunSummary;
  comparisons: ComparisonSummary;
}

async function send<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...init?.headers },
    cache: "no-store",
  });
  const body = (await response.json().catch(() => null)) as
    (T & { error?: { code?: string; message?: string } }) | null;
  if (!response.ok) {
    throw new PlaygroundHttpError(
      response.status,
      body?.error?.code ?? null,
      body?.error?.message ?? `The server answered ${response.status}.`,
    );
  }
  return body as T;
}

export const evaluationKeys = {
  all: ["evaluations"] as const,
  list: (collection: CollectionName) => ["evaluations", collection, "list"] as const,
  record: (collection: CollectionName, id: string) => ["evaluations", collection, "record", id] as const,
  /** The mutation key of sending to configurations (Compare, a prompt set): while one is pending they stay as they are. */
  running: ["evaluations", "running"] as const,
};

export function listQuery<C extends CollectionName>(collection: C) {
  return queryOptions({
    queryKey: evaluationKeys.list(collection),
    queryFn: async () => (await send<{ data: SummaryOf[C][] }>(`${BASE}/${collection}`)).data,
  });
}

export function recordQuery<C extends CollectionName>(collection: C, id: string | null) {
  return queryOptions({
    queryKey: evaluationKeys.record(collection, id ?? ""),
    queryFn: () => send<RecordOf[C]>(`${BASE}/${collection}/${encodeURIComponent(id ?? "")}`),
    enabled: id !== null,
  });
}

export function getRecord<C extends CollectionName>(collection: C, id: string): Promise<RecordOf[C]> {
  return send<RecordOf[C]>(`${BASE}/${collection}/${encodeURIComponent(id)}`);
}

/** Creates or replaces the record with its own id. */
export async function saveRecord<C extends CollectionName>(
  collection: C,
  record: RecordOf[C],
  queryClient?: QueryClient,
): Promise<RecordOf[C]> {
  const saved = await send<RecordOf[C]>(`${BASE}/${collection}/${encodeURIComponent(record.id)}`, {
    method: "PUT",
    body: JSON.stringify(record),
  });
  if (queryClient) {
    queryClient.setQueryData(evaluationKeys.record(collection, record.id), saved);
    void queryClient.invalidateQueries({ queryKey: evaluationKeys.list(collection) });
  }
  return saved;
}

export async function deleteRecord(collection: CollectionName, id: string, queryClient?: QueryClient) {
  await send(`${BASE}/${collection}/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (queryClient) {
    queryClient.removeQueries({ queryKey: evaluationKeys.record(collection, id) });
    void queryClient.invalidateQueries({ queryKey: evaluationKeys.list(collection) });
  }
}
