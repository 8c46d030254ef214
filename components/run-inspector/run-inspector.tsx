"use client";

import { memo, useEffect, useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { runStepsQuery, threadRunsQuery } from "@/lib/client/queries/runs/queries";
import type { ClientScope } from "@/lib/client/queries/scope";
import { isTerminalRunStatus } from "@/lib/client/run-stream-state";
import { Disclosure } from "@/components/ui/disclosure";
import { ErrorAlert } from "@/components/ui/error-alert";
import { RequestLogPanel } from "@/components/request-log/request-log-panel";
import { RunStatusBadge, runStatusLabel } from "./run-status-badge";
import { RunDetails } from "./run-details";
import { StepTimeline } from "./step-timeline";
import { RawJson } from "./raw-json";
import { Tabs } from "./tabs";
import { formatTokens } from "./format";
import { formatTimeOfDay } from "@/lib/client/time";
import { preloadJsonTree } from "./json-tree";

/** The server's runs, newest first, with the run being streamed (fresher than its listed copy). */
export function runsWithLive(runs: readonly Run[], live: Run | null): Run[] {
  if (!live) return [...runs];
  return runs.some((r) => r.id === live.id)
    ? runs.map((r) => (r.id === live.id ? live : r))
    : [live, ...runs];
}

// Takes no props: memoised, a hidden Request log tab is not re-rendered with the inspector.
const RequestLog = memo(RequestLogPanel);

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

interface OpenSections {
  details: boolean;
  json: boolean;
}

function RunView({
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
}

function RunTab({
  scope,
  threadId,
  liveRun,
  liveSteps,
}: {
  scope: ClientScope | null;
  threadId: string;
  liveRun: Run | null;
  liveSteps: readonly RunStep[];
}) {
  const runsQuery = useQuery(threadRunsQuery(scope, threadId));
  const runs = runsWithLive(runsQuery.data ?? [], liveRun);
  // null: follow the latest run (a new run shows as soon as it starts).
  const [picked, setPicked] = useState<string | null>(null);
  const [sections, setSections] = useState<OpenSections>({ details: false, json: false });
  const pickerId = useId();
  const run = (picked ? runs.find((r) => r.id === picked) : undefined) ?? runs[0] ?? null;

  if (runsQuery.isError && !run)
    return (
      <ErrorAlert
        inline
        title="Could not load the runs"
        error={runsQuery.error}
        onRetry={() => void runsQuery.refetch()}
        retryLabel="Retry"
        className="p-3 text-sm"
      />
    );
  if (!run)
    return (
      <p className="p-3 text-sm text-slate-600">
        {runsQuery.isLoading ? "Loading runs…" : "No runs on this thread yet."}
      </p>
    );
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto p-3 text-sm">
      <div>
        <label htmlFor={pickerId} className="block text-xs font-medium text-slate-700">
          Run {runs.length > 1 ? `(${runs.length} on this thread, newest first)` : ""}
        </label>
        <select
          id={pickerId}
          value={picked && runs.some((r) => r.id === picked) ? picked : ""}
          onChange={(e) => setPicked(e.target.value || null)}
          className="mt-0.5 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <option value="">
            Latest run (
            {runs[0] ? `${formatTimeOfDay(runs[0].created_at)} · ${runStatusLabel(runs[0].status)}` : "none"})
          </option>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {formatTimeOfDay(r.created_at)} · {runStatusLabel(r.status)} · {r.id}
            </option>
          ))}
        </select>
      </div>
      <RunView
        key={run.id}
        scope={scope}
        threadId={threadId}
        run={run}
        latest={run.id === runs[0]?.id}
        liveSteps={liveSteps}
        sections={sections}
        onSectionsChange={setSections}
      />
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
  /** Steps the stream reported for `liveRun` (with their deltas); the server's copies win once they have ended. */
  liveSteps?: readonly RunStep[];
}) {
  // What the first run's view loads on first use (the tree viewer's code) is loaded while the page
  // is idle, not as the first answer streams in.
  useEffect(() => {
    const warm = () => preloadJsonTree();
    if (typeof requestIdleCallback !== "function") return warm();
    const id = requestIdleCallback(warm, { timeout: 2000 });
    return () => cancelIdleCallback(id);
  }, []);
  return (
    <Tabs
      label="Inspector"
      tabs={[
        {
          id: "run",
          label: "Run",
          content: threadId ? (
            <RunTab
              key={threadId}
              scope={scope}
              threadId={threadId}
              liveRun={liveRun}
              liveSteps={liveSteps}
            />
          ) : (
            <p className="p-3 text-sm text-slate-600">
              No thread yet. Runs appear here once you send a message.
            </p>
          ),
        },
        { id: "request-log", label: "Request log", content: <RequestLog /> },
      ]}
    />
  );
}
