/**
 * Runs tasks with at most `concurrency` at once. Every upstream call a task makes goes through
 * `ctx.call`, which honours rate limits for the whole pool: a 429 pauses every task's next call
 * until the wait the upstream asked for has passed (not just the one that was refused), then the
 * refused call is sent again. A refused call created nothing (a 429 is a refusal), so sending it
 * again cannot duplicate a thread or a run. Aborting `signal` starts nothing more and aborts the
 * signal every running task sees.
 */

export class PoolCancelled extends Error {
  override name = "PoolCancelled";
  constructor() {
    super("Cancelled.");
  }
}

export interface TaskContext {
  signal: AbortSignal;
  /** Sends `fn` once the pool is not paused; on a rate limit, pauses the pool and sends it again. */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

export type PoolResult<R> = { ok: true; value: R } | { ok: false; error: unknown; cancelled: boolean };

export interface PoolOptions {
  concurrency: number;
  signal?: AbortSignal;
  /**
   * How long to wait after `error` before sending again (`attempt` counts refusals of this call
   * from 0), or null when `error` is not a rate limit (it is thrown to the task).
   */
  rateLimitDelay: (error: unknown, attempt: number) => number | null;
  /** Refusals of one call before its 429 is thrown to the task. */
  maxRateLimitRetries?: number;
  /** Told when the pool pauses, with how long. */
  onPause?: (ms: number) => void;
  onSettled?: (index: number, result: PoolResult<unknown>) => void;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new PoolCancelled());
    const done = () => {
      signal.removeEventListener("abort", abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(new PoolCancelled());
    };
    signal.addEventListener("abort", abort, { once: true });
  });
}

export async function runPool<T, R>(
  items: readonly T[],
  worker: (item: T, ctx: TaskContext, index: number) => Promise<R>,
  options: PoolOptions,
): Promise<PoolResult<R>[]> {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const controller = new AbortController();
  const outer = options.signal;
  const forward = () => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener("abort", forward, { once: true });
  const signal = controller.signal;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? abortableSleep;
  const maxRetries = options.maxRateLimitRetries ?? 6;
  let pausedUntil = 0;

  const ctx: TaskContext = {
    signal,
    async call<V>(fn: () => Promise<V>): Promise<V> {
      for (let attempt = 0; ; attempt++) {
        for (;;) {
          if (signal.aborted) throw new PoolCancelled();
          const wait = pausedUntil - now();
          if (wait <= 0) break;
          await sleep(wait, signal);
        }
        try {
          return await fn();
        } catch (err) {
          if (signal.aborted) throw new PoolCancelled();
          const delay = options.rateLimitDelay(err, attempt);
          if (delay === null || attempt >= maxRetries) throw err;
          const until = now() + delay;
          if (until > pausedUntil) {
            pausedUntil = until;
            options.onPause?.(delay);
          }
        }
      }
    },
  };

  const results: PoolResult<R>[] = new Array(items.length);
  let next = 0;
  const settle = (index: number, result: PoolResult<R>) => {
    results[index] = result;
    options.onSettled?.(index, result);
  };
  async function lane() {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      if (signal.aborted) {
        settle(index, { ok: false, error: new PoolCancelled(), cancelled: true });
        continue;
      }
      try {
        settle(index, { ok: true, value: await worker(items[index]!, ctx, index) });
      } catch (error) {
        settle(index, { ok: false, error, cancelled: signal.aborted || error instanceof PoolCancelled });
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  } finally {
    outer?.removeEventListener("abort", forward);
  }
  return results;
}
