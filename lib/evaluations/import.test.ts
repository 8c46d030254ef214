import { describe, expect, it } from "vitest";
import { describeProblem, importCsv, importJsonl, importPrompts, parseCsv } from "./import";

describe("parseCsv", () => {
  it("reads quotes, doubled quotes, newlines inside quotes, CRLF and a BOM", () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","line 1\nline 2"\r\n')).toEqual([
      ["a", "b"],
      ['x, "y"', "line 1\nline 2"],
    ]);
  });
  it("refuses an unclosed quote and a stray quote", () => {
    expect(() => parseCsv('a\n"open')).toThrow("a quoted cell is never closed");
    expect(() => parseCsv('a\nab"c')).toThrow("a quote inside an unquoted cell");
  });
});

describe("importCsv", () => {
  it("turns columns into checks", () => {
    const result = importCsv(
      [
        "id,prompt,contains,not_contains,regex,valid_json,calls_function,function_arguments,uses_code_interpreter,status,max_tokens,max_seconds,cites_file,attachments",
        'weather,What is the weather in Lisbon?,,,,,get_weather,"{""city"": ""Lisbon""}",,requires_action,,,,',
        "chart,Plot a sine wave,sine,error,^\\s*#,no,,,yes,completed,5000,30,,assistant-1 assistant-2",
        "cite,What does the handbook say?,,,,,,,,,,,handbook.md,",
      ].join("\n"),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.prompts.map((p) => p.id)).toEqual(["weather", "chart", "cite"]);
    expect(result.prompts[0]!.checks).toEqual([
      { type: "calls_function", name: "get_weather", argumentValues: { city: "Lisbon" } },
      { type: "status", status: "requires_action" },
    ]);
    expect(result.prompts[1]!.checks.map((c) => c.type)).toEqual([
      "contains",
      "not_contains",
      "regex",
      "uses_code_interpreter",
      "status",
      "max_tokens",
      "max_seconds",
    ]);
    expect(result.prompts[1]!.attachments).toEqual([
      { file_id: "assistant-1", tools: ["file_search"] },
      { file_id: "assistant-2", tools: ["file_search"] },
    ]);
    expect(result.prompts[2]!.checks).toEqual([{ type: "cites_file", file: "handbook.md" }]);
  });

  it("gives ids to prompts without one", () => {
    const result = importCsv("prompt\nHello\nGoodbye\n");
    expect(result.ok && result.prompts.map((p) => p.id.startsWith("p_"))).toEqual([true, true]);
  });

  it("reports every bad row with its row and column, and imports nothing", () => {
    const result = importCsv(
      [
        "prompt,max_tokens,status,regex,json_schema",
        "Good row,100,completed,,",
        "Bad number,lots,,,",
        "Bad status,,finished,,",
        ",,,,",
        "Bad regex,,,(oops,",
        'Bad schema,,,,"{not json"',
        "Too,many,cells,here,now,extra",
        "   ,10,,,",
      ].join("\n"),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map((p) => describeProblem(p, "row"));
    expect(lines[0]).toBe('row 3, column max_tokens: expected a positive number, got "lots"');
    expect(lines[1]).toMatch(/^row 4, column status: check 1 \(status\): status: /);
    expect(lines[2]).toMatch(/^row 6, column regex: not a valid regular expression: /);
    expect(lines[3]).toMatch(/^row 7, column json_schema: not valid JSON: /);
    expect(lines[4]).toBe("row 8: 6 cells, the header has 5");
    expect(lines[5]).toBe("row 9, column prompt: the prompt is empty");
    expect(lines).toHaveLength(6); // row 5 is empty and skipped
  });

  it("refuses unknown and repeated columns, and a header without a prompt", () => {
    const typo = importCsv("prompt,contians\nHi,x\n");
    expect(typo.ok || typo.problems[0]).toMatchObject({ row: 1, column: "contians" });
    const twice = importCsv("prompt,contains,contains\nHi,a,b\n");
    expect(twice.ok || twice.problems[0]).toMatchObject({
      row: 1,
      column: "contains",
      message: "the column appears twice",
    });
    const none = importCsv("contains\nx\n");
    expect(none.ok || none.problems[0]!.message).toBe("the header has no prompt column");
  });

  it("refuses duplicate ids, an empty file and an unclosed quote", () => {
    const dup = importCsv("id,prompt\na,one\na,two\n");
    expect(dup.ok || describeProblem(dup.problems[0]!, "row")).toBe(
      "row 3, column id: the id a is also on 2",
    );
    const empty = importCsv("prompt\n");
    expect(empty.ok || empty.problems[0]!.message).toBe("the file has no prompts");
    const open = importCsv('prompt\nfine\n"never closed\n');
    expect(open.ok || open.problems[0]).toMatchObject({ row: 3, message: "a quoted cell is never closed" });
  });
});

describe("importJsonl", () => {
  it("reads objects, plain strings and the stored form", () => {
    const result = importJsonl(
      [
        '{"id": "a", "prompt": "Plot x^2", "uses_code_interpreter": true, "checks": [{"type": "max_seconds", "seconds": 20}]}',
        '"Just a question"',
        "",
        '{"id": "b", "text": "Weather?", "functionOutputs": {"get_weather": "{\\"temp\\": 21}"}, "checks": [{"type": "status", "status": "completed"}]}',
      ].join("\n"),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.prompts).toHaveLength(3);
    expect(result.prompts[0]!.checks).toEqual([
      { type: "uses_code_interpreter" },
      { type: "max_seconds", seconds: 20 },
    ]);
    expect(result.prompts[2]!.functionOutputs).toEqual({ get_weather: '{"temp": 21}' });
  });

  it("names the line and the key of every problem, and imports nothing", () => {
    const result = importJsonl(
      [
        '{"prompt": "ok"}',
        "{not json}",
        "[1, 2]",
        '{"prompt": "x", "checks": [{"type": "contains"}]}',
        '{"prompt": "x", "checks": [{"type": "sounds_good"}]}',
        '{"prompt": "x", "attachments": [{"tools": ["file_search"]}]}',
        '{"prompt": 42, "max_seconds": -1}',
      ].join("\n"),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map((p) => describeProblem(p, "line"));
    expect(lines[0]).toMatch(/^line 2: not valid JSON: /);
    expect(lines[1]).toBe("line 3: expected a JSON object (or a string) per line");
    expect(lines[2]).toMatch(/^line 4, column checks: check 1 \(contains\): value: /);
    expect(lines[3]).toMatch(/^line 5, column checks: check 1 \(sounds_good\): type: /);
    expect(lines[4]).toMatch(/^line 6, column attachments: 0\.file_id: /);
    expect(lines[5]).toBe('line 7, column max_seconds: expected a positive number, got "-1"');
    expect(lines).toHaveLength(6);
  });
});

it("chooses the format by file name", () => {
  expect(importPrompts("set.csv", "prompt\nhello\n").ok).toBe(true);
  expect(importPrompts("set.jsonl", '{"prompt": "hello"}\n').ok).toBe(true);
  expect(importPrompts("set.txt", '{"prompt": "hello"}').ok).toBe(true);
});
