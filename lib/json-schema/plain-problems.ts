/**
 * Every problem in a JSON Schema, each in plain words at its place ("properties › city › type:
 * "strin" is not a JSON type…"), for people editing a function's parameters. The meta-schema
 * validator's own output names the meta-schema's machinery ("Instance does not match any
 * subschemas") and, read as its deepest error, one problem only; here each misused keyword is
 * explained from the value written, and unknown keywords (typos) are all listed, with the keyword
 * meant when one is close. Pure: it imports nothing from the app or the engine.
 */
import type { OutputUnit, Validator } from "@cfworker/json-schema";
import { MAX_SCHEMA_DEPTH, nestsDeeperThan } from "./meta-schema";

export interface SchemaProblem {
  /** Keys from the schema's top to the value at fault; [] is the schema itself. */
  path: string[];
  message: string;
}

/** Keywords of JSON Schema draft-07 and 2020-12 (validation, applicators, annotations, core). */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  "$schema",
  "$id",
  "$ref",
  "$comment",
  "$defs",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$vocabulary",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "readOnly",
  "writeOnly",
  "deprecated",
  "type",
  "enum",
  "const",
  "format",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "items",
  "prefixItems",
  "additionalItems",
  "unevaluatedItems",
  "contains",
  "maxContains",
  "minContains",
  "maxItems",
  "minItems",
  "uniqueItems",
  "properties",
  "patternProperties",
  "additionalProperties",
  "unevaluatedProperties",
  "propertyNames",
  "required",
  "dependentRequired",
  "dependentSchemas",
  "dependencies",
  "maxProperties",
  "minProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
]);

/** Keywords whose value is one schema. */
const SUBSCHEMA = new Set([
  "additionalProperties",
  "additionalItems",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "contentSchema",
]);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Meta-schema keywords that only gather the errors of their parts (reported at the parts). */
const GATHERING = new Set([
  "$ref",
  "properties",
  "additionalProperties",
  "patternProperties",
  "items",
  "additionalItems",
  "allOf",
  "anyOf",
  "oneOf",
  "dependencies",
  "propertyNames",
  "if",
  "then",
  "else",
  "contains",
]);

const TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"];
const TYPE_LIST = "string, number, integer, boolean, object, array or null";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** What a person would call a JSON value's kind: "text "abc"", "the number 3", "a list"… */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "number") return `the number ${v}`;
  if (typeof v === "boolean") return String(v);
  return "an object";
}

/** How the place is read out: "properties › city › type"; the schema itself is "the top level". */
export function placeName(path: readonly string[]): string {
  return path.length === 0 ? "the top level" : path.join(" › ");
}

function valueAt(schema: unknown, path: readonly string[]): unknown {
  let v = schema;
  for (const key of path) {
    if (Array.isArray(v)) v = v[Number(key)];
    else if (isObject(v)) v = v[key];
    else return undefined;
  }
  return v;
}

/**
 * Where an error at `path` belongs: the keyword it misuses (path up to that keyword), or, when the
 * path ends on a position that should hold a schema, that position.
 */
function placeOf(schema: unknown, path: readonly string[]): { path: string[]; keyword: string | null } {
  let at: "schema" | "map" | "list" = "schema";
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (at !== "schema") {
      at = "schema";
      continue;
    }
    if (SCHEMA_MAPS.has(key)) at = "map";
    else if (SCHEMA_LISTS.has(key)) at = "list";
    else if (key === "items") at = Array.isArray(valueAt(schema, path.slice(0, i + 1))) ? "list" : "schema";
    else if (SUBSCHEMA.has(key)) at = "schema";
    else return { path: path.slice(0, i + 1), keyword: key };
    // A map, list or sub-schema keyword that is itself the wrong kind is the keyword's problem.
    if (i === path.length - 1) return { path: [...path], keyword: key };
  }
  return { path: [...path], keyword: null };
}

const wholeNumberKeywords = new Set([
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minContains",
  "maxContains",
]);
const numberKeywords = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]);
const textKeywords = new Set([
  "title",
  "description",
  "format",
  "pattern",
  "$id",
  "$schema",
  "$ref",
  "$comment",
  "contentMediaType",
  "contentEncoding",
]);

/** The keyword's rule in plain words, from the value written; null when none applies. */
function explainKeyword(keyword: string, value: unknown): string | null {
  if (keyword === "type") {
    if (typeof value === "string")
      return `${JSON.stringify(value)} is not a JSON type. Use one of ${TYPE_LIST}.`;
    if (Array.isArray(value)) {
      const bad = value.filter((t) => typeof t !== "string" || !TYPES.includes(t));
      if (bad.length > 0)
        return `${bad.map((t) => JSON.stringify(t)).join(", ")} ${bad.length === 1 ? "is not a JSON type" : "are not JSON types"}. Use ${TYPE_LIST}.`;
      if (new Set(value).size !== value.length) return "lists a type twice.";
      return null;
    }
    return `must be a type name (${TYPE_LIST}) or a list of them, not ${kindOf(value)}.`;
  }
  if (keyword === "required") {
    if (typeof value === "string")
      return `must be a list of property names, such as ["${value}"], not one name.`;
    if (Array.isArray(value)) {
      if (value.some((n) => typeof n !== "string")) return "must list property names, as text.";
      if (new Set(value).size !== value.length) return "names a property twice.";
    }
    return `must be a list of property names, such as ["city"], not ${kindOf(value)}.`;
  }
  if (keyword === "enum") {
    if (!Array.isArray(value))
      return `must be a list of the allowed values, such as ["c", "f"], not ${kindOf(value)}.`;
    if (value.length === 0) return "must list at least one allowed value.";
    return "lists a value twice.";
  }
  if (SCHEMA_MAPS.has(keyword))
    return `must be an object that maps each name to its schema, such as {"city": {"type": "string"}}, not ${kindOf(value)}.`;
  if (SCHEMA_LISTS.has(keyword)) return `must be a list of schemas, not ${kindOf(value)}.`;
  if (keyword === "items")
    return `must be a schema (an object such as {"type": "string"}), not ${kindOf(value)}.`;
  if (SUBSCHEMA.has(keyword))
    return `must be a schema (an object such as {"type": "string"}) or true/false, not ${kindOf(value)}.`;
  if (wholeNumberKeywords.has(keyword)) return `must be a whole number, 0 or more, not ${kindOf(value)}.`;
  if (numberKeywords.has(keyword)) return `must be a number, not ${kindOf(value)}.`;
  if (keyword === "multipleOf") return `must be a number greater than 0, not ${kindOf(value)}.`;
  if (textKeywords.has(keyword)) return `must be text, not ${kindOf(value)}.`;
  if (
    keyword === "uniqueItems" ||
    keyword === "readOnly" ||
    keyword === "writeOnly" ||
    keyword === "deprecated"
  )
    return `must be true or false, not ${kindOf(value)}.`;
  if (keyword === "examples") return `must be a list of example values, not ${kindOf(value)}.`;
  if (keyword === "dependentRequired") return "must map each property to a list of property names.";
  return null;
}

/** The validator's own words for the rest, with its jargon replaced. */
function plainValidatorWords(error: string): string {
  const typeError = /^Instance type "(\w+)" is invalid\. Expected (.+)\.$/.exec(error);
  if (typeError)
    return `is ${typeError[1] === "array" ? "a list" : `a ${typeError[1]}`}; it must be ${typeError[2]!.replaceAll('"', "")}.`;
  return error.replace(/^Instance /, "The value ").replace(/\.?$/, ".");
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known keyword a typo is closest to, when it is close (at most 2 edits, or the same letters). */
function closestKeyword(word: string): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of KNOWN_KEYWORDS) {
    const d = k.toLowerCase() === word.toLowerCase() ? 0 : levenshtein(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.min(2, Math.floor(word.length / 3)) ? best : null;
}

/** Every unknown keyword, in the order it appears, with where it is. */
function unknownKeywords(schema: unknown, at: string[], out: SchemaProblem[]): void {
  if (!isObject(schema)) return;
  for (const key of Object.keys(schema)) {
    if (KNOWN_KEYWORDS.has(key)) continue;
    const meant = closestKeyword(key);
    out.push({
      path: at,
      message: `"${key}" is not a JSON Schema keyword${meant ? ` (did you mean "${meant}"?)` : ""}.${
        !meant && isObject(schema[key]) && "type" in schema[key]
          ? ` To describe a property named "${key}", put it under "properties".`
          : ""
      }`,
    });
  }
  for (const [key, value] of Object.entries(schema)) {
    if (SUBSCHEMA.has(key)) unknownKeywords(value, [...at, key], out);
    else if (SCHEMA_MAPS.has(key) && isObject(value))
      for (const [name, sub] of Object.entries(value)) unknownKeywords(sub, [...at, key, name], out);
    else if ((SCHEMA_LISTS.has(key) || key === "items") && Array.isArray(value))
      value.forEach((sub, i) => unknownKeywords(sub, [...at, key, String(i)], out));
    else if (key === "items") unknownKeywords(value, [...at, key], out);
  }
}

const pointerPath = (location: string) =>
  location
    .replace(/^#\/?/, "")
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s).replaceAll("~1", "/").replaceAll("~0", "~"));

/**
 * Every problem of `schema` against the meta-schema `validator`, then every unknown keyword; [] when
 * it is a valid schema. One problem per place, in the order of the schema's text.
 */
export function schemaProblems(validator: Validator, schema: unknown): SchemaProblem[] {
  if (nestsDeeperThan(schema, MAX_SCHEMA_DEPTH))
    return [{ path: [], message: `is nested more than ${MAX_SCHEMA_DEPTH} levels deep.` }];
  if (!isObject(schema) && typeof schema !== "boolean")
    return [
      {
        path: [],
        message: `must be a schema (an object such as {"type": "object"}), not ${kindOf(schema)}.`,
      },
    ];
  const result = validator.validate(schema);
  const byPlace = new Map<string, { path: string[]; keyword: string | null; errors: OutputUnit[] }>();
  if (!result.valid) {
    for (const e of result.errors) {
      if (GATHERING.has(e.keyword)) continue;
      const place = placeOf(schema, pointerPath(e.instanceLocation));
      const key = JSON.stringify(place.path);
      const entry = byPlace.get(key) ?? { ...place, errors: [] };
      entry.errors.push(e);
      byPlace.set(key, entry);
    }
  }
  const problems: SchemaProblem[] = [];
  for (const { path, keyword, errors } of byPlace.values()) {
    const value = valueAt(schema, path);
    const message = keyword
      ? (explainKeyword(keyword, value) ?? plainValidatorWords(errors[0]!.error))
      : `must be a schema (an object such as {"type": "string"}), not ${kindOf(value)}.`;
    problems.push({ path, message });
  }
  // The meta-schema lets unknown keywords through; most are typos ("propertys") that would be ignored.
  unknownKeywords(schema, [], problems);
  const order = placeOrder(schema);
  return problems.sort((a, b) => (order.get(a.path.join("/")) ?? 0) - (order.get(b.path.join("/")) ?? 0));
}

/** Each place's position in the schema's written order (depth first, keys as written). */
function placeOrder(schema: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (v: unknown, at: string[]) => {
    order.set(at.join("/"), order.size);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, String(i)]));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(schema, []);
  return order;
}

/** The problems as one message: a first line, then one line per problem ("• place: message"). */
export function describeSchemaProblems(label: string, problems: readonly SchemaProblem[]): string | null {
  if (problems.length === 0) return null;
  const head = `${label} is not a valid JSON Schema (${problems.length === 1 ? "1 problem" : `${problems.length} problems`}):`;
  return [head, ...problems.map((p) => `• ${placeName(p.path)}: ${p.message}`)].join("\n");
}
