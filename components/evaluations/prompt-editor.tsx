"use client";

import { memo, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import type { PlaygroundConnection } from "@/lib/client/connections";
import type { Prompt } from "@/lib/evaluations/model";
import { CheckEditor, defaultCheck } from "./check-editor";

function FunctionOutputsField({ prompt, onChange }: { prompt: Prompt; onChange: (p: Prompt) => void }) {
  const [text, setText] = useState(prompt.functionOutputs ? JSON.stringify(prompt.functionOutputs) : "");
  const [error, setError] = useState<string | null>(null);
  return (
    <TextAreaField
      label="Function outputs (optional)"
      hint='JSON by function name, e.g. {"get_weather": "{\"temp\": 21}"}. A call without an output stops the run.'
      rows={2}
      value={text}
      error={error}
      onChange={(e) => {
        setText(e.target.value);
        if (e.target.value.trim() === "") {
          setError(null);
          const next = { ...prompt };
          delete next.functionOutputs;
          return onChange(next);
        }
        try {
          const v = JSON.parse(e.target.value) as unknown;
          if (
            typeof v !== "object" ||
            v === null ||
            Array.isArray(v) ||
            Object.values(v).some((x) => typeof x !== "string")
          )
            throw new Error("expected an object of strings");
          setError(null);
          onChange({ ...prompt, functionOutputs: v as Record<string, string> });
        } catch (err) {
          setError(`Not valid yet: ${(err as Error).message}`);
        }
      }}
    />
  );
}

/** One prompt of a set: its text, checks, function outputs and attachments. */
export const PromptEditor = memo(function PromptEditor({
  prompt,
  index,
  onChange,
  onRemove,
  connections,
}: {
  prompt: Prompt;
  index: number;
  /** Stable across renders (the editor is memoised): the prompt says which one changed. */
  onChange: (p: Prompt) => void;
  onRemove: (id: string) => void;
  connections: PlaygroundConnection[];
}) {
  const n = index + 1;
  return (
    <li className="space-y-2 rounded-md border border-slate-200 p-3">
      <TextAreaField
        label={`Prompt ${n}`}
        rows={2}
        value={prompt.text}
        onChange={(e) => onChange({ ...prompt, text: e.target.value })}
      />
      <div className="space-y-2" role="group" aria-label={`Checks of prompt ${n}`}>
        {prompt.checks.map((check, i) => (
          <CheckEditor
            key={i}
            name={`check ${i + 1} of prompt ${n}`}
            check={check}
            connections={connections}
            onChange={(next) =>
              onChange({ ...prompt, checks: prompt.checks.map((c, j) => (j === i ? next : c)) })
            }
            onRemove={() => onChange({ ...prompt, checks: prompt.checks.filter((_, j) => j !== i) })}
          />
        ))}
      </div>
      <details>
        <summary className="cursor-pointer text-sm text-slate-700">Function outputs and attachments</summary>
        <div className="mt-2 space-y-2">
          <FunctionOutputsField prompt={prompt} onChange={onChange} />
          <TextField
            label="Attached file ids (file search)"
            value={prompt.attachments.map((a) => a.file_id).join(" ")}
            onChange={(e) =>
              onChange({
                ...prompt,
                attachments: e.target.value
                  .split(/[\s,]+/)
                  .filter(Boolean)
                  .map((file_id) => ({ file_id, tools: ["file_search"] })),
              })
            }
          />
        </div>
      </details>
      <div className="flex flex-wrap gap-2">
        <Button
          onClick={() =>
            onChange({
              ...prompt,
              checks: [...prompt.checks, defaultCheck("contains", connections[0] ?? null)],
            })
          }
          aria-label={`Add a check to prompt ${n}`}
        >
          Add check
        </Button>
        <Button variant="ghost" onClick={() => onRemove(prompt.id)} aria-label={`Remove prompt ${n}`}>
          Remove prompt
        </Button>
      </div>
    </li>
  );
});
