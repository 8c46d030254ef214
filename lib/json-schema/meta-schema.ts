/**
 * Reading a JSON Schema meta-schema check, shared by the browser's function editor
 * (lib/client/assistants/json-schema.ts) and the local engine (lib/engine/validate.ts), so both
 * name the same problem the same way. Pure: it imports nothing from the app or the engine.
 */
import type { OutputUnit, Validator } from "@cfworker/json-schema";

/** The most specific error: the one deepest in the schema being checked, as `/path: message`. */
export function deepestError(errors: readonly OutputUnit[]): string {
  const deepest = [...errors].sort((a, b) => b.instanceLocation.length - a.instanceLocation.length)[0];
  if (!deepest) return "it does not match the JSON Schema meta-schema";
  return `${deepest.instanceLocation.replace(/^#/, "") || "/"}: ${deepest.error}`;
}

/** null when `schema` passes the meta-schema `validator`; else its most specific problem. */
export function metaSchemaProblem(validator: Validator, schema: unknown): string | null {
  const result = validator.validate(schema);
  return result.valid ? null : deepestError(result.errors);
}
