"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorAlert } from "@/components/ui/error-alert";
import { toPlaygroundError } from "@/lib/client/errors";
import { sessionQuery } from "./auth-api";
import { SignInForm } from "./sign-in-form";

/** Same-site paths only: `/x?y`, never `//host` or `/\host`. */
function safeNext(value: string): string {
  return /^\/(?![/\\])\S*$/.test(value) && !value.startsWith("/api/") ? value : "/";
}

export function SignInPage({ next }: { next: string }) {
  const session = useQuery(sessionQuery());
  return (
    <main className="flex min-h-dvh items-center justify-center bg-slate-100 p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-lg font-semibold text-slate-900">Assistants Playground</h1>
        <p className="mb-4 mt-1 text-sm text-slate-700">Sign in to use this playground.</p>
        {session.isError ? (
          <ErrorAlert
            title="The server could not be reached"
            error={{
              ...toPlaygroundError(session.error),
              hint: "Check that it is running, then reload this page.",
            }}
          />
        ) : session.data ? (
          <SignInForm
            next={safeNext(next)}
            passwordSignIn={session.data.password_sign_in}
            swaSignIn={session.data.swa_sign_in}
          />
        ) : (
          <p role="status" className="text-sm text-slate-600">
            Loading…
          </p>
        )}
      </div>
    </main>
  );
}
