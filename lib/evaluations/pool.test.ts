import { describe, expect, it } from "vitest";
import { PoolCancelled, runPool } from "./pool";

class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super("429");
  }
}
const rateLimitDelay = (err: unknown) => (err instanceof RateLimited ? err.retryAfterMs : null);

/** A fake upstream: counts calls in flight, refuses with 429 when more than `capacity` arrive at once. */
function upstream(capacity: number, workMs = 5) {
  let inFlight = 0;
  const stats = { maxInFlight: 0, refused: 0, served: 0, callsAt: [] as number[], refusedAt: [] as number[] };
  return {
    stats,
    async call(): Promise<string> {
      const t = performance.now();
      if (inFlight >= capacity) {
        stats.refused++;
        stats.refusedAt.push(t);
        throw new RateLimited(40);
      }
      stats.callsAt.push(t);
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, workMs));
      inFlight--;
      stats.served++;
      return "ok";
    },
  };
}

describe("runPool", () => {
  it("never runs more than `concurrency` tasks at once", async () => {
    let running = 0;
    let most = 0;
    const results = await runPool(
      Array.from({ length: 20 }, (_, i) => i),
      async (i) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 2 + (i % 3)));
        running--;
        return i * 2;
      },
      { concurrency: 3, rateLimitDelay },
    );
    expect(most).toBe(3);
    expect(results.map((r) => (r.ok ? r.value : null))).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it("under 429s: stays within the limit, pauses the whole pool for retry-after, and finishes every task once", async () => {
    const api = upstream(2);
    let starts = 0;
    const pauses: number[] = [];
    const results = await runPool(
      Array.from({ length: 12 }, (_, i) => i),
      async (i, ctx) => {
        starts++;
        // Two upstream calls per task, like "create thread" then "create run".
        await ctx.call(() => api.call());
        return ctx.call(async () => `${await api.call()} ${i}`);
      },
      // The pool allows 4 at once, the upstream only 2: it must refuse some.
      { concurrency: 4, rateLimitDelay, onPause: (ms) => pauses.push(ms) },
    );
    expect(api.stats.refused).toBeGreaterThan(0);
    expect(pauses.length).toBeGreaterThan(0);
    expect(api.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(starts).toBe(12); // a refused call is sent again inside its task: no task runs twice
    expect(results.every((r) => r.ok)).toBe(true);
    expect(api.stats.served).toBe(24);
    // Nothing reached the upstream during a pause: after each refusal, the next accepted call waits ~40 ms.
    for (const refusedAt of api.stats.refusedAt) {
      const early = api.stats.callsAt.filter((t) => t > refusedAt + 1 && t < refusedAt + 30);
      expect(early).toEqual([]);
    }
  });

  it("gives up on a call refused more than maxRateLimitRetries times, and passes other errors through at once", async () => {
    let attempts = 0;
    const results = await runPool(
      ["always-429", "boom"],
      async (item, ctx) =>
        ctx.call(async () => {
          if (item === "boom") throw new Error("boom");
          attempts++;
          throw new RateLimited(1);
        }),
      { concurrency: 2, rateLimitDelay, maxRateLimitRetries: 2 },
    );
    expect(attempts).toBe(3);
    expect(results[0]).toMatchObject({ ok: false, cancelled: false });
    expect((results[0] as { error: Error }).error).toBeInstanceOf(RateLimited);
    expect((results[1] as { error: Error }).error.message).toBe("boom");
  });

  it("cancel: aborts running tasks and a pause, starts nothing more", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const settled: number[] = [];
    const promise = runPool(
      Array.from({ length: 10 }, (_, i) => i),
      async (i, ctx) => {
        started.push(i);
        if (i === 1) controller.abort();
        return ctx.call(async () => {
          throw new RateLimited(60_000);
        });
      },
      { concurrency: 2, signal: controller.signal, rateLimitDelay, onSettled: (i) => settled.push(i) },
    );
    const results = await promise;
    expect(started).toEqual([0, 1]);
    expect(settled.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.every((r) => !r.ok && r.cancelled)).toBe(true);
    expect((results[5] as { error: unknown }).error).toBeInstanceOf(PoolCancelled);
  });
});
