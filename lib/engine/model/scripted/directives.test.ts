import { describe, expect, it } from "vitest";
import { MAX_SLOW_MS, parseDirectives } from "./directives";

describe("parseDirectives", () => {
  it("finds nothing in an ordinary message", () => {
    expect(parseDirectives("Create a visualization of a sinewave")).toEqual({
      text: "Create a visualization of a sinewave",
    });
  });

  it("parses fail with and without a code", () => {
    expect(parseDirectives("please [[fail]]").fail).toEqual({ code: "server_error" });
    expect(parseDirectives("[[fail:rate_limit_exceeded]] hi").fail).toEqual({ code: "rate_limit_exceeded" });
    expect(parseDirectives("[[fail:invalid_prompt]]").fail).toEqual({ code: "invalid_prompt" });
    expect(parseDirectives("[[fail:nonsense]]").fail).toEqual({ code: "server_error" });
  });

  it("parses expire, incomplete and its reason", () => {
    expect(parseDirectives("[[expire]]").expire).toBe(true);
    expect(parseDirectives("[[incomplete]]").incomplete).toEqual({ reason: "max_completion_tokens" });
    expect(parseDirectives("[[incomplete:max_prompt_tokens]]").incomplete).toEqual({
      reason: "max_prompt_tokens",
    });
  });

  it("parses slow, 429 and tokens with numbers and defaults", () => {
    expect(parseDirectives("[[slow:40]]").slowMs).toBe(40);
    expect(parseDirectives("[[slow:999999999]]").slowMs).toBe(MAX_SLOW_MS);
    expect(parseDirectives("[[429]]").rateLimit).toEqual({ retryAfterSeconds: 1 });
    expect(parseDirectives("[[429:7]]").rateLimit).toEqual({ retryAfterSeconds: 7 });
    expect(parseDirectives("[[tokens:300]]").tokens).toBe(300);
  });

  it("is case-insensitive, works anywhere, and strips what it recognised", () => {
    const d = parseDirectives(
      "Tell me [[SLOW:10]] a story [[Tokens:5]] about [[unknown:x]] cats [[FAIL:RATE_LIMIT_EXCEEDED]]",
    );
    expect(d.slowMs).toBe(10);
    expect(d.tokens).toBe(5);
    expect(d.fail).toEqual({ code: "rate_limit_exceeded" });
    expect(d.text).toBe("Tell me a story about [[unknown:x]] cats");
  });

  it("ignores malformed numbers rather than guessing", () => {
    expect(parseDirectives("[[slow:abc]]").slowMs).toBe(250);
    expect(parseDirectives("[[tokens:-5]]").tokens).toBe(100);
  });
});
