import { describe, expect, it } from "vitest";
import { within, withinCpu } from "./budget";

// Work that would outlast its budget is bounded (2 s, 2^30 backtracking steps) so that a broken
// `within` fails these tests instead of hanging them.

/** Keeps the CPU busy for `ms`. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Blocks this thread without using the CPU, as an OS that does not run it would. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe("within", () => {
  it("stops work that runs past its time, even a backtracking RegExp, and passes results and errors through", () => {
    const start = performance.now();
    expect(within(20, () => /^(a+)+$/.test(`${"a".repeat(30)}!`))).toEqual({ ok: false });
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(within(20, () => /^(a+)+$/.test("aaa"))).toEqual({ ok: true, value: true });
    expect(() =>
      within(20, () => {
        throw new TypeError("boom");
      }),
    ).toThrow(TypeError);
  });

  it("cannot be swallowed by a try/catch in the work it stops", () => {
    const result = within(20, () => {
      try {
        spin(2_000);
      } catch {
        return "caught";
      }
    });
    expect(result).toEqual({ ok: false });
  });
});

describe("withinCpu", () => {
  it("gives up on work that never finishes, after at most `tries` attempts", () => {
    let calls = 0;
    const result = withinCpu(20, () => {
      calls++;
      spin(2_000);
    });
    expect(result).toEqual({ ok: false });
    // One when this thread had the CPU to itself; a loaded machine can cost a retry or two.
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it("retries a stop during which the thread did not run (a busy machine), so the verdict stays the work's", () => {
    let calls = 0;
    const result = withinCpu(20, () => {
      calls++;
      if (calls === 1) sleepSync(200);
      return "done";
    });
    expect(result).toEqual({ ok: true, value: "done" });
    expect(calls).toBe(2);
  });
});
