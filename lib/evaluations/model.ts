/**
 * What the evaluations feature stores and exchanges: configurations (an assistant plus run-time
 * overrides), checks, prompt sets, the results of running a set, and kept comparisons. One zod
 * schema each, shared by the server (which validates every body it stores) and the browser (which
 * validates imported files). Framework-free: no React, no Next, no server code.
 */
import { z } from "zod";

/** Bounds on what one record may hold, so a stored file stays small enough to read whole. */
export const EVALUATION_LIMITS = {
  promptsPerSet: 500,
  promptChars: 32_000,
  checksPerPrompt: 20,
  configurations: 4,
  /** The answer text kept per cell (the thread keeps the whole answer). */
  answerChars: 20_000,
  nameChars: 200,
  /** One stored record, serialised. */
  recordBytes: 8 * 1024 * 1024,
  /** Records kept per collection (the oldest go first). */
  recordsPerCollection: 500,
} as const;

const L = EVALUATION_LIMITS;

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const id = z.string().regex(ID_PATTERN, "ids are 1–64 letters, digits, '_' or '-'");
const name = z.string().trim().min(1, "give it a name").max(L.nameChars);
const jsonSchemaObject = z.record(z.string(), z.unknown());

const functionTool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1).max(64),
    description: z.string().max(1024).optional(),
    parameters: jsonSchemaObject.optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
export const toolSchema = z.union([
  z.object({ type: z.literal("code_interpreter") }),
  z.object({
    type: z.literal("file_search"),
    file_search: z.object({ max_num_results: z.number().int().min(1).max(50).optional() }).optional(),
  }),
  functionTool,
]);
export type EvaluationTool = z.infer<typeof toolSchema>;

export const responseFormatSchema = z.union([
  z.literal("auto"),
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().min(1).max(64),
      description: z.string().optional(),
      schema: jsonSchemaObject.optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

/**
 * What a run is created with, beyond the assistant: every field is a run-create parameter of the
 * Assistants protocol, so a variation needs no copy of the assistant.
 */
export const overridesSchema = z.object({
  model: z.string().trim().min(1).max(256).optional(),
  instructions: z.string().max(256_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  tools: z.array(toolSchema).max(128).optional(),
  response_format: responseFormatSchema.optional(),
});
export type Overrides = z.infer<typeof overridesSchema>;

export const configurationSchema = z.object({
  id,
  label: name,
  /** The playground connection's name (`x-playground-connection`). */
  connection: z.string().min(1).max(128),
  apiVersion: z.string().min(1).max(64),
  assistantId: z.string().min(1).max(128),
  assistantName: z.string().max(L.nameChars).nullable().optional(),
  overrides: overridesSchema.default({}),
});
export type Configuration = z.infer<typeof configurationSchema>;

const RUN_STATUSES = [
  "completed",
  "failed",
  "cancelled",
  "expired",
  "incomplete",
  "requires_action",
] as const;
export type FinalStatus = (typeof RUN_STATUSES)[number];

export const checkSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("contains"), value: z.string().min(1), caseSensitive: z.boolean().optional() }),
  z.object({
    type: z.literal("not_contains"),
    value: z.string().min(1),
    caseSensitive: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("regex"),
    pattern: z.string().min(1).max(1000),
    flags: z.string().max(8).optional(),
  }),
  z.object({ type: z.literal("valid_json") }),
  z.object({ type: z.literal("json_schema"), schema: jsonSchemaObject }),
  z.object({
    type: z.literal("calls_function"),
    name: z.string().min(1).max(64),
    /** The arguments must validate against this schema … */
    argumentsSchema: jsonSchemaObject.optional(),
    /** … and/or carry these values (compared as JSON). */
    argumentValues: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal("uses_code_interpreter") }),
  z.object({ type: z.literal("uses_file_search") }),
  z.object({ type: z.literal("cites_file"), file: z.string().min(1).max(256) }),
  z.object({ type: z.literal("status"), status: z.enum(RUN_STATUSES) }),
  z.object({ type: z.literal("max_tokens"), tokens: z.number().int().positive() }),
  z.object({ type: z.literal("max_seconds"), seconds: z.number().positive() }),
  z.object({
    type: z.literal("model_graded"),
    rubric: z.string().min(1).max(8000),
    /** The connection and deployment that grade: shown beside the verdict. */
    connection: z.string().min(1).max(128),
    apiVersion: z.string().min(1).max(64),
    model: z.string().min(1).max(256),
  }),
]);
export type Check = z.infer<typeof checkSchema>;
export type CheckType = Check["type"];

export const CHECK_TYPES: readonly { type: CheckType; label: string }[] = [
  { type: "contains", label: "contains" },
  { type: "not_contains", label: "does not contain" },
  { type: "regex", label: "matches regex" },
  { type: "valid_json", label: "is valid JSON" },
  { type: "json_schema", label: "matches JSON schema" },
  { type: "calls_function", label: "calls function" },
  { type: "uses_code_interpreter", label: "uses code interpreter" },
  { type: "uses_file_search", label: "uses file search" },
  { type: "cites_file", label: "cites file" },
  { type: "status", label: "finishes with status" },
  { type: "max_tokens", label: "under N tokens" },
  { type: "max_seconds", label: "under T seconds" },
  { type: "model_graded", label: "graded by a model" },
];

export const attachmentSchema = z.object({
  file_id: z.string().min(1).max(128),
  tools: z
    .array(z.enum(["code_interpreter", "file_search"]))
    .max(2)
    .default(["file_search"]),
});

export const promptSchema = z.object({
  id,
  text: z.string().trim().min(1, "the prompt is empty").max(L.promptChars),
  attachments: z.array(attachmentSchema).max(10).default([]),
  checks: z.array(checkSchema).max(L.checksPerPrompt).default([]),
  /**
   * Outputs submitted for function calls, by function name, so a set can run unattended; a call
   * without one ends the run (it is recorded as `requires_action`).
   */
  functionOutputs: z.record(z.string(), z.string().max(32_000)).optional(),
});
export type Prompt = z.infer<typeof promptSchema>;
export type PromptInput = z.input<typeof promptSchema>;

export const promptSetSchema = z.object({
  id,
  name,
  description: z.string().max(2000).default(""),
  prompts: z.array(promptSchema).min(1, "a prompt set needs a prompt").max(L.promptsPerSet),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type PromptSet = z.infer<typeof promptSetSchema>;

export const usageSchema = z.object({
  prompt_tokens: z.number().int().min(0),
  completion_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
});
export type Usage = z.infer<typeof usageSchema>;

export const toolCallSummarySchema = z.object({
  type: z.enum(["function", "code_interpreter", "file_search"]),
  name: z.string().optional(),
  arguments: z.string().optional(),
});
export type ToolCallSummary = z.infer<typeof toolCallSummarySchema>;

export const checkResultSchema = z.object({
  label: z.string(),
  type: z.string(),
  pass: z.boolean(),
  reason: z.string(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** One prompt against one configuration. */
export const cellSchema = z.object({
  promptId: id,
  configurationId: id,
  /** passed: every check passed · failed: a check failed · error: no run to check · cancelled. */
  verdict: z.enum(["passed", "failed", "error", "cancelled"]),
  threadId: z.string().nullable(),
  runId: z.string().nullable(),
  runStatus: z.string().nullable(),
  text: z.string().max(L.answerChars + 100),
  usage: usageSchema.nullable(),
  ttftMs: z.number().nullable(),
  totalMs: z.number().nullable(),
  toolCalls: z.array(toolCallSummarySchema).max(200),
  checks: z.array(checkResultSchema),
  error: z.string().nullable(),
  /** Set when this cell was carried over unchanged from an earlier run (re-run of the failed ones). */
  copiedFrom: z.string().nullable().optional(),
});
export type Cell = z.infer<typeof cellSchema>;

export const evaluationRunSchema = z.object({
  id,
  promptSetId: id,
  promptSetName: name,
  /** The prompts as they were when run: the set may change later. */
  prompts: z.array(promptSchema).min(1).max(L.promptsPerSet),
  configurations: z.array(configurationSchema).min(1).max(L.configurations),
  cells: z.array(cellSchema).max(L.promptsPerSet * L.configurations),
  status: z.enum(["running", "completed", "cancelled"]),
  started_at: z.number().int(),
  finished_at: z.number().int().nullable(),
  rerunOf: id.nullable().optional(),
});
export type EvaluationRun = z.infer<typeof evaluationRunSchema>;

export const comparisonColumnSchema = z.object({
  configurationId: id,
  threadId: z.string().nullable(),
  runId: z.string().nullable(),
  runStatus: z.string().nullable(),
  text: z.string().max(L.answerChars + 100),
  usage: usageSchema.nullable(),
  ttftMs: z.number().nullable(),
  totalMs: z.number().nullable(),
  toolCalls: z.array(toolCallSummarySchema).max(200),
  steps: z.number().int().min(0).nullable().optional(),
  error: z.string().nullable(),
});
export type ComparisonColumn = z.infer<typeof comparisonColumnSchema>;

export const comparisonSchema = z.object({
  id,
  name,
  message: z.string().max(L.promptChars),
  configurations: z.array(configurationSchema).min(1).max(L.configurations),
  columns: z.array(comparisonColumnSchema).max(L.configurations),
  created_at: z.number().int(),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const COLLECTIONS = {
  "prompt-sets": promptSetSchema,
  runs: evaluationRunSchema,
  comparisons: comparisonSchema,
} as const;
export type CollectionName = keyof typeof COLLECTIONS;
export function isCollectionName(value: string): value is CollectionName {
  return Object.hasOwn(COLLECTIONS, value);
}

/** A short random id, `<prefix>_<12 chars>`. */
export function newId(prefix: string): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  let s = "";
  for (const b of bytes) s += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"[b & 63];
  return `${prefix}_${s}`;
}

/** Zod's issues as one readable line each: `prompts.2.text: the prompt is empty`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
}
