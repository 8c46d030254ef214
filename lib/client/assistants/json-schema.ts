/**
 * Checks that a value is a valid JSON Schema: against the draft-07 meta-schema (what OpenAI and
 * Azure accept for function parameters and structured outputs) and strictly (an unknown keyword,
 * usually a typo such as "propertys", is an error rather than silently ignored). Every problem is
 * named, in plain words, at its place (lib/json-schema/plain-problems.ts).
 *
 * Why not ajv: ajv compiles validators with `new Function`, which the app's Content-Security-Policy
 * (no 'unsafe-eval') forbids. @cfworker/json-schema interprets schemas instead. Both it and the
 * meta-schema load on demand, out of the page's first-load JS.
 */
import type { Validator } from "@cfworker/json-schema";
import { describeSchemaProblems, schemaProblems } from "@/lib/json-schema/plain-problems";

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

/**
 * null when the schema is valid; else a message whose first line says how many problems there are
 * and each further line one problem ("• properties › city › type: …").
 */
export async function checkJsonSchema(schema: unknown, label = "parameters"): Promise<string | null> {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema))
    return `${label} must be a JSON Schema object.`;
  const meta = await loadMetaValidator();
  return describeSchemaProblems(label, schemaProblems(meta, schema));
}
