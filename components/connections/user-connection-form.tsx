"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { memo, useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { kindLabel, testConnection } from "@/lib/client/connections";
import { DEFAULT_API_VERSION, OPENAI_COMPATIBLE_API_VERSION } from "@/lib/protocol/api-versions";
import { hostMatches } from "@/lib/shared/host-patterns";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useUserConnectionSettings } from "@/lib/client/use-active-connection";
import {
  USER_CONNECTION_NAME,
  userConnectionHeaders,
  userConnectionStore,
  type UserConnectionKind,
  type UserConnectionSettings,
} from "@/lib/client/user-connections";
import { TestResult } from "./test-result";

/** The user's own connection (when the server allows one): checked, then kept in this tab. */
export const UserConnectionForm = memo(function UserConnectionForm({ hosts }: { hosts: string[] }) {
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
    else if (url && !hosts.some((p) => hostMatches(url.hostname, p)))
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
});
