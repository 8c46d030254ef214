/**
 * The checks a prompt can carry, evaluated against what one run produced (`RunOutcome`). Each
 * returns pass or fail with a reason a person can act on. Pure, except the model-graded check,
 * which asks the `grade` function it is given (lib/client/evaluations/grader.ts).
 *
 * JSON schemas are checked with @cfworker/json-schema, which interprets schemas: ajv compiles them
 * with `new Function`, which the app's Content-Security-Policy forbids in the browser.
 */
import { Validator } from "@cfworker/json-schema";
import { deepestError, MAX_SCHEMA_DEPTH, nestsDeeperThan } from "@/lib/json-schema/meta-schema";
import type { Check, CheckResult, ToolCallSummary, Usage } from "./model";

export interface Citation {
  fileId: string;
  filename?: string | null;
  quote?: string | null;
}

/** What a run produced, as the checks see it. */
export interface RunOutcome {
  /** The run's final status, or null when no run was created. */
  status: string | null;
  lastError: { code: string | null; message: string } | null;
  /** The text of the run's assistant messages, in order, joined by blank lines. */
  text: string;
  usage: Usage | null;
  ttftMs: number | null;
  totalMs: number | null;
  toolCalls: ToolCallSummary[];
  citations: Citation[];
}

export type Grader = (
  check: Extract<Check, { type: "model_graded" }>,
  outcome: RunOutcome,
) => Promise<CheckResult>;

const quote = (s: string, max = 60) => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

export function checkLabel(check: Check): string {
  switch (check.type) {
    case "contains":
      return `contains ${quote(check.value)}`;
    case "not_contains":
      return `does not contain ${quote(check.value)}`;
    case "regex":
      return `matches /${check.pattern}/${check.flags ?? ""}`;
    case "valid_json":
      return "is valid JSON";
    case "json_schema":
      return "matches the JSON schema";
    case "calls_function":
      return `calls ${check.name}${check.argumentsSchema || check.argumentValues ? " with matching arguments" : ""}`;
    case "uses_code_interpreter":
      return "uses code interpreter";
    case "uses_file_search":
      return "uses file search";
    case "cites_file":
      return `cites ${check.file}`;
    case "status":
      return `finishes ${check.status}`;
    case "max_tokens":
      return `at most ${check.tokens} tokens`;
    case "max_seconds":
      return `at most ${check.seconds} s`;
    case "model_graded":
      return `graded by ${check.model} on ${check.connection}`;
  }
}

function result(check: Check, pass: boolean, reason: string): CheckResult {
  return { label: checkLabel(check), type: check.type, pass, reason };
}

/** The answer as JSON: the whole text, or the one fenced ```json block the whole text is. */
export function parseAnswerJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  const source = fenced ? fenced[1]! : trimmed;
  if (source === "") return { ok: false, error: "the answer is empty" };
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** null when `value` is valid against `schema`, else the most specific problem. */
export function schemaProblem(schema: Record<string, unknown>, value: unknown): string | null {
  if (nestsDeeperThan(schema, MAX_SCHEMA_DEPTH))
    return `the schema nests more than ${MAX_SCHEMA_DEPTH} levels`;
  let validator: Validator;
  try {
    validator = new Validator(schema, "2020-12", false);
  } catch (err) {
    return `the schema cannot be used: ${err instanceof Error ? err.message : String(err)}`;
  }
  const outcome = validator.validate(value);
  return outcome.valid ? null : deepestError(outcome.errors);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  return (
    keys.length === Object.keys(bo).length &&
    keys.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]))
  );
}

/** Why one function call's arguments fail the check, or null when they pass. */
function argumentsProblem(
  check: Extract<Check, { type: "calls_function" }>,
  raw: string | undefined,
): string | null {
  if (!check.argumentsSchema && !check.argumentValues) return null;
  let args: unknown;
  try {
    args = JSON.parse(raw ?? "");
  } catch {
    return `its arguments are not JSON: ${quote(raw ?? "")}`;
  }
  if (check.argumentsSchema) {
    const problem = schemaProblem(check.argumentsSchema, args);
    if (problem) return `its arguments do not match the schema (${problem})`;
  }
  if (check.argumentValues) {
    const given = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
    for (const [key, expected] of Object.entries(check.argumentValues)) {
      if (!Object.hasOwn(given, key)) return `its arguments have no ${key}`;
      if (!jsonEqual(given[key], expected))
        return `${key} is ${JSON.stringify(given[key])}, expected ${JSON.stringify(expected)}`;
    }
  }
  return null;
}

function usedTool(outcome: RunOutcome, type: ToolCallSummary["type"]) {
  return outcome.toolCalls.filter((c) => c.type === type).length;
}

function toolList(outcome: RunOutcome): string {
  if (outcome.toolCalls.length === 0) return "no tool was called";
  return `tools called: ${[...new Set(outcome.toolCalls.map((c) => c.name ?? c.type))].join(", ")}`;
}

/** One check against one outcome (the model-graded check goes to `grade`). */
export async function evaluateCheck(check: Check, outcome: RunOutcome, grade?: Grader): Promise<CheckResult> {
  const text = outcome.text;
  switch (check.type) {
    case "contains":
    case "not_contains": {
      const haystack = check.caseSensitive ? text : text.toLowerCase();
      const needle = check.caseSensitive ? check.value : check.value.toLowerCase();
      const at = haystack.indexOf(needle);
      if (check.type === "contains")
        return at >= 0
          ? result(check, true, `found at character ${at}`)
          : result(check, false, `the answer does not contain ${quote(check.value)}`);
      return at < 0
        ? result(check, true, `${quote(check.value)} does not appear`)
        : result(check, false, `the answer contains ${quote(check.value)} at character ${at}`);
    }
    case "regex": {
      let re: RegExp;
      try {
        re = new RegExp(check.pattern, (check.flags ?? "").replace(/[gy]/g, ""));
      } catch (err) {
        return result(
          check,
          false,
          `the pattern is not a valid regular expression: ${(err as Error).message}`,
        );
      }
      const match = re.exec(text);
      return match
        ? result(check, true, `matched ${quote(match[0])}`)
        : result(check, false, `no match for /${check.pattern}/ in the answer`);
    }
    case "valid_json": {
      const parsed = parseAnswerJson(text);
      return parsed.ok
        ? result(check, true, "the answer parses as JSON")
        : result(check, false, `the answer is not valid JSON: ${parsed.error}`);
    }
    case "json_schema": {
      const parsed = parseAnswerJson(text);
      if (!parsed.ok) return result(check, false, `the answer is not valid JSON: ${parsed.error}`);
      const problem = schemaProblem(check.schema, parsed.value);
      return problem
        ? result(check, false, `the answer does not match the schema: ${problem}`)
        : result(check, true, "the answer matches the schema");
    }
    case "calls_function": {
      const calls = outcome.toolCalls.filter((c) => c.type === "function" && c.name === check.name);
      if (calls.length === 0)
        return result(check, false, `${check.name} was not called (${toolList(outcome)})`);
      const problems = calls.map((c) => argumentsProblem(check, c.arguments));
      const passing = problems.indexOf(null);
      if (passing >= 0)
        return result(check, true, `called ${check.name} with ${calls[passing]!.arguments ?? "{}"}`);
      return result(check, false, `${check.name} was called, but ${problems[0]}`);
    }
    case "uses_code_interpreter": {
      const n = usedTool(outcome, "code_interpreter");
      return n > 0
        ? result(check, true, `${n} code interpreter call${n === 1 ? "" : "s"}`)
        : result(check, false, `code interpreter was not used (${toolList(outcome)})`);
    }
    case "uses_file_search": {
      const n = usedTool(outcome, "file_search");
      return n > 0
        ? result(check, true, `${n} file search call${n === 1 ? "" : "s"}`)
        : result(check, false, `file search was not used (${toolList(outcome)})`);
    }
    case "cites_file": {
      const hit = outcome.citations.find((c) => c.fileId === check.file || c.filename === check.file);
      if (hit) return result(check, true, `cited${hit.quote ? ` ${quote(hit.quote)}` : ""}`);
      const cited = [...new Set(outcome.citations.map((c) => c.filename ?? c.fileId))];
      return result(
        check,
        false,
        cited.length ? `${check.file} is not cited (cited: ${cited.join(", ")})` : "the answer cites no file",
      );
    }
    case "status":
      return outcome.status === check.status
        ? result(check, true, `the run finished ${check.status}`)
        : result(
            check,
            false,
            outcome.status
              ? `the run finished ${outcome.status}${outcome.lastError ? ` (${outcome.lastError.code ?? "error"}: ${outcome.lastError.message})` : ""}`
              : "no run was created",
          );
    case "max_tokens":
      if (!outcome.usage) return result(check, false, "the run reported no token usage");
      return outcome.usage.total_tokens <= check.tokens
        ? result(check, true, `${outcome.usage.total_tokens} tokens`)
        : result(check, false, `${outcome.usage.total_tokens} tokens, over ${check.tokens}`);
    case "max_seconds": {
      if (outcome.totalMs === null) return result(check, false, "the run's time was not measured");
      const s = (outcome.totalMs / 1000).toFixed(2);
      return outcome.totalMs <= check.seconds * 1000
        ? result(check, true, `${s} s`)
        : result(check, false, `${s} s, over ${check.seconds} s`);
    }
    case "model_graded":
      if (!grade) return result(check, false, "no grader is available here");
      try {
        return await grade(check, outcome);
      } catch (err) {
        return result(check, false, `the grader failed: ${err instanceof Error ? err.message : String(err)}`);
      }
  }
}

/** Every check of a prompt, in order. A run that never started fails them all with its error. */
export async function evaluateChecks(
  checks: readonly Check[],
  outcome: RunOutcome,
  grade?: Grader,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await evaluateCheck(check, outcome, grade));
  return results;
}

/**
 * What a grader's answer says: `{"pass": true|false, "reason": "…"}` (possibly fenced), else a first
 * word PASS or FAIL. null when it says neither.
 */
export function readVerdict(answer: string): { pass: boolean; reason: string } | null {
  const parsed = parseAnswerJson(answer);
  if (parsed.ok && typeof parsed.value === "object" && parsed.value !== null) {
    const v = parsed.value as { pass?: unknown; reason?: unknown };
    if (typeof v.pass === "boolean")
      return {
        pass: v.pass,
        reason: typeof v.reason === "string" && v.reason ? v.reason : "(no reason given)",
      };
  }
  const word = /^\W*(pass|fail)\b[\s:.,-]*([\s\S]*)$/i.exec(answer.trim());
  if (word)
    return { pass: word[1]!.toLowerCase() === "pass", reason: word[2]!.trim() || "(no reason given)" };
  return null;
}
