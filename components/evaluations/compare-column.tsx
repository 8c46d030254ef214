"use client";

import { useQuery } from "@tanstack/react-query";
import { memo } from "react";
import { ChatMessage } from "@/components/chat/message-view";
import { RunStatusBadge } from "@/components/run-inspector/run-status-badge";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import type { Configuration } from "@/lib/evaluations/model";
import { FunctionCallsForm } from "./compare-forms";
import { Metrics, scopeFor, section, useOpenInPlayground } from "./shared";
import { IDLE, type ColumnState, type Outputs } from "./use-compare";

/** The run's assistant messages, read back from the thread: figures, citations and all. */
const RunMessages = memo(function RunMessages({
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
    queryKey: [
      "evaluations",
      "run-messages",
      configuration.connection,
      configuration.apiVersion,
      threadId,
      runId,
    ],
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
    return <ErrorAlert inline error={messages.error} title="The answer could not be read" />;
  const list = (messages.data ?? []).filter((m) => m.role === "assistant");
  if (list.length === 0) return <p className="text-sm text-slate-600">No answer.</p>;
  return (
    <div className="space-y-2">
      {list.map((m) => (
        <ChatMessage key={m.id} message={m} scope={scope} />
      ))}
    </div>
  );
});

/** One configuration's answer to the compared message: status, measurements, function calls, the answer. */
export const CompareColumn = memo(function CompareColumn({
  configuration: c,
  column,
  asked,
  onAnswer,
}: {
  configuration: Configuration;
  column: ColumnState | undefined;
  asked: string;
  onAnswer: (configurationId: string, outputs: Outputs) => void;
}) {
  const openInPlayground = useOpenInPlayground();
  const col = column ?? IDLE;
  const failed = col.error !== null && col.error !== undefined;
  const status = col.result?.runStatus ?? col.live?.status ?? (failed || col.stopped ? "failed" : "queued");
  const result = col.result;
  return (
    <section aria-label={`Answer of ${c.label}`} className={`${section} min-w-0 space-y-2`}>
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
        <FunctionCallsForm calls={col.pending} label={c.label} onSubmit={(o) => onAnswer(c.id, o)} />
      ) : null}
      {col.stopped ? <p className="text-sm text-slate-700">Stopped.</p> : null}
      {failed ? <ErrorAlert inline error={col.error} /> : null}
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
            <p className="mt-1 text-xs text-slate-600">{col.live.imageFileIds.length} image(s) so far</p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
});
