import { APIConnectionError, APIError, APIUserAbortError } from "openai";

/**
 * When the browser tries a failed call again by itself, and how long it waits first.
 *
 * - A 429 means the upstream refused the request before doing anything, so even a call that
 *   creates something (a message, a run) can be sent again: it is, a few times, after the wait the
 *   upstream asks for (`retry-after-ms` / `retry-after`), never sooner than an exponential backoff.
 * - Any other failure of a call that creates something is never repeated blindly (the upstream may
 *   have acted on it): the caller reads what exists instead (lib/client/runs/run-controller.ts).
 * - Reads (following a run) are repeated on every transient failure: 408, 429, 5xx, network.
 */
export const RETRY_POLICY = {
  /** Attempts in all (the first one included) for a call the upstream refused with 429. */
  createAttempts: 4,
  /** Attempts in all for reading a run while following it. */
  followAttempts: 10,
  baseMs: 1_000,
  maxMs: 30_000,
  /** A longer wait than this is not waited out automatically: the person decides. */
  longestWaitMs: 60_000,
} as const;

export type RetryOutcome = "timeout" | "now" | "stop";

/** The wait an upstream asks for, in ms, from `retry-after-ms`, `retry-after` seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | null {
  const ms = Number(headers?.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

export function isRateLimited(err: unknown): err is APIError {
  return err instanceof APIError && err.status === 429;
}

/** A failure that may pass if the same read is sent again later. */
export function isTransient(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIConnectionError) return true;
  if (!(err instanceof APIError) || typeof err.status !== "number") return false;
  return err.status === 408 || err.status === 429 || err.status >= 500;
}

/**
 * Whether a failed call that creates something may still have created it: a network failure, a
 * timeout, a 5xx or a stream that broke may come after the upstream acted; a 4xx (429 included)
 * is a refusal.
 */
export function mayHaveActed(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIError && typeof err.status === "number")
    return err.status === 408 || err.status >= 500;
  return true;
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 0): the upstream's
 * retry-after when it gives one, never less than base·2^attempt (±20 % jitter), at most maxMs;
 * null when the upstream asks for longer than `longestWaitMs`.
 */
export function backoffMs(attempt: number, err: unknown, random: () => number = Math.random): number | null {
  const asked = err instanceof APIError ? retryAfterMs(err.headers) : null;
  if (asked !== null && asked > RETRY_POLICY.longestWaitMs) return null;
  const backoff = RETRY_POLICY.baseMs * 2 ** attempt * (0.8 + 0.4 * random());
  return Math.round(Math.min(RETRY_POLICY.maxMs, Math.max(asked ?? 0, backoff)));
}

/**
 * A wait that the person can cut short ("Try now") or end ("Stop"). Resolves with what ended it;
 * an aborted signal counts as "stop".
 */
export class RetryWaiter {
  private settle: ((outcome: RetryOutcome) => void) | null = null;

  wait(ms: number, signal?: AbortSignal): Promise<RetryOutcome> {
    this.settle?.("stop");
    return new Promise<RetryOutcome>((resolve) => {
      const done = (outcome: RetryOutcome) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (this.settle === done) this.settle = null;
        resolve(outcome);
      };
      const onAbort = () => done("stop");
      const timer = setTimeout(() => done("timeout"), ms);
      this.settle = done;
      if (signal?.aborted) done("stop");
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Ends the current wait now and tries again. */
  now(): void {
    this.settle?.("now");
  }

  /** Ends the current wait and gives up. */
  stop(): void {
    this.settle?.("stop");
  }
}
