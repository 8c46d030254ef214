import { describe, expect, it } from "vitest";
import type { AssistantTool } from "openai/resources/beta/assistants";
import { buildRunOverrides, emptyRunOptions, isV1ApiVersion } from "./run-options";

const tools: AssistantTool[] = [
  { type: "code_interpreter" },
  { type: "function", function: { name: "get_weather", parameters: {} } },
];

describe("buildRunOverrides", () => {
  it("sends nothing when every field keeps the assistant's value", () => {
    expect(buildRunOverrides(emptyRunOptions, { tools })).toEqual({ overrides: {}, errors: {} });
  });

  it("maps every option onto the run body", () => {
    const { overrides, errors } = buildRunOverrides(
      {
        ...emptyRunOptions,
        instructions: "Be brief.",
        additionalInstructions: "Use metric units.",
        model: "gpt-4o-mini",
        tools: ["function:get_weather"],
        toolChoice: "function:get_weather",
        temperature: "0.2",
        topP: "0.9",
        maxPromptTokens: "1000",
        maxCompletionTokens: "500",
        truncation: "last_messages",
        lastMessages: "4",
        parallelToolCalls: "false",
        responseFormat: "json_object",
      },
      { tools },
    );
    expect(errors).toEqual({});
    expect(overrides).toEqual({
      instructions: "Be brief.",
      additional_instructions: "Use metric units.",
      model: "gpt-4o-mini",
      tools: [tools[1]],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      temperature: 0.2,
      top_p: 0.9,
      max_prompt_tokens: 1000,
      max_completion_tokens: 500,
      truncation_strategy: { type: "last_messages", last_messages: 4 },
      parallel_tool_calls: false,
      response_format: { type: "json_object" },
    });
  });

  it("names the field of each bad value", () => {
    const { errors } = buildRunOverrides(
      {
        ...emptyRunOptions,
        temperature: "3",
        topP: "x",
        maxCompletionTokens: "1.5",
        truncation: "last_messages",
        toolChoice: "file_search",
      },
      { tools },
    );
    expect(Object.keys(errors).sort()).toEqual([
      "lastMessages",
      "maxCompletionTokens",
      "temperature",
      "toolChoice",
      "topP",
    ]);
    expect(errors.temperature).toBe("Enter a number from 0 to 2.");
  });

  it("knows v1 api-versions", () => {
    expect(isV1ApiVersion("2024-02-15-preview")).toBe(true);
    expect(isV1ApiVersion("2024-05-01-preview")).toBe(false);
    expect(isV1ApiVersion("2025-01-01-preview")).toBe(false);
  });
});
