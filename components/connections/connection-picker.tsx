"use client";

import { useId } from "react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { kindLabel, type PlaygroundConnection } from "@/lib/client/connections";
import type { PlaygroundError } from "@/lib/client/errors";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

const SELECT =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600";

/** The header menu's connection switcher, with the api-version choice where the connection has one. */
export function ConnectionPicker({
  connections,
  connection,
  isLoading,
  error,
}: {
  connections: PlaygroundConnection[];
  connection: PlaygroundConnection | null;
  isLoading: boolean;
  error: PlaygroundError | null;
}) {
  const selectConnection = usePlaygroundStore((s) => s.selectConnection);
  const selectApiVersion = usePlaygroundStore((s) => s.selectApiVersion);
  const versionId = useId();
  const connectionId = useId();
  if (error) {
    return <ErrorAlert inline title="Connections unavailable" error={error} />;
  }
  if (isLoading || !connection) return <p className="text-sm text-slate-600">Connecting…</p>;
  const defaults = connections.find((c) => c.name === connection.name);
  const versions = connection.apiVersions;
  return (
    <div className="flex flex-col gap-2">
      {connections.length < 2 ? (
        <p className="text-sm text-slate-700" title={connection.description}>
          <span className="sr-only">Connection: </span>
          <span className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2.5 py-0.5 font-medium text-emerald-900 ring-1 ring-emerald-300 ring-inset">
            <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-600" />
            {connection.label}
          </span>
        </p>
      ) : (
        <span className="flex flex-col gap-1 text-sm text-slate-700">
          <label htmlFor={connectionId}>Connection</label>
          <select
            id={connectionId}
            title={connection.description}
            value={connection.name}
            onChange={(e) => selectConnection(e.target.value)}
            className={`${SELECT} w-full`}
          >
            {connections.map((c) => (
              <option key={c.name} value={c.name}>
                {c.label}
                {c.label.includes(kindLabel(c.kind)) || c.user ? "" : ` (${kindLabel(c.kind)})`}
              </option>
            ))}
          </select>
        </span>
      )}
      {versions.length > 1 ? (
        <span className="flex flex-col gap-1 text-sm text-slate-700">
          <label htmlFor={versionId}>api-version</label>
          <select
            id={versionId}
            value={connection.apiVersion}
            onChange={(e) =>
              selectApiVersion(
                connection.name,
                e.target.value === defaults?.apiVersion ? null : e.target.value,
              )
            }
            className={SELECT}
          >
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
                {v === defaults?.apiVersion ? " (default)" : ""}
              </option>
            ))}
          </select>
        </span>
      ) : (
        <span className="text-xs text-slate-600">
          api-version <code className="font-mono">{connection.apiVersion}</code>
        </span>
      )}
    </div>
  );
}
