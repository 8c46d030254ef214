"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { sessionQuery, signOut } from "./auth-api";

const linkClass =
  "rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600";

/** The header's sign-in state: sign out, or — when the session has ended — a way back in. */
export function SessionControls() {
  const session = useQuery(sessionQuery());
  const signOutMutation = useMutation({
    mutationFn: signOut,
    // A full load, so nothing the signed-in page held (query caches) outlives the session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => window.location.assign("/sign-in"),
  });
  // Still busy once signed out: the page is on its way to /sign-in.
  const busy = signOutMutation.isPending || signOutMutation.isSuccess;
  const failed = signOutMutation.isError;
  const s = session.data;
  if (!s || !s.sign_in_required) return null;

  if (!s.signed_in) {
    const here = typeof window === "undefined" ? "/" : `${window.location.pathname}${window.location.search}`;
    return (
      <a
        role="alert"
        href={`/sign-in?next=${encodeURIComponent(here)}`}
        className={`${linkClass} text-red-800`}
      >
        Session ended — sign in again
      </a>
    );
  }
  if (s.method === "swa") {
    return (
      <span className="flex items-center gap-2 text-sm text-slate-700">
        {s.user}
        <a href="/.auth/logout?post_logout_redirect_uri=/" className={linkClass}>
          Sign out
        </a>
      </span>
    );
  }
  return (
    <Button
      variant="ghost"
      disabled={busy}
      title={failed ? "Signing out failed; try again." : undefined}
      onClick={() => signOutMutation.mutate()}
    >
      {failed ? "Sign out (retry)" : "Sign out"}
    </Button>
  );
}
