/**
 * Prompts from a CSV or JSONL file. All or nothing: a file with any bad row imports nothing, and
 * every problem is reported with its row (or line) and column, so a person fixes the file once.
 *
 * Columns (CSV header, or JSONL keys):
 *   prompt (or text)        the message — required
 *   id                      optional, unique in the file
 *   contains, not_contains, regex, cites_file, calls_function, status    one value each
 *   valid_json, uses_code_interpreter, uses_file_search                  true / yes / 1
 *   max_tokens, max_seconds                                              a number
 *   json_schema, function_arguments                                      a JSON object
 *   attachments             file ids separated by spaces (file search), or JSON [{file_id, tools}]
 *   function_outputs        JSON {"function_name": "output"}
 *   checks                  a JSON array of checks in the stored form (docs/evaluations.md)
 */
import { checkSchema, EVALUATION_LIMITS, newId, promptSchema, type Check, type Prompt } from "./model";

export interface ImportProblem {
  /** 1-based: the spreadsheet row (the header is row 1) or the JSONL line. */
  row: number;
  column: string | null;
  message: string;
}

export type ImportResult = { ok: true; prompts: Prompt[] } | { ok: false; problems: ImportProblem[] };

export const IMPORT_COLUMNS = [
  "id",
  "prompt",
  "text",
  "contains",
  "not_contains",
  "regex",
  "valid_json",
  "json_schema",
  "calls_function",
  "function_arguments",
  "uses_code_interpreter",
  "uses_file_search",
  "cites_file",
  "status",
  "max_tokens",
  "max_seconds",
  "attachments",
  "function_outputs",
  "checks",
] as const;

/** The largest file read (a set holds at most EVALUATION_LIMITS.promptsPerSet prompts anyway). */
export const MAX_IMPORT_CHARS = 5 * 1024 * 1024;
const MAX_PROBLEMS = 50;

export function describeProblem(p: ImportProblem, unit: "row" | "line"): string {
  return `${unit} ${p.row}${p.column ? `, column ${p.column}` : ""}: ${p.message}`;
}

class CsvError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 4180 records (quotes, doubled quotes, CRLF or LF, newlines inside quotes); BOM dropped. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = src[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r")
          throw new CsvError(
            rows.length + 1,
            "text follows a closing quote; double a quote inside a quoted cell",
          );
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ",") {
      endField();
      i++;
    } else if (ch === "\n" || ch === "\r") {
      endRow();
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
    } else {
      if (ch === '"')
        throw new CsvError(rows.length + 1, "a quote inside an unquoted cell; quote the whole cell");
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new CsvError(rows.length + 1, "a quoted cell is never closed");
  if (fieldStarted || row.length > 0) endRow();
  return rows;
}

const TRUE = new Set(["true", "yes", "1", "y", "x"]);
const FALSE = new Set(["false", "no", "0", "n", ""]);

class CellError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

function asText(column: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new CellError(column, "expected text");
}

function asFlag(column: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  const s = String(value).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new CellError(column, `expected true or false, got ${JSON.stringify(String(value))}`);
}

function asNumber(column: string, value: unknown): number | null {
  const s = asText(column, value);
  if (s === null) return null;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0)
    throw new CellError(column, `expected a positive number, got ${JSON.stringify(s)}`);
  return n;
}

function asJson(column: string, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return value;
  if (value.trim() === "") return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new CellError(column, `not valid JSON: ${(err as Error).message}`);
  }
}

function asObject(column: string, value: unknown): Record<string, unknown> | undefined {
  const v = asJson(column, value);
  if (v === undefined) return undefined;
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new CellError(column, "expected a JSON object");
  return v as Record<string, unknown>;
}

function attachmentsOf(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    const s = value.trim();
    if (s === "") return undefined;
    if (s.startsWith("[")) return asJson("attachments", s);
    return s.split(/[\s,;]+/).map((file_id) => ({ file_id, tools: ["file_search"] }));
  }
  return value;
}

/** One record (CSV cells by header, or a JSONL object) → a prompt, or throws CellError. */
function recordToPrompt(record: Record<string, unknown>): Prompt {
  for (const key of Object.keys(record))
    if (!(IMPORT_COLUMNS as readonly string[]).includes(key))
      throw new CellError(key, `unknown column; known columns: ${IMPORT_COLUMNS.join(", ")}`);
  const textColumn = record.prompt !== undefined ? "prompt" : "text";
  const text = asText(textColumn, record[textColumn]);
  if (text === null) throw new CellError("prompt", "the prompt is empty");

  const checks: unknown[] = [];
  const s = (column: string) => asText(column, record[column]);
  for (const type of ["contains", "not_contains", "cites_file"] as const) {
    const v = s(type);
    if (v !== null) checks.push(type === "cites_file" ? { type, file: v } : { type, value: v });
  }
  const regex = s("regex");
  if (regex !== null) {
    try {
      new RegExp(regex);
    } catch (err) {
      throw new CellError("regex", `not a valid regular expression: ${(err as Error).message}`);
    }
    checks.push({ type: "regex", pattern: regex });
  }
  if (asFlag("valid_json", record.valid_json)) checks.push({ type: "valid_json" });
  const schema = asObject("json_schema", record.json_schema);
  if (schema) checks.push({ type: "json_schema", schema });
  const fn = s("calls_function");
  const fnArgs = asObject("function_arguments", record.function_arguments);
  if (fnArgs && fn === null) throw new CellError("function_arguments", "give calls_function too");
  if (fn !== null)
    checks.push({ type: "calls_function", name: fn, ...(fnArgs ? { argumentValues: fnArgs } : {}) });
  if (asFlag("uses_code_interpreter", record.uses_code_interpreter))
    checks.push({ type: "uses_code_interpreter" });
  if (asFlag("uses_file_search", record.uses_file_search)) checks.push({ type: "uses_file_search" });
  const status = s("status");
  if (status !== null) checks.push({ type: "status", status });
  const tokens = asNumber("max_tokens", record.max_tokens);
  if (tokens !== null) {
    if (!Number.isInteger(tokens)) throw new CellError("max_tokens", "expected a whole number");
    checks.push({ type: "max_tokens", tokens });
  }
  const seconds = asNumber("max_seconds", record.max_seconds);
  if (seconds !== null) checks.push({ type: "max_seconds", seconds });
  const extra = asJson("checks", record.checks);
  if (extra !== undefined) {
    if (!Array.isArray(extra)) throw new CellError("checks", "expected a JSON array of checks");
    checks.push(...extra);
  }
  checks.forEach((check, i) => {
    const parsed = checkSchema.safeParse(check);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const type = (check as { type?: unknown })?.type;
      const column = typeof type === "string" && record[type] !== undefined ? type : "checks";
      throw new CellError(
        column,
        `check ${i + 1}${typeof type === "string" ? ` (${type})` : ""}: ${issue.path.join(".") || "type"}: ${issue.message}`,
      );
    }
  });

  const parsed = promptSchema.safeParse({
    id: asText("id", record.id) ?? newId("p"),
    text,
    checks: checks as Check[],
    attachments: attachmentsOf(record.attachments),
    functionOutputs: asObject("function_outputs", record.function_outputs),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const top = String(issue.path[0] ?? "prompt");
    const column = top === "text" ? textColumn : top === "functionOutputs" ? "function_outputs" : top;
    throw new CellError(
      column,
      `${issue.path.slice(1).join(".") ? `${issue.path.slice(1).join(".")}: ` : ""}${issue.message}`,
    );
  }
  return parsed.data;
}

function finish(prompts: { prompt: Prompt; row: number }[], problems: ImportProblem[]): ImportResult {
  const seen = new Map<string, number>();
  for (const { prompt, row } of prompts) {
    const first = seen.get(prompt.id);
    if (first !== undefined)
      problems.push({ row, column: "id", message: `the id ${prompt.id} is also on ${first}` });
    else seen.set(prompt.id, row);
  }
  if (problems.length === 0 && prompts.length === 0)
    problems.push({ row: 1, column: null, message: "the file has no prompts" });
  if (prompts.length > EVALUATION_LIMITS.promptsPerSet)
    problems.push({
      row: prompts[EVALUATION_LIMITS.promptsPerSet]!.row,
      column: null,
      message: `a prompt set holds at most ${EVALUATION_LIMITS.promptsPerSet} prompts`,
    });
  problems.sort((a, b) => a.row - b.row);
  return problems.length
    ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) }
    : { ok: true, prompts: prompts.map((p) => p.prompt) };
}

function tooLarge(text: string): ImportResult | null {
  return text.length > MAX_IMPORT_CHARS
    ? {
        ok: false,
        problems: [
          { row: 1, column: null, message: `the file is larger than ${MAX_IMPORT_CHARS / 1024 / 1024} MB` },
        ],
      }
    : null;
}

export function importCsv(text: string): ImportResult {
  const big = tooLarge(text);
  if (big) return big;
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError)
      return { ok: false, problems: [{ row: err.row, column: null, message: err.message }] };
    throw err;
  }
  const header = (rows[0] ?? []).map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_"),
  );
  const problems: ImportProblem[] = [];
  header.forEach((h, i) => {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(h))
      problems.push({
        row: 1,
        column: h || `#${i + 1}`,
        message: `unknown column; known columns: ${IMPORT_COLUMNS.join(", ")}`,
      });
    else if (header.indexOf(h) !== i)
      problems.push({ row: 1, column: h, message: "the column appears twice" });
  });
  if (!header.includes("prompt") && !header.includes("text"))
    problems.push({ row: 1, column: null, message: "the header has no prompt column" });
  if (problems.length) return { ok: false, problems };
  const prompts: { prompt: Prompt; row: number }[] = [];
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === "")) return;
    if (cells.length !== header.length) {
      problems.push({ row, column: null, message: `${cells.length} cells, the header has ${header.length}` });
      return;
    }
    const record: Record<string, unknown> = {};
    header.forEach((h, j) => {
      if (cells[j]!.trim() !== "") record[h] = cells[j];
    });
    try {
      prompts.push({ prompt: recordToPrompt(record), row });
    } catch (err) {
      if (!(err instanceof CellError)) throw err;
      problems.push({ row, column: err.column, message: err.message });
    }
  });
  return finish(prompts, problems);
}

export function importJsonl(text: string): ImportResult {
  const big = tooLarge(text);
  if (big) return big;
  const problems: ImportProblem[] = [];
  const prompts: { prompt: Prompt; row: number }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const row = i + 1;
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push({ row, column: null, message: `not valid JSON: ${(err as Error).message}` });
      return;
    }
    if (typeof value === "string") value = { prompt: value };
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push({ row, column: null, message: "expected a JSON object (or a string) per line" });
      return;
    }
    const record = { ...(value as Record<string, unknown>) };
    // The stored form's names are accepted too, so an exported set's prompts import as they are.
    if ("functionOutputs" in record) {
      record.function_outputs = record.functionOutputs;
      delete record.functionOutputs;
    }
    try {
      prompts.push({ prompt: recordToPrompt(record), row });
    } catch (err) {
      if (!(err instanceof CellError)) throw err;
      problems.push({ row, column: err.column, message: err.message });
    }
  });
  return finish(prompts, problems);
}

/** By file name: `.csv` → CSV, `.jsonl`/`.ndjson` → JSONL; anything else is tried as JSONL when it starts with `{`. */
export function importPrompts(fileName: string, text: string): ImportResult {
  if (/\.csv$/i.test(fileName)) return importCsv(text);
  if (/\.(jsonl|ndjson)$/i.test(fileName) || text.trimStart().startsWith("{")) return importJsonl(text);
  return importCsv(text);
}
