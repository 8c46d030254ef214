"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import type { RetryWait } from "@/lib/client/run-stream-state";

const WHAT: Record<RetryWait["what"], string> = {
  message: "Adding your message",
  run: "Starting the run",
  follow: "Reading the run",
};

function cause(wait: RetryWait): string {
  const { status, code } = wait.error;
  if (status === 429) return "the upstream is rate limiting (429)";
  if (status !== null) return `the upstream answered ${[status, code].filter(Boolean).join(" · ")}`;
  return "the upstream could not be reached";
}

/** A failed call that is sent again by itself: why, when (a countdown), and what the person can do. */
export function RetryNotice({
  wait,
  onRetryNow,
  onStop,
}: {
  wait: RetryWait;
  onRetryNow: () => void;
  onStop: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((wait.until - now) / 1000));
  return (
    <div className="flex w-full flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
      <p>
        <strong className="font-semibold">
          {WHAT[wait.what]} failed: {cause(wait)}.
        </strong>{" "}
        {wait.error.message}{" "}
        <span>
          Trying again in{" "}
          <span aria-hidden="true" className="tabular-nums">
            {seconds} s
          </span>
          <span className="sr-only">a moment</span> (attempt {wait.attempt} of {wait.attempts}).
        </span>
      </p>
      <div className="flex flex-wrap gap-2">
        <Button onClick={onRetryNow}>Try now</Button>
        <Button variant="ghost" onClick={onStop}>
          Stop retrying
        </Button>
      </div>
    </div>
  );
}
