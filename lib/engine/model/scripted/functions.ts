/**
 * Function calling for the scripted model: which functions a message asks for (by name, or by
 * word overlap with the name and description), and arguments synthesised from their JSON Schema.
 */
import type { ModelRunContext, PlannedToolCall, ToolChoice, ToolDefinition } from "../types";
import { sampleFromSchema } from "./schema-sample";
import { keywords, properNouns, stem, words } from "./text";

export type FunctionTool = Extract<ToolDefinition, { type: "function" }>["function"];

/** Verbs common to many function names; sharing only these says nothing about intent. */
const GENERIC_NAME_WORDS = new Set(
  [
    "get",
    "set",
    "fetch",
    "find",
    "list",
    "create",
    "update",
    "delete",
    "make",
    "do",
    "run",
    "call",
    "add",
    "remove",
    "search",
    "lookup",
    "look",
    "query",
    "send",
    "check",
    "compute",
    "calculate",
  ].map(stem),
);

export function functionTools(tools: ToolDefinition[]): FunctionTool[] {
  return tools.flatMap((t) => (t.type === "function" ? [t.function] : []));
}

export interface FunctionMatch {
  fn: FunctionTool;
  score: number;
}

/** Scores each function against the message; a score > 0 means the message asks for it. */
export function matchFunctions(text: string, fns: FunctionTool[]): FunctionMatch[] {
  const lower = text.toLowerCase();
  const msg = new Set(keywords(text));
  const out: FunctionMatch[] = [];
  for (const fn of fns) {
    const literal = new RegExp(
      `(^|[^\\w])${fn.name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^\\w]|$)`,
    ).test(lower);
    const spaced = words(fn.name).join(" ");
    const nameWords = [...new Set(words(fn.name).map(stem))].filter((w) => w.length > 1);
    const specific = nameWords.filter((w) => !GENERIC_NAME_WORDS.has(w));
    const nameHits = specific.filter((w) => msg.has(w)).length;
    const descHits = [...new Set(keywords(fn.description ?? ""))].filter(
      (w) => msg.has(w) && !nameWords.includes(w),
    ).length;
    let score = 0;
    if (literal || (spaced.includes(" ") && lower.includes(spaced))) score = 100 + nameWords.length;
    else if (nameHits > 0 && nameHits * 2 + descHits >= 2) score = nameHits * 2 + descHits;
    else if (descHits >= 3) score = descHits;
    out.push({ fn, score });
  }
  return out;
}

const LOCATION_PROP = /^(city|location|place|town|country|region|destination)$/i;

/**
 * The function calls for this turn, or [] when none is asked for. `tool_choice` "required" or a
 * named function forces a call; "none" is handled by the caller.
 */
export function planFunctionCalls(
  ctx: Pick<ModelRunContext, "tools" | "toolChoice" | "parallelToolCalls">,
  text: string,
): PlannedToolCall[] {
  const fns = functionTools(ctx.tools);
  if (fns.length === 0) return [];
  const choice: ToolChoice = ctx.toolChoice;
  let chosen: FunctionTool[];
  if (typeof choice === "object" && choice.type === "function") {
    const named = fns.find((f) => f.name === choice.function.name);
    chosen = named ? [named] : [];
  } else {
    const ranked = matchFunctions(text, fns)
      .map((m, i) => ({ ...m, i }))
      .filter((m) => m.score > 0)
      .sort((a, b) => b.score - a.score || a.i - b.i);
    chosen = ranked.map((m) => m.fn);
    if (chosen.length === 0 && choice === "required") chosen = [fns[0]!];
    if (!ctx.parallelToolCalls) chosen = chosen.slice(0, 1);
  }
  const calls: PlannedToolCall[] = [];
  for (const fn of chosen) {
    // Each set of arguments is a schema sample: none for calls past the cut below.
    if (calls.length >= 16) break;
    for (const args of argumentsFor(fn, text, ctx.parallelToolCalls))
      calls.push({ type: "function", name: fn.name, arguments: JSON.stringify(args) });
  }
  return calls.slice(0, 16);
}

/**
 * Arguments for one function: one set, or one per place named when the function takes a single
 * required location and parallel calls are allowed ("weather in Paris and Tokyo" → two calls).
 */
function argumentsFor(fn: FunctionTool, text: string, parallel: boolean): unknown[] {
  const schema = fn.parameters ?? { type: "object", properties: {} };
  const props = (schema.properties ?? {}) as Record<string, { type?: unknown; enum?: unknown }>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const locationKeys = required.filter(
    (k) => LOCATION_PROP.test(k) && props[k]?.type === "string" && !props[k]?.enum,
  );
  // A capitalised enum value ("Celsius") is a choice, not a place.
  const schemaText = JSON.stringify(schema).toLowerCase();
  const places = properNouns(text).filter((p) => !schemaText.includes(`"${p.toLowerCase()}"`));
  if (parallel && locationKeys.length === 1 && places.length > 1) {
    return places
      .slice(0, 5)
      .map((place) => sampleFromSchema(schema, { text, known: { [locationKeys[0]!]: place } }));
  }
  return [sampleFromSchema(schema, { text })];
}
