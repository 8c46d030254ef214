"use client";

import { useQuery } from "@tanstack/react-query";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep, ToolCall } from "openai/resources/beta/threads/runs/steps";
import { latestRunQuery, runStepsQuery } from "@/lib/client/queries/runs";
import type { ClientScope } from "@/lib/client/queries/scope";
import { toPlaygroundError } from "@/lib/client/errors";
import { RunStatusBadge } from "./run-status-badge";

function summarizeToolCall(call: ToolCall): string {
  switch (call.type) {
    case "code_interpreter": {
      const outputs = call.code_interpreter.outputs ?? [];
      const images = outputs.filter((o) => o.type === "image").length;
      const logs = outputs.filter((o) => o.type === "logs").length;
      const firstLine = call.code_interpreter.input.split("\n").find((l) => l.trim()) ?? "";
      return `code interpreter: ${firstLine.slice(0, 60)}${logs ? ` · ${logs} log` : ""}${images ? ` · ${images} image` : ""}`;
    }
    case "file_search":
      return `file search${call.file_search.results ? ` · ${call.file_search.results.length} results` : ""}`;
    case "function":
      return `function ${call.function.name}(${call.function.arguments.slice(0, 60)})${call.function.output != null ? " → output" : ""}`;
  }
}

export function summarizeStep(step: RunStep): string {
  if (step.step_details.type === "message_creation")
    return `message ${step.step_details.message_creation.message_id}`;
  const calls = step.step_details.tool_calls;
  return calls.length ? calls.map(summarizeToolCall).join("; ") : "no tool calls yet";
}

/**
 * The server's steps and the stream's, by id: whichever copy has moved past in_progress wins, so a
 * list fetched a moment too early never hides what the stream already reported.
 */
export function mergeSteps(server: readonly RunStep[], live: readonly RunStep[]): RunStep[] {
  const byId = new Map(server.map((s) => [s.id, s]));
  for (const step of live) {
    const known = byId.get(step.id);
    if (!known || (known.status === "in_progress" && step.status !== "in_progress")) byId.set(step.id, step);
  }
  return [...byId.values()].sort((a, b) => a.created_at - b.created_at);
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-24 shrink-0 text-slate-600">{term}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere] text-slate-900">{children}</dd>
    </div>
  );
}

export function RunInspector({
  scope,
  threadId,
  liveRun,
  liveSteps = [],
}: {
  scope: ClientScope | null;
  threadId: string | null;
  /** The run being streamed on this thread, newer than the server's list until the stream ends. */
  liveRun: Run | null;
  /** Steps the stream reported for `liveRun`; the server's list replaces them once it has caught up. */
  liveSteps?: readonly RunStep[];
}) {
  const latest = useQuery(latestRunQuery(scope, threadId));
  const run = liveRun ?? latest.data ?? null;
  const steps = useQuery(runStepsQuery(scope, threadId, run?.id ?? null));
  const shownSteps = mergeSteps(
    steps.data ?? [],
    liveSteps.filter((s) => s.run_id === run?.id),
  );

  if (!threadId)
    return (
      <p className="p-3 text-sm text-slate-600">No thread yet. Runs appear here once you send a message.</p>
    );
  if (latest.isError && !run) {
    const e = toPlaygroundError(latest.error);
    return <p className="p-3 text-sm text-red-800">Could not load runs: {e.message}</p>;
  }
  if (!run)
    return (
      <p className="p-3 text-sm text-slate-600">
        {latest.isLoading ? "Loading…" : "No runs on this thread yet."}
      </p>
    );

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-3 text-sm">
      <section aria-labelledby="inspector-run">
        <h3 id="inspector-run" className="mb-2 flex items-center gap-2 font-semibold text-slate-900">
          Latest run <RunStatusBadge status={run.status} />
        </h3>
        <dl className="space-y-1 text-xs">
          <Row term="Run">{run.id}</Row>
          <Row term="Model">{run.model}</Row>
          <Row term="Created">{new Date(run.created_at * 1000).toLocaleTimeString()}</Row>
          {run.usage ? (
            <Row term="Tokens">{`${run.usage.prompt_tokens} in · ${run.usage.completion_tokens} out`}</Row>
          ) : null}
          {run.last_error ? (
            <Row term="Last error">
              <span className="text-red-800">
                {run.last_error.code}: {run.last_error.message}
              </span>
            </Row>
          ) : null}
        </dl>
      </section>
      <section aria-labelledby="inspector-steps">
        <h3 id="inspector-steps" className="mb-2 font-semibold text-slate-900">
          Run steps
        </h3>
        {steps.isError ? (
          <p className="text-red-800">Could not load run steps: {toPlaygroundError(steps.error).message}</p>
        ) : null}
        {shownSteps.length === 0 && !steps.isLoading ? <p className="text-slate-600">No steps yet.</p> : null}
        <ol className="space-y-2">
          {shownSteps.map((step) => (
            <li key={step.id} className="rounded border border-slate-200 p-2">
              <div className="flex items-center justify-between gap-2">
                <span className="font-medium text-slate-900">
                  {step.type === "tool_calls" ? "Tool calls" : "Message creation"}
                </span>
                <RunStatusBadge status={step.status} />
              </div>
              <p className="mt-1 text-xs break-words text-slate-700">{summarizeStep(step)}</p>
            </li>
          ))}
        </ol>
      </section>
      <details className="rounded border border-slate-200">
        <summary className="cursor-pointer px-2 py-1 font-medium text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
          Raw run JSON
        </summary>
        <pre
          tabIndex={0}
          aria-label="Raw run JSON"
          className="max-h-96 overflow-auto bg-slate-900 p-2 text-xs text-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {JSON.stringify(run, null, 2)}
        </pre>
      </details>
    </div>
  );
}
