"use client";

import { memo, useDeferredValue, useMemo, type CSSProperties } from "react";
import { useQuery } from "@tanstack/react-query";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { Panel } from "@/components/ui/panel";
import { AssistantSetup } from "@/components/assistants/assistant-setup";
import { ChatPanel } from "@/components/chat/chat-panel";
import { RunInspector } from "@/components/run-inspector/run-inspector";
import { AppHeader as Header } from "@/components/layout/app-header";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { useRunStream } from "@/lib/client/use-run-stream";
import { assistantListQuery } from "@/lib/client/queries/assistants";
import { threadScope } from "@/lib/client/stores/playground-store";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

const COLLAPSED = "3rem";
const NO_STEPS: readonly RunStep[] = [];

// The setup form does not depend on a run: it stays as it is while answers stream (every run event
// re-renders the playground).
const SetupPanel = memo(AssistantSetup);
const AppHeader = memo(Header);
const Inspector = memo(RunInspector);

export function Playground() {
  const active = useActiveConnection();
  const { scope } = active;
  const connectionName = scope?.connection.name ?? null;
  const panels = usePlaygroundStore((s) => s.panels);
  const togglePanel = usePlaygroundStore((s) => s.togglePanel);
  const chosenAssistant = usePlaygroundStore((s) =>
    connectionName ? (s.assistantByConnection[connectionName] ?? null) : null,
  );
  const assistants = useQuery(assistantListQuery(scope));
  // A remembered assistant that no longer exists on the connection is not offered to the chat.
  const assistantId = assistants.data?.some((a) => a.id === chosenAssistant) ? chosenAssistant : null;
  const threadId = usePlaygroundStore((s) =>
    connectionName && assistantId
      ? (s.currentThread[threadScope(connectionName, assistantId)] ?? null)
      : null,
  );
  const runStream = useRunStream(scope);
  // The inspector follows the stream one step behind the chat: its updates render after the
  // answer's words, in the background (a deferred value), so the first words of a burst do not
  // wait for the run view to be built. Thread and run travel together, so the inspector never
  // shows one thread's live run on another.
  const { state } = runStream;
  const streamed = useMemo(
    () => ({ threadId: state.threadId, run: state.run, steps: state.steps }),
    [state.threadId, state.run, state.steps],
  );
  const inspected = useDeferredValue(streamed);
  const live = inspected.threadId === threadId;

  const columns = [
    panels.setup ? "minmax(15rem, 20rem)" : COLLAPSED,
    panels.chat ? "minmax(0, 1fr)" : COLLAPSED,
    panels.inspector ? "minmax(15rem, 22rem)" : COLLAPSED,
  ].join(" ");

  return (
    <div className="flex min-h-dvh flex-col bg-slate-100 lg:h-dvh">
      <AppHeader active={active} />
      <main
        className="grid min-h-0 flex-1 grid-cols-1 gap-3 p-3 lg:grid-cols-(--playground-columns)"
        style={{ "--playground-columns": columns } as CSSProperties}
      >
        <Panel title="Assistant setup" open={panels.setup} onToggle={() => togglePanel("setup")}>
          <SetupPanel scope={scope} assistantId={assistantId} />
        </Panel>
        <Panel title="Chat" open={panels.chat} onToggle={() => togglePanel("chat")}>
          <ChatPanel
            scope={scope}
            assistantId={assistantId}
            threadId={threadId}
            runStream={runStream}
            // The local engine always lists threads; other upstreams say so (Foundry agents do, Azure OpenAI does not).
            canListThreads={Boolean(active.connection?.listThreads) || active.connection?.kind === "local"}
          />
        </Panel>
        <Panel title="Inspector" open={panels.inspector} onToggle={() => togglePanel("inspector")}>
          <Inspector
            scope={scope}
            threadId={threadId}
            liveRun={live ? inspected.run : null}
            liveSteps={live ? inspected.steps : NO_STEPS}
          />
        </Panel>
      </main>
    </div>
  );
}
