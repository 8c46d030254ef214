"use client";

import { memo } from "react";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import { Button } from "@/components/ui/button";
import { RunStatusBadge } from "@/components/run-inspector/run-status-badge";
import type { RunStreamState } from "@/lib/client/run-stream-state";
import { RetryNotice } from "./retry-notice";

/**
 * What the thread's run is doing, in one line above the composer: sending, a retry's countdown,
 * the run's status, why it is followed by polling, and the way to cancel it.
 */
export const RunStatusBar = memo(function RunStatusBar({
  state,
  streamHere,
  shownRun,
  locked,
  waiting,
  onCancel,
  onRetryNow,
  onStopRetrying,
}: {
  state: RunStreamState;
  /** `state` is about this thread. */
  streamHere: boolean;
  /** The run to show: the streamed one, or the thread's latest as read from the server. */
  shownRun: Run | null;
  locked: boolean;
  /** The run waits for function outputs. */
  waiting: boolean;
  onCancel: () => void;
  onRetryNow: () => void;
  onStopRetrying: () => void;
}) {
  const polling = streamHere && state.phase === "polling" && locked ? state.pollReason : null;
  return (
    <div
      role="status"
      aria-label="Run status"
      className="flex shrink-0 flex-wrap items-center gap-2 px-3 pt-1.5 empty:pt-0"
    >
      {streamHere && state.phase === "sending" && !state.wait ? (
        <span className="text-sm text-slate-600">Sending…</span>
      ) : null}
      {streamHere && state.wait ? (
        <RetryNotice wait={state.wait} onRetryNow={onRetryNow} onStop={onStopRetrying} />
      ) : null}
      {shownRun ? <RunStatusBadge status={shownRun.status} prefix="Run" /> : null}
      {polling === "stream-dropped" ? (
        <span className="text-sm text-slate-700">The stream dropped: following the run by polling…</span>
      ) : null}
      {polling === "recovered" ? (
        <span className="text-sm text-slate-700">The run had started after all: following it…</span>
      ) : null}
      {polling === "no-stream" ? (
        <span className="text-sm text-slate-700">Following the run by polling (no stream)…</span>
      ) : null}
      {waiting ? <span className="text-sm text-slate-700">The run waits for function outputs.</span> : null}
      {locked || waiting ? (
        <Button
          variant="secondary"
          onClick={onCancel}
          disabled={!shownRun || shownRun.status === "cancelling"}
        >
          Cancel run
        </Button>
      ) : null}
    </div>
  );
});
