import type { Assistant, AssistantTool } from "openai/resources/beta/assistants";
import type { RunCreateParamsBase } from "openai/resources/beta/threads/runs/runs";
import { speaksGeneration } from "@/lib/protocol/api-versions";

/** The run-options form as typed: strings, so bad input stays on screen beside its error. */
export interface RunOptionsDraft {
  instructions: string;
  additionalInstructions: string;
  model: string;
  /** null: the assistant's tools. Otherwise the keys of the tools to use (`code_interpreter`, `function:name`…). */
  tools: string[] | null;
  /** "auto" | "none" | "required" | a tool key. */
  toolChoice: string;
  temperature: string;
  topP: string;
  maxPromptTokens: string;
  maxCompletionTokens: string;
  /** "auto" | "last_messages" */
  truncation: string;
  lastMessages: string;
  /** "default" | "true" | "false" */
  parallelToolCalls: string;
  /** "default" | "auto" | "text" | "json_object" */
  responseFormat: string;
  /** Stream the run (off: create and poll, for upstreams that do not stream). */
  stream: boolean;
}

export const emptyRunOptions: RunOptionsDraft = {
  instructions: "",
  additionalInstructions: "",
  model: "",
  tools: null,
  toolChoice: "auto",
  temperature: "",
  topP: "",
  maxPromptTokens: "",
  maxCompletionTokens: "",
  truncation: "auto",
  lastMessages: "",
  parallelToolCalls: "default",
  responseFormat: "default",
  stream: true,
};

export type RunOverrides = Omit<RunCreateParamsBase, "assistant_id" | "stream">;
export type RunOptionErrors = Partial<Record<keyof RunOptionsDraft, string>>;

export function toolKey(tool: AssistantTool): string {
  return tool.type === "function" ? `function:${tool.function.name}` : tool.type;
}

export function toolLabel(key: string): string {
  if (key.startsWith("function:")) return `${key.slice("function:".length)} (function)`;
  return key === "code_interpreter" ? "Code interpreter" : key === "file_search" ? "File search" : key;
}

/** v1 api-versions neither stream nor take v2-only run options. */
export function isV1ApiVersion(apiVersion: string): boolean {
  return speaksGeneration(apiVersion) === "v1";
}

function number(
  value: string,
  field: keyof RunOptionsDraft,
  errors: RunOptionErrors,
  { min, max, integer }: { min: number; max: number; integer?: boolean },
): number | undefined {
  const text = value.trim();
  if (!text) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    errors[field] = integer
      ? `Enter a whole number from ${min}${max < Infinity ? ` to ${max}` : " up"}.`
      : `Enter a number from ${min} to ${max}.`;
    return undefined;
  }
  return n;
}

/**
 * The body fields of one run from the form: only what differs from "use the assistant's value"
 * is sent. Errors name the field they belong to.
 */
export function buildRunOverrides(
  draft: RunOptionsDraft,
  assistant: Pick<Assistant, "tools"> | null,
): { overrides: RunOverrides; errors: RunOptionErrors } {
  const errors: RunOptionErrors = {};
  const overrides: RunOverrides = {};
  if (draft.instructions.trim()) overrides.instructions = draft.instructions;
  if (draft.additionalInstructions.trim()) overrides.additional_instructions = draft.additionalInstructions;
  if (draft.model.trim()) overrides.model = draft.model.trim();
  const assistantTools = assistant?.tools ?? [];
  if (draft.tools !== null) {
    const chosen = new Set(draft.tools);
    overrides.tools = assistantTools.filter((t) => chosen.has(toolKey(t)));
  }
  const available = overrides.tools ?? assistantTools;
  if (draft.toolChoice === "none" || draft.toolChoice === "required") {
    overrides.tool_choice = draft.toolChoice;
  } else if (draft.toolChoice !== "auto") {
    const tool = available.find((t) => toolKey(t) === draft.toolChoice);
    if (!tool) errors.toolChoice = "That tool is not among this run's tools.";
    else if (tool.type === "function")
      overrides.tool_choice = { type: "function", function: { name: tool.function.name } };
    else overrides.tool_choice = { type: tool.type };
  }
  const temperature = number(draft.temperature, "temperature", errors, { min: 0, max: 2 });
  if (temperature !== undefined) overrides.temperature = temperature;
  const topP = number(draft.topP, "topP", errors, { min: 0, max: 1 });
  if (topP !== undefined) overrides.top_p = topP;
  const maxPrompt = number(draft.maxPromptTokens, "maxPromptTokens", errors, {
    min: 256,
    max: Infinity,
    integer: true,
  });
  if (maxPrompt !== undefined) overrides.max_prompt_tokens = maxPrompt;
  const maxCompletion = number(draft.maxCompletionTokens, "maxCompletionTokens", errors, {
    min: 16,
    max: Infinity,
    integer: true,
  });
  if (maxCompletion !== undefined) overrides.max_completion_tokens = maxCompletion;
  if (draft.truncation === "last_messages") {
    const n = number(draft.lastMessages, "lastMessages", errors, { min: 1, max: Infinity, integer: true });
    if (n === undefined && !errors.lastMessages) errors.lastMessages = "Enter how many messages to keep.";
    if (n !== undefined) overrides.truncation_strategy = { type: "last_messages", last_messages: n };
  }
  if (draft.parallelToolCalls !== "default")
    overrides.parallel_tool_calls = draft.parallelToolCalls === "true";
  if (draft.responseFormat === "auto") overrides.response_format = "auto";
  else if (draft.responseFormat === "text" || draft.responseFormat === "json_object")
    overrides.response_format = { type: draft.responseFormat };
  return { overrides, errors };
}

/** How many options differ from the assistant's (shown on the disclosure). */
export function countOverrides(draft: RunOptionsDraft): number {
  const { overrides } = buildRunOverrides(draft, null);
  return Object.keys(overrides).length + (draft.tools !== null ? 1 : 0) + (draft.stream ? 0 : 1);
}
