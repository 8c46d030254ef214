import { describe, expect, it } from "vitest";
import type { Cell, Configuration, EvaluationRun } from "./model";
import { parseCsv } from "./import";
import { configurationRows, csvCell, diffRuns, exportCsv, fitRecord, planRerun, totalsOf } from "./report";

const config = (id: string, label: string, over: Partial<Configuration> = {}): Configuration => ({
  id,
  label,
  connection: "local",
  apiVersion: "2024-05-01-preview",
  assistantId: "asst_1",
  overrides: {},
  ...over,
});

const cell = (promptId: string, configurationId: string, over: Partial<Cell> = {}): Cell => ({
  promptId,
  configurationId,
  verdict: "passed",
  threadId: `thread_${promptId}`,
  runId: `run_${promptId}`,
  runStatus: "completed",
  text: "answer",
  usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  ttftMs: 50,
  totalMs: 1000,
  toolCalls: [],
  checks: [{ label: 'contains "a"', type: "contains", pass: true, reason: "found at character 0" }],
  error: null,
  ...over,
});

function run(
  id: string,
  cells: Cell[],
  configurations = [config("c1", "A"), config("c2", "B")],
): EvaluationRun {
  return {
    id,
    promptSetId: "set_1",
    promptSetName: "Demo",
    prompts: [
      { id: "p1", text: "=SUM(A1:A9), a formula", attachments: [], checks: [] },
      { id: "p2", text: "second", attachments: [], checks: [] },
    ],
    configurations,
    cells,
    status: "completed",
    started_at: 1,
    finished_at: 2,
  };
}

describe("exportCsv", () => {
  it("has one row per prompt × configuration with the failing checks' reasons, and reads back", () => {
    const failed = cell("p2", "c2", {
      verdict: "failed",
      checks: [
        {
          label: 'contains "Paris"',
          type: "contains",
          pass: false,
          reason: 'the answer does not contain "Paris"',
        },
      ],
      text: 'He said "hi",\nthen left',
    });
    const csv = exportCsv(run("r1", [cell("p1", "c1"), cell("p1", "c2"), cell("p2", "c1"), failed]));
    const rows = parseCsv(csv.trimEnd());
    expect(rows).toHaveLength(5);
    const header = rows[0]!;
    const at = (row: string[], col: string) => row[header.indexOf(col)];
    expect(at(rows[1]!, "prompt")).toBe("'=SUM(A1:A9), a formula");
    expect(at(rows[4]!, "configuration")).toBe("B");
    expect(at(rows[4]!, "verdict")).toBe("failed");
    expect(at(rows[4]!, "failed_checks")).toBe('contains "Paris": the answer does not contain "Paris"');
    expect(at(rows[4]!, "answer")).toBe('He said "hi",\nthen left');
    expect(at(rows[4]!, "total_tokens")).toBe("20");
  });
  it("neutralises formulas in text cells only", () => {
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell("plain")).toBe("plain");
  });
});

describe("diffRuns", () => {
  it("finds newly failing, newly passing, slower and costlier cells, matching configurations by id or label", () => {
    const before = run("r1", [
      cell("p1", "c1"),
      cell("p2", "c1", { verdict: "failed" }),
      cell("p1", "c2"),
      cell("p2", "c2"),
    ]);
    const after = run(
      "r2",
      [
        cell("p1", "x1", { verdict: "failed" }),
        cell("p2", "x1"),
        cell("p1", "c2", { totalMs: 1500 }),
        cell("p2", "c2", {
          usage: { prompt_tokens: 10, completion_tokens: 30, total_tokens: 40 },
          totalMs: 1100,
        }),
      ],
      [config("x1", "A"), config("c2", "B")],
    );
    const diff = diffRuns(before, after);
    expect(diff.newlyFailing.map((c) => `${c.promptId}/${c.configuration}`)).toEqual(["p1/A"]);
    expect(diff.newlyPassing.map((c) => `${c.promptId}/${c.configuration}`)).toEqual(["p2/A"]);
    expect(diff.slower.map((c) => c.promptId)).toEqual(["p1"]); // +10 % and 100 ms is not slower
    expect(diff.costlier.map((c) => c.promptId)).toEqual(["p2"]);
    expect(diff.unmatched).toBe(0);
    expect(diff.before).toMatchObject({ passed: 3, failed: 1 });
    expect(totalsOf(after.cells)).toMatchObject({ passed: 3, failed: 1, tokens: 100 });
  });
  it("counts cells with no counterpart", () => {
    const diff = diffRuns(run("r1", [cell("p1", "c1")]), run("r2", [cell("p1", "c1"), cell("p2", "c1")]));
    expect(diff.unmatched).toBe(1);
  });
});

it("configurationRows: effective values, overrides over the assistant's, and which differ", () => {
  const assistants = new Map([
    [
      "local/asst_1",
      {
        name: "Data Visualization",
        model: "gpt-4o",
        instructions: "Be brief.",
        temperature: 1,
        tools: [{ type: "code_interpreter" }],
      },
    ],
  ]);
  const rows = configurationRows(
    [config("c1", "A"), config("c2", "B", { overrides: { temperature: 0.2, instructions: "Be brief." } })],
    assistants,
  );
  const byField = Object.fromEntries(rows.map((r) => [r.field, r]));
  expect(byField.temperature).toEqual({ field: "temperature", values: ["1", "0.2"], differs: true });
  expect(byField.instructions!.differs).toBe(false);
  expect(byField.tools!.values).toEqual(
    ["code_interpreter", "code_interpreter"].map((t) => t.replace("_", " ")),
  );
  expect(byField.assistant!.values[0]).toBe("Data Visualization · asst_1");
});

it("fitRecord shortens answers so the record fits, and leaves a small one alone", () => {
  const cells = Array.from({ length: 40 }, (_, i) =>
    cell(i % 2 ? "p1" : "p2", `c${i}`, { text: "é".repeat(10_000) }),
  );
  const big = run("r1", cells);
  const size = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
  expect(size(big)).toBeGreaterThan(500_000);
  const fitted = fitRecord(big, 200_000);
  expect(size(fitted)).toBeLessThanOrEqual(200_000);
  expect(fitted.cells[0]!.text.length).toBeGreaterThan(500);
  expect(fitted.cells[0]!.text.endsWith("…")).toBe(true);
  const small = run("r2", [cell("p1", "c1")]);
  expect(fitRecord(small, 200_000)).toBe(small);
});

describe("planRerun", () => {
  it("keeps the passed cells, marked with their first run, and runs the failed and missing ones again", () => {
    const earlier = cell("p1", "c1", { copiedFrom: "run_0" });
    const source = run("run_1", [earlier, cell("p1", "c2"), cell("p2", "c1", { verdict: "error" })]);
    const plan = planRerun(source, "run_2", 99);
    expect(plan?.todo).toEqual([
      { promptId: "p2", configurationId: "c1" },
      { promptId: "p2", configurationId: "c2" },
    ]);
    expect(plan?.record).toMatchObject({
      id: "run_2",
      status: "running",
      started_at: 99,
      finished_at: null,
      rerunOf: "run_1",
      prompts: source.prompts,
      configurations: source.configurations,
    });
    expect(plan?.record.cells.map((c) => [c.promptId, c.configurationId, c.copiedFrom])).toEqual([
      ["p1", "c1", "run_0"],
      ["p1", "c2", "run_1"],
    ]);
  });

  it("is null when every cell passed", () => {
    const all = ["p1", "p2"].flatMap((p) => ["c1", "c2"].map((c) => cell(p, c)));
    expect(planRerun(run("run_1", all), "run_2", 99)).toBeNull();
  });
});
