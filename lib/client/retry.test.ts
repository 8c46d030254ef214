import { describe, expect, it, vi } from "vitest";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import {
  backoffMs,
  isRateLimited,
  isTransient,
  mayHaveActed,
  RETRY_POLICY,
  retryAfterMs,
  RetryWaiter,
} from "./retry";

const apiError = (status: number, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error: { message: "m" } }, "m", new Headers(headers));

describe("retryAfterMs", () => {
  it("reads retry-after-ms first, then retry-after seconds, then an HTTP date", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "1500", "retry-after": "9" }))).toBe(1500);
    expect(retryAfterMs(new Headers({ "retry-after": "3" }))).toBe(3000);
    const now = Date.parse("2026-11-28T12:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "Sat, 28 Nov 2026 12:00:07 GMT" }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ "retry-after": "Sat, 28 Nov 2026 11:00:00 GMT" }), now)).toBe(0);
  });
  it("is null without a usable header", () => {
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs(new Headers())).toBeNull();
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeNull();
  });
});

describe("what is retried", () => {
  it("knows a 429 from other failures", () => {
    expect(isRateLimited(apiError(429))).toBe(true);
    expect(isRateLimited(apiError(500))).toBe(false);
    expect(isRateLimited(new Error("x"))).toBe(false);
  });
  it("retries reads on 408, 429, 5xx and network failures, not on other 4xx or an abort", () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isTransient(apiError(s)), String(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409]) expect(isTransient(apiError(s)), String(s)).toBe(false);
    expect(isTransient(new APIConnectionError({ message: "reset" }))).toBe(true);
    expect(isTransient(new APIConnectionTimeoutError())).toBe(true);
    expect(isTransient(new APIUserAbortError())).toBe(false);
    expect(isTransient(new Error("parse"))).toBe(false);
  });
  it("treats a refusal as nothing done, and anything that may follow the upstream's work as maybe done", () => {
    for (const s of [400, 404, 409, 429]) expect(mayHaveActed(apiError(s)), String(s)).toBe(false);
    for (const s of [408, 500, 503, 504]) expect(mayHaveActed(apiError(s)), String(s)).toBe(true);
    expect(mayHaveActed(new APIConnectionError({ message: "reset" }))).toBe(true);
    expect(mayHaveActed(new SyntaxError("Unexpected token o in JSON"))).toBe(true);
    expect(mayHaveActed(new APIUserAbortError())).toBe(false);
  });
});

describe("backoffMs", () => {
  const mid = () => 0.5; // no jitter
  it("doubles from the base, within ±20 % jitter, up to the cap", () => {
    expect(backoffMs(0, apiError(500), mid)).toBe(RETRY_POLICY.baseMs);
    expect(backoffMs(1, apiError(500), mid)).toBe(2 * RETRY_POLICY.baseMs);
    expect(backoffMs(3, apiError(500), mid)).toBe(8 * RETRY_POLICY.baseMs);
    expect(backoffMs(20, apiError(500), mid)).toBe(RETRY_POLICY.maxMs);
    expect(backoffMs(0, apiError(500), () => 0)).toBe(0.8 * RETRY_POLICY.baseMs);
    expect(backoffMs(0, apiError(500), () => 1)).toBe(1.2 * RETRY_POLICY.baseMs);
  });
  it("waits at least what the upstream asks for", () => {
    expect(backoffMs(0, apiError(429, { "retry-after": "5" }), mid)).toBe(5000);
    expect(backoffMs(3, apiError(429, { "retry-after": "5" }), mid)).toBe(8000);
  });
  it("does not wait out a very long retry-after by itself", () => {
    expect(backoffMs(0, apiError(429, { "retry-after": "120" }), mid)).toBeNull();
  });
});

describe("RetryWaiter", () => {
  it("ends a wait on time, on 'now', on 'stop', and on an aborted signal", async () => {
    vi.useFakeTimers();
    try {
      const waiter = new RetryWaiter();
      const timed = waiter.wait(1000);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(timed).resolves.toBe("timeout");

      const cut = waiter.wait(60_000);
      waiter.now();
      await expect(cut).resolves.toBe("now");

      const stopped = waiter.wait(60_000);
      waiter.stop();
      await expect(stopped).resolves.toBe("stop");

      const controller = new AbortController();
      const aborted = waiter.wait(60_000, controller.signal);
      controller.abort();
      await expect(aborted).resolves.toBe("stop");
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
  it("a new wait ends the one before it as stopped", async () => {
    const waiter = new RetryWaiter();
    const first = waiter.wait(60_000);
    const second = waiter.wait(10);
    await expect(first).resolves.toBe("stop");
    await expect(second).resolves.toBe("timeout");
  });
});
