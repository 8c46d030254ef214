import type { Assistant } from "openai/resources/beta/assistants";
import {
  hasStructuredOutputs,
  speaksGeneration,
  STRUCTURED_OUTPUTS_SINCE,
  type Generation,
} from "@/lib/protocol/api-versions";
import { FUNCTION_NAME_PATTERN, LIMITS } from "@/lib/protocol/limits";

/**
 * The assistant builder's form model: what a person edits, how it is checked against the
 * protocol's limits (the same numbers the local engine enforces, lib/protocol/limits.ts), and the
 * request body it becomes for the connection's API generation.
 */

export type { Generation };
export { STRUCTURED_OUTPUTS_SINCE, hasStructuredOutputs };

/** The generation the form speaks to an api-version (unknown ones are the newest surface). */
export const generationOf = speaksGeneration;

/** The protocol's limits (lib/protocol/limits.ts) as the builder shows and checks them. */
export const ASSISTANT_LIMITS = {
  name: LIMITS.nameLength,
  description: LIMITS.descriptionLength,
  instructions: LIMITS.instructionsLength,
  tools: LIMITS.toolsPerAssistant,
  codeInterpreterFiles: LIMITS.codeInterpreterFiles,
  vectorStores: LIMITS.vectorStoresPerAssistant,
  metadataKeys: LIMITS.metadataKeys,
  metadataKeyLength: LIMITS.metadataKeyLength,
  metadataValueLength: LIMITS.metadataValueLength,
  temperature: LIMITS.temperature,
  topP: LIMITS.topP,
  functionName: FUNCTION_NAME_PATTERN,
} as const;

export type ResponseFormatKind = "auto" | "text" | "json_object" | "json_schema";

export interface FunctionDraft {
  /** Stable key for the editor list; not sent. */
  key: string;
  /** The function definition as JSON text: { name, description?, parameters?, strict? }. */
  json: string;
}

export interface MetadataEntry {
  key: string;
  value: string;
}

export interface AssistantFormValues {
  name: string;
  description: string;
  instructions: string;
  model: string;
  codeInterpreter: boolean;
  fileSearch: boolean;
  /** file_search tool options (max_num_results, ranking_options) kept as they came. */
  fileSearchOptions: Record<string, unknown> | null;
  functions: FunctionDraft[];
  /** v2 tool_resources.code_interpreter.file_ids; v1 file_ids. */
  codeInterpreterFileIds: string[];
  vectorStoreIds: string[];
  /** Kept as typed ("" = the service default) so a half-typed number is never lost. */
  temperature: string;
  topP: string;
  responseFormat: ResponseFormatKind;
  jsonSchemaName: string;
  jsonSchemaDescription: string;
  jsonSchema: string;
  jsonSchemaStrict: boolean;
  metadata: MetadataEntry[];
}

export const DEFAULT_MODEL = "gpt-4o";

let keySeq = 0;
export function newKey(): string {
  keySeq += 1;
  return `k${Date.now().toString(36)}${keySeq}`;
}

export function emptyForm(model = DEFAULT_MODEL): AssistantFormValues {
  return {
    name: "",
    description: "",
    instructions: "",
    model,
    codeInterpreter: false,
    fileSearch: false,
    fileSearchOptions: null,
    functions: [],
    codeInterpreterFileIds: [],
    vectorStoreIds: [],
    temperature: "",
    topP: "",
    responseFormat: "auto",
    jsonSchemaName: "",
    jsonSchemaDescription: "",
    jsonSchema: "",
    jsonSchemaStrict: false,
    metadata: [],
  };
}

export const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** An assistant as the wire returns it, in either generation (v1 has file_ids, v2 tool_resources). */
export type AssistantLike = Partial<Assistant> & {
  model: string;
  file_ids?: string[];
  tools?: Array<Record<string, unknown> | Assistant["tools"][number]>;
};

export function formFromAssistant(a: AssistantLike): AssistantFormValues {
  const tools = (a.tools ?? []) as Array<Record<string, unknown>>;
  const fileSearch = tools.find((t) => t.type === "file_search" || t.type === "retrieval");
  const fs = fileSearch?.file_search;
  const rf = a.response_format as unknown;
  let responseFormat: ResponseFormatKind = "auto";
  let js: Record<string, unknown> | null = null;
  if (rf && typeof rf === "object") {
    const t = (rf as { type?: unknown }).type;
    if (t === "text" || t === "json_object" || t === "json_schema") responseFormat = t;
    if (t === "json_schema")
      js = ((rf as { json_schema?: Record<string, unknown> }).json_schema ?? {}) as Record<string, unknown>;
  }
  const tr = (a.tool_resources ?? {}) as {
    code_interpreter?: { file_ids?: string[] };
    file_search?: { vector_store_ids?: string[] };
  };
  return {
    name: a.name ?? "",
    description: a.description ?? "",
    instructions: a.instructions ?? "",
    model: a.model,
    codeInterpreter: tools.some((t) => t.type === "code_interpreter"),
    fileSearch: Boolean(fileSearch),
    fileSearchOptions:
      fs && typeof fs === "object" && Object.keys(fs).length > 0 ? (fs as Record<string, unknown>) : null,
    functions: tools
      .filter((t) => t.type === "function" && t.function)
      .map((t) => ({ key: newKey(), json: pretty(t.function) })),
    codeInterpreterFileIds: [...(tr.code_interpreter?.file_ids ?? a.file_ids ?? [])],
    vectorStoreIds: [...(tr.file_search?.vector_store_ids ?? [])],
    temperature: typeof a.temperature === "number" && a.temperature !== 1 ? String(a.temperature) : "",
    topP: typeof a.top_p === "number" && a.top_p !== 1 ? String(a.top_p) : "",
    responseFormat,
    jsonSchemaName: typeof js?.name === "string" ? js.name : "",
    jsonSchemaDescription: typeof js?.description === "string" ? js.description : "",
    jsonSchema: js?.schema !== undefined ? pretty(js.schema) : "",
    jsonSchemaStrict: js?.strict === true,
    metadata: Object.entries((a.metadata ?? {}) as Record<string, string>).map(([key, value]) => ({
      key,
      value: String(value),
    })),
  };
}

export type FieldErrors = Partial<Record<string, string>>;

export interface ParsedFunction {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Structure of one function definition; the JSON Schema itself is checked by `checkJsonSchema`. */
export function parseFunction(
  json: string,
  apiVersion: string,
): { ok: true; value: ParsedFunction } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${(e as Error).message}` };
  }
  if (!isPlainObject(raw))
    return { ok: false, error: 'A function is a JSON object: { "name": …, "parameters": { … } }.' };
  const allowed = ["name", "description", "parameters", "strict"];
  const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (unknown.length)
    return {
      ok: false,
      error: `Unknown key ${unknown.map((k) => `"${k}"`).join(", ")}: a function has name, description, parameters and strict.`,
    };
  const { name, description, parameters, strict } = raw;
  if (typeof name !== "string" || name === "")
    return { ok: false, error: '"name" is required: 1–64 letters, digits, _ or -.' };
  if (!ASSISTANT_LIMITS.functionName.test(name))
    return {
      ok: false,
      error: `"name" "${name.slice(0, 70)}" is not allowed: use 1–64 letters, digits, _ or - (no spaces).`,
    };
  if (description !== undefined && typeof description !== "string")
    return { ok: false, error: '"description" must be a string.' };
  if (parameters !== undefined && !isPlainObject(parameters))
    return {
      ok: false,
      error: '"parameters" must be a JSON Schema object, e.g. { "type": "object", "properties": { … } }.',
    };
  if (parameters !== undefined && parameters.type !== undefined && parameters.type !== "object")
    return {
      ok: false,
      error: `"parameters" must describe an object ("type": "object"), not "${String(parameters.type)}".`,
    };
  if (strict !== undefined && typeof strict !== "boolean")
    return { ok: false, error: '"strict" must be true or false.' };
  if (strict !== undefined && !hasStructuredOutputs(apiVersion))
    return {
      ok: false,
      error: `"strict" needs api-version ${STRUCTURED_OUTPUTS_SINCE}-preview or later; this connection uses ${apiVersion}. Remove it.`,
    };
  if (strict === true && parameters) {
    const problem = strictSchemaProblem(parameters, "parameters");
    if (problem) return { ok: false, error: `With "strict": true, ${problem}` };
  }
  return {
    ok: true,
    value: {
      name,
      ...(description !== undefined ? { description } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
      ...(strict !== undefined ? { strict } : {}),
    },
  };
}

/** Structured outputs' extra rules: every object closes with additionalProperties false and requires all its properties. */
export function strictSchemaProblem(schema: unknown, path: string): string | null {
  if (!isPlainObject(schema)) return null;
  if (schema.type === "object" || isPlainObject(schema.properties)) {
    if (schema.additionalProperties !== false) return `${path} must set "additionalProperties": false.`;
    const props = isPlainObject(schema.properties) ? Object.keys(schema.properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = props.filter((p) => !required.includes(p));
    if (missing.length)
      return `${path} must list every property in "required" (missing: ${missing.join(", ")}).`;
    for (const p of props) {
      const inner = strictSchemaProblem(
        (schema.properties as Record<string, unknown>)[p],
        `${path}.properties.${p}`,
      );
      if (inner) return inner;
    }
  }
  if (isPlainObject(schema.items)) return strictSchemaProblem(schema.items, `${path}.items`);
  return null;
}

function numberError(text: string, label: string, min: number, max: number): string | undefined {
  if (text.trim() === "") return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return `${label} must be a number from ${min} to ${max}.`;
  if (n < min || n > max)
    return `${label} must be between ${min} and ${max}; ${text.trim()} is out of range.`;
  return undefined;
}

/**
 * Every rule the protocol has for an assistant, per field key, for the connection's api-version.
 * Keys: name, description, instructions, model, temperature, topP, jsonSchemaName, jsonSchema,
 * metadata, metadata.<i>.key, metadata.<i>.value, function.<key>, tools, codeInterpreterFileIds, vectorStoreIds.
 */
export function validateForm(values: AssistantFormValues, apiVersion: string): FieldErrors {
  const g = generationOf(apiVersion);
  const errors: FieldErrors = {};
  const L = ASSISTANT_LIMITS;
  if (values.name.length > L.name)
    errors.name = `Name is ${values.name.length} characters; the limit is ${L.name}.`;
  if (values.description.length > L.description)
    errors.description = `Description is ${values.description.length} characters; the limit is ${L.description}.`;
  const maxInstructions = L.instructions[g];
  if (values.instructions.length > maxInstructions)
    errors.instructions = `Instructions are ${values.instructions.length.toLocaleString("en-US")} characters; the limit on ${g} api-versions (${apiVersion}) is ${maxInstructions.toLocaleString("en-US")}.`;
  if (values.model.trim() === "")
    errors.model = "Deployment is required: the name of the model deployment (sent as model).";
  else if (values.model.length > 256) errors.model = "Deployment names are at most 256 characters.";

  if (g === "v2") {
    const t = numberError(values.temperature, "Temperature", L.temperature.min, L.temperature.max);
    if (t) errors.temperature = t;
    const p = numberError(values.topP, "Top P", L.topP.min, L.topP.max);
    if (p) errors.topP = p;
    if (values.responseFormat === "json_schema") {
      if (!hasStructuredOutputs(apiVersion))
        errors.responseFormat = `json_schema needs api-version ${STRUCTURED_OUTPUTS_SINCE}-preview or later; this connection uses ${apiVersion}.`;
      if (!FUNCTION_NAME_PATTERN.test(values.jsonSchemaName))
        errors.jsonSchemaName = "Schema name is required: 1–64 letters, digits, _ or -.";
      const parsed = parseJsonObject(values.jsonSchema, "Schema");
      if (!parsed.ok) errors.jsonSchema = parsed.error;
      else if (values.jsonSchemaStrict) {
        const problem = strictSchemaProblem(parsed.value, "the schema");
        if (problem) errors.jsonSchema = `With Strict on, ${problem}`;
      }
    }
    if (values.codeInterpreterFileIds.length > L.codeInterpreterFiles)
      errors.codeInterpreterFileIds = `Code interpreter takes at most ${L.codeInterpreterFiles} files; ${values.codeInterpreterFileIds.length} are chosen.`;
    if (values.vectorStoreIds.length > L.vectorStores)
      errors.vectorStoreIds = `File search takes at most ${L.vectorStores} vector store per assistant.`;
  } else if (values.codeInterpreterFileIds.length > L.codeInterpreterFiles) {
    errors.codeInterpreterFileIds = `v1 assistants take at most ${L.codeInterpreterFiles} file_ids; ${values.codeInterpreterFileIds.length} are chosen.`;
  }

  const names = new Map<string, number>();
  values.functions.forEach((f) => {
    const r = parseFunction(f.json, apiVersion);
    if (!r.ok) errors[`function.${f.key}`] = r.error;
    else {
      if (names.has(r.value.name))
        errors[`function.${f.key}`] =
          `Another function is already named "${r.value.name}"; names must be unique.`;
      names.set(r.value.name, 1);
    }
  });
  const toolCount = countTools(values);
  if (toolCount > L.tools)
    errors.tools = `An assistant has at most ${L.tools} tools; this one has ${toolCount}.`;

  if (values.metadata.length > L.metadataKeys)
    errors.metadata = `Metadata holds at most ${L.metadataKeys} keys; there are ${values.metadata.length}.`;
  const seen = new Set<string>();
  values.metadata.forEach((m, i) => {
    if (m.key === "") errors[`metadata.${i}.key`] = "Key is required (or remove the row).";
    else if (m.key.length > L.metadataKeyLength)
      errors[`metadata.${i}.key`] = `Key is ${m.key.length} characters; the limit is ${L.metadataKeyLength}.`;
    else if (seen.has(m.key)) errors[`metadata.${i}.key`] = `Key "${m.key}" is used twice.`;
    seen.add(m.key);
    if (m.value.length > L.metadataValueLength)
      errors[`metadata.${i}.value`] =
        `Value is ${m.value.length} characters; the limit is ${L.metadataValueLength}.`;
  });
  return errors;
}

/** Tools the assistant will have; file search counts on v1 too, where it goes as retrieval. */
export function countTools(values: AssistantFormValues): number {
  return (values.codeInterpreter ? 1 : 0) + (values.fileSearch ? 1 : 0) + values.functions.length;
}

export function parseJsonObject(
  text: string,
  label: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: false, error: `${label} is required: a JSON Schema object.` };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${label} is not valid JSON: ${(e as Error).message}` };
  }
  if (!isPlainObject(v)) return { ok: false, error: `${label} must be a JSON object ({ … }).` };
  return { ok: true, value: v };
}

/** Settings the form holds that the connection's generation cannot take: kept in the draft, not sent. */
export function unsentSettings(values: AssistantFormValues, apiVersion: string): string[] {
  const g = generationOf(apiVersion);
  const out: string[] = [];
  if (g === "v1") {
    // File search goes as v1's retrieval, over the file_ids; its v2 options and store do not.
    if (values.fileSearch && values.fileSearchOptions) out.push("File search options");
    if (values.vectorStoreIds.length) out.push("Vector store");
    if (values.temperature.trim()) out.push("Temperature");
    if (values.topP.trim()) out.push("Top P");
    if (values.responseFormat !== "auto") out.push("Response format");
  }
  return out;
}

/** The create/update body for the connection's generation. Call after `validateForm` found nothing. */
export function toRequestBody(values: AssistantFormValues, apiVersion: string): Record<string, unknown> {
  const g = generationOf(apiVersion);
  const tools: Record<string, unknown>[] = [];
  if (values.codeInterpreter) tools.push({ type: "code_interpreter" });
  // v1's file search is the retrieval tool, which searches the assistant's file_ids.
  if (values.fileSearch && g === "v1") tools.push({ type: "retrieval" });
  if (values.fileSearch && g === "v2")
    tools.push(
      values.fileSearchOptions
        ? { type: "file_search", file_search: values.fileSearchOptions }
        : { type: "file_search" },
    );
  for (const f of values.functions) {
    const r = parseFunction(f.json, apiVersion);
    if (r.ok) tools.push({ type: "function", function: r.value });
  }
  const body: Record<string, unknown> = {
    model: values.model.trim(),
    name: values.name.trim() === "" ? null : values.name,
    description: values.description === "" ? null : values.description,
    instructions: values.instructions === "" ? null : values.instructions,
    tools,
    metadata: Object.fromEntries(values.metadata.map((m) => [m.key, m.value])),
  };
  if (g === "v1") {
    body.file_ids = [...values.codeInterpreterFileIds];
    return body;
  }
  const tr: Record<string, unknown> = {};
  if (values.codeInterpreter || values.codeInterpreterFileIds.length)
    tr.code_interpreter = { file_ids: [...values.codeInterpreterFileIds] };
  if (values.fileSearch || values.vectorStoreIds.length)
    tr.file_search = { vector_store_ids: [...values.vectorStoreIds] };
  body.tool_resources = tr;
  body.temperature = values.temperature.trim() === "" ? 1 : Number(values.temperature);
  body.top_p = values.topP.trim() === "" ? 1 : Number(values.topP);
  if (values.responseFormat === "auto") body.response_format = "auto";
  else if (values.responseFormat === "json_schema") {
    const schema = parseJsonObject(values.jsonSchema, "Schema");
    body.response_format = {
      type: "json_schema",
      json_schema: {
        name: values.jsonSchemaName,
        ...(values.jsonSchemaDescription ? { description: values.jsonSchemaDescription } : {}),
        schema: schema.ok ? schema.value : {},
        strict: values.jsonSchemaStrict,
      },
    };
  } else body.response_format = { type: values.responseFormat };
  return body;
}

export const FUNCTION_EXAMPLES: { label: string; value: ParsedFunction }[] = [
  {
    label: "Weather",
    value: {
      name: "get_weather",
      description: "Get the current weather for a city.",
      parameters: {
        type: "object",
        properties: {
          location: { type: "string", description: "City and country, e.g. Paris, France" },
          unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        },
        required: ["location"],
      },
    },
  },
  {
    label: "Stock price",
    value: {
      name: "get_stock_price",
      description: "Look up the latest price of a stock by its ticker symbol.",
      parameters: {
        type: "object",
        properties: { symbol: { type: "string", description: "Ticker, e.g. MSFT" } },
        required: ["symbol"],
      },
    },
  },
  {
    label: "Send email",
    value: {
      name: "send_email",
      description: "Send an email to a recipient.",
      parameters: {
        type: "object",
        properties: {
          to: { type: "string", description: "Recipient address" },
          subject: { type: "string" },
          body: { type: "string" },
        },
        required: ["to", "subject", "body"],
      },
    },
  },
];
