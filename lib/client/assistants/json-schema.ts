/**
 * Checks that a value is a valid JSON Schema: against the draft-07 meta-schema (what OpenAI and
 * Azure accept for function parameters and structured outputs) and strictly (an unknown keyword,
 * usually a typo such as "propertys", is an error rather than silently ignored).
 *
 * Why not ajv: ajv compiles validators with `new Function`, which the app's Content-Security-Policy
 * (no 'unsafe-eval') forbids. @cfworker/json-schema interprets schemas instead. Both it and the
 * meta-schema load on demand, out of the page's first-load JS.
 */
import type { Validator } from "@cfworker/json-schema";
import { metaSchemaProblem } from "@/lib/json-schema/meta-schema";

let validatorPromise: Promise<Validator> | null = null;

function loadMetaValidator(): Promise<Validator> {
  validatorPromise ??= Promise.all([
    import("@cfworker/json-schema"),
    import("ajv/dist/refs/json-schema-draft-07.json"),
  ]).then(
    ([{ Validator }, meta]) => new Validator((meta as { default: object }).default ?? meta, "7", false),
  );
  return validatorPromise;
}

/** Keywords of JSON Schema draft-07 and 2020-12 (validation, applicators, annotations, core). */
const KNOWN = new Set([
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

const SUBSCHEMA = [
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
];
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The first unknown keyword at a schema position, as `at /path: unknown keyword: "x"`. */
function unknownKeyword(schema: unknown, at: string): string | null {
  if (!isObject(schema)) return null;
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key)) return `unknown keyword: "${key}"${at ? ` at ${at}` : ""}`;
  }
  const visit: [unknown, string][] = [];
  for (const k of SUBSCHEMA) if (k in schema) visit.push([schema[k], `${at}/${k}`]);
  for (const k of SCHEMA_MAPS) {
    const map = schema[k];
    if (isObject(map)) for (const [name, sub] of Object.entries(map)) visit.push([sub, `${at}/${k}/${name}`]);
  }
  for (const k of SCHEMA_LISTS) {
    const list = schema[k];
    if (Array.isArray(list)) list.forEach((sub, i) => visit.push([sub, `${at}/${k}/${i}`]));
  }
  const items = schema.items;
  if (Array.isArray(items)) items.forEach((sub, i) => visit.push([sub, `${at}/items/${i}`]));
  else if (items !== undefined) visit.push([items, `${at}/items`]);
  for (const [sub, path] of visit) {
    const found = unknownKeyword(sub, path);
    if (found) return found;
  }
  return null;
}

/** null when the schema is valid; else a message naming the first problem. */
export async function checkJsonSchema(schema: unknown, label = "parameters"): Promise<string | null> {
  if (!isObject(schema)) return `${label} must be a JSON Schema object.`;
  const meta = await loadMetaValidator();
  const problem = metaSchemaProblem(meta, schema);
  if (problem) return `${label} is not a valid JSON Schema: ${problem}`;
  const unknown = unknownKeyword(schema, "");
  return unknown ? `${label} is not a valid JSON Schema: ${unknown}` : null;
}
