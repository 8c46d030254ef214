"use client";

import { useId, useState } from "react";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import { Button } from "@/components/ui/button";
import { prettyArguments, sampleToolOutput, validateToolOutput } from "@/lib/client/chat/tool-outputs";
import type { ToolOutput } from "@/lib/client/use-run-stream";

/**
 * A run that requires action: each function call with its name and arguments, an output to type
 * (or fill with a sample), and Submit, after which the run continues. Pinned above the composer:
 * the calls scroll within it and Submit stays in view.
 */
export function ToolCallsForm({
  run,
  onSubmit,
  submitting,
}: {
  run: Run;
  onSubmit: (outputs: ToolOutput[]) => void;
  submitting: boolean;
}) {
  const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
  const [outputs, setOutputs] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const baseId = useId();

  function submit() {
    const next: Record<string, string> = {};
    for (const call of calls) {
      const error = validateToolOutput(outputs[call.id] ?? "");
      if (error) next[call.id] = error;
    }
    setErrors(next);
    if (Object.keys(next).length > 0) {
      document.getElementById(`${baseId}-${calls.find((c) => next[c.id])?.id}`)?.focus();
      return;
    }
    onSubmit(calls.map((c) => ({ tool_call_id: c.id, output: outputs[c.id] ?? "" })));
  }

  return (
    <section
      aria-label="Function calls"
      className="mx-2 mt-2 flex max-h-[34%] min-h-0 shrink-0 flex-col rounded-md border border-amber-300 bg-amber-50 text-sm text-slate-900"
    >
      <h3 className="px-3 pt-2 font-semibold text-amber-900">
        The run requires action: answer{" "}
        {calls.length === 1 ? "this function call" : `these ${calls.length} function calls`}
      </h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        className="flex min-h-0 flex-1 flex-col"
      >
        <div className="min-h-0 flex-1 space-y-3 overflow-y-auto px-3 pt-2 pb-1">
          {calls.map((call) => {
            const fieldId = `${baseId}-${call.id}`;
            const error = errors[call.id];
            return (
              <fieldset key={call.id} className="rounded border border-amber-200 bg-white p-2">
                <legend className="px-1 font-mono text-sm font-semibold">{call.function.name}</legend>
                <p className="text-xs text-slate-600">Call {call.id} · arguments:</p>
                <pre
                  tabIndex={0}
                  aria-label={`Arguments of ${call.function.name}`}
                  className="mt-1 max-h-24 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs"
                >
                  {prettyArguments(call.function.arguments)}
                </pre>
                <label htmlFor={fieldId} className="mt-2 block text-sm font-medium">
                  Output of {call.function.name}
                </label>
                <textarea
                  id={fieldId}
                  rows={3}
                  value={outputs[call.id] ?? ""}
                  onChange={(e) => {
                    const value = e.target.value;
                    setOutputs((o) => ({ ...o, [call.id]: value }));
                    if (error) setErrors((x) => ({ ...x, [call.id]: validateToolOutput(value) ?? "" }));
                  }}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${fieldId}-error` : undefined}
                  placeholder='Plain text or JSON, e.g. {"temperature_c": 21}'
                  className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs focus-visible:outline-2 focus-visible:outline-indigo-600"
                />
                {error ? (
                  <p id={`${fieldId}-error`} className="mt-1 text-xs text-red-800">
                    {error}
                  </p>
                ) : null}
                <Button
                  className="mt-2"
                  onClick={() => {
                    setOutputs((o) => ({
                      ...o,
                      [call.id]: sampleToolOutput(call.function.name, call.function.arguments),
                    }));
                    setErrors((x) => ({ ...x, [call.id]: "" }));
                  }}
                  aria-label={`Fill a sample output for ${call.function.name}`}
                >
                  Fill a sample output
                </Button>
              </fieldset>
            );
          })}
        </div>
        <div className="border-t border-amber-200 px-3 py-2">
          <Button type="submit" variant="primary" disabled={submitting}>
            {submitting ? "Submitting…" : calls.length === 1 ? "Submit output" : "Submit outputs"}
          </Button>
        </div>
      </form>
    </section>
  );
}
