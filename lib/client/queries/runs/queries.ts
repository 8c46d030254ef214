import { queryOptions, skipToken } from "@tanstack/react-query";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep, RunStepInclude } from "openai/resources/beta/threads/runs/steps";
import type { ConnectionRef } from "../../sdk";
import { collectPages } from "../pages";
import { NO_CONNECTION, type ClientScope } from "../scope";

// Runs start and end in the run controller (lib/client/runs), which writes their cache through
// lib/client/runs/run-cache.ts: this resource has queries only.
export const runKeys = {
  all: ["runs"] as const,
  connection: (name: string) => [...runKeys.all, name] as const,
  scope: (c: ConnectionRef) => [...runKeys.connection(c.name), c.apiVersion] as const,
  thread: (c: ConnectionRef, threadId: string) => [...runKeys.scope(c), threadId] as const,
  latest: (c: ConnectionRef, threadId: string) => [...runKeys.thread(c, threadId), "latest"] as const,
  list: (c: ConnectionRef, threadId: string) => [...runKeys.thread(c, threadId), "list"] as const,
  steps: (c: ConnectionRef, threadId: string, runId: string) =>
    [...runKeys.thread(c, threadId), runId, "steps"] as const,
  stepsWithContent: (c: ConnectionRef, threadId: string, runId: string) =>
    [...runKeys.steps(c, threadId, runId), "file-search-content"] as const,
};

/** The newest run of a thread, or null when the thread has none. */
export function latestRunQuery(scope: ClientScope | null, threadId: string | null) {
  return queryOptions({
    queryKey: runKeys.latest(scope?.connection ?? NO_CONNECTION, threadId ?? ""),
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

/** The most runs the inspector's run picker lists (newest first). */
export const MAX_THREAD_RUNS = 100;

/** Every run of a thread, newest first, up to MAX_THREAD_RUNS. */
export function threadRunsQuery(scope: ClientScope | null, threadId: string | null) {
  return queryOptions({
    queryKey: runKeys.list(scope?.connection ?? NO_CONNECTION, threadId ?? ""),
    queryFn:
      scope && threadId
        ? ({ signal }): Promise<Run[]> =>
            collectPages(
              scope.client.beta.threads.runs.list(
                threadId,
                { limit: MAX_THREAD_RUNS, order: "desc" },
                { signal },
              ),
              MAX_THREAD_RUNS,
            )
        : skipToken,
  });
}

export const FILE_SEARCH_CONTENT: RunStepInclude =
  "step_details.tool_calls[*].file_search.results[*].content";

/**
 * A run's steps, oldest first. With `fileSearchContent`, asks for the matched text of each
 * file-search result (`include[]`); upstreams that ignore it simply return no `content`.
 */
export function runStepsQuery(
  scope: ClientScope | null,
  threadId: string | null,
  runId: string | null,
  { fileSearchContent = false }: { fileSearchContent?: boolean } = {},
) {
  const connection = scope?.connection ?? NO_CONNECTION;
  return queryOptions({
    queryKey: fileSearchContent
      ? runKeys.stepsWithContent(connection, threadId ?? "", runId ?? "")
      : runKeys.steps(connection, threadId ?? "", runId ?? ""),
    queryFn:
      scope && threadId && runId
        ? ({ signal }): Promise<RunStep[]> =>
            collectPages(
              scope.client.beta.threads.runs.steps.list(
                runId,
                {
                  thread_id: threadId,
                  limit: 100,
                  order: "asc",
                  ...(fileSearchContent ? { include: [FILE_SEARCH_CONTENT] } : {}),
                },
                { signal },
              ),
            )
        : skipToken,
  });
}
