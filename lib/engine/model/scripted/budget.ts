/**
 * A hard time bound for synchronous work on user input: a JSON Schema `pattern` run against the
 * user's words, or the whole sampling of a user's schema.
 *
 * JavaScript cannot stop a running RegExp or loop from the same thread, but V8 can: Node's `vm`
 * timeout arms a watchdog thread that terminates whatever JavaScript runs past the deadline —
 * including a backtracking RegExp (irregexp checks for interrupts while it backtracks) and
 * functions of this realm called from the script — and the termination cannot be caught by the
 * code it stops. So `within` bounds the work whatever the pattern or schema, without guessing
 * which patterns are dangerous. A call costs a watchdog thread (~25 µs): batch work into one call.
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
