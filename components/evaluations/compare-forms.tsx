"use client";

import { memo, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import type { FunctionCallRequest } from "@/lib/client/evaluations/run-prompt";
import type { Outputs } from "./use-compare";

/** The function calls one column waits for, answered or declined ("Stop here"). */
export const FunctionCallsForm = memo(function FunctionCallsForm({
  calls,
  label,
  onSubmit,
}: {
  calls: FunctionCallRequest[];
  label: string;
  onSubmit: (outputs: Outputs) => void;
}) {
  const [outputs, setOutputs] = useState<Record<string, string>>({});
  return (
    <form
      aria-label={`Function calls of ${label}`}
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(Object.fromEntries(calls.map((c) => [c.id, outputs[c.id] ?? ""])));
      }}
    >
      <p className="text-sm font-medium text-amber-900">The run asks for function outputs.</p>
      {calls.map((c) => (
        <TextAreaField
          key={c.id}
          label={`Output of ${c.name}`}
          hint={`Arguments: ${c.arguments}`}
          rows={2}
          value={outputs[c.id] ?? ""}
          onChange={(e) => setOutputs((o) => ({ ...o, [c.id]: e.target.value }))}
        />
      ))}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary">
          Submit outputs
        </Button>
        <Button onClick={() => onSubmit(null)}>Stop here</Button>
      </div>
    </form>
  );
});

/** One output per function name, given to every column waiting for it. */
export const AnswerAllForm = memo(function AnswerAllForm({
  names,
  onSubmit,
}: {
  names: string[];
  onSubmit: (byName: Record<string, string>) => void;
}) {
  const [outputs, setOutputs] = useState<Record<string, string>>({});
  return (
    <form
      aria-label="Answer every column's function calls"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(outputs);
      }}
    >
      <p className="text-sm font-medium text-amber-900">
        Several columns wait for function outputs: answer them all at once.
      </p>
      {names.map((n) => (
        <TextAreaField
          key={n}
          label={`Output of ${n} for every column`}
          rows={2}
          value={outputs[n] ?? ""}
          onChange={(e) => setOutputs((o) => ({ ...o, [n]: e.target.value }))}
        />
      ))}
      <Button type="submit" variant="primary">
        Submit to every column
      </Button>
    </form>
  );
});
