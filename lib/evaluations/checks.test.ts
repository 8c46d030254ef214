import { describe, expect, it, vi } from "vitest";
import { evaluateCheck, evaluateChecks, parseAnswerJson, readVerdict, type RunOutcome } from "./checks";
import type { Check } from "./model";

function outcome(over: Partial<RunOutcome> = {}): RunOutcome {
  return {
    status: "completed",
    lastError: null,
    text: "The capital of France is Paris.",
    usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 },
    ttftMs: 120,
    totalMs: 900,
    toolCalls: [],
    citations: [],
    ...over,
  };
}

async function check(c: Check, o: RunOutcome = outcome()) {
  return evaluateCheck(c, o);
}

describe("contains / does not contain", () => {
  it("passes when the text is there, case-insensitively by default", async () => {
    expect(await check({ type: "contains", value: "paris" })).toMatchObject({
      pass: true,
      reason: "found at character 25",
    });
  });
  it("fails naming the missing text; case-sensitive when asked", async () => {
    expect(await check({ type: "contains", value: "Berlin" })).toMatchObject({
      pass: false,
      reason: 'the answer does not contain "Berlin"',
    });
    expect(await check({ type: "contains", value: "paris", caseSensitive: true })).toMatchObject({
      pass: false,
    });
  });
  it("does not contain: passes when absent, fails naming where it appears", async () => {
    expect(await check({ type: "not_contains", value: "Berlin" })).toMatchObject({ pass: true });
    expect(await check({ type: "not_contains", value: "France" })).toMatchObject({
      pass: false,
      reason: 'the answer contains "France" at character 15',
    });
  });
});

describe("regex", () => {
  it("passes with the match", async () => {
    expect(await check({ type: "regex", pattern: "capital of (\\w+)" })).toMatchObject({
      pass: true,
      reason: 'matched "capital of France"',
    });
  });
  it("fails with no match, and with an invalid pattern saying so", async () => {
    expect(await check({ type: "regex", pattern: "^\\d+$" })).toMatchObject({
      pass: false,
      reason: "no match for /^\\d+$/ in the answer",
    });
    const bad = await check({ type: "regex", pattern: "(unclosed" });
    expect(bad.pass).toBe(false);
    expect(bad.reason).toMatch(/^the pattern is not a valid regular expression: /);
  });
  it("honours flags", async () => {
    expect(await check({ type: "regex", pattern: "PARIS", flags: "i" })).toMatchObject({ pass: true });
    expect(await check({ type: "regex", pattern: "PARIS" })).toMatchObject({ pass: false });
  });
});

describe("valid JSON and JSON schema", () => {
  const json = outcome({ text: '{"city": "Paris", "population": 2100000}' });
  it("valid JSON passes for an object and a fenced block, fails with the parser's reason", async () => {
    expect(await check({ type: "valid_json" }, json)).toMatchObject({ pass: true });
    expect(await check({ type: "valid_json" }, outcome({ text: '```json\n{"a": 1}\n```' }))).toMatchObject({
      pass: true,
    });
    const r = await check({ type: "valid_json" });
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/^the answer is not valid JSON: /);
    expect((await check({ type: "valid_json" }, outcome({ text: "  " }))).reason).toBe(
      "the answer is not valid JSON: the answer is empty",
    );
  });
  it("JSON schema passes when valid and names the failing property otherwise", async () => {
    const schema = {
      type: "object",
      required: ["city", "population"],
      properties: { city: { type: "string" }, population: { type: "integer", maximum: 1000000 } },
    };
    const r = await check({ type: "json_schema", schema }, json);
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/^the answer does not match the schema: \/population: /);
    expect(
      await check(
        { type: "json_schema", schema: { ...schema, properties: { city: { type: "string" } } } },
        json,
      ),
    ).toMatchObject({
      pass: true,
    });
    expect((await check({ type: "json_schema", schema })).reason).toMatch(/^the answer is not valid JSON/);
  });
});

describe("calls function", () => {
  const called = outcome({
    toolCalls: [
      { type: "function", name: "get_weather", arguments: '{"city":"Lisbon","unit":"celsius"}' },
      { type: "code_interpreter" },
    ],
  });
  it("passes when called, with matching values or schema", async () => {
    expect(await check({ type: "calls_function", name: "get_weather" }, called)).toMatchObject({
      pass: true,
    });
    expect(
      await check(
        { type: "calls_function", name: "get_weather", argumentValues: { city: "Lisbon" } },
        called,
      ),
    ).toMatchObject({ pass: true });
    expect(
      await check(
        {
          type: "calls_function",
          name: "get_weather",
          argumentsSchema: { type: "object", required: ["city"] },
        },
        called,
      ),
    ).toMatchObject({ pass: true });
  });
  it("fails when not called (listing what was), or with wrong values, missing keys, schema mismatch, bad JSON", async () => {
    expect(await check({ type: "calls_function", name: "book_flight" }, called)).toMatchObject({
      pass: false,
      reason: "book_flight was not called (tools called: get_weather, code_interpreter)",
    });
    expect(await check({ type: "calls_function", name: "book_flight" })).toMatchObject({
      reason: "book_flight was not called (no tool was called)",
    });
    expect(
      await check({ type: "calls_function", name: "get_weather", argumentValues: { city: "Paris" } }, called),
    ).toMatchObject({
      pass: false,
      reason: 'get_weather was called, but city is "Lisbon", expected "Paris"',
    });
    expect(
      await check({ type: "calls_function", name: "get_weather", argumentValues: { days: 3 } }, called),
    ).toMatchObject({ pass: false, reason: "get_weather was called, but its arguments have no days" });
    const schema = await check(
      {
        type: "calls_function",
        name: "get_weather",
        argumentsSchema: { type: "object", properties: { unit: { enum: ["fahrenheit"] } } },
      },
      called,
    );
    expect(schema.pass).toBe(false);
    expect(schema.reason).toMatch(
      /^get_weather was called, but its arguments do not match the schema \(\/unit: /,
    );
    const broken = outcome({ toolCalls: [{ type: "function", name: "f", arguments: "{oops" }] });
    expect(
      await check({ type: "calls_function", name: "f", argumentValues: { a: 1 } }, broken),
    ).toMatchObject({
      pass: false,
      reason: 'f was called, but its arguments are not JSON: "{oops"',
    });
  });
});

describe("tools used and citations", () => {
  it("code interpreter and file search pass when used, fail otherwise", async () => {
    const used = outcome({ toolCalls: [{ type: "code_interpreter" }, { type: "file_search" }] });
    expect(await check({ type: "uses_code_interpreter" }, used)).toMatchObject({
      pass: true,
      reason: "1 code interpreter call",
    });
    expect(await check({ type: "uses_file_search" }, used)).toMatchObject({ pass: true });
    expect(await check({ type: "uses_code_interpreter" })).toMatchObject({
      pass: false,
      reason: "code interpreter was not used (no tool was called)",
    });
    expect(
      await check({ type: "uses_file_search" }, outcome({ toolCalls: [{ type: "code_interpreter" }] })),
    ).toMatchObject({
      pass: false,
      reason: "file search was not used (tools called: code_interpreter)",
    });
  });
  it("cites a file by id or by name; fails listing what was cited", async () => {
    const cited = outcome({
      citations: [{ fileId: "assistant-abc", filename: "handbook.md", quote: "Leave is 25 days" }],
    });
    expect(await check({ type: "cites_file", file: "handbook.md" }, cited)).toMatchObject({ pass: true });
    expect(await check({ type: "cites_file", file: "assistant-abc" }, cited)).toMatchObject({ pass: true });
    expect(await check({ type: "cites_file", file: "policy.pdf" }, cited)).toMatchObject({
      pass: false,
      reason: "policy.pdf is not cited (cited: handbook.md)",
    });
    expect(await check({ type: "cites_file", file: "policy.pdf" })).toMatchObject({
      pass: false,
      reason: "the answer cites no file",
    });
  });
});

describe("status, tokens, time", () => {
  it("status passes on a match and fails naming the status and the run's error", async () => {
    expect(await check({ type: "status", status: "completed" })).toMatchObject({ pass: true });
    expect(
      await check(
        { type: "status", status: "completed" },
        outcome({ status: "failed", lastError: { code: "rate_limit_exceeded", message: "Slow down" } }),
      ),
    ).toMatchObject({ pass: false, reason: "the run finished failed (rate_limit_exceeded: Slow down)" });
    expect(await check({ type: "status", status: "completed" }, outcome({ status: null }))).toMatchObject({
      reason: "no run was created",
    });
  });
  it("tokens: at most N passes, more fails with the count; no usage fails", async () => {
    expect(await check({ type: "max_tokens", tokens: 50 })).toMatchObject({
      pass: true,
      reason: "50 tokens",
    });
    expect(await check({ type: "max_tokens", tokens: 49 })).toMatchObject({
      pass: false,
      reason: "50 tokens, over 49",
    });
    expect(await check({ type: "max_tokens", tokens: 49 }, outcome({ usage: null }))).toMatchObject({
      pass: false,
      reason: "the run reported no token usage",
    });
  });
  it("seconds: at most T passes, more fails with the time; unmeasured fails", async () => {
    expect(await check({ type: "max_seconds", seconds: 1 })).toMatchObject({ pass: true, reason: "0.90 s" });
    expect(await check({ type: "max_seconds", seconds: 0.5 })).toMatchObject({
      pass: false,
      reason: "0.90 s, over 0.5 s",
    });
    expect(await check({ type: "max_seconds", seconds: 1 }, outcome({ totalMs: null }))).toMatchObject({
      pass: false,
    });
  });
});

describe("graded by a model", () => {
  const graded: Check = {
    type: "model_graded",
    rubric: "Names the capital",
    connection: "local",
    apiVersion: "2024-05-01-preview",
    model: "gpt-4o",
  };
  it("asks the grader and keeps its verdict", async () => {
    const grade = vi.fn(async () => ({
      label: "x",
      type: "model_graded",
      pass: true,
      reason: "grader: it does",
    }));
    expect(await evaluateCheck(graded, outcome(), grade)).toMatchObject({
      pass: true,
      reason: "grader: it does",
    });
    expect(grade).toHaveBeenCalledOnce();
  });
  it("fails without a grader, or when the grader throws", async () => {
    expect(await evaluateCheck(graded, outcome())).toMatchObject({
      pass: false,
      reason: "no grader is available here",
    });
    const r = await evaluateCheck(graded, outcome(), async () => {
      throw new Error("429 Too Many Requests");
    });
    expect(r).toMatchObject({
      pass: false,
      reason: "the grader failed: 429 Too Many Requests",
      label: "graded by gpt-4o on local",
    });
  });
  it("reads verdicts as JSON or a first word, and nothing else", () => {
    expect(readVerdict('{"pass": false, "reason": "wrong city"}')).toEqual({
      pass: false,
      reason: "wrong city",
    });
    expect(readVerdict("PASS: it names Paris")).toEqual({ pass: true, reason: "it names Paris" });
    expect(readVerdict('{"question": "q", "answer": "a"}')).toBeNull();
    expect(readVerdict("It passes, I think")).toBeNull();
  });
});

it("evaluates every check in order", async () => {
  const results = await evaluateChecks(
    [
      { type: "contains", value: "Paris" },
      { type: "status", status: "failed" },
    ],
    outcome(),
  );
  expect(results.map((r) => r.pass)).toEqual([true, false]);
  expect(parseAnswerJson("[1, 2]")).toEqual({ ok: true, value: [1, 2] });
});
