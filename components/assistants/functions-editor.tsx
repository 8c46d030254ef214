"use client";

import { useId } from "react";
import {
  ASSISTANT_LIMITS,
  FUNCTION_EXAMPLES,
  STRUCTURED_OUTPUTS_SINCE,
  hasStructuredOutputs,
  newKey,
  pretty,
  type FieldErrors,
  type FunctionDraft,
} from "@/lib/client/assistants/form";
import { Button } from "@/components/ui/button";
import { FieldError, control, controlBorder } from "./fields";

function functionName(json: string, index: number): string {
  try {
    const v = JSON.parse(json) as { name?: unknown };
    if (typeof v.name === "string" && v.name) return v.name;
  } catch {
    // shown by the validation message
  }
  return `#${index + 1}`;
}

/** Function tools as JSON, validated as typed; ready-made examples; the 128-tool limit shown. */
export function FunctionsEditor({
  functions,
  onChange,
  errors,
  apiVersion,
  toolCount,
}: {
  functions: FunctionDraft[];
  onChange: (next: FunctionDraft[]) => void;
  errors: FieldErrors;
  apiVersion: string;
  toolCount: number;
}) {
  const id = useId();
  const strictOk = hasStructuredOutputs(apiVersion);
  const full = toolCount >= ASSISTANT_LIMITS.tools;
  const add = (json: string) => onChange([...functions, { key: newKey(), json }]);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium text-slate-800">Functions</p>
        <p className="text-xs text-slate-600" id={`${id}-count`}>
          {toolCount} of {ASSISTANT_LIMITS.tools} tools
        </p>
      </div>
      {functions.map((f, i) => {
        const name = functionName(f.json, i);
        const error = errors[`function.${f.key}`];
        const fid = `${id}-${f.key}`;
        return (
          <div key={f.key} className="space-y-1 rounded-md border border-slate-200 p-2">
            <div className="flex items-center justify-between gap-2">
              <label htmlFor={fid} className="font-mono text-xs font-semibold text-slate-800">
                Function {name} (JSON)
              </label>
              <Button
                variant="ghost"
                className="px-2 py-0.5 text-xs"
                onClick={() => onChange(functions.filter((x) => x.key !== f.key))}
              >
                Remove function {name}
              </Button>
            </div>
            <textarea
              id={fid}
              value={f.json}
              spellCheck={false}
              rows={Math.min(14, Math.max(5, f.json.split("\n").length))}
              onChange={(e) =>
                onChange(functions.map((x) => (x.key === f.key ? { ...x, json: e.target.value } : x)))
              }
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${fid}-error` : undefined}
              className={`${control} ${controlBorder(Boolean(error))} resize-y font-mono text-xs`}
            />
            <FieldError id={`${fid}-error`} error={error} />
          </div>
        );
      })}
      <FieldError id={`${id}-tools`} error={errors.tools} />
      <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Add a function">
        <Button
          className="text-xs"
          disabled={full}
          onClick={() =>
            add(
              pretty({
                name: "my_function",
                description: "",
                parameters: { type: "object", properties: {} },
              }),
            )
          }
        >
          Add function
        </Button>
        {FUNCTION_EXAMPLES.map((ex) => (
          <Button
            key={ex.label}
            variant="ghost"
            className="text-xs"
            disabled={full}
            onClick={() => add(pretty(ex.value))}
          >
            Example: {ex.label}
          </Button>
        ))}
      </div>
      <p className="text-xs text-slate-600">
        {strictOk
          ? 'Add "strict": true for structured outputs: every object then needs "additionalProperties": false and all properties required.'
          : `Function "strict" needs api-version ${STRUCTURED_OUTPUTS_SINCE}-preview or later (this connection: ${apiVersion}).`}
      </p>
    </div>
  );
}
