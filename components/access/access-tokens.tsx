"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { toPlaygroundError } from "@/lib/client/errors";
import { formatTimestamp } from "@/lib/client/time";
import {
  AuthHttpError,
  authKeys,
  createToken,
  revokeToken,
  sessionQuery,
  tokensQuery,
  type AccessToken,
} from "./auth-api";

const when = (seconds: number | null) => (seconds === null ? "never" : formatTimestamp(seconds));

/** Settings section: access tokens for scripts and notebooks — created (shown once), listed, revoked. */
export function AccessTokens() {
  const headingId = useId();
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery());
  const tokens = useQuery(tokensQuery());
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [created, setCreated] = useState<(AccessToken & { token: string }) | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<AccessToken | null>(null);

  const create = useMutation({
    mutationFn: createToken,
    onSuccess: (token) => {
      setCreated(token);
      setCopied(false);
      setName("");
      void queryClient.invalidateQueries({ queryKey: authKeys.tokens() });
    },
    onError: (err) => {
      if (err instanceof AuthHttpError && err.param === "name") setNameError(err.message);
    },
  });
  const revoke = useMutation({
    mutationFn: (token: AccessToken) => revokeToken(token.id),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: authKeys.tokens() });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "") return setNameError("Give the token a name, e.g. the notebook that uses it.");
    if (trimmed.length > 80) return setNameError("Use at most 80 characters.");
    setNameError(null);
    create.mutate(trimmed);
  }

  const createError =
    create.error && !(create.error instanceof AuthHttpError && create.error.param === "name")
      ? toPlaygroundError(create.error)
      : null;

  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h3 id={headingId} className="text-base font-semibold text-slate-900">
        Access tokens
      </h3>
      <p className="mt-1 text-sm text-slate-700">
        Scripts and notebooks reach this playground&apos;s <code>/api/openai</code> with a token as the
        SDK&apos;s <code>api_key</code> (sent as the <code>api-key</code> header, or{" "}
        <code>Authorization: Bearer</code>). Only a hash of each token is kept; revoke one to lock its script
        out.
      </p>
      {session.data && !session.data.sign_in_required ? (
        <p className="mt-2 text-sm text-slate-700">
          Sign-in is off on this server, so scripts need no token today; tokens made here work once it is
          turned on.
        </p>
      ) : null}

      <form onSubmit={submit} noValidate className="mt-3 flex flex-wrap items-start gap-2">
        <TextField
          label="Token name"
          className="min-w-64 flex-1"
          value={name}
          maxLength={200}
          onChange={(e) => {
            setName(e.target.value);
            if (nameError) setNameError(null);
          }}
          hint="Who or what uses it, e.g. “analysis notebook”."
          error={nameError}
        />
        <Button type="submit" variant="primary" className="mt-6" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </Button>
      </form>
      {createError ? (
        <div className="mt-2">
          <ErrorAlert title="Could not create the token" error={createError} />
        </div>
      ) : null}

      {created ? (
        <div
          role="status"
          className="mt-3 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950"
        >
          <p className="font-semibold">Token “{created.name}” created. Copy it now: it is shown only once.</p>
          <div className="mt-2 flex flex-wrap items-end gap-2">
            <TextField
              label="New access token"
              readOnly
              value={created.token}
              className="min-w-72 flex-1"
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(created.token);
                  setCopied(true);
                } catch {
                  setCopied(false);
                }
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button variant="ghost" onClick={() => setCreated(null)}>
              Done
            </Button>
          </div>
        </div>
      ) : null}

      <div className="mt-4">
        {tokens.isPending ? (
          <p role="status" className="text-sm text-slate-600">
            Loading tokens…
          </p>
        ) : tokens.isError ? (
          <ErrorAlert
            title="Could not list the tokens"
            error={tokens.error}
            onRetry={() => void tokens.refetch()}
            retryLabel="Retry"
          />
        ) : tokens.data.length === 0 ? (
          <p className="text-sm text-slate-600">No access tokens yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Access tokens</caption>
            <thead className="text-slate-700">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Name
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Created
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="py-1 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} className="border-t border-slate-200">
                  <td className="py-1.5 pr-2 text-slate-900">{t.name}</td>
                  <td className="py-1.5 pr-2 text-slate-700">{when(t.created_at)}</td>
                  <td className="py-1.5 pr-2 text-slate-700">{when(t.last_used_at)}</td>
                  <td className="py-1.5 text-right">
                    <Button variant="danger" aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
                      Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <ConfirmDialog
        open={revoking !== null}
        title="Revoke access token?"
        confirmLabel="Revoke token"
        busy={revoke.isPending}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        <p>Scripts using “{revoking?.name}” will be refused from now on. This cannot be undone.</p>
        {revoke.error ? (
          <ErrorAlert inline title="Could not revoke" error={revoke.error} className="mt-2" />
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
