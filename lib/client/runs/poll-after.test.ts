import { describe, expect, it } from "vitest";
import { POLL_DEFAULT_MS, POLL_MAX_MS, POLL_MIN_MS, pollDelayMs } from "./poll-after";

const headers = (value?: string) => new Headers(value === undefined ? {} : { "openai-poll-after-ms": value });

describe("pollDelayMs", () => {
  it("uses the upstream's openai-poll-after-ms", () => {
    expect(pollDelayMs(headers("1200"))).toBe(1200);
  });

  it("keeps it within bounds", () => {
    expect(pollDelayMs(headers("5"))).toBe(POLL_MIN_MS);
    expect(pollDelayMs(headers("600000"))).toBe(POLL_MAX_MS);
  });

  it("falls back to the default without a usable value", () => {
    for (const value of [undefined, "", "soon", "-5", "1.5e3"])
      expect(pollDelayMs(headers(value))).toBe(POLL_DEFAULT_MS);
    expect(pollDelayMs(undefined)).toBe(POLL_DEFAULT_MS);
  });
});
