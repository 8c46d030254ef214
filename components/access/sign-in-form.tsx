"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { AuthHttpError, signIn } from "./auth-api";

/** The /sign-in form: the shared password; wrong ones say so beside the field, a lock-out counts down. */
export function SignInForm({
  next,
  passwordSignIn,
  swaSignIn,
}: {
  next: string;
  passwordSignIn: boolean;
  swaSignIn: boolean;
}) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [wait, setWait] = useState(0);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const attempt = useMutation({
    mutationFn: (pw: string) => signIn(pw, next),
    // A full navigation: the server decides again what the signed-in browser may load.
    onSuccess: (result) => window.location.assign(result.next),
    onError: (err) => {
      if (err instanceof AuthHttpError) {
        if (err.retryAfter) {
          // The countdown below says how long; the message says why.
          setError(
            err.code === "invalid_password"
              ? "Wrong password. Too many attempts."
              : "Too many wrong passwords.",
          );
          setWait(err.retryAfter);
        } else {
          setError(err.status >= 500 ? `${err.message} (status ${err.status}). Try again.` : err.message);
        }
      } else {
        setError("The server could not be reached. Check that it is running, then try again.");
      }
    },
  });
  // Still busy once signed in: the page is on its way to `next`.
  const busy = attempt.isPending || attempt.isSuccess;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (password === "") {
      setError("Enter the password.");
      return;
    }
    setError(null);
    attempt.mutate(password);
  }

  const locked = wait > 0;
  return (
    <div className="flex flex-col gap-4">
      {passwordSignIn ? (
        <form onSubmit={submit} noValidate className="flex flex-col gap-3">
          <TextField
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={error}
          />
          {locked ? (
            <p role="status" className="text-sm text-slate-700">
              You can try again in {wait} s.
            </p>
          ) : null}
          <Button type="submit" variant="primary" disabled={busy || locked}>
            {busy ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      ) : null}
      {swaSignIn ? (
        <a
          href={`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(next)}`}
          className="inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Sign in with Microsoft
        </a>
      ) : null}
      {!passwordSignIn && !swaSignIn ? (
        <p className="text-sm text-slate-700">This server needs no sign-in.</p>
      ) : null}
    </div>
  );
}
