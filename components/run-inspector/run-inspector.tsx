"use client";

import { useEffect } from "react";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import type { ClientScope } from "@/lib/client/queries/scope";
import { RequestLogPanel } from "@/components/request-log/request-log-panel";
import { RunTab } from "./run-tab";
import { Tabs } from "./tabs";
import { preloadJsonTree } from "./json-tree";

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
        { id: "request-log", label: "Request log", content: <RequestLogPanel /> },
      ]}
    />
  );
}
