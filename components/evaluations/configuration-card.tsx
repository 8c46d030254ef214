"use client";

import { useQuery } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import { memo } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import type { PlaygroundConnection } from "@/lib/client/connections";
import { assistantListQuery } from "@/lib/client/queries/assistants/queries";
import type { Configuration, Overrides } from "@/lib/evaluations/model";
import { scopeFor } from "./shared";

const TOOL_CHOICES = {
  assistant: "The assistant's tools",
  none: "No tools",
  code_interpreter: "Code interpreter",
  file_search: "File search",
  both: "Code interpreter and file search",
} as const;
type ToolChoice = keyof typeof TOOL_CHOICES;

function toolChoiceOf(overrides: Overrides): ToolChoice {
  const tools = overrides.tools;
  if (!tools) return "assistant";
  const ci = tools.some((t) => t.type === "code_interpreter");
  const fs = tools.some((t) => t.type === "file_search");
  return ci && fs ? "both" : ci ? "code_interpreter" : fs ? "file_search" : "none";
}

/** The tools a choice stands for; the assistant's functions are kept (a run replaces the whole list). */
function toolsFor(choice: ToolChoice, assistant: Assistant | undefined): Overrides["tools"] {
  if (choice === "assistant") return undefined;
  const functions = (assistant?.tools ?? []).filter((t) => t.type === "function") as NonNullable<
    Overrides["tools"]
  >;
  const builtins: NonNullable<Overrides["tools"]> = [];
  if (choice === "code_interpreter" || choice === "both") builtins.push({ type: "code_interpreter" });
  if (choice === "file_search" || choice === "both") builtins.push({ type: "file_search" });
  return choice === "none" ? [] : [...builtins, ...functions];
}

function numberOrUndefined(value: string): number | undefined {
  if (value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** One configuration: connection, api-version, assistant, and the run parameters that override it. */
export const ConfigurationCard = memo(function ConfigurationCard({
  configuration,
  index,
  connections,
  assistant,
  onChange,
  onRemove,
  canRemove,
  disabled,
}: {
  configuration: Configuration;
  index: number;
  connections: PlaygroundConnection[];
  assistant: Assistant | undefined;
  /** Stable across renders (the card is memoised): the next configuration keeps its id. */
  onChange: (next: Configuration) => void;
  onRemove: (id: string) => void;
  canRemove: boolean;
  disabled: boolean;
}) {
  const c = configuration;
  const o = c.overrides ?? {};
  const connection = connections.find((x) => x.name === c.connection);
  const assistants = useQuery(assistantListQuery(scopeFor(c)));
  const set = (overrides: Overrides) => onChange({ ...c, overrides: { ...o, ...overrides } });
  const unset = (key: keyof Overrides) => {
    const next = { ...o };
    delete next[key];
    onChange({ ...c, overrides: next });
  };
  const name = c.label || `Configuration ${index + 1}`;
  return (
    <fieldset className="min-w-0 space-y-2 rounded-md border border-slate-200 p-3" disabled={disabled}>
      <legend className="px-1 text-sm font-semibold text-slate-800">Configuration {name}</legend>
      <TextField
        label="Label"
        value={c.label}
        maxLength={200}
        onChange={(e) => onChange({ ...c, label: e.target.value })}
      />
      <SelectField
        label="Connection"
        value={c.connection}
        onChange={(e) => {
          const next = connections.find((x) => x.name === e.target.value);
          onChange({
            ...c,
            connection: e.target.value,
            apiVersion: next?.apiVersion ?? c.apiVersion,
            assistantId: "",
            assistantName: null,
            overrides: {},
          });
        }}
      >
        {connections.map((x) => (
          <option key={x.name} value={x.name}>
            {x.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="API version"
        value={c.apiVersion}
        onChange={(e) => onChange({ ...c, apiVersion: e.target.value })}
      >
        {(connection?.apiVersions ?? [c.apiVersion]).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Assistant"
        value={c.assistantId}
        hint={assistants.isError ? "The assistants could not be listed on this connection." : undefined}
        onChange={(e) => {
          const a = assistants.data?.find((x) => x.id === e.target.value);
          onChange({ ...c, assistantId: e.target.value, assistantName: a?.name ?? null });
        }}
      >
        <option value="">{assistants.isLoading ? "Loading…" : "Choose an assistant"}</option>
        {(assistants.data ?? []).map((a) => (
          <option key={a.id} value={a.id}>
            {a.name || "(unnamed)"} · {a.id}
          </option>
        ))}
      </SelectField>
      <details
        className="rounded border border-slate-200 px-2 py-1"
        open={Object.keys(o).length > 0 || undefined}
      >
        <summary className="cursor-pointer text-sm font-medium text-slate-800">
          Overrides {Object.keys(o).length ? `(${Object.keys(o).length})` : "(none: as saved)"}
        </summary>
        <div className="mt-2 space-y-2">
          <TextField
            label="Deployment"
            value={o.model ?? ""}
            placeholder={assistant ? `${assistant.model} (the assistant's)` : "the assistant's"}
            list={`deployments-${c.id}`}
            onChange={(e) => (e.target.value.trim() ? set({ model: e.target.value }) : unset("model"))}
          />
          <datalist id={`deployments-${c.id}`}>
            {(connection?.deployments ?? []).map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
          <TextAreaField
            label="Instructions"
            rows={3}
            value={o.instructions ?? ""}
            placeholder={
              assistant?.instructions
                ? `the assistant's: ${assistant.instructions.slice(0, 120)}`
                : "the assistant's"
            }
            onChange={(e) => (e.target.value ? set({ instructions: e.target.value }) : unset("instructions"))}
          />
          <div className="grid grid-cols-2 gap-2">
            <TextField
              label="Temperature"
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={o.temperature ?? ""}
              placeholder={assistant?.temperature != null ? String(assistant.temperature) : "default"}
              onChange={(e) => {
                const n = numberOrUndefined(e.target.value);
                if (n === undefined) unset("temperature");
                else set({ temperature: Math.min(2, Math.max(0, n)) });
              }}
            />
            <TextField
              label="Top P"
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={o.top_p ?? ""}
              placeholder={assistant?.top_p != null ? String(assistant.top_p) : "default"}
              onChange={(e) => {
                const n = numberOrUndefined(e.target.value);
                if (n === undefined) unset("top_p");
                else set({ top_p: Math.min(1, Math.max(0, n)) });
              }}
            />
          </div>
          <SelectField
            label="Tools"
            value={toolChoiceOf(o)}
            onChange={(e) => {
              const tools = toolsFor(e.target.value as ToolChoice, assistant);
              if (tools === undefined) unset("tools");
              else set({ tools });
            }}
          >
            {Object.entries(TOOL_CHOICES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Response format"
            value={
              o.response_format === undefined
                ? "assistant"
                : typeof o.response_format === "string"
                  ? o.response_format
                  : o.response_format.type
            }
            onChange={(e) => {
              const v = e.target.value;
              if (v === "assistant") unset("response_format");
              else if (v === "auto") set({ response_format: "auto" });
              else if (v === "text" || v === "json_object") set({ response_format: { type: v } });
            }}
          >
            <option value="assistant">The assistant&apos;s</option>
            <option value="auto">auto</option>
            <option value="text">text</option>
            <option value="json_object">json_object</option>
            {o.response_format &&
            typeof o.response_format === "object" &&
            o.response_format.type === "json_schema" ? (
              <option value="json_schema">json_schema (imported)</option>
            ) : null}
          </SelectField>
        </div>
      </details>
      {canRemove ? (
        <Button variant="ghost" onClick={() => onRemove(c.id)} aria-label={`Remove configuration ${name}`}>
          Remove
        </Button>
      ) : null}
    </fieldset>
  );
});
