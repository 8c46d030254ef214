"use client";

import { useQueries } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { useMemo } from "react";
import { Button } from "@/components/ui/button";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { assistantDetailQuery } from "@/lib/client/queries/assistants/queries";
import { useStableCallback } from "@/lib/client/use-stable-callback";
import { EVALUATION_LIMITS, newId, type Configuration } from "@/lib/evaluations/model";
import { configurationRows, type AssistantDefaults } from "@/lib/evaluations/report";
import { ConfigurationCard } from "./configuration-card";
import { ConfigurationDifferences } from "./configuration-differences";
import { CONFIG_COLUMNS, scopeFor, section } from "./shared";

const LETTERS = ["A", "B", "C", "D"];

export function newConfiguration(
  connection: PlaygroundConnection | null,
  index: number,
  assistantId = "",
): Configuration {
  return {
    id: newId("cfg"),
    label: LETTERS[index] ?? `Configuration ${index + 1}`,
    connection: connection?.name ?? "local",
    apiVersion: connection?.apiVersion ?? "2024-05-01-preview",
    assistantId,
    overrides: {},
  };
}

/** The assistants of every configuration, fetched once per connection and id. */
export function useAssistantDefaults(configurations: readonly Configuration[]) {
  const data = useQueries({
    queries: configurations.map((c) =>
      assistantDetailQuery(c.assistantId ? scopeFor(c) : null, c.assistantId || null),
    ),
    combine: (results) => results.map((r) => r.data),
  });
  return useMemo(() => {
    const map = new Map<string, AssistantDefaults & { raw: Assistant }>();
    data.forEach((a, i) => {
      const c = configurations[i];
      if (a && c) map.set(`${c.connection}/${c.assistantId}`, { ...(a as AssistantDefaults), raw: a });
    });
    return map;
  }, [configurations, data]);
}

export function ConfigurationsEditor({
  configurations,
  onChange,
  connections,
  defaultConnection,
  disabled = false,
}: {
  configurations: Configuration[];
  onChange: (next: Configuration[]) => void;
  connections: PlaygroundConnection[];
  defaultConnection: PlaygroundConnection | null;
  disabled?: boolean;
}) {
  const defaults = useAssistantDefaults(configurations);
  const rows = useMemo(() => configurationRows(configurations, defaults), [configurations, defaults]);
  // Stable, for the memoised cards: one card's edit does not re-render the others.
  const change = useStableCallback((next: Configuration) =>
    onChange(configurations.map((x) => (x.id === next.id ? next : x))),
  );
  const remove = useStableCallback((id: string) => onChange(configurations.filter((x) => x.id !== id)));
  return (
    <section aria-labelledby="configurations-heading" className={section}>
      <h2 id="configurations-heading" className="text-base font-semibold text-slate-900">
        Configurations
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        A saved assistant, or one with overrides. Overrides are sent as run parameters: the assistant itself
        is not changed.
      </p>
      <div className={`mt-3 grid gap-3 ${CONFIG_COLUMNS[configurations.length] ?? ""}`}>
        {configurations.map((c, i) => (
          <ConfigurationCard
            key={c.id}
            configuration={c}
            index={i}
            connections={connections}
            assistant={defaults.get(`${c.connection}/${c.assistantId}`)?.raw}
            disabled={disabled}
            canRemove={configurations.length > 1}
            onChange={change}
            onRemove={remove}
          />
        ))}
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button
          disabled={disabled || configurations.length >= EVALUATION_LIMITS.configurations}
          onClick={() => {
            const last = configurations.at(-1);
            const next = newConfiguration(defaultConnection, configurations.length, last?.assistantId ?? "");
            onChange([
              ...configurations,
              last ? { ...last, id: next.id, label: next.label, overrides: {} } : next,
            ]);
          }}
        >
          Add configuration
        </Button>
      </div>
      <ConfigurationDifferences configurations={configurations} rows={rows} />
    </section>
  );
}
