/** Request-body checks with the spec's limits; every failure is a 400 naming the parameter. */
import { Validator } from "@cfworker/json-schema";
import { metaSchemaProblem } from "../json-schema/meta-schema";
import draft07 from "ajv/dist/refs/json-schema-draft-07.json";
import { errors } from "./errors";
import { FUNCTION_NAME_PATTERN } from "../protocol/limits";
import { LIMITS } from "./limits";
import type { Generation, ResponseFormat, ToolChoice, ToolDefinition } from "./model/types";
import type { Metadata } from "./records";

type Body = Record<string, unknown>;

export function optString(body: Body, key: string, max?: number): string | null | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== "string") throw errors.invalid(`Invalid type for '${key}': expected a string.`, key);
  if (max !== undefined && v.length > max)
    throw errors.invalid(
      `Invalid '${key}': string too long. Expected a string with maximum length ${max}, but got a string with length ${v.length} instead.`,
      key,
      "string_above_max_length",
    );
  return v;
}

export function reqString(body: Body, key: string, max?: number): string {
  const v = optString(body, key, max);
  if (v === undefined || v === null || v === "")
    throw errors.invalid(`Missing required parameter: '${key}'.`, key, "missing_required_parameter");
  return v;
}

export function optNumber(body: Body, key: string, min: number, max: number): number | null | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw errors.invalid(`Invalid type for '${key}': expected a number.`, key);
  if (v < min)
    throw errors.invalid(
      `Invalid '${key}': decimal below minimum value. Expected a value >= ${min}, but got ${v} instead.`,
      key,
      "decimal_below_min_value",
    );
  if (v > max)
    throw errors.invalid(
      `Invalid '${key}': decimal above maximum value. Expected a value <= ${max}, but got ${v} instead.`,
      key,
      "decimal_above_max_value",
    );
  return v;
}

export function optInt(
  body: Body,
  key: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | null | undefined {
  const v = optNumber(body, key, min, max);
  if (typeof v === "number" && !Number.isInteger(v))
    throw errors.invalid(`Invalid type for '${key}': expected an integer.`, key);
  return v;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw errors.invalid(`Invalid type for '${key}': expected a boolean.`, key);
  return v;
}

export function metadata(body: Body, param = "metadata"): Metadata | undefined {
  const key = param;
  const v = body.metadata;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v))
    throw errors.invalid(`Invalid type for '${key}': expected an object.`, key);
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > LIMITS.metadataKeys)
    throw errors.invalid(
      `Invalid '${key}': too many properties. Expected an object with at most ${LIMITS.metadataKeys} properties, but got ${entries.length} instead.`,
      key,
      "object_above_max_properties",
    );
  const out: Metadata = {};
  for (const [k, val] of entries) {
    if (k.length > LIMITS.metadataKeyLength)
      throw errors.invalid(
        `Invalid '${key}': key '${k.slice(0, 20)}…' too long. Expected at most ${LIMITS.metadataKeyLength} characters.`,
        key,
        "string_above_max_length",
      );
    if (typeof val !== "string")
      throw errors.invalid(`Invalid type for '${key}.${k}': expected a string.`, `${key}.${k}`);
    if (val.length > LIMITS.metadataValueLength)
      throw errors.invalid(
        `Invalid '${key}.${k}': string too long. Expected a string with maximum length ${LIMITS.metadataValueLength}, but got a string with length ${val.length} instead.`,
        `${key}.${k}`,
        "string_above_max_length",
      );
    out[k] = val;
  }
  return out;
}

export function stringArray(value: unknown, param: string, max: number): string[] {
  if (!Array.isArray(value) || value.some((x) => typeof x !== "string"))
    throw errors.invalid(`Invalid type for '${param}': expected an array of strings.`, param);
  if (value.length > max)
    throw errors.invalid(
      `Invalid '${param}': array too long. Expected an array with maximum length ${max}, but got an array with length ${value.length} instead.`,
      param,
      "array_above_max_length",
    );
  return value as string[];
}

/**
 * Function parameters and response_format schemas must be JSON Schemas (Azure answers "Invalid
 * schema for function …"); too-deep ones are refused before the (recursive) validator sees them.
 */
const metaSchema = new Validator(draft07 as object, "7", false);

export function tools(
  body: Body,
  key: string,
  max: number,
  generation: Generation,
): ToolDefinition[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw errors.invalid(`Invalid type for '${key}': expected an array.`, key);
  if (v.length > max)
    throw errors.invalid(
      `Invalid '${key}': array too long. Expected an array with maximum length ${max}, but got an array with length ${v.length} instead.`,
      key,
      "array_above_max_length",
    );
  return v.map((t: unknown, i): ToolDefinition => {
    const param = `${key}[${i}]`;
    if (!t || typeof t !== "object")
      throw errors.invalid(`Invalid type for '${param}': expected an object.`, param);
    const tool = t as Record<string, unknown>;
    switch (tool.type) {
      case "code_interpreter":
        return { type: "code_interpreter" };
      // v1's file search; kept as file_search, rendered back as retrieval on v1 (./retrieval.ts).
      case "retrieval":
        if (generation === "v1") return { type: "file_search" };
        break;
      case "file_search": {
        if (generation === "v1") break;
        const fs = tool.file_search as Record<string, unknown> | undefined;
        if (fs && typeof fs === "object") {
          const n = optInt(
            fs,
            "max_num_results",
            LIMITS.fileSearchMaxResults.min,
            LIMITS.fileSearchMaxResults.max,
          );
          return {
            type: "file_search",
            file_search: {
              ...(n != null ? { max_num_results: n } : {}),
              ...(fs.ranking_options ? { ranking_options: fs.ranking_options } : {}),
            },
          };
        }
        return { type: "file_search" };
      }
      case "function": {
        const fn = tool.function as Record<string, unknown> | undefined;
        if (!fn || typeof fn !== "object")
          throw errors.invalid(`Missing required parameter: '${param}.function'.`, `${param}.function`);
        const name = fn.name;
        if (typeof name !== "string" || !FUNCTION_NAME_PATTERN.test(name))
          throw errors.invalid(
            `Invalid '${param}.function.name': must match ^[a-zA-Z0-9_-]{1,64}$.`,
            `${param}.function.name`,
          );
        if (
          fn.parameters !== undefined &&
          (typeof fn.parameters !== "object" || fn.parameters === null || Array.isArray(fn.parameters))
        )
          throw errors.invalid(
            `Invalid type for '${param}.function.parameters': expected an object.`,
            `${param}.function.parameters`,
          );
        const problem = fn.parameters ? metaSchemaProblem(metaSchema, fn.parameters) : null;
        if (problem)
          throw errors.invalid(
            `Invalid schema for function '${name}': ${problem}`,
            `${param}.function.parameters`,
          );
        return {
          type: "function",
          function: {
            name,
            // Azure's functionObject requires `description` in responses.
            description: typeof fn.description === "string" ? fn.description : "",
            ...(fn.parameters ? { parameters: fn.parameters as Record<string, unknown> } : {}),
            ...(typeof fn.strict === "boolean" ? { strict: fn.strict } : {}),
          },
        };
      }
    }
    throw errors.invalid(
      `Invalid value for '${param}.type': '${String(tool.type)}' is not a supported tool type.`,
      `${param}.type`,
    );
  });
}

export function responseFormat(body: Body): ResponseFormat | null | undefined {
  const v = body.response_format;
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (v === "auto") return "auto";
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const t = (v as { type?: unknown }).type;
    if (t === "text" || t === "json_object") return { type: t };
    if (t === "json_schema")
      return { type: "json_schema", json_schema: jsonSchemaFormat((v as Body).json_schema) };
  }
  throw errors.invalid(
    "Invalid 'response_format': expected 'auto', {type:'text'}, {type:'json_object'} or {type:'json_schema'}.",
    "response_format",
  );
}

type JsonSchemaFormat = Extract<ResponseFormat, { type: "json_schema" }>["json_schema"] & {
  description?: string;
};

/**
 * `response_format.json_schema` (OpenAI's ResponseFormatJsonSchema): a name like a function's, an
 * optional description, strict flag and schema; the schema is checked like function parameters.
 * Only the known fields are kept.
 */
function jsonSchemaFormat(js: unknown): JsonSchemaFormat {
  const p = "response_format.json_schema";
  if (js === undefined || js === null)
    throw errors.invalid(`Missing required parameter: '${p}'.`, p, "missing_required_parameter");
  if (typeof js !== "object" || Array.isArray(js))
    throw errors.invalid(`Invalid type for '${p}': expected an object.`, p);
  const o = js as Body;
  if (o.name === undefined || o.name === null || o.name === "")
    throw errors.invalid(
      `Missing required parameter: '${p}.name'.`,
      `${p}.name`,
      "missing_required_parameter",
    );
  if (typeof o.name !== "string" || !FUNCTION_NAME_PATTERN.test(o.name))
    throw errors.invalid(
      `Invalid '${p}.name': must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, '_' and '-', at most 64 characters).`,
      `${p}.name`,
    );
  const out: JsonSchemaFormat = { name: o.name };
  if (o.description !== undefined && o.description !== null) {
    if (typeof o.description !== "string")
      throw errors.invalid(`Invalid type for '${p}.description': expected a string.`, `${p}.description`);
    out.description = o.description;
  }
  if (o.strict !== undefined) {
    if (o.strict !== null && typeof o.strict !== "boolean")
      throw errors.invalid(`Invalid type for '${p}.strict': expected a boolean.`, `${p}.strict`);
    out.strict = o.strict;
  }
  if (o.schema !== undefined && o.schema !== null) {
    if (typeof o.schema !== "object" || Array.isArray(o.schema))
      throw errors.invalid(`Invalid type for '${p}.schema': expected an object.`, `${p}.schema`);
    const problem = metaSchemaProblem(metaSchema, o.schema);
    if (problem)
      throw errors.invalid(`Invalid schema for response_format '${o.name}': ${problem}`, `${p}.schema`);
    out.schema = o.schema as Record<string, unknown>;
  }
  return out;
}

export function toolChoice(body: Body): ToolChoice | undefined {
  const v = body.tool_choice;
  if (v === undefined || v === null) return undefined;
  if (v === "auto" || v === "none" || v === "required") return v;
  if (v && typeof v === "object") {
    const o = v as { type?: unknown; function?: { name?: unknown } };
    if (o.type === "code_interpreter" || o.type === "file_search") return { type: o.type };
    if (o.type === "function" && typeof o.function?.name === "string")
      return { type: "function", function: { name: o.function.name } };
  }
  throw errors.invalid("Invalid 'tool_choice'.", "tool_choice");
}
