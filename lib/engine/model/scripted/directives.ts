/**
 * Test and demo directives: `[[name]]` or `[[name:arg]]` anywhere in the latest user message,
 * case-insensitive. Unknown names are ignored (and left in the text), so a message that merely
 * contains double brackets is not misread.
 */

export type FailCode = "server_error" | "rate_limit_exceeded" | "invalid_prompt";
export type IncompleteReason = "max_completion_tokens" | "max_prompt_tokens";

export interface Directives {
  fail?: { code: FailCode };
  expire?: true;
  incomplete?: { reason: IncompleteReason };
  /** Milliseconds to wait before each streamed delta. */
  slowMs?: number;
  /** `[[429]]`: admission refused with this retry-after. */
  rateLimit?: { retryAfterSeconds: number };
  /** `[[tokens:N]]`: a long answer of exactly N word-sized deltas. */
  tokens?: number;
  /** The message with the recognised directives removed (whitespace tidied). */
  text: string;
}

const FAIL_CODES: readonly FailCode[] = ["server_error", "rate_limit_exceeded", "invalid_prompt"];
const INCOMPLETE_REASONS: readonly IncompleteReason[] = ["max_completion_tokens", "max_prompt_tokens"];

/** Upper bounds keep a typo such as `[[slow:600000]]` from hanging a test run for minutes. */
export const MAX_SLOW_MS = 60_000;
export const MAX_TOKENS = 100_000;
export const MAX_RETRY_AFTER_SECONDS = 3_600;

const DIRECTIVE = /\[\[\s*([a-z0-9_]+)\s*(?::\s*([^\]\s]*)\s*)?\]\]/gi;

function nonNegativeInt(arg: string | undefined, fallback: number, max: number): number {
  if (arg === undefined || arg === "") return fallback;
  if (!/^\d+(\.\d+)?$/.test(arg)) return fallback;
  return Math.min(Math.round(Number(arg)), max);
}

export function parseDirectives(text: string): Directives {
  const out: Directives = { text };
  const cleaned = text.replace(DIRECTIVE, (whole, rawName: string, rawArg: string | undefined) => {
    const name = rawName.toLowerCase();
    const arg = rawArg?.toLowerCase();
    switch (name) {
      case "fail": {
        const code = FAIL_CODES.find((c) => c === arg) ?? "server_error";
        out.fail = { code };
        return "";
      }
      case "expire":
        out.expire = true;
        return "";
      case "incomplete": {
        const reason = INCOMPLETE_REASONS.find((r) => r === arg) ?? "max_completion_tokens";
        out.incomplete = { reason };
        return "";
      }
      case "slow":
        out.slowMs = nonNegativeInt(arg, 250, MAX_SLOW_MS);
        return "";
      case "429":
        out.rateLimit = { retryAfterSeconds: Math.max(1, nonNegativeInt(arg, 1, MAX_RETRY_AFTER_SECONDS)) };
        return "";
      case "tokens":
        out.tokens = nonNegativeInt(arg, 100, MAX_TOKENS);
        return "";
      default:
        return whole;
    }
  });
  out.text = cleaned.replace(/[ \t]{2,}/g, " ").trim();
  return out;
}
