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

/**
 * JSON nesting (objects and arrays) a schema may have: a validator walks a schema recursively, so
 * one nested 50,000 deep would overflow the stack. Real schemas stay far below this.
 */
export const MAX_SCHEMA_DEPTH = 100;

/** Whether `value` nests objects/arrays more than `max` levels deep (counted without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** null when `schema` passes the meta-schema `validator`; else its most specific problem. */
export function metaSchemaProblem(validator: Validator, schema: unknown): string | null {
  if (nestsDeeperThan(schema, MAX_SCHEMA_DEPTH))
    return `it is nested more than ${MAX_SCHEMA_DEPTH} levels deep`;
  const result = validator.validate(schema);
  return result.valid ? null : deepestError(result.errors);
}
