"use client";

import { memo, useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { runStepsQuery } from "@/lib/client/queries/runs/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { isTerminalRunStatus } from "@/lib/client/run-stream-state";
import { formatTimeOfDay } from "@/lib/client/time";
import { Disclosure } from "@/components/ui/disclosure";
import { ErrorAlert } from "@/components/ui/error-alert";
import { RunStatusBadge } from "./run-status-badge";
import { RunDetails } from "./run-details";
import { StepTimeline } from "./step-timeline";
import { RawJson } from "./raw-json";
import { formatTokens } from "./format";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h3 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      {children}
    </section>
  );
}

function Collapsible({
  title,
  open,
  onOpenChange,
  children,
}: {
  title: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: React.ReactNode;
}) {
  return (
    <Disclosure
      className="rounded border border-slate-200"
      summaryClassName="cursor-pointer px-2 py-1.5 text-sm font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
      summary={title}
      open={open}
      onOpenChange={onOpenChange}
    >
      {/* Rendered only while open: the JSON viewer and queries load when someone looks. */}
      <div className="border-t border-slate-200 p-2">{children}</div>
    </Disclosure>
  );
}

export interface OpenSections {
  details: boolean;
  json: boolean;
}

/** One run: its summary, details, steps (server copies, with the stream's until they end) and raw JSON. */
export const RunView = memo(function RunView({
  scope,
  threadId,
  run,
  latest,
  liveSteps,
  sections,
  onSectionsChange,
}: {
  scope: ClientScope | null;
  threadId: string;
  run: Run;
  /** Whether this is the thread's latest run (the default), not one picked from the list. */
  latest: boolean;
  liveSteps: readonly RunStep[];
  /** Which collapsible sections are open: kept when another run is shown. */
  sections: OpenSections;
  onSectionsChange: (next: OpenSections) => void;
}) {
  const [fileSearchContent, setFileSearchContent] = useState(false);
  const ownLive = liveSteps.filter((s) => s.run_id === run.id);
  // While this run streams here with nothing but its message step, the stream has all the server
  // copy would (a read mid-run competes with the words); it is read once the run ends, or as soon
  // as a tool step shows up (the server copy has what the stream leaves out of those).
  const streamHasAll =
    ownLive.length > 0 &&
    !isTerminalRunStatus(run.status) &&
    run.status !== "requires_action" &&
    ownLive.every((s) => s.type === "message_creation");
  const plain = useQuery({ ...runStepsQuery(scope, threadId, run.id), enabled: !streamHasAll });
  const withContent = useQuery({
    ...runStepsQuery(scope, threadId, run.id, { fileSearchContent: true }),
    enabled: fileSearchContent,
  });
  const steps = fileSearchContent && withContent.data ? withContent : plain;
  const duration =
    run.started_at && (run.completed_at ?? run.failed_at ?? run.cancelled_at)
      ? (run.completed_at ?? run.failed_at ?? run.cancelled_at)! - run.started_at
      : null;
  return (
    <div className="space-y-4">
      <h3
        data-run-id={run.id}
        className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm font-semibold text-slate-900"
      >
        {latest ? "Latest run" : `Run of ${formatTimeOfDay(run.created_at)}`}{" "}
        <RunStatusBadge status={run.status} />
      </h3>
      <p className="-mt-3 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-700">
        <span>{run.model}</span>
        {run.usage ? <span>· {formatTokens(run.usage.total_tokens)}</span> : null}
        {duration !== null ? <span>· {duration} s</span> : null}
      </p>
      {run.last_error ? (
        <p className="rounded border border-red-200 bg-red-50 p-2 text-xs text-red-900">
          Last error · {run.last_error.code}: {run.last_error.message}
        </p>
      ) : null}
      <Collapsible
        title="Run details"
        open={sections.details}
        onOpenChange={(details) => onSectionsChange({ ...sections, details })}
      >
        <RunDetails run={run} />
      </Collapsible>
      <Section title="Steps">
        {steps.isError ? (
          <ErrorAlert
            inline
            title="Could not load the run steps"
            error={steps.error}
            onRetry={() => void steps.refetch()}
            retryLabel="Retry"
            className="text-xs"
          />
        ) : null}
        {withContent.isError && fileSearchContent ? (
          <ErrorAlert
            inline
            title="Could not load the matched content"
            error={withContent.error}
            className="text-xs"
          />
        ) : null}
        {steps.isLoading && ownLive.length === 0 ? (
          <p className="text-xs text-slate-600">Loading steps…</p>
        ) : (
          <StepTimeline
            serverSteps={steps.data ?? []}
            liveSteps={ownLive}
            options={{
              scope,
              fileSearchContent,
              onRequestFileSearchContent: () => setFileSearchContent(true),
              loadingContent: withContent.isFetching,
            }}
          />
        )}
      </Section>
      <Collapsible
        title="Raw JSON"
        open={sections.json}
        onOpenChange={(json) => onSectionsChange({ ...sections, json })}
      >
        <RawJson scope={scope} threadId={threadId} run={run} steps={steps.data ?? ownLive} />
      </Collapsible>
    </div>
  );
});
