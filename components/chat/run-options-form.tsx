"use client";

import type { ReactNode } from "react";
import type { Assistant } from "openai/resources/beta/assistants";
import { Button } from "@/components/ui/button";
import { Popover } from "@/components/ui/popover";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import {
  countOverrides,
  emptyRunOptions,
  toolKey,
  toolLabel,
  type RunOptionErrors,
  type RunOptionsDraft,
} from "@/lib/client/chat/run-options";

/**
 * Options for the runs started from the chat, on top of the assistant's configuration; each field
 * shows the assistant's value as its default, and an empty field keeps it.
 */
export function RunOptionsForm({
  assistant,
  draft,
  onChange,
  errors,
  v1,
  buttonClassName,
}: {
  assistant: Assistant | null;
  draft: RunOptionsDraft;
  onChange: (draft: RunOptionsDraft) => void;
  errors: RunOptionErrors;
  v1: boolean;
  buttonClassName: string;
}) {
  const set = <K extends keyof RunOptionsDraft>(key: K, value: RunOptionsDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const tools = assistant?.tools ?? [];
  const chosenTools = draft.tools ?? tools.map(toolKey);
  const available = tools.filter((t) => chosenTools.includes(toolKey(t)));
  const changed = countOverrides(draft);
  const hasErrors = Object.values(errors).some(Boolean);
  let label: ReactNode = "Options";
  if (hasErrors) label = <span className="text-red-800">Options: check the fields</span>;
  else if (changed) label = `Options (${changed} changed)`;

  return (
    // Opened (never closed) for the person when a value is refused, so the error beside it is seen.
    <Popover
      side="above"
      align="end"
      open={hasErrors ? true : undefined}
      title={
        changed ? `For the next runs: ${changed} changed` : "For the next runs: the assistant's defaults"
      }
      className="w-[min(36rem,calc(100vw-1rem))]"
      buttonClassName={buttonClassName}
      buttonLabel={`Run options${hasErrors ? ": check the fields" : changed ? ` (${changed} changed)` : ""}`}
      label={label}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <TextAreaField
          className="sm:col-span-2"
          label="Instructions override"
          rows={2}
          value={draft.instructions}
          placeholder={assistant?.instructions || "(the assistant has no instructions)"}
          hint="Replaces the assistant's instructions for this run. Empty: the assistant's."
          onChange={(e) => set("instructions", e.target.value)}
        />
        <TextAreaField
          className="sm:col-span-2"
          label="Additional instructions"
          rows={2}
          value={draft.additionalInstructions}
          hint="Appended to the instructions for this run."
          onChange={(e) => set("additionalInstructions", e.target.value)}
        />
        <TextField
          label="Model (deployment)"
          value={draft.model}
          placeholder={assistant?.model ?? ""}
          onChange={(e) => set("model", e.target.value)}
        />
        <fieldset className="sm:col-span-2">
          <legend className="mb-1 text-sm font-medium text-slate-800">Tools for this run</legend>
          {tools.length === 0 ? (
            <p className="text-xs text-slate-600">The assistant has no tools.</p>
          ) : (
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {tools.map((t) => {
                const key = toolKey(t);
                return (
                  <CheckboxField
                    key={key}
                    label={toolLabel(key)}
                    checked={chosenTools.includes(key)}
                    onChange={(e) =>
                      set(
                        "tools",
                        e.target.checked ? [...chosenTools, key] : chosenTools.filter((k) => k !== key),
                      )
                    }
                  />
                );
              })}
            </div>
          )}
        </fieldset>
        <SelectField
          label="Tool choice"
          value={draft.toolChoice}
          error={errors.toolChoice}
          onChange={(e) => set("toolChoice", e.target.value)}
        >
          <option value="auto">auto (the model decides)</option>
          <option value="none">none</option>
          <option value="required">required</option>
          {available.map((t) => (
            <option key={toolKey(t)} value={toolKey(t)}>
              only {toolLabel(toolKey(t))}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Response format"
          value={draft.responseFormat}
          onChange={(e) => set("responseFormat", e.target.value)}
          disabled={v1}
        >
          <option value="default">the assistant&apos;s ({describeFormat(assistant)})</option>
          <option value="auto">auto</option>
          <option value="text">text</option>
          <option value="json_object">JSON object</option>
        </SelectField>
        <TextField
          label="Temperature"
          inputMode="decimal"
          value={draft.temperature}
          placeholder={assistant?.temperature != null ? String(assistant.temperature) : "1"}
          error={errors.temperature}
          onChange={(e) => set("temperature", e.target.value)}
        />
        <TextField
          label="Top P"
          inputMode="decimal"
          value={draft.topP}
          placeholder={assistant?.top_p != null ? String(assistant.top_p) : "1"}
          error={errors.topP}
          onChange={(e) => set("topP", e.target.value)}
        />
        <TextField
          label="Max prompt tokens"
          inputMode="numeric"
          value={draft.maxPromptTokens}
          placeholder="no limit"
          error={errors.maxPromptTokens}
          disabled={v1}
          onChange={(e) => set("maxPromptTokens", e.target.value)}
        />
        <TextField
          label="Max completion tokens"
          inputMode="numeric"
          value={draft.maxCompletionTokens}
          placeholder="no limit"
          error={errors.maxCompletionTokens}
          disabled={v1}
          onChange={(e) => set("maxCompletionTokens", e.target.value)}
        />
        <SelectField
          label="Truncation"
          value={draft.truncation}
          disabled={v1}
          onChange={(e) => set("truncation", e.target.value)}
        >
          <option value="auto">auto</option>
          <option value="last_messages">last messages</option>
        </SelectField>
        {draft.truncation === "last_messages" ? (
          <TextField
            label="Messages to keep"
            inputMode="numeric"
            value={draft.lastMessages}
            error={errors.lastMessages}
            onChange={(e) => set("lastMessages", e.target.value)}
          />
        ) : null}
        <SelectField
          label="Parallel tool calls"
          value={draft.parallelToolCalls}
          disabled={v1}
          onChange={(e) => set("parallelToolCalls", e.target.value)}
        >
          <option value="default">default (on)</option>
          <option value="true">on</option>
          <option value="false">off</option>
        </SelectField>
        <CheckboxField
          className="sm:col-span-2"
          label="Stream the run"
          hint={
            v1
              ? "This api-version (v1) does not stream: runs are followed by polling."
              : "Turn off for upstreams that do not stream: the run is then followed by polling."
          }
          checked={draft.stream && !v1}
          disabled={v1}
          onChange={(e) => set("stream", e.target.checked)}
        />
        <div className="sm:col-span-2">
          <Button onClick={() => onChange(emptyRunOptions)} disabled={changed === 0}>
            Reset to the assistant&apos;s values
          </Button>
        </div>
      </div>
    </Popover>
  );
}

function describeFormat(assistant: Assistant | null): string {
  const f = assistant?.response_format;
  if (!f) return "auto";
  return typeof f === "string" ? f : f.type;
}
