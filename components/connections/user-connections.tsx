"use client";

import { useId } from "react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { effectiveApiVersion, useActiveConnection } from "@/lib/client/use-active-connection";
import { ConnectionRow } from "./connection-row";
import { UserConnectionForm } from "./user-connection-form";

/** Settings section: every connection with its kind, endpoint host, auth and api-version, Test connection, and the user's own. */
export function ConnectionSettings() {
  const headingId = useId();
  const active = useActiveConnection();
  const versions = usePlaygroundStore((s) => s.apiVersionByConnection);
  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h3 id={headingId} className="text-base font-semibold text-slate-900">
        Connections
      </h3>
      <p className="mt-1 text-sm text-slate-700">
        Where the playground sends Assistants calls. The server holds every key; switch connections and
        api-versions in the header. Test connection makes one read-only call (list assistants) and explains
        the answer.
      </p>
      {active.error ? (
        <div className="mt-3">
          <ErrorAlert title="Connections unavailable" error={active.error} />
        </div>
      ) : active.isLoading ? (
        <p role="status" className="mt-3 text-sm text-slate-600">
          Loading connections…
        </p>
      ) : (
        <ul aria-label="Connections" className="mt-2">
          {active.connections.map((c) => (
            <ConnectionRow
              key={c.name}
              connection={c}
              apiVersion={effectiveApiVersion(c, versions[c.name])}
            />
          ))}
        </ul>
      )}
      {active.userConnections.enabled ? <UserConnectionForm hosts={active.userConnections.hosts} /> : null}
    </section>
  );
}
