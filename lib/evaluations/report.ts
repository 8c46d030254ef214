/**
 * Reading results: a run's totals, its export as CSV or JSON, what changed between two runs of a
 * set, and how configurations differ from one another.
 */
import type { Cell, Configuration, EvaluationRun, EvaluationTool, Overrides } from "./model";

// ── totals ───────────────────────────────────────────────────────────────────

export interface Totals {
  cells: number;
  passed: number;
  failed: number;
  errors: number;
  cancelled: number;
  tokens: number;
  /** Summed run time of the cells that ran, in ms. */
  totalMs: number;
}

export function totalsOf(cells: readonly Cell[]): Totals {
  const t: Totals = {
    cells: cells.length,
    passed: 0,
    failed: 0,
    errors: 0,
    cancelled: 0,
    tokens: 0,
    totalMs: 0,
  };
  for (const c of cells) {
    if (c.verdict === "passed") t.passed++;
    else if (c.verdict === "failed") t.failed++;
    else if (c.verdict === "error") t.errors++;
    else t.cancelled++;
    t.tokens += c.usage?.total_tokens ?? 0;
    t.totalMs += c.totalMs ?? 0;
  }
  return t;
}

export function cellFor(run: EvaluationRun, promptId: string, configurationId: string): Cell | undefined {
  return run.cells.find((c) => c.promptId === promptId && c.configurationId === configurationId);
}

/** The cells to run again: anything that did not pass. */
export function needsRerun(cell: Cell | undefined): boolean {
  return !cell || cell.verdict !== "passed";
}

/**
 * "Re-run failed": a new run (`id`, started `now`, in Unix seconds) that keeps the cells of `run` that
 * passed, marked with the run they were first made in, and the cells to run again. Null when every
 * cell passed.
 */
export function planRerun(
  run: EvaluationRun,
  id: string,
  now: number,
): { record: EvaluationRun; todo: { promptId: string; configurationId: string }[] } | null {
  const todo: { promptId: string; configurationId: string }[] = [];
  const kept: Cell[] = [];
  for (const p of run.prompts)
    for (const c of run.configurations) {
      const cell = cellFor(run, p.id, c.id);
      if (!cell || needsRerun(cell)) todo.push({ promptId: p.id, configurationId: c.id });
      else kept.push({ ...cell, copiedFrom: cell.copiedFrom ?? run.id });
    }
  if (todo.length === 0) return null;
  return {
    record: {
      ...run,
      id,
      cells: kept,
      status: "running",
      started_at: now,
      finished_at: null,
      rerunOf: run.id,
    },
    todo,
  };
}

// ── export ───────────────────────────────────────────────────────────────────

/**
 * One CSV cell. Text that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a
 * leading apostrophe: an answer is model output and must not run when the file is opened.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_COLUMNS = [
  "prompt_id",
  "prompt",
  "configuration",
  "verdict",
  "run_status",
  "checks_passed",
  "checks_total",
  "failed_checks",
  "total_tokens",
  "prompt_tokens",
  "completion_tokens",
  "ttft_ms",
  "total_ms",
  "thread_id",
  "run_id",
  "error",
  "answer",
] as const;

export function exportCsv(run: EvaluationRun): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const prompt of run.prompts) {
    for (const config of run.configurations) {
      const cell = cellFor(run, prompt.id, config.id);
      const failed = cell?.checks.filter((c) => !c.pass) ?? [];
      const row = [
        prompt.id,
        prompt.text,
        config.label,
        cell?.verdict ?? "not run",
        cell?.runStatus ?? null,
        cell ? cell.checks.filter((c) => c.pass).length : null,
        cell ? cell.checks.length : null,
        failed.map((c) => `${c.label}: ${c.reason}`).join("; "),
        cell?.usage?.total_tokens ?? null,
        cell?.usage?.prompt_tokens ?? null,
        cell?.usage?.completion_tokens ?? null,
        cell?.ttftMs === null || cell?.ttftMs === undefined ? null : Math.round(cell.ttftMs),
        cell?.totalMs === null || cell?.totalMs === undefined ? null : Math.round(cell.totalMs),
        cell?.threadId ?? null,
        cell?.runId ?? null,
        cell?.error ?? null,
        cell?.text ?? null,
      ];
      lines.push(row.map(csvCell).join(","));
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

export function exportJson(run: EvaluationRun): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

// ── two runs ─────────────────────────────────────────────────────────────────

export interface CellChange {
  promptId: string;
  promptText: string;
  configuration: string;
  before: Cell;
  after: Cell;
}

export interface RunDiff {
  newlyFailing: CellChange[];
  newlyPassing: CellChange[];
  /** More than 20 % and 200 ms slower. */
  slower: CellChange[];
  /** More than 5 % more tokens. */
  costlier: CellChange[];
  /** Prompt × configuration pairs only one of the runs has. */
  unmatched: number;
  before: Totals;
  after: Totals;
}

/** A configuration of `after` matches one of `before` by id, else by label. */
function matchConfiguration(before: EvaluationRun, config: Configuration): Configuration | undefined {
  return (
    before.configurations.find((c) => c.id === config.id) ??
    before.configurations.find((c) => c.label === config.label)
  );
}

export function diffRuns(before: EvaluationRun, after: EvaluationRun): RunDiff {
  const diff: RunDiff = {
    newlyFailing: [],
    newlyPassing: [],
    slower: [],
    costlier: [],
    unmatched: 0,
    before: totalsOf(before.cells),
    after: totalsOf(after.cells),
  };
  for (const cell of after.cells) {
    const config = after.configurations.find((c) => c.id === cell.configurationId);
    const match = config && matchConfiguration(before, config);
    const old = match && cellFor(before, cell.promptId, match.id);
    if (!config || !old) {
      diff.unmatched++;
      continue;
    }
    const change: CellChange = {
      promptId: cell.promptId,
      promptText: after.prompts.find((p) => p.id === cell.promptId)?.text ?? cell.promptId,
      configuration: config.label,
      before: old,
      after: cell,
    };
    const passedBefore = old.verdict === "passed";
    const passedAfter = cell.verdict === "passed";
    if (passedBefore && !passedAfter && cell.verdict !== "cancelled") diff.newlyFailing.push(change);
    if (!passedBefore && passedAfter) diff.newlyPassing.push(change);
    if (
      old.totalMs !== null &&
      cell.totalMs !== null &&
      cell.totalMs > old.totalMs * 1.2 &&
      cell.totalMs - old.totalMs > 200
    )
      diff.slower.push(change);
    const t0 = old.usage?.total_tokens;
    const t1 = cell.usage?.total_tokens;
    if (t0 !== undefined && t1 !== undefined && t1 > t0 * 1.05) diff.costlier.push(change);
  }
  return diff;
}

// ── configurations side by side ──────────────────────────────────────────────

/** What a configuration runs with when it does not override a field: its assistant's values. */
export interface AssistantDefaults {
  name?: string | null;
  model: string;
  instructions?: string | null;
  temperature?: number | null;
  top_p?: number | null;
  tools?: readonly { type: string; function?: { name: string } }[];
  response_format?: unknown;
}

export interface ConfigurationRow {
  field: string;
  values: string[];
  /** Not every configuration has the same value. */
  differs: boolean;
}

function toolsText(tools: readonly { type: string; function?: { name: string } }[] | undefined): string {
  if (!tools || tools.length === 0) return "none";
  return tools
    .map((t) => (t.type === "function" ? `function ${t.function?.name ?? ""}` : t.type.replace(/_/g, " ")))
    .join(", ");
}

function formatText(format: unknown): string {
  if (format === undefined || format === null || format === "auto") return "auto";
  if (typeof format === "object" && format !== null && "type" in format) {
    const f = format as { type: string; json_schema?: { name?: string } };
    return f.type === "json_schema" ? `json_schema ${f.json_schema?.name ?? ""}`.trim() : f.type;
  }
  return String(format);
}

function numberText(v: number | null | undefined): string {
  return v === null || v === undefined ? "default" : String(v);
}

/** The effective value of each field per configuration (overrides over the assistant's values). */
export function configurationRows(
  configs: readonly Configuration[],
  assistants: ReadonlyMap<string, AssistantDefaults>,
): ConfigurationRow[] {
  const eff = configs.map((c) => {
    const a = assistants.get(`${c.connection}/${c.assistantId}`);
    const o: Overrides = c.overrides ?? {};
    return {
      connection: `${c.connection} (${c.apiVersion})`,
      assistant: `${a?.name ?? c.assistantName ?? "(unnamed)"} · ${c.assistantId}`,
      deployment: o.model ?? a?.model ?? "?",
      instructions: o.instructions ?? a?.instructions ?? "",
      temperature: numberText(o.temperature ?? a?.temperature),
      top_p: numberText(o.top_p ?? a?.top_p),
      tools: toolsText((o.tools as EvaluationTool[] | undefined) ?? a?.tools),
      response_format: formatText(o.response_format ?? a?.response_format),
    };
  });
  const fields = [
    "connection",
    "assistant",
    "deployment",
    "instructions",
    "temperature",
    "top_p",
    "tools",
    "response_format",
  ] as const;
  return fields.map((field) => {
    const values = eff.map((e) => e[field]);
    return { field, values, differs: new Set(values).size > 1 };
  });
}

// ── storage size ─────────────────────────────────────────────────────────────

/**
 * The run with its answers shortened, if need be, so that it serialises within `maxBytes` (the
 * server refuses larger records): every cell's text gets an equal share of what the rest leaves.
 * The full answers stay in their threads.
 */
export function fitRecord(run: EvaluationRun, maxBytes: number): EvaluationRun {
  const size = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
  if (size(run) <= maxBytes) return run;
  const bare = { ...run, cells: run.cells.map((c) => ({ ...c, text: "" })) };
  const room = maxBytes - size(bare) - 1024;
  // Characters may take up to 3 bytes in UTF-8 (and JSON escapes a few more): stay well inside.
  const share = Math.max(0, Math.floor(room / Math.max(1, run.cells.length) / 4));
  return {
    ...run,
    cells: run.cells.map((c) => (c.text.length > share ? { ...c, text: `${c.text.slice(0, share)}…` } : c)),
  };
}
