"use client";

import type { PlaygroundConnection } from "@/lib/client/connections";
import type { PlaygroundError } from "@/lib/client/errors";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

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
  if (error) {
    return (
      <p role="alert" className="text-sm text-red-800">
        Connections unavailable{error.status !== null ? ` (${error.status})` : ""}: {error.message}
      </p>
    );
  }
  if (isLoading || !connection) return <p className="text-sm text-slate-600">Connecting…</p>;
  if (connections.length < 2) {
    return (
      <p className="text-sm text-slate-700" title={connection.description}>
        <span className="sr-only">Connection: </span>
        <span className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2.5 py-0.5 font-medium text-emerald-900 ring-1 ring-emerald-300 ring-inset">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-600" />
          {connection.label}
        </span>
      </p>
    );
  }
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      Connection
      <select
        value={connection.name}
        onChange={(e) => selectConnection(e.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {connections.map((c) => (
          <option key={c.name} value={c.name}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
