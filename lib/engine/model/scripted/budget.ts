/**
 * A hard time bound for synchronous work on user input: a JSON Schema `pattern` run against the
 * user's words, or the whole sampling of a user's schema.
 *
 * JavaScript cannot stop a running RegExp or loop from the same thread, but V8 can: Node's `vm`
 * timeout arms a watchdog thread that terminates whatever JavaScript runs past the deadline —
 * including a backtracking RegExp (irregexp checks for interrupts while it backtracks) and
 * functions of this realm called from the script — and the termination cannot be caught by the
 * code it stops. So `within` bounds the work whatever the pattern or schema, without guessing
 * which patterns are dangerous. A call costs a watchdog thread (25–100 µs): batch work into one call.
 *
 * The budgets are CPU time, the time the work keeps the event loop from others: the watchdog counts
 * wall time, so a stop after which the process had used well under the budget (a busy machine did
 * not run this thread, a long GC pause) is retried rather than taken as the work's verdict.
 */
import vm from "node:vm";

const context = vm.createContext({ run: undefined as (() => unknown) | undefined });
const script = new vm.Script("run()");

export type Bounded<T> = { ok: true; value: T } | { ok: false };

/** Runs `fn` for at most `ms` milliseconds; `{ ok: false }` when it was stopped. Errors it throws pass through. */
export function within<T>(ms: number, fn: () => T): Bounded<T> {
  context.run = fn;
  try {
    return { ok: true, value: script.runInContext(context, { timeout: Math.max(1, Math.ceil(ms)) }) as T };
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { ok: false };
    throw e;
  } finally {
    context.run = undefined;
  }
}

/** Process CPU milliseconds (all threads: the main one dominates) since `since`, or in total. */
export function cpuMs(since?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** `within`, but a stop counts only when the work used at least half its budget in CPU time. */
export function withinCpu<T>(ms: number, fn: () => T, tries = 3): Bounded<T> {
  for (let i = 0; i < tries; i++) {
    const start = process.cpuUsage();
    const result = within(ms, fn);
    if (result.ok || cpuMs(start) >= ms / 2) return result;
  }
  return { ok: false };
}
