"use client";

import { useIsMutating } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { AppHeader } from "@/components/layout/app-header";
import { Tabs } from "@/components/run-inspector/tabs";
import { evaluationKeys } from "@/lib/client/evaluations/api";
import { useActiveConnection } from "@/lib/client/use-active-connection";
import type { Configuration } from "@/lib/evaluations/model";
import { CompareTab } from "./compare-tab";
import { ConfigurationsEditor, newConfiguration } from "./configurations-editor";
import { HistoryTab } from "./history-tab";
import { PromptSetsTab } from "./prompt-sets-tab";

/**
 * Testing configurations without code: Compare (one message, 2–4 configurations side by side),
 * Prompt sets (a list of prompts with checks, run against the configurations) and History (every
 * run kept on the server, and what changed between two). The configurations are shared by the
 * first two tabs.
 */
export function EvaluatePage() {
  const active = useActiveConnection();
  const [configurations, setConfigurations] = useState<Configuration[] | null>(null);
  // The configurations stay as they are while messages or a prompt set are sent to them.
  const running = useIsMutating({ mutationKey: evaluationKeys.running }) > 0;

  // Until the person edits them: two configurations on the header's connection, with fixed ids so
  // that runs made from them line up in the history.
  const connection = active.connection;
  const initial = useMemo(
    () =>
      connection ? [0, 1].map((i) => ({ ...newConfiguration(connection, i), id: `cfg_${"AB"[i]}` })) : null,
    [connection],
  );
  const list = configurations ?? initial ?? [];
  return (
    <div className="flex min-h-dvh flex-col bg-slate-100">
      <AppHeader active={active} />
      <main className="mx-auto w-full max-w-screen-2xl min-w-0 space-y-3 p-3">
        <h2 className="sr-only">Evaluate</h2>
        {list.length === 0 ? (
          <p className="text-sm text-slate-600">Loading the connections…</p>
        ) : (
          <ConfigurationsEditor
            configurations={list}
            onChange={setConfigurations}
            connections={active.connections}
            defaultConnection={active.connection}
            disabled={running}
          />
        )}
        <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
          <Tabs
            label="Evaluate"
            tabs={[
              {
                id: "compare",
                label: "Compare",
                content: (
                  <div className="p-3">
                    <CompareTab configurations={list} onConfigurationsChange={setConfigurations} />
                  </div>
                ),
              },
              {
                id: "sets",
                label: "Prompt sets",
                content: (
                  <div className="p-3">
                    <PromptSetsTab configurations={list} connections={active.connections} />
                  </div>
                ),
              },
              {
                id: "history",
                label: "History",
                content: (
                  <div className="p-3">
                    <HistoryTab onUseConfigurations={setConfigurations} />
                  </div>
                ),
              },
            ]}
          />
        </div>
      </main>
    </div>
  );
}
