"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import {
  authLabel,
  kindLabel,
  testConnection,
  type Diagnosis,
  type PlaygroundConnection,
} from "@/lib/client/connections";
import { DEFAULT_API_VERSION, OPENAI_COMPATIBLE_API_VERSION } from "@/lib/protocol/api-versions";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import {
  effectiveApiVersion,
  useActiveConnection,
  useUserConnectionSettings,
} from "@/lib/client/use-active-connection";
import {
  USER_CONNECTION_NAME,
  userConnectionHeaders,
  userConnectionStore,
  withUserConnection,
  type UserConnectionKind,
  type UserConnectionSettings,
} from "@/lib/client/user-connections";

const browserFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/** The diagnosis of a Test connection, announced when it arrives. */
function DiagnosisView({ diagnosis }: { diagnosis: Diagnosis }) {
  const tone = diagnosis.ok
    ? "border-emerald-300 bg-emerald-50 text-emerald-950"
    : "border-amber-300 bg-amber-50 text-amber-950";
  const facts = [
    diagnosis.status !== null ? `HTTP ${diagnosis.status}` : null,
    diagnosis.code ? `code ${diagnosis.code}` : null,
    diagnosis.apiVersion ? `api-version ${diagnosis.apiVersion}` : null,
  ].filter(Boolean);
  return (
    <div className={`mt-2 rounded-md border p-3 text-sm ${tone}`}>
      <p className="font-semibold">
        <span aria-hidden="true">{diagnosis.ok ? "✓ " : "✗ "}</span>
        {diagnosis.title}
      </p>
      <p className="mt-1">{diagnosis.detail}</p>
      {facts.length > 0 ? <p className="mt-1 text-xs opacity-90">{facts.join(" · ")}</p> : null}
    </div>
  );
}

function TestResult({
  pending,
  diagnosis,
  error,
  onRetry,
}: {
  pending: boolean;
  diagnosis: Diagnosis | undefined;
  error: unknown;
  onRetry: () => void;
}) {
  return (
    <div role="status" aria-live="polite">
      {pending ? <p className="mt-2 text-sm text-slate-600">Testing…</p> : null}
      {!pending && diagnosis ? <DiagnosisView diagnosis={diagnosis} /> : null}
      {!pending && error ? (
        <div className="mt-2">
          <ErrorAlert title="Could not run the test" error={error} onRetry={onRetry} />
        </div>
      ) : null}
    </div>
  );
}

function ConnectionRow({ connection, apiVersion }: { connection: PlaygroundConnection; apiVersion: string }) {
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
}

/** `*.openai.azure.com` matches one label before the suffix (the server checks the same way). */
function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) =>
    p.startsWith("*.") ? h.endsWith(p.slice(1)) && /^[a-z0-9-]+$/.test(h.slice(0, -(p.length - 1))) : h === p,
  );
}

function UserConnectionForm({ hosts }: { hosts: string[] }) {
  const headingId = useId();
  const saved = useUserConnectionSettings();
  const queryClient = useQueryClient();
  const selectConnection = usePlaygroundStore((s) => s.selectConnection);
  const [kind, setKind] = useState<UserConnectionKind>(saved?.kind ?? "azure-openai");
  const [endpoint, setEndpoint] = useState(saved?.endpoint ?? "");
  const [apiKey, setApiKey] = useState("");
  const [errors, setErrors] = useState<{ endpoint?: string; apiKey?: string }>({});

  const check = useMutation({
    mutationFn: (candidate: UserConnectionSettings) =>
      testConnection(
        USER_CONNECTION_NAME,
        candidate.kind === "azure-openai" ? DEFAULT_API_VERSION : OPENAI_COMPATIBLE_API_VERSION,
        (input, init) =>
          globalThis.fetch(input, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), ...userConnectionHeaders(candidate) },
          }),
      ),
    onSuccess: (diagnosis, candidate) => {
      if (diagnosis.outcome === "refused") {
        setErrors({ endpoint: diagnosis.detail });
        return;
      }
      userConnectionStore.set(candidate);
      setApiKey("");
      // Data cached for an earlier endpoint under the same name must not show for this one.
      void queryClient.resetQueries({ predicate: (q) => q.queryKey.includes(USER_CONNECTION_NAME) });
      if (diagnosis.ok) selectConnection(USER_CONNECTION_NAME);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const next: typeof errors = {};
    const trimmed = endpoint.trim();
    let url: URL | null = null;
    try {
      url = new URL(trimmed);
    } catch {
      next.endpoint = "Enter the endpoint as a URL, e.g. https://myres.openai.azure.com.";
    }
    if (url && url.protocol !== "https:") next.endpoint = "The endpoint must start with https://.";
    else if (url && !hostAllowed(url.hostname, hosts))
      next.endpoint = `${url.hostname} is not an allowed host. Allowed: ${hosts.join(", ")}.`;
    if (!apiKey.trim())
      next.apiKey = saved ? "Enter the key again to change the connection." : "Enter the key.";
    setErrors(next);
    if (next.endpoint || next.apiKey) return;
    check.mutate({ kind, endpoint: trimmed.replace(/\/+$/, ""), apiKey: apiKey.trim() });
  }

  return (
    <section aria-labelledby={headingId} className="mt-5 border-t border-slate-200 pt-4">
      <h4 id={headingId} className="text-sm font-semibold text-slate-900">
        Your own connection
      </h4>
      <p className="mt-1 text-sm text-slate-700">
        Reach an Azure OpenAI resource or an OpenAI-compatible server with your key. The key is kept in this
        browser tab only and sent to this server with each request; the server never stores or logs it.
        Allowed hosts:{" "}
        {hosts.map((h, i) => (
          <span key={h}>
            {i > 0 ? ", " : ""}
            <code className="font-mono">{h}</code>
          </span>
        ))}
        .
      </p>
      {saved ? (
        <p className="mt-2 text-sm text-slate-700">
          In use in this tab: <strong>{kindLabel(saved.kind)}</strong> at{" "}
          <code className="font-mono">{saved.endpoint}</code>{" "}
          <Button
            variant="ghost"
            onClick={() => {
              userConnectionStore.set(null);
              check.reset();
            }}
          >
            Forget it
          </Button>
        </p>
      ) : null}
      <form onSubmit={submit} noValidate className="mt-3 grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as UserConnectionKind)}
        >
          <option value="azure-openai">Azure OpenAI (api-key)</option>
          <option value="openai-compatible">OpenAI-compatible (bearer key)</option>
        </SelectField>
        <TextField
          label="Endpoint"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={
            kind === "azure-openai" ? "https://myres.openai.azure.com" : "https://gateway.example.com/v1"
          }
          value={endpoint}
          onChange={(e) => {
            setEndpoint(e.target.value);
            if (errors.endpoint) setErrors({ ...errors, endpoint: undefined });
          }}
          error={errors.endpoint}
        />
        <TextField
          label="Key"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(e) => {
            setApiKey(e.target.value);
            if (errors.apiKey) setErrors({ ...errors, apiKey: undefined });
          }}
          hint="Held in this tab's session storage; gone when the tab closes."
          error={errors.apiKey}
        />
        <div className="flex items-start sm:pt-6">
          <Button type="submit" variant="primary" disabled={check.isPending}>
            {check.isPending ? "Checking…" : "Check and use"}
          </Button>
        </div>
      </form>
      <TestResult
        pending={check.isPending}
        diagnosis={check.data && check.data.outcome !== "refused" ? check.data : undefined}
        error={check.error}
        onRetry={() => check.reset()}
      />
    </section>
  );
}

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
