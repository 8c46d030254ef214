"use client";

import {
  memo,
  useDeferredValue,
  useMemo,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
} from "react";
import { useQuery } from "@tanstack/react-query";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { Panel } from "@/components/ui/panel";
import { AssistantSetup } from "@/components/assistants/assistant-setup";
import { ChatPanel, MESSAGE_BOX_ID } from "@/components/chat/chat-panel";
import { ThreadsToggle } from "@/components/chat/threads-toggle";
import { RunInspector } from "@/components/run-inspector/run-inspector";
import { AppHeader as Header } from "@/components/layout/app-header";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import { useRunStream } from "@/lib/client/use-run-stream";
import { useWideLayout } from "@/lib/client/use-wide-layout";
import { assistantListQuery } from "@/lib/client/queries/assistants/queries";
import { threadScope, type PanelId } from "@/lib/client/stores/playground-store";
import { PanelResizer } from "./panel-resizer";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

const COLLAPSED = "3rem";
const EDGE = "0.75rem";
const NO_STEPS: readonly RunStep[] = [];
const TABS: { id: PanelId; label: string }[] = [
  { id: "setup", label: "Setup" },
  { id: "chat", label: "Chat" },
  { id: "inspector", label: "Inspector" },
];
const PANEL_IDS: Record<PanelId, string> = {
  setup: "panel-setup",
  chat: "panel-chat",
  inspector: "panel-inspector",
};

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
  const widths = usePlaygroundStore((s) => s.panelWidths);
  const setPanelWidth = usePlaygroundStore((s) => s.setPanelWidth);
  const wide = useWideLayout();
  const [tab, setTab] = useState<PanelId>("chat");
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

  // A side panel keeps its width (at most 30 % of the window); with the chat collapsed, the
  // open side panels share the room.
  const side = (open: boolean, px: number) =>
    !open ? COLLAPSED : panels.chat ? `min(${px}px, 30vw)` : `minmax(min(${px}px, 30vw), 1fr)`;
  const columns = [
    side(panels.setup, widths.setup),
    EDGE,
    panels.chat ? "minmax(0, 1fr)" : COLLAPSED,
    EDGE,
    side(panels.inspector, widths.inspector),
  ].join(" ");
  // Below 1024 px the chosen tab's panel is shown whole, whatever it is collapsed to on a wide screen.
  const isOpen = (panel: PanelId) => (wide ? panels[panel] : tab === panel);
  const shownOn = (panel: PanelId) => (tab === panel ? "" : "max-lg:hidden");

  function skipToMessage(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault();
    setTab("chat");
    if (wide && !panels.chat) togglePanel("chat");
    // After the chat panel has been shown.
    requestAnimationFrame(() => document.getElementById(MESSAGE_BOX_ID)?.focus());
  }
  function onTabKey(e: KeyboardEvent<HTMLButtonElement>) {
    const i = TABS.findIndex((t) => t.id === tab);
    const next =
      e.key === "ArrowRight" ? (i + 1) % TABS.length : e.key === "ArrowLeft" ? (i + 2) % TABS.length : null;
    if (next === null) return;
    e.preventDefault();
    setTab(TABS[next]!.id);
    document.getElementById(`tab-${TABS[next]!.id}`)?.focus();
  }

  return (
    <div className="flex h-dvh flex-col bg-slate-100">
      <a
        href={`#${MESSAGE_BOX_ID}`}
        onClick={skipToMessage}
        className="sr-only rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to the message box
      </a>
      <AppHeader active={active} />
      <div role="tablist" aria-label="Playground panels" className="flex gap-1 px-2 pt-2 lg:hidden">
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={PANEL_IDS[t.id]}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={onTabKey}
            className={`flex-1 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${tab === t.id ? "bg-slate-900 text-white" : "bg-white text-slate-700 ring-1 ring-slate-200 ring-inset"}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <main
        className="grid min-h-0 flex-1 grid-cols-1 p-2 lg:grid-cols-(--playground-columns) lg:p-3"
        style={{ "--playground-columns": columns } as CSSProperties}
      >
        <Panel
          id={PANEL_IDS.setup}
          title="Assistant setup"
          open={isOpen("setup")}
          onToggle={() => togglePanel("setup")}
          className={shownOn("setup")}
          headerClassName="max-lg:hidden"
        >
          <SetupPanel scope={scope} assistantId={assistantId} />
        </Panel>
        {panels.setup && panels.chat ? (
          <PanelResizer
            panel="setup"
            label="Width of the Assistant setup panel"
            controls={PANEL_IDS.setup}
            width={widths.setup}
            onWidth={(px) => setPanelWidth("setup", px)}
          />
        ) : (
          <span className="max-lg:hidden" />
        )}
        <Panel
          id={PANEL_IDS.chat}
          title="Chat"
          open={isOpen("chat")}
          onToggle={() => togglePanel("chat")}
          className={shownOn("chat")}
          collapseClassName="max-lg:hidden"
          actions={<ThreadsToggle scope={scope} threadId={threadId} />}
        >
          <ChatPanel
            scope={scope}
            assistantId={assistantId}
            threadId={threadId}
            runStream={runStream}
            // The local engine always lists threads; other upstreams say so (Foundry agents do, Azure OpenAI does not).
            canListThreads={Boolean(active.connection?.listThreads) || active.connection?.kind === "local"}
          />
        </Panel>
        {panels.inspector && panels.chat ? (
          <PanelResizer
            panel="inspector"
            label="Width of the Inspector panel"
            controls={PANEL_IDS.inspector}
            width={widths.inspector}
            onWidth={(px) => setPanelWidth("inspector", px)}
          />
        ) : (
          <span className="max-lg:hidden" />
        )}
        <Panel
          id={PANEL_IDS.inspector}
          title="Inspector"
          open={isOpen("inspector")}
          onToggle={() => togglePanel("inspector")}
          className={shownOn("inspector")}
          headerClassName="max-lg:hidden"
        >
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
