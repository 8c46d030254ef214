"use client";

import { useMutation } from "@tanstack/react-query";
import { memo, useId } from "react";
import { Button } from "@/components/ui/button";
import { authLabel, kindLabel, testConnection, type PlaygroundConnection } from "@/lib/client/connections";
import { USER_CONNECTION_NAME, withUserConnection } from "@/lib/client/user-connections";
import { TestResult } from "./test-result";

const browserFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/** A connection's public facts and its Test connection button. */
export const ConnectionRow = memo(function ConnectionRow({
  connection,
  apiVersion,
}: {
  connection: PlaygroundConnection;
  apiVersion: string;
}) {
  const labelId = useId();
  const test = useMutation({
    mutationFn: () =>
      testConnection(
        connection.name,
        apiVersion,
        connection.name === USER_CONNECTION_NAME ? withUserConnection(browserFetch) : browserFetch,
      ),
  });
  return (
    <li className="border-t border-slate-200 py-3 first:border-t-0" aria-labelledby={labelId}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p id={labelId} className="font-medium text-slate-900">
            {connection.label}
          </p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-slate-700">
            <dt className="text-slate-600">Name</dt>
            <dd>
              <code className="font-mono">{connection.name}</code>
              {connection.default ? " (default)" : ""}
            </dd>
            <dt className="text-slate-600">Kind</dt>
            <dd>{kindLabel(connection.kind)}</dd>
            <dt className="text-slate-600">Endpoint</dt>
            <dd>{connection.host ?? "built into this server"}</dd>
            <dt className="text-slate-600">Auth</dt>
            <dd>{authLabel(connection.auth)}</dd>
            <dt className="text-slate-600">api-version</dt>
            <dd>
              <code className="font-mono">{apiVersion}</code>
              {connection.kind === "openai-compatible" ? " (Assistants v2; none is sent)" : ""}
            </dd>
            {connection.codeSandbox ? (
              <>
                <dt className="text-slate-600">Code runs in</dt>
                <dd className={connection.codeSandbox.available ? undefined : "text-amber-900"}>
                  {connection.codeSandbox.description}
                </dd>
              </>
            ) : null}
          </dl>
        </div>
        <Button aria-describedby={labelId} onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? "Testing…" : "Test connection"}
        </Button>
      </div>
      <TestResult
        pending={test.isPending}
        diagnosis={test.data}
        error={test.error}
        onRetry={() => test.mutate()}
      />
    </li>
  );
});
