"use client";

import { useEffect, useLayoutEffect, useMemo, useState, useSyncExternalStore } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { LiveMessages, RunStreamState } from "./run-stream-state";
import type { ClientScope } from "./queries/scope";
import { RunController } from "./runs/run-controller";
import { queryRunCache } from "./runs/run-cache";

export type { RunTarget, ToolOutput } from "./runs/run-controller";

export interface RunStreamControls {
  state: RunStreamState;
  /** The streamed messages with their latest text (state.messages lags text deltas: see LiveMessages). */
  live: LiveMessages;
  /**
   * Adds the user's message, then runs the assistant unless `run` is false ("Add without running").
   * Resolves true once the message is in the thread.
   */
  send: RunController["send"];
  /** Runs the assistant on the thread as it is (after a failed run, or after "Add without running"). */
  retryRun: RunController["retryRun"];
  /** Answers a run's function calls; the run then continues (streamed, or polled). */
  submitToolOutputs: RunController["submitToolOutputs"];
  /** Stops listening and asks the upstream to cancel the run (this hook's, or one read from the server). */
  cancel: RunController["cancel"];
  reset: () => void;
  /** Ends the current wait (state.wait) and sends the failed call again now. */
  retryNow: () => void;
  /** Ends the current wait and gives up: the failure is shown as an error. */
  stopRetrying: () => void;
}

/**
 * The run controller (lib/client/runs/run-controller.ts) of one view, bound to the connection in
 * `scope` and to the app's query cache. The controller lives as long as the view; its state is
 * read with useSyncExternalStore, and the methods are the controller's own (stable).
 */
export function useRunStream(scope: ClientScope | null): RunStreamControls {
  const queryClient = useQueryClient();
  const [controller] = useState(() => new RunController());
  // At commit, before any passive effect: whatever sends next uses the connection just rendered.
  useLayoutEffect(() => {
    controller.connect(scope ? { scope, cache: queryRunCache(queryClient, scope.connection) } : null);
  }, [controller, scope, queryClient]);
  useEffect(() => controller.stop, [controller]);
  const state = useSyncExternalStore(controller.subscribe, controller.getSnapshot, controller.getSnapshot);
  return useMemo(
    () => ({
      state,
      live: controller.live,
      send: controller.send,
      retryRun: controller.retryRun,
      submitToolOutputs: controller.submitToolOutputs,
      cancel: controller.cancel,
      reset: controller.reset,
      retryNow: controller.retryNow,
      stopRetrying: controller.stopRetrying,
    }),
    [state, controller],
  );
}
