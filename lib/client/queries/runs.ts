import { queryOptions, skipToken } from "@tanstack/react-query";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import type { ClientScope } from "./scope";

export const runKeys = {
  all: ["runs"] as const,
  thread: (connection: string, threadId: string) => [...runKeys.all, connection, threadId] as const,
  latest: (connection: string, threadId: string) =>
    [...runKeys.thread(connection, threadId), "latest"] as const,
  steps: (connection: string, threadId: string, runId: string) =>
    [...runKeys.thread(connection, threadId), runId, "steps"] as const,
};

/** The newest run of a thread, or null when the thread has none. */
export function latestRunQuery(scope: ClientScope | null, threadId: string | null) {
  return queryOptions({
    queryKey: runKeys.latest(scope?.connection.name ?? "", threadId ?? ""),
    queryFn:
      scope && threadId
        ? async ({ signal }): Promise<Run | null> => {
            const page = await scope.client.beta.threads.runs.list(
              threadId,
              { limit: 1, order: "desc" },
              { signal },
            );
            return page.data[0] ?? null;
          }
        : skipToken,
  });
}

export function runStepsQuery(scope: ClientScope | null, threadId: string | null, runId: string | null) {
  return queryOptions({
    queryKey: runKeys.steps(scope?.connection.name ?? "", threadId ?? "", runId ?? ""),
    queryFn:
      scope && threadId && runId
        ? async ({ signal }): Promise<RunStep[]> => {
            const page = await scope.client.beta.threads.runs.steps.list(
              runId,
              { thread_id: threadId, limit: 100, order: "asc" },
              { signal },
            );
            return page.data;
          }
        : skipToken,
  });
}
